//! `kdelta lint` end to end on a Debian-style quilt queue written here: the findings in
//! each format, located by file and line, and the exit code `--fail-on` asks for.

mod support;

use std::path::Path;
use support::{git, kdelta};

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

    let json = kdelta(&["lint", spec, "--json"]);
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

/// Upstream: `a.c` at v1.0, then two fixes, tagged v1.1; their commit ids.
fn upstream(repo: &Path) -> (String, String) {
    support::require_git();
    std::fs::create_dir_all(repo).expect("mkdir");
    git(repo, &["init", "-q", "-b", "master"]);
    let lines: Vec<String> = (1..=30).map(|i| format!("int a{i} = {i};\n")).collect();
    std::fs::write(repo.join("a.c"), lines.concat()).expect("write");
    commit(repo, "a: first");
    git(repo, &["tag", "v1.0"]);
    let mut fixed = lines.clone();
    fixed[4] = "int a5 = 55; /* the ring needs more */\n".into();
    std::fs::write(repo.join("a.c"), fixed.concat()).expect("write");
    let one = commit(repo, "a: grow a5");
    fixed[24] = "int a25 = 2525; /* and the queue too */\n".into();
    std::fs::write(repo.join("a.c"), fixed.concat()).expect("write");
    let two = commit(repo, "a: grow a25");
    git(repo, &["tag", "v1.1"]);
    (one, two)
}

fn commit(repo: &Path, message: &str) -> String {
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", message]);
    git(repo, &["rev-parse", "HEAD"]).trim().to_string()
}

/// A SUSE-style queue: the first fix said not upstream, the second claiming v1.0, and a
/// patch naming a commit upstream does not have.
fn suse_queue(q: &Path, repo: &Path, (one, two): &(String, String)) {
    std::fs::create_dir_all(q).expect("mkdir");
    let diff = |c: &str| git(repo, &["diff", &format!("{c}~1"), c]);
    let head = |subject: &str, rest: &str| {
        format!("From: A U Thor <a@example.org>\nSubject: {subject}\n{rest}References: bsc#1\n\nWhy.\n\nAcked-by: S U Se <s@suse.com>\n---\n")
    };
    let files = [
        (
            "not-yet.patch",
            head("a: grow a5", "Patch-mainline: Not yet, under review\n"),
            diff(one),
        ),
        (
            "early.patch",
            head(
                "a: grow a25",
                &format!("Patch-mainline: v1.0\nGit-commit: {two}\n"),
            ),
            diff(two),
        ),
        (
            "ghost.patch",
            head(
                "a: shrink a9",
                "Patch-mainline: v1.1\nGit-commit: 0123456789abcdef0123456789abcdef01234567\n",
            ),
            "--- a/a.c\n+++ b/a.c\n@@ -9 +9 @@\n-int a9 = 9;\n+int a9 = 0;\n".into(),
        ),
    ];
    let mut series = String::new();
    for (name, header, diff) in files {
        std::fs::write(q.join(name), format!("{header}{diff}")).expect("write");
        series.push_str(name);
        series.push('\n');
    }
    std::fs::write(q.join("series"), series).expect("write");
}

fn rules_of(out: &std::process::Output) -> Vec<(String, String)> {
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    found
        .as_array()
        .expect("array")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("file"), s("rule"))
        })
        .collect()
}

#[test]
fn claims_are_checked_against_upstream_and_fix_writes_what_upstream_says() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("up");
    let commits = upstream(&repo);
    let q = dir.path().join("q");
    suse_queue(&q, &repo, &commits);
    let index = dir.path().join("up.idx");
    let lint = |more: &[&str]| {
        let mut args = vec![
            "lint",
            q.to_str().expect("utf-8"),
            "--convention",
            "suse",
            "--upstream",
            repo.to_str().expect("utf-8"),
            "--index",
            index.to_str().expect("utf-8"),
            "--quiet",
            "--format",
            "json",
        ];
        args.extend(more);
        kdelta(&args)
    };
    let found = rules_of(&lint(&["--fail-on", "never"]));
    let pair = |f: &str, r: &str| (f.to_string(), r.to_string());
    assert_eq!(
        found,
        vec![
            pair("not-yet.patch", "upstream/already-upstream"),
            pair("early.patch", "upstream/release-differs"),
            pair("ghost.patch", "upstream/commit-unknown"),
        ]
    );

    let fixed = lint(&["--fix"]);
    assert_eq!(fixed.status.code(), Some(0), "what is left is a warning");
    let text = std::fs::read_to_string(q.join("not-yet.patch")).expect("read");
    assert!(
        text.contains(&format!(
            "Patch-mainline: v1.1\nReferences: bsc#1\nGit-commit: {}\n",
            commits.0
        )),
        "{text}"
    );
    let early = std::fs::read_to_string(q.join("early.patch")).expect("read");
    assert!(early.contains("Patch-mainline: v1.1\n"), "{early}");
    assert_eq!(
        rules_of(&lint(&[])),
        vec![pair("ghost.patch", "upstream/commit-unknown")]
    );

    let at_rev = kdelta(&[
        "lint",
        &format!("{}@HEAD", repo.display()),
        "--fix",
        "--convention",
        "suse",
    ]);
    assert_eq!(at_rev.status.code(), Some(2), "--fix needs a directory");
}

#[test]
fn changed_since_keeps_the_files_that_differ_from_the_revision() {
    let dir = tempfile::tempdir().expect("temp dir");
    queue(dir.path());
    git(dir.path(), &["init", "-q", "-b", "main"]);
    commit(dir.path(), "packaging");
    let spec = dir.path().join("debian/patches");
    let spec = spec.to_str().expect("utf-8");
    let lint = || {
        rules_of(&kdelta(&[
            "lint",
            spec,
            "--format",
            "json",
            "--changed-since",
            "HEAD",
        ]))
    };
    assert_eq!(lint(), vec![], "nothing changed since HEAD");
    let good = dir.path().join("debian/patches/good.patch");
    let text = std::fs::read_to_string(&good).expect("read");
    std::fs::write(&good, text.replace("2026-12-07", "someday")).expect("write");
    let good_finding = vec![(
        "good.patch".to_string(),
        "dep3/last-update-date".to_string(),
    )];
    assert_eq!(lint(), good_finding);

    // Read as REPO@REV:SUBDIR against the commit before: a missing patch is the change's when
    // the series gained it, and not when both revisions have it.
    std::fs::write(&good, &text).expect("write");
    let series = dir.path().join("debian/patches/series");
    std::fs::write(&series, "good.patch\nbad.patch\ngone.patch\n").expect("write");
    commit(dir.path(), "a missing patch");
    let at = format!("{}@HEAD:debian/patches", dir.path().display());
    let since = |rev: &str| rules_of(&kdelta(&["lint", &at, "--json", "--changed-since", rev]));
    assert_eq!(
        since("HEAD~1"),
        vec![("gone.patch".to_string(), "queue/patch".to_string())]
    );
    std::fs::write(&good, text.replace("2026-12-07", "someday")).expect("write");
    commit(dir.path(), "a bad date");
    assert_eq!(since("HEAD~1"), good_finding);
}
