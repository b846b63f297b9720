//! End-to-end tests of `kdelta report` and `kdelta annotate` on the demo: every format
//! written, overrides applied only to the patch they were written for, stale and gone
//! annotations flagged, bad annotations rejected with file and line, the JSON schema
//! documented.

mod support;

use std::path::Path;
use support::kdelta;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("read report.json");
    serde_json::from_str(&text).expect("report.json parses")
}

fn patch<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["patches"]
        .as_array()
        .expect("patches")
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no patch {name}"))
}

/// `kdelta demo -o DIR`, which must succeed; DIR.
fn demo(dir: &Path) -> std::path::PathBuf {
    let out = dir.join("demo");
    let o = kdelta(&["demo", "-o", out.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    out
}

#[test]
fn demo_writes_every_format_with_its_annotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = demo(dir.path());
    for ext in ["html", "md", "mediawiki", "json", "csv"] {
        let file = out.join(format!("report.{ext}"));
        assert!(file.is_file(), "{} missing", file.display());
    }
    let report = read_json(&out.join("report.json"));
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["distribution"], "Demo Linux");

    // Upstream by the commit the header names, in the release the demo history tagged.
    let fix = patch(&report, "patches.suse/xen-blkfront-fix-leak.patch");
    assert_eq!(fix["status"], "upstream");
    assert_eq!(fix["release"], "v3.14-rc6", "{fix}");
    let stable = patch(&report, "patches.kernel.org/stable-fix.patch");
    assert_eq!(stable["release"], "v3.14", "{stable}");
    assert_eq!(
        fix["send_to"][0], "Roger Example <roger@example.org> (supporter:XEN BLOCK SUBSYSTEM)",
        "MAINTAINERS of the demo upstream"
    );
    assert_eq!(
        fix["active_upstream"][0],
        "Ada Lovelace <ada@example.org> (1 commit)"
    );
    let to_drop = &report["summary"]["to_drop"];
    assert_eq!(to_drop.as_array().map(Vec::len), Some(2), "{to_drop}");

    // A feature is answered for all its patches together, and the pages say whom to send it to.
    let feature = report["features"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["name"] == "xen-blkfront-discard"))
        .expect("the demo's feature");
    assert_eq!(
        feature["send_to"][0], "Roger Example <roger@example.org> (supporter:XEN BLOCK SUBSYSTEM)",
        "{feature}"
    );
    let md = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    let heading = md
        .find("### Feature: xen-blkfront-discard")
        .expect("the feature's heading");
    let table = heading + md[heading..].find("| patch |").expect("its table");
    assert!(
        md[heading..table].contains("Send to: Roger Example"),
        "{}",
        &md[heading..table]
    );

    // A current annotation's override applies, with the machine's status kept beside it.
    let balloon = patch(&report, "patches.xen/xen-balloon-sysfs.patch");
    assert_eq!(balloon["status"], "downstream-only");
    assert_eq!(balloon["machine_status"], "replacement-likely");
    assert_eq!(balloon["status_override"]["applied"], true);
    assert_eq!(balloon["annotation"], "current");

    // An annotation written for an older version of its patch is stale: shown, not applied.
    let blktap = patch(&report, "patches.xen/xen3-fixup-blktap.diff");
    assert_eq!(blktap["annotation"], "stale");
    assert_eq!(
        blktap["status"], "obsolete",
        "the stale override is not applied"
    );
    assert_eq!(blktap["status_override"]["applied"], false);
    let stale: Vec<(String, String)> = report["stale_annotations"]
        .as_array()
        .expect("stale")
        .iter()
        .map(|s| (s["patch"].to_string(), s["reason"].to_string()))
        .collect();
    assert!(stale.contains(&(
        "\"patches.xen/xen3-fixup-blktap.diff\"".into(),
        "\"changed\"".into()
    )));
    assert!(stale.contains(&(
        "\"patches.suse/xen-netfront-old-fix.patch\"".into(),
        "\"gone\"".into()
    )));

    // The feature groups its patch in its section, with the feature's note and owner.
    let needs_work = report["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["status"] == "needs-work")
        .expect("needs-work section");
    let group = &needs_work["groups"][0];
    assert_eq!(group["feature"], "xen-blkfront-discard");
    assert_eq!(group["owner"], "Ada Lovelace <ada@example.org>");

    // The wiki page has the distribution heading and a heading per status.
    let wiki = std::fs::read_to_string(out.join("report.mediawiki")).expect("wiki");
    assert!(
        wiki.starts_with("== <nowiki>Demo Linux 1.0</nowiki> =="),
        "{wiki}"
    );
    assert!(wiki.contains("=== <nowiki>Needs upstream effort</nowiki> ==="));
    let csv = std::fs::read_to_string(out.join("report.csv")).expect("csv");
    assert_eq!(csv.lines().count(), 1 + 7, "{csv}");
}

