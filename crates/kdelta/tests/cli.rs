//! End-to-end tests: drive the real `kdelta` binary on queues built at test time.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::require_git;

fn kdelta(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kdelta"))
        .args(args)
        // Tree indexes go to the build's scratch space, not the user's cache.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("run kdelta")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {}", stdout(o)))
}

fn write(dir: &Path, path: &str, text: &str) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
    std::fs::write(full, text).expect("write");
}

fn git(dir: &Path, args: &[&str], date: &str) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}

const PATCH_A: &str = "From: A <a@example.org>\nSubject: [PATCH] xen: first\nGit-commit: 0123456789abcdef0123456789abcdef01234567\nPatch-mainline: v3.14\n\n--- a/drivers/xen/a.c\n+++ b/drivers/xen/a.c\n@@ -1 +1,2 @@\n a\n+b\n";
const PATCH_B: &str = "Subject: second\n\n--- a/b.c\n+++ b/b.c\n@@ -1 +1 @@\n-x\n+y\n";

#[test]
fn demo_writes_a_queue_that_lists_every_convention() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("demo");
    let o = kdelta(&["demo", "-o", out.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = kdelta(&["queue", out.join("queue").to_str().expect("utf8"), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows = json(&o);
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[0]["name"], "patches.suse/xen-blkfront-fix-leak.patch");
    assert_eq!(rows[0]["files"][0], "drivers/block/xen-blkfront.c");
    assert_eq!(rows[0]["added"], 2);
    let kinds = |row: &serde_json::Value| -> Vec<String> {
        row["refs"]
            .as_array()
            .expect("refs")
            .iter()
            .filter_map(|r| r["kind"].as_str().map(str::to_string))
            .collect()
    };
    assert!(kinds(&rows[0]).contains(&"git-commit".into()), "{rows:?}");
    assert!(
        kinds(&rows[1]).contains(&"upstream-commit".into()),
        "{rows:?}"
    );
    assert_eq!(rows[2]["name"], "patches.xen/xen3-fixup-blktap.diff");
    assert_eq!(rows[2]["guards"][0], "+xen");
    assert_eq!(
        rows[2]["files"][0], "drivers/xen/blktap/blktap.c",
        "-p1 of a diff -Nurp"
    );
    assert!(kinds(&rows[5]).contains(&"forwarded".into()), "{rows:?}");
}

/// Each demo patch, the status the analysis gives it against the demo upstream, and the kind
/// of its first evidence.
const DEMO_VERDICTS: [(&str, &str, &str); 7] = [
    (
        "patches.suse/xen-blkfront-fix-leak.patch",
        "upstream",
        "patch-id",
    ),
    (
        "patches.kernel.org/stable-fix.patch",
        "upstream",
        "patch-id",
    ),
    (
        "patches.xen/xen3-fixup-blktap.diff",
        "obsolete",
        "files-gone",
    ),
    (
        "patches.xen/xen-balloon-sysfs.patch",
        "replacement-likely",
        "symbols-upstream",
    ),
    (
        "patches.suse/xen-blkfront-allow-discard.patch",
        "needs-work",
        "tree-applies",
    ),
    (
        "patches.debian/fix-build-warning.patch",
        "in-progress",
        "in-progress-claim",
    ),
    (
        "patches.android/android-vendor-hook.patch",
        "downstream-only",
        "downstream-marker",
    ),
];

#[test]
fn demo_analyses_its_queue_against_its_upstream_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("demo");
    let o = kdelta(&["demo", "-o", out.to_str().expect("utf8"), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("queue/series.conf").is_file());
    assert!(out.join("upstream.git/HEAD").is_file());
    let report = json(&o);
    let verdicts = report["patches"].as_array().expect("array");
    assert_eq!(verdicts.len(), DEMO_VERDICTS.len(), "{verdicts:?}");
    for (v, (name, status, evidence)) in verdicts.iter().zip(DEMO_VERDICTS) {
        assert_eq!(v["name"], name, "queue order is kept");
        assert_eq!(v["machine_status"], status, "{v}");
        assert_eq!(v["evidence"][0]["kind"], evidence, "{v}");
    }
    let why = |i: usize| {
        verdicts[i]["evidence"][0]["detail"]
            .as_str()
            .expect("detail")
            .to_string()
    };
    assert!(why(0).contains("first in v3.14-rc6"), "{}", why(0));
    assert!(why(2).contains("drivers/xen/blktap/blktap.c"), "{}", why(2));
    assert!(
        why(3).contains("BALLOON_CLASS_NAME") && why(3).contains("drivers/xen/xen-balloon.c"),
        "{}",
        why(3)
    );
    assert!(
        why(5).starts_with("Forwarded: https://lore.kernel.org/"),
        "{}",
        why(5)
    );
    // The same commit ids every time: the demo's upstream is deterministic.
    let again = dir.path().join("again");
    let o = kdelta(&["demo", "-o", again.to_str().expect("utf8"), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["patches"][0]["commit"], verdicts[0]["commit"]);

    // The readable table says the same, and writing the demo again over itself changes
    // nothing.
    let o = kdelta(&["demo", "-o", out.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = stdout(&o);
    for (name, status, _) in DEMO_VERDICTS {
        let line = table
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no line for {name}: {table}"));
        assert!(line.contains(status), "{line}");
    }
    assert!(table.contains("1  replacement-likely"), "{table}");
}

#[test]
fn quilt_queue_reports_missing_entries_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "series",
        "# comment\na.patch\nmissing.patch\nb.patch -p1\n",
    );
    write(dir.path(), "a.patch", PATCH_A);
    write(dir.path(), "b.patch", PATCH_B);
    write(dir.path(), "stray.patch", PATCH_B);
    let o = kdelta(&["queue", dir.path().to_str().expect("utf8"), "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let rows = json(&o);
    assert_eq!(rows.as_array().map(Vec::len), Some(3));
    assert_eq!(rows[1]["name"], "missing.patch");
    let err = stderr(&o);
    assert!(err.contains("series line 3"), "{err}");
    assert!(
        err.contains("stray.patch") && err.contains("not named by the series"),
        "{err}"
    );
}

#[test]
fn a_series_file_named_on_disk_is_read_beside_its_patches() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "q/series.conf", "\tpatches.xen/a.patch\n");
    write(dir.path(), "q/patches.xen/a.patch", PATCH_A);
    write(dir.path(), "q/series", "nothing.patch\n");
    let file = dir.path().join("q/series.conf");
    let o = kdelta(&["queue", file.to_str().expect("utf8"), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)[0]["name"], "patches.xen/a.patch");
}

#[test]
fn filters_by_name_and_by_touched_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "series", "a.patch\nb.patch\n");
    write(dir.path(), "a.patch", PATCH_A);
    write(dir.path(), "b.patch", PATCH_B);
    let spec = dir.path().to_str().expect("utf8");
    let o = kdelta(&["queue", spec, "--json", "--touching", "drivers/xen/*"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)[0]["name"], "a.patch");
    assert_eq!(json(&o).as_array().map(Vec::len), Some(1));
    let o = kdelta(&["queue", spec, "--json", "--include", "b.*"]);
    assert_eq!(json(&o)[0]["name"], "b.patch");
}

#[test]
fn malformed_and_binary_patches_are_reported_and_the_rest_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "series", "trunc.patch\nbin.patch\nb.patch\n");
    write(
        dir.path(),
        "trunc.patch",
        "Subject: t\n\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n",
    );
    std::fs::write(dir.path().join("bin.patch"), [0u8, 1, 2, 255, 254, 0, 7]).expect("write");
    write(dir.path(), "b.patch", PATCH_B);
    let o = kdelta(&["queue", dir.path().to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("trunc.patch:5: patch ends inside a hunk"),
        "{err}"
    );
    assert!(err.contains("bin.patch: not a patch"), "{err}");
    assert!(stdout(&o).contains("3 patches"), "{}", stdout(&o));
}

