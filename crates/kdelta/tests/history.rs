//! End-to-end test of `kdelta history`: the demo queue committed at three revisions (as
//! written, then with a patch refreshed and one dropped, then with a patch renamed), judged
//! against the demo upstream.

mod support;

use std::path::Path;
use support::{git, kdelta, require_git};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn edit(path: &Path, f: impl Fn(String) -> String) {
    let body = std::fs::read_to_string(path).expect("read");
    std::fs::write(path, f(body)).expect("write");
}

#[test]
fn history_follows_a_queue_across_revisions() {
    require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo");
    let o = kdelta(&["demo", "-o", demo.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let repo = demo.join("queue");
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "first"]);
    git(&repo, &["tag", "r1"]);
    // r2: the discard patch refreshed, the Android patch dropped.
    edit(
        &repo.join("patches.suse/xen-blkfront-allow-discard.patch"),
        |b| b.replacen("\n+\t", "\n+\t/* refreshed */ ", 1),
    );
    edit(&repo.join("series.conf"), |b| {
        b.lines()
            .filter(|l| !l.contains("android"))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    git(&repo, &["commit", "-q", "-a", "-m", "second"]);
    git(&repo, &["tag", "r2"]);
    // r3: the DEP-3 patch renamed.
    git(
        &repo,
        &[
            "mv",
            "patches.debian/fix-build-warning.patch",
            "patches.debian/warning.patch",
        ],
    );
    edit(&repo.join("series.conf"), |b| {
        b.replace("fix-build-warning.patch", "warning.patch")
    });
    git(&repo, &["commit", "-q", "-a", "-m", "third"]);
    git(&repo, &["tag", "r3"]);

    let spec = |rev: &str| format!("{}@{rev}", repo.display());
    let out = dir.path().join("out");
    let o = kdelta(&[
        "history",
        &spec("r1"),
        &spec("r2"),
        &spec("r3"),
        "--upstream",
        demo.join("upstream.git").to_str().expect("utf8"),
        "--index",
        dir.path().join("index.sqlite").to_str().expect("utf8"),
        "--release-pattern",
        "v*",
        "-o",
        out.to_str().expect("utf8"),
        "--quiet",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let steps = summary["steps"].as_array().expect("steps");
    let figures: Vec<(u64, u64, u64, u64, u64)> = steps
        .iter()
        .map(|s| {
            let n = |k: &str| s[k].as_u64().expect("count");
            (
                n("patches"),
                n("added"),
                n("removed"),
                n("renamed"),
                n("refreshed"),
            )
        })
        .collect();
    assert_eq!(figures, [(7, 0, 0, 0, 0), (6, 0, 1, 0, 1), (6, 0, 0, 1, 0)]);
    // 7 contents, 1 refreshed: 8 analysed; the other 11 entries came from the cache.
    assert_eq!(summary["work"]["analysed"], 8, "{summary}");
    assert_eq!(summary["work"]["reused"], 11);

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("history.json")).expect("read"))
            .expect("history.json");
    let removed = &report["steps"][1]["removed"][0];
    assert_eq!(removed["name"], "patches.android/android-vendor-hook.patch");
    assert_eq!(removed["fate"], "dropped");
    let html = std::fs::read_to_string(out.join("history.html")).expect("html");
    assert!(html.contains("<svg") && html.contains("<rect"), "the chart");
    let csv = std::fs::read_to_string(out.join("history.csv")).expect("csv");
    assert_eq!(csv.lines().count(), 4);
}

#[test]
fn a_revision_with_queue_problems_is_named_with_its_first_problem_and_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let patch = "Subject: fix a thing\n\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n";
    for (rev, series) in [("good", "a.patch\n"), ("bad", "a.patch\nmissing.patch\n")] {
        let queue = dir.path().join(rev);
        std::fs::create_dir(&queue).expect("mkdir");
        std::fs::write(queue.join("a.patch"), patch).expect("write");
        std::fs::write(queue.join("series"), series).expect("write");
    }
    let path = |rev: &str| dir.path().join(rev).display().to_string();
    let out = dir.path().join("out");
    let o = kdelta(&[
        "history",
        &path("good"),
        &path("bad"),
        "-o",
        out.to_str().expect("utf8"),
        "--quiet",
        "--json",
    ]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let said: Vec<&str> = stderr.lines().filter(|l| l.contains("problem")).collect();
    assert_eq!(said.len(), 1, "only the bad revision: {stderr}");
    assert!(said[0].contains("bad"), "{stderr}");
    assert!(said[0].contains("missing.patch"), "{stderr}");
    // The history is still written, and the JSON on stdout is whole.
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(summary["steps"].as_array().map(Vec::len), Some(2));
}