#[test]
fn annotate_then_change_the_patch_flags_the_annotation_stale() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = demo(dir.path());
    let queue = out.join("queue");
    let notes = dir.path().join("notes.toml");
    std::fs::write(&notes, "# our decisions\n").expect("write");
    let (q, n) = (queue.to_str().expect("utf8"), notes.to_str().expect("utf8"));
    let o = kdelta(&[
        "annotate",
        q,
        "xen-blkfront-allow-discard.patch",
        "--annotations",
        n,
        "--owner",
        "Tess Ter <t@example.org>",
        "--status",
        "in-progress",
        "--reason",
        "posted as v2",
        "--link",
        "https://lore.kernel.org/x",
        "--by",
        "tess",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let written = std::fs::read_to_string(&notes).expect("read");
    assert!(
        written.starts_with("# our decisions\n"),
        "comment kept: {written}"
    );
    assert!(written.contains("fingerprint = \"patch-id:"), "{written}");
    assert!(written.contains("by = \"tess\""), "history: {written}");

    let report = |name: &str| {
        let dest = dir.path().join(name);
        let o = kdelta(&[
            "report",
            q,
            "--annotations",
            n,
            "--format",
            "json,csv",
            "-o",
            dest.to_str().expect("utf8"),
            "--quiet",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert!(
            !dest.join("report.html").exists(),
            "only the formats asked for"
        );
        read_json(&dest.join("report.json"))
    };
    let name = "patches.suse/xen-blkfront-allow-discard.patch";
    let before = report("before");
    assert_eq!(patch(&before, name)["status"], "in-progress");
    assert_eq!(patch(&before, name)["owner"], "Tess Ter <t@example.org>");

    // Change the patch: the annotation no longer applies to it.
    let file = queue.join(name);
    let original = std::fs::read_to_string(&file).expect("read patch");
    let changed = original.replacen("\n+\t", "\n+\t/* refreshed */ ", 1);
    assert_ne!(changed, original);
    std::fs::write(&file, changed).expect("write patch");
    let after = report("after");
    let p = patch(&after, name);
    assert_eq!(p["annotation"], "stale", "{p}");
    assert_eq!(
        p["status"], p["machine_status"],
        "the override is not applied"
    );
    assert_eq!(after["summary"]["stale"], 1);

    // Verifying it again records the new fingerprint: current once more.
    let o = kdelta(&[
        "annotate",
        q,
        name,
        "--annotations",
        n,
        "--verified",
        "--by",
        "tess",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(patch(&report("again"), name)["annotation"], "current");
}

#[test]
fn a_report_that_cannot_be_written_whole_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = demo(dir.path());
    let queue = out.join("queue");
    let dest = dir.path().join("out");
    std::fs::create_dir_all(dest.join("report.json")).expect("a directory in the way");
    let o = kdelta(&[
        "report",
        queue.to_str().expect("utf8"),
        "-o",
        dest.to_str().expect("utf8"),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("report.json"),
        "{}",
        text(&o.stderr)
    );
    let names: Vec<String> = std::fs::read_dir(&dest)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["report.json"], "nothing else written");
}

#[test]
fn concurrent_annotates_keep_every_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = demo(dir.path());
    let queue = out.join("queue");
    let notes = dir.path().join("notes.toml");
    let (q, n) = (queue.to_str().expect("utf8"), notes.to_str().expect("utf8"));
    let runs: Vec<std::process::Child> = (0..20)
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_kdelta"))
                .args([
                    "annotate",
                    q,
                    "xen-blkfront-allow-discard.patch",
                    "--annotations",
                    n,
                    "--note",
                    &format!("note number {i}"),
                    "--by",
                    "tess",
                ])
                .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("run kdelta")
        })
        .collect();
    for run in runs {
        let o = run.wait_with_output().expect("waited");
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    }
    let written = std::fs::read_to_string(&notes).expect("read");
    for i in 0..20 {
        assert!(
            written.contains(&format!("note number {i}\"")),
            "note {i} lost:\n{written}"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .filter(|name| name.to_string_lossy().ends_with(".kdelta-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn bad_annotations_are_rejected_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = demo(dir.path());
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[patches.\"patches.xen/xen-balloon-sysfs.patch\"]\nowner = \"x\"\nstatus = \"needswork\"\nreason = \"r\"\n",
    )
    .expect("write");
    let o = kdelta(&[
        "report",
        out.join("queue").to_str().expect("utf8"),
        "--annotations",
        bad.to_str().expect("utf8"),
        "-o",
        dir.path().join("r").to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("bad.toml:3"), "{err}");
    assert!(
        !dir.path().join("r/report.json").exists(),
        "nothing written"
    );
}

/// Every key of the demo's report.json is documented in docs/REPORT.md.
#[test]
fn every_json_field_is_documented() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = demo(dir.path());
    let report = read_json(&out.join("report.json"));
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/REPORT.md"))
        .expect("docs/REPORT.md");
    let mut keys = std::collections::BTreeSet::new();
    collect_keys(&report, &mut keys);
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| {
            !doc.contains(&format!("`{k}`"))
                && !doc.contains(&format!("{k},"))
                && !doc.contains(&format!("{k}}}"))
                && !doc.contains(&format!("{{{k}"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "undocumented report.json fields: {missing:?}"
    );
}

fn collect_keys(value: &serde_json::Value, keys: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                keys.insert(k.clone());
                collect_keys(v, keys);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_keys(v, keys)),
        _ => {}
    }
}

#[test]
fn maintainers_answers_per_patch_and_per_feature() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = demo(dir.path());
    let path = |p: &str| out.join(p).to_str().expect("utf8").to_string();
    let o = kdelta(&[
        "maintainers",
        &path("queue"),
        "--upstream",
        &path("upstream.git"),
        "--index",
        &path("upstream-index.sqlite"),
        "--no-update",
        "--annotations",
        &path("annotations.toml"),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let patches = answer["patches"].as_array().expect("patches");
    assert_eq!(patches.len(), 7);
    let stable = &patches[1];
    assert_eq!(stable["name"], "patches.kernel.org/stable-fix.patch");
    assert_eq!(
        stable["lines"][1],
        "Stefano Example <sstabellini@example.org> (reviewer:XEN HYPERVISOR INTERFACE)"
    );
    assert_eq!(
        stable["active_authors"][0]["author"],
        "Greg Example <greg@example.org>"
    );
    assert_eq!(stable["patch_people"][0]["role"], "author");
    let blktap = &patches[2];
    assert!(
        blktap["lines"].as_array().expect("lines").is_empty(),
        "X: drivers/xen/blktap/ excludes it: {blktap}"
    );
    let features = answer["features"].as_array().expect("features");
    assert_eq!(features[0]["name"], "xen-blkfront-discard");
    assert_eq!(
        features[0]["lines"][0],
        "Roger Example <roger@example.org> (supporter:XEN BLOCK SUBSYSTEM)"
    );
}