#[test]
fn unreadable_inputs_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("x.debian.tar.xz");
    std::fs::write(&bad, b"not xz at all").expect("write");
    let o = kdelta(&["queue", bad.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("x.debian.tar.xz"), "{}", stderr(&o));
    let o = kdelta(&["queue", "/no/such/queue"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/no/such/queue"));
}

#[test]
fn git_revisions_and_dates_are_read_without_a_checkout() {
    require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"], "2014-01-01T00:00:00Z");
    write(repo, "series.conf", "\tpatches.xen/a.patch\n");
    write(repo, "patches.xen/a.patch", PATCH_A);
    git(repo, &["add", "-A"], "2014-01-01T00:00:00Z");
    git(repo, &["commit", "-q", "-m", "one"], "2014-01-01T00:00:00Z");
    write(
        repo,
        "series.conf",
        "\tpatches.xen/a.patch\n+xen\tpatches.xen/b.patch\n",
    );
    write(repo, "patches.xen/b.patch", PATCH_B);
    git(repo, &["add", "-A"], "2014-06-01T00:00:00Z");
    git(repo, &["commit", "-q", "-m", "two"], "2014-06-01T00:00:00Z");
    write(repo, "patches.xen/a.patch", "changed in the work tree only");
    let base = repo.to_str().expect("utf8");
    let o = kdelta(&["queue", &format!("{base}@main"), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o).as_array().map(Vec::len), Some(2));
    assert_eq!(json(&o)[0]["subject"], "[PATCH] xen: first");
    let o = kdelta(&["queue", &format!("{base}@main@{{2014-03-01}}"), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o).as_array().map(Vec::len), Some(1));
    let o = kdelta(&["queue", &format!("{base}@main:patches.xen"), "--json"]);
    assert_eq!(json(&o)[0]["name"], "a.patch");
    write(
        repo,
        "pkg/kernel.spec.in",
        "Name: kernel\nPatch1: a.patch\n%prep\n%autopatch -p1\n",
    );
    write(repo, "pkg/a.patch", PATCH_A);
    git(repo, &["add", "-A"], "2014-07-01T00:00:00Z");
    git(
        repo,
        &["commit", "-q", "-m", "three"],
        "2014-07-01T00:00:00Z",
    );
    let o = kdelta(&[
        "queue",
        &format!("{base}@main:pkg/kernel.spec.in"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o).as_array().map(Vec::len), Some(1));
    assert_eq!(json(&o)[0]["name"], "a.patch");
    let o = kdelta(&["queue", &format!("{base}@main~2..main"), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = json(&o);
    let subjects: Vec<&str> = rows
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["subject"].as_str())
        .collect();
    assert_eq!(subjects, ["[PATCH] two", "[PATCH] three"]);
    assert_eq!(
        rows[0]["files"],
        serde_json::json!(["patches.xen/b.patch", "series.conf"])
    );
    assert_eq!(rows[0]["refs"][0]["kind"], "mail-from");
    let o = kdelta(&[
        "queue",
        &format!("{base}@main@{{2014-03-01}}..main"),
        "--json",
    ]);
    assert_eq!(json(&o).as_array().map(Vec::len), Some(2));
    let o = kdelta(&["queue", &format!("{base}@nosuchrev")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nosuchrev"));
}

/// A Debian source package in `dir`: `linux_1.0-1.debian.tar.gz` holding one patch, and
/// its size and SHA-256.
fn debian_tarball(dir: &Path) -> (u64, String) {
    let src = dir.join("src");
    write(&src, "debian/patches/series", "bugfix/a.patch\n");
    write(&src, "debian/patches/bugfix/a.patch", PATCH_A);
    write(&src, "debian/rules", "#!/usr/bin/make -f\n");
    let tarball = dir.join("linux_1.0-1.debian.tar.gz");
    let status = Command::new("tar")
        .args([
            "czf",
            tarball.to_str().expect("utf8"),
            "-C",
            src.to_str().expect("utf8"),
            "debian",
        ])
        .status()
        .expect("tar is a prerequisite of the tests");
    assert!(status.success());
    let sum = Command::new("sha256sum")
        .arg(&tarball)
        .output()
        .expect("sha256sum");
    let sha = String::from_utf8_lossy(&sum.stdout)
        .split_whitespace()
        .next()
        .expect("a digest")
        .to_string();
    (std::fs::metadata(&tarball).expect("tarball").len(), sha)
}

fn dsc_naming(debian: &str, size: u64, sha: &str) -> String {
    let md5 = "0".repeat(32);
    format!("Format: 3.0 (quilt)\nSource: linux\nVersion: 1.0-1\nChecksums-Sha256:\n {sha} {size} {debian}\nFiles:\n {md5} {size} {debian}\n")
}

#[test]
fn debian_source_package_from_dsc() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (size, sha) = debian_tarball(dir.path());
    let dsc = dir.path().join("linux_1.0-1.dsc");
    let queue = |text: String| {
        std::fs::write(&dsc, text).expect("write");
        kdelta(&["queue", dsc.to_str().expect("utf8"), "--json"])
    };
    let o = queue(dsc_naming("linux_1.0-1.debian.tar.gz", size, &sha));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)[0]["name"], "bugfix/a.patch");

    // A tarball that is not the one the .dsc lists is refused, naming it.
    let o = queue(dsc_naming("linux_1.0-1.debian.tar.gz", size + 1, &sha));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("linux_1.0-1.debian.tar.gz is"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("bytes, the .dsc says"),
        "{}",
        stderr(&o)
    );
    let o = queue(dsc_naming(
        "linux_1.0-1.debian.tar.gz",
        size,
        &"1".repeat(64),
    ));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("does not match the .dsc's"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_dsc_naming_a_file_outside_its_directory_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inner = dir.path().join("inner");
    std::fs::create_dir(&inner).expect("dir");
    let (size, sha) = debian_tarball(dir.path());
    let outside = dir.path().join("linux_1.0-1.debian.tar.gz");
    for name in [
        "../linux_1.0-1.debian.tar.gz".to_string(),
        outside.display().to_string(),
    ] {
        let dsc = inner.join("linux_1.0-1.dsc");
        std::fs::write(&dsc, dsc_naming(&name, size, &sha)).expect("write");
        let o = kdelta(&["queue", dsc.to_str().expect("utf8"), "--json"]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("not a file name next to the .dsc"),
            "{name}: {}",
            stderr(&o)
        );
        assert!(stdout(&o).is_empty(), "nothing read: {}", stdout(&o));
    }
}

#[test]
fn escape_sequences_in_patches_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "series", "ok.patch\nbad\u{1b}[31mname.patch\n");
    write(
        dir.path(),
        "ok.patch",
        "Subject: \u{1b}]0;pwned\u{7}evil \u{1b}[2J clear\n\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n",
    );
    let q = dir.path().to_str().expect("utf8");
    for args in [vec!["queue", q], vec!["analyze", q]] {
        let o = kdelta(&args);
        for (name, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
            assert!(
                !bytes.iter().any(|&b| b == 0x1b || b == 0x07),
                "{args:?} {name}: {}",
                String::from_utf8_lossy(bytes)
            );
        }
        assert!(
            stderr(&o).contains("bad\\x1b[31mname.patch"),
            "{}",
            stderr(&o)
        );
    }
    let o = kdelta(&["queue", q]);
    assert!(
        stdout(&o).contains("\\x1b]0;pwned\\x07evil"),
        "{}",
        stdout(&o)
    );
    let o = kdelta(&["queue", q, "--json"]);
    assert_eq!(
        json(&o)[0]["subject"],
        "\u{1b}]0;pwned\u{7}evil \u{1b}[2J clear"
    );
}

#[test]
fn patch_id_matches_git() {
    require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let patch = dir.path().join("p.patch");
    let text = format!("{PATCH_A}diff --git a/c.c b/c.c\nindex 1111111..2222222 100644\n--- a/c.c\n+++ b/c.c\n@@ -1 +1 @@\n-x\n+y\n");
    std::fs::write(&patch, text).expect("write");
    let ours = kdelta(&["patch-id", patch.to_str().expect("utf8")]);
    let theirs = Command::new("sh")
        .arg("-c")
        .arg(format!("git patch-id --stable < '{}'", patch.display()))
        .output()
        .expect("git patch-id");
    assert!(ours.status.success());
    assert_eq!(stdout(&ours), String::from_utf8_lossy(&theirs.stdout));
    assert!(!stdout(&ours).is_empty());
}

#[test]
fn annotate_tells_an_ambiguous_name_from_a_missing_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let patch = "Subject: s\n\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n";
    write(dir.path(), "x/b.patch", patch);
    write(dir.path(), "y/b.patch", patch);
    write(dir.path(), "series", "x/b.patch\ny/b.patch\n");
    let queue = dir.path().to_str().expect("utf8");
    let notes = dir.path().join("notes.toml");
    let notes = notes.to_str().expect("utf8");
    let annotate = |name: &str| {
        kdelta(&[
            "annotate",
            queue,
            name,
            "--annotations",
            notes,
            "--note",
            "n",
            "--by",
            "t",
        ])
    };
    let o = annotate("b.patch");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("\"b.patch\" names 2 patches: x/b.patch, y/b.patch"),
        "{}",
        stderr(&o)
    );
    let o = annotate("c.patch");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no patch named \"c.patch\""),
        "{}",
        stderr(&o)
    );
    let o = annotate("x/b.patch");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
