//! End-to-end test of `kdelta compare`: the demo queue against a copy in which one patch is
//! renamed and refreshed and one dropped, clustered against the demo upstream.

mod support;

use std::path::Path;
use support::kdelta;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Copy the demo queue, dropping the Android patch and renaming the blkfront discard patch
/// (whose text also changes a little).
fn derived_queue(demo: &Path, to: &Path) {
    let from = demo.join("queue");
    for dir in [
        "patches.suse",
        "patches.kernel.org",
        "patches.xen",
        "patches.debian",
    ] {
        std::fs::create_dir_all(to.join(dir)).expect("mkdir");
        for file in std::fs::read_dir(from.join(dir)).expect("read_dir") {
            let file = file.expect("entry").path();
            let name = file
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let mut text = std::fs::read_to_string(&file).expect("read");
            let name = if name == "xen-blkfront-allow-discard.patch" {
                text = text.replace(
                    "Subject: xen-blkfront:",
                    "Subject: [PATCH v3] xen-blkfront:",
                );
                "blkfront-discard-knob.patch".to_string()
            } else {
                name
            };
            std::fs::write(to.join(dir).join(name), text).expect("write");
        }
    }
    let series = std::fs::read_to_string(from.join("series.conf")).expect("series");
    let series = series
        .replace(
            "xen-blkfront-allow-discard.patch",
            "blkfront-discard-knob.patch",
        )
        .lines()
        .filter(|l| !l.contains("android"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(to.join("series.conf"), series + "\n").expect("write series");
}

#[test]
fn compare_finds_the_shared_delta_and_what_is_unique() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo");
    let o = kdelta(&["demo", "-o", demo.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let other = dir.path().join("other");
    derived_queue(&demo, &other);
    let out = dir.path().join("out");
    let path = |p: &Path| p.to_str().expect("utf8").to_string();
    let o = kdelta(&[
        "compare",
        &path(&demo.join("queue")),
        &path(&other),
        "--name",
        "Demo",
        "--name",
        "Other <b>",
        "--upstream",
        &path(&demo.join("upstream.git")),
        "--index",
        &path(&dir.path().join("index.sqlite")),
        "--release-pattern",
        "v*",
        "--annotations",
        &format!("Demo={}", path(&demo.join("annotations.toml"))),
        "-o",
        &path(&out),
        "--quiet",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(summary["summary"]["clusters"], 7, "{summary}");
    assert_eq!(summary["summary"]["shared"], 6);
    assert_eq!(
        summary["summary"]["common"], 4,
        "the two upstream fixes are not delta"
    );
    assert_eq!(summary["summary"]["unique"], 1, "the Android patch");

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("compare.json")).expect("read"))
            .expect("compare.json");
    let renamed = report["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .find(|c| c["carriers"][1][0]["name"] == "patches.suse/blkfront-discard-knob.patch")
        .expect("the renamed patch's cluster");
    assert_eq!(
        renamed["carriers"][0][0]["name"],
        "patches.suse/xen-blkfront-allow-discard.patch"
    );
    assert_eq!(renamed["common"], true);
    for ext in ["html", "md", "mediawiki"] {
        let file = out.join(format!("compare.{ext}"));
        let body = std::fs::read_to_string(&file).expect("read");
        assert!(
            !body.contains("<b>"),
            "{ext}: the name is escaped (CSV is plain text)"
        );
    }
}
