//! `kdelta lint` end to end on a Debian-style quilt queue written here: the findings in
//! each format, located by file and line, and the exit code `--fail-on` asks for.

mod support;

use std::path::Path;
use support::kdelta;

const DIFF: &str = "---\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n";

fn queue(dir: &Path) {
    let patches = dir.join("debian/patches");
    std::fs::create_dir_all(&patches).expect("mkdir");
    std::fs::write(
        patches.join("good.patch"),
        format!("Description: fix f\nOrigin: upstream, https://git.kernel.org/linus/0123abc\nLast-Update: 2026-12-07\n{DIFF}"),
    )
    .expect("write");
    std::fs::write(
        patches.join("bad.patch"),
        format!("Description: fix g\nOrigin: vendor\nForwarded: maybe\u{1b}[2J\nLast-Update: 07/12/2026\n{DIFF}"),
    )
    .expect("write");
    std::fs::write(patches.join("series"), "good.patch\nbad.patch\n").expect("write");
}

#[test]
fn findings_name_rule_file_and_line_and_fail_at_the_level_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    queue(dir.path());
    let spec = dir.path().join("debian/patches");
    let spec = spec.to_str().expect("utf-8 path");

    let out = kdelta(&["lint", spec, "--convention", "dep3"]);
    assert_eq!(out.status.code(), Some(1), "an error-level finding fails");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        vec![
            // Patch text reaches the terminal escaped.
            "bad.patch:3: warning: `Forwarded: maybe\\x1b[2J` is none of no, not-needed, yes, nor a URL [dep3/forwarded-form]",
            "bad.patch:4: error: `Last-Update: 07/12/2026` is not a date (YYYY-MM-DD) [dep3/last-update-date]",
        ]
    );

    // Only warnings left after the date is fixed: exit 0 by default, 1 with --fail-on warning.
    let bad = dir.path().join("debian/patches/bad.patch");
    let fixed = std::fs::read_to_string(&bad)
        .expect("read")
        .replace("07/12/2026", "2026-12-07");
    std::fs::write(&bad, fixed).expect("write");
    assert_eq!(kdelta(&["lint", spec]).status.code(), Some(0));
    let strict = kdelta(&["lint", spec, "--fail-on", "warning"]);
    assert_eq!(strict.status.code(), Some(1));

    let json = kdelta(&["lint", spec, "--format", "json"]);
    let found: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(found[0]["rule"], "dep3/forwarded-form");
    assert_eq!(found[0]["file"], "bad.patch");
    assert_eq!(found[0]["line"], 3);
    assert!(found[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("maybe\u{1b}[2J")));

    let sarif = kdelta(&[
        "lint",
        spec,
        "--format",
        "sarif",
        "--base",
        "debian/patches",
    ]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("sarif");
    assert_eq!(log["version"], "2.1.0");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["level"], "warning");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "debian/patches/bad.patch"
    );
}

#[test]
fn auto_finds_dep3_in_a_debian_tree_and_a_missing_file_is_a_finding() {
    let dir = tempfile::tempdir().expect("temp dir");
    queue(dir.path());
    let series = dir.path().join("debian/patches/series");
    std::fs::write(&series, "good.patch\nbad.patch\ngone.patch\n").expect("write");
    let out = kdelta(&[
        "lint",
        dir.path().to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules: Vec<&str> = found
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"dep3/last-update-date"), "{rules:?}");
    assert!(rules.iter().any(|r| r.starts_with("queue/")), "{rules:?}");
    assert_eq!(out.status.code(), Some(1));
}
