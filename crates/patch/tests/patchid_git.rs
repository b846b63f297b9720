//! `stable_patch_ids` against the real `git patch-id --stable`, on streams made by
//! `git log -p`, `git format-patch` and `git diff` from throw-away repositories, and on
//! hand-written and pseudo-random streams. Skipped (with a message) without `git`.
#![cfg(unix)]

use kdelta_patch::patchid::{stable_patch_ids, PatchIdLine, PatchIdStream};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// A `git` command isolated from the user's and the system's configuration.
fn git_command(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "A U Thor")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "C O Mitter")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .env("GIT_AUTHOR_DATE", "1112911993 +0000")
        .env("GIT_COMMITTER_DATE", "1112911993 +0000")
        .env("HOME", dir)
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_PAGER")
        .env_remove("PAGER");
    cmd
}

/// Fails the test, saying so, when git is missing: a test that cannot run must not pass.
fn require_git() {
    let ok = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "git is a prerequisite of the tests (README): it is not on PATH"
    );
}

/// What `git patch-id --stable` prints for `input`.
fn git_patch_id(dir: &Path, input: &[u8]) -> String {
    let mut child = git_command(dir)
        .args(["patch-id", "--stable"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn git patch-id");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("git patch-id");
    writer
        .join()
        .expect("writer thread")
        .expect("write to git patch-id");
    assert!(
        out.status.success(),
        "git patch-id failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn render(lines: &[PatchIdLine]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Compare ours with git's on `input`; returns how many patch-ids there were.
fn check(dir: &Path, what: &str, input: &[u8]) -> usize {
    let expected = git_patch_id(dir, input);
    let ours = stable_patch_ids(input);
    let got = render(&ours);
    if got != expected {
        let name: String = what
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let dump =
            std::env::temp_dir().join(format!("kdelta-patchid-{}-{name}", std::process::id()));
        std::fs::write(&dump, input).expect("dump input");
        panic!(
            "{what}: patch-ids differ from git's (input saved in {})\n--- git\n{expected}--- ours\n{got}",
            dump.display()
        );
    }
    // The incremental interface, fed in one piece per line, agrees too.
    let mut stream = PatchIdStream::new();
    let mut pieces = Vec::new();
    for line in input.split_inclusive(|&b| b == b'\n') {
        pieces.extend(stream.push_line(line));
    }
    pieces.extend(stream.finish());
    assert_eq!(pieces, ours, "{what}: streaming differs");
    ours.len()
}

struct Repo {
    dir: tempfile::TempDir,
    tick: u64,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repo { dir, tick: 0 };
        repo.git(&["init", "-q"]);
        repo.git(&["symbolic-ref", "HEAD", "refs/heads/main"]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> Vec<u8> {
        let out = git_command(self.path())
            .args(args)
            .output()
            .expect("run git");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    fn write(&self, name: &str, content: &[u8]) {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, content).expect("write file");
    }

    fn remove(&self, name: &str) {
        std::fs::remove_file(self.path().join(name)).expect("remove file");
    }

    fn chmod(&self, name: &str, mode: u32) {
        let path = self.path().join(name);
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    fn commit(&mut self, message: &str) {
        self.tick += 1;
        let date = format!("{} +0000", 1_112_911_993 + self.tick * 60);
        self.git(&["add", "-A"]);
        let out = git_command(self.path())
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .args([
                "commit",
                "-q",
                "--allow-empty",
                "--no-verify",
                "-m",
                message,
            ])
            .output()
            .expect("git commit");
        assert!(
            out.status.success(),
            "commit failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn merge(&mut self, branch: &str) {
        self.tick += 1;
        let date = format!("{} +0000", 1_112_911_993 + self.tick * 60);
        let out = git_command(self.path())
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .args(["merge", "-q", "--no-ff", "--no-edit", branch])
            .output()
            .expect("git merge");
        assert!(
            out.status.success(),
            "merge failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn numbered(prefix: &str, n: usize) -> String {
    (1..=n).map(|i| format!("{prefix} line {i}\n")).collect()
}

/// A repository whose history covers the kinds of change a patch can make.
fn build_history() -> Repo {
    let mut r = Repo::new();
    let mut binary: Vec<u8> = (0u8..=255).collect();
    binary.extend_from_slice(b"\0\0binary\0");

    r.write("a.txt", numbered("a", 40).as_bytes());
    r.write("b.txt", numbered("b", 10).as_bytes());
    r.write("dir/c.txt", numbered("c", 30).as_bytes());
    r.write("script.sh", b"#!/bin/sh\necho hi\n");
    r.write("bin.dat", &binary);
    r.write("copy-src.txt", numbered("copy source", 30).as_bytes());
    r.commit("initial");

    let a = numbered("a", 40).replace("a line 3\n", "a line three\n");
    r.write("a.txt", a.as_bytes());
    r.commit("plain edit\n\nA body with\ncommit 0123456789abcdef0123456789abcdef01234567 in it\nand diff words.");

    let a = a
        .replace("a line 20\n", "")
        .replace("a line 38\n", "a line 38\nnew after 38\n");
    r.write("a.txt", a.as_bytes());
    r.write("b.txt", numbered("b", 11).as_bytes());
    r.write(
        "dir/c.txt",
        numbered("c", 30)
            .replace("c line 1\n", "first\n")
            .as_bytes(),
    );
    r.commit("multiple files and hunks");

    r.write("new.txt", b"brand new\nfile\n");
    r.commit("add a file");

    r.remove("b.txt");
    r.commit("delete a file");

    std::fs::rename(r.path().join("dir/c.txt"), r.path().join("dir/d.txt")).expect("rename");
    r.commit("pure rename");

    std::fs::rename(r.path().join("dir/d.txt"), r.path().join("e.txt")).expect("rename");
    let e = numbered("c", 30)
        .replace("c line 1\n", "first\n")
        .replace("c line 15\n", "changed 15\n");
    r.write("e.txt", e.as_bytes());
    r.commit("rename with an edit");

    let copy = numbered("copy source", 30).replace("copy source line 29\n", "tweaked\n");
    r.write("copy-dst.txt", copy.as_bytes());
    r.commit("copy with an edit");

    r.chmod("script.sh", 0o755);
    r.commit("mode change only");

    r.chmod("new.txt", 0o755);
    r.write("a.txt", a.replace("a line 1\n", "a line one\n").as_bytes());
    r.commit("mode change in front of an edit");

    r.chmod("script.sh", 0o644);
    r.write("script.sh", b"#!/bin/sh\necho hello\n");
    r.commit("mode change plus edit");

    binary[3] = 0xff;
    r.write("bin.dat", &binary);
    r.commit("modify binary");

    r.write("bin2.dat", b"\0\x01\x02 second binary\0");
    r.write("new.txt", b"brand new\nfile\nafter binary\n");
    r.commit("add binary and edit text after it");

    r.remove("bin2.dat");
    r.commit("delete binary");

    r.write("empty.txt", b"");
    r.commit("add empty file");

    r.write("empty2.txt", b"");
    r.write("a.txt", a.replace("a line 5\n", "a line five\n").as_bytes());
    r.commit("add empty file and edit");

    r.remove("empty.txt");
    r.commit("remove empty file");

    std::os::unix::fs::symlink("a.txt", r.path().join("link")).expect("symlink");
    r.commit("add symlink");

    std::fs::remove_file(r.path().join("link")).expect("unlink");
    std::os::unix::fs::symlink("new.txt", r.path().join("link")).expect("symlink");
    r.commit("retarget symlink");

    let ws = a
        .replace("a line 6\n", "a  line\t6 \n")
        .replace("a line 7\n", "a line 7\r\n");
    r.write("a.txt", ws.as_bytes());
    r.commit("whitespace-only change");

    r.write("crlf.txt", b"one\r\ntwo\r\nthree\r\n");
    r.commit("crlf file");
    r.write("crlf.txt", b"one\r\n2\r\nthree\r\n");
    r.commit("crlf edit");

    r.write("nul.txt", b"text\nwith a \0 nul\nend\n");
    r.commit("file with a nul");
    r.write("nul.txt", b"text\nwith a \0 nul changed\nend\n");
    r.commit("edit line with a nul");

    r.write("noeol.txt", b"one\ntwo");
    r.commit("no newline at end");
    r.write("noeol.txt", b"one\ntwo\nthree");
    r.commit("still no newline at end");
    r.write("noeol.txt", b"one\ntwo\nthree\n");
    r.commit("newline at end again");

    r.write("with space.txt", b"spaced\n");
    r.write("caf\u{e9}.txt", "caf\u{e9}\n".as_bytes());
    r.write("quo\"te\\d.txt", b"quoted\n");
    r.write("tab\there.txt", b"tab\n");
    r.commit("special paths");
    r.write("with space.txt", b"spaced out\n");
    std::fs::rename(
        r.path().join("caf\u{e9}.txt"),
        r.path().join("na\u{ef}ve file.txt"),
    )
    .expect("rename");
    r.commit("edit and rename special paths");

    let lines: String = (1..=300)
        .map(|i| format!("    line {i} of a long file\n"))
        .collect();
    r.write("long.c", format!("int f(void)\n{{\n{lines}}}\n").as_bytes());
    r.commit("long file");
    let edited = lines
        .replace("    line 10 of", "-- line 10 of")
        .replace("    line 100 of", "diff line 100 of")
        .replace("    line 200 of", "@@ -1 +1 @@ line 200 of")
        .replace("    line 250 of", "--- line 250 of");
    r.write(
        "long.c",
        format!("int f(void)\n{{\n{edited}}}\n").as_bytes(),
    );
    r.commit("diff-like content lines");

    r.commit("empty commit");

    r.git(&["checkout", "-q", "-b", "side"]);
    r.write("side.txt", b"from the side branch\n");
    r.commit("side work");
    r.git(&["checkout", "-q", "main"]);
    r.write("main.txt", b"on main meanwhile\n");
    r.commit("main work");
    r.merge("side");

    r.write("after-merge.txt", b"after the merge\n");
    r.commit("after the merge");
    r
}

#[test]
fn log_format_patch_and_diff_streams_match_git() {
    require_git();
    let r = build_history();
    let dir = r.path();
    let fmt = "--format=commit %H";

    let non_merges = r.git(&["rev-list", "--no-merges", "--count", "HEAD"]);
    let non_merges: usize = String::from_utf8_lossy(&non_merges)
        .trim()
        .parse()
        .expect("count");

    // The stream the CLI is built for; every commit but the empty one has a diff.
    let n = check(
        dir,
        "log --no-merges",
        &r.git(&["log", "-p", "--no-merges", fmt]),
    );
    assert_eq!(n, non_merges - 1);

    let log_variants: &[&[&str]] = &[
        &["log", "-p", fmt],
        &["log", "-p", "--decorate=full", "--stat"],
        &["log", "-p", "--no-merges", "-C", "-C", fmt],
        &["log", "-p", "--no-merges", "--no-renames", fmt],
        &["log", "-p", "--no-merges", "--binary", "--full-index", fmt],
        &["log", "-p", "--no-merges", "--text", fmt],
        &["log", "-p", "--no-merges", "-U0", fmt],
        &[
            "log",
            "-p",
            "--no-merges",
            "-U12",
            "--function-context",
            fmt,
        ],
        &["log", "-p", "--no-merges", "--no-prefix", fmt],
        &[
            "log",
            "-p",
            "--no-merges",
            "--src-prefix=old/",
            "--dst-prefix=new/",
            fmt,
        ],
        &["log", "-p", "-c", fmt],
        &["log", "-p", "--no-merges", "--format=%H", "--abbrev=7"],
        &["log", "-p", "-m", "--first-parent", fmt],
        &[
            "-c",
            "core.quotepath=false",
            "log",
            "-p",
            "--no-merges",
            "--format=fuller",
        ],
    ];
    for args in log_variants {
        let n = check(dir, &args.join(" "), &r.git(args));
        assert!(n > 10, "{args:?}: only {n} patch-ids");
    }

    let patches = r.git(&["format-patch", "--stdout", "--root", "HEAD"]);
    assert_eq!(check(dir, "format-patch", &patches), non_merges - 1);
    let n = check(
        dir,
        "format-patch --no-binary",
        &r.git(&["format-patch", "--stdout", "--no-binary", "--root", "HEAD"]),
    );
    assert_eq!(n, non_merges - 1);
    check(
        dir,
        "format-patch -k --no-stat",
        &r.git(&[
            "format-patch",
            "--stdout",
            "-k",
            "--no-stat",
            "--root",
            "HEAD",
        ]),
    );

    let root = r.git(&["rev-list", "--max-parents=0", "HEAD"]);
    let root = String::from_utf8_lossy(&root).trim().to_string();
    for args in [
        vec!["diff", root.as_str(), "HEAD"],
        vec!["diff", "--binary", root.as_str(), "HEAD"],
        vec!["diff", "-M", "-C", "-C", root.as_str(), "HEAD"],
        vec!["diff", "HEAD~10", "HEAD"],
        vec!["diff", "--text", "HEAD~12", "HEAD"],
        vec!["show", "HEAD~20"],
        vec!["show", "--format=%H%n%B", "HEAD~5", "HEAD~9", "HEAD~30"],
    ] {
        let n = check(dir, &args.join(" "), &r.git(&args));
        assert!(n >= 1, "{args:?}: no patch-id");
    }

    // Plain unified diffs, made from git's by dropping the git header lines.
    let diff = r.git(&["diff", "HEAD~10", "HEAD"]);
    let plain: Vec<u8> = diff
        .split_inclusive(|&b| b == b'\n')
        .filter(|l| !l.starts_with(b"diff --git") && !l.starts_with(b"index "))
        .flatten()
        .copied()
        .collect();
    check(dir, "plain unified diff", &plain);
    let diff_u: Vec<u8> = diff
        .split_inclusive(|&b| b == b'\n')
        .flat_map(|l| -> Vec<u8> {
            if l.starts_with(b"diff --git") {
                b"diff -u old new\n".to_vec()
            } else if l.starts_with(b"index ") {
                Vec::new()
            } else {
                l.to_vec()
            }
        })
        .collect();
    assert!(check(dir, "diff -u headers", &diff_u) >= 1);
}

#[test]
fn handwritten_edge_cases_match_git() {
    require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();
    let h1 = "1111111111111111111111111111111111111111";
    let h2 = "22222222222222222222222222222222222222AA";
    let simple = "diff --git a/f b/f\nindex 1234567..89abcde 100644\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("simple", simple.into()),
        ("simple without final newline", simple.trim_end().into()),
        ("commit line only", format!("commit {h1}").into()),
        ("bare hash lines", format!("{h1}\n{simple}{h2} trailing\n{simple}").into()),
        ("upper-case hash", format!("commit {h2}\n{simple}").into()),
        ("short hash is not a commit", format!("commit 1234567\n{simple}").into()),
        ("From line", format!("From {h1} Mon Sep 17 00:00:00 2001\nSubject: x\n\n---\n{simple}-- \n2.1\n\n").into()),
        ("text after hunk", format!("commit {h1}\n{simple}junk\n{simple}\ncommit {h2}\n{simple}").into()),
        ("blank line in header ends patch", b"diff --git a/f b/f\n\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n".to_vec()),
        ("hunk too long swallows next diff", b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n-a\n+b\ndiff --git a/g b/g\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-c\n+d\n".to_vec()),
        ("negative counts", b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,0 +1,0 @@\n-a\n-b\n+c\nold mode 1\n--- x\n+y\n@@ -2 +2 @@\n-z\n+w\n".to_vec()),
        ("malformed hunk headers", b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1, +3 @@\n-a\n+b\n+c\n+d\n@@ -x +1 @@\n-q\n@@ -1,2 +x @@\n-a\n-b\ndiff --git a/g b/g\n--- a\n+++ b\n@@ -99999999999999999999,1 +1 @@\n-a\n".to_vec()),
        ("space before counts", b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ - 1 +1 @@\n-a\n+b\n@@ -1,1 + 1,2 @@\n-a\n+b\n+c\n".to_vec()),
        ("no-newline markers", b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n\\ short\n".to_vec()),
        ("nul bytes", b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\0\n\0+b\n+c\0d\n x\n".to_vec()),
        ("nul at line start in header", b"diff --git a/f b/f\n\0old mode\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n".to_vec()),
        ("vertical tab and form feed are not space", b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\x0b\x0c\n+b \t\r\n".to_vec()),
        ("binary then text", b"diff --git a/b b/b\nindex 1234567..89abcde 100644\nBinary files a/b and b/b differ\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n".to_vec()),
        ("binary last", b"diff --git a/b b/b\nnew file mode 100644\nindex 0000000..89abcde\nGIT binary patch\nliteral 3\nKcmZ?wb^rhX\n\nliteral 0\nHcmV?d00001\n\n".to_vec()),
        ("index without mode at EOF", b"diff --git a/b b/b\nindex 1234567..89abcde".to_vec()),
        ("index variants", b"diff --git a/b b/b\nindex 12345..\nBinary files differ\ndiff --git a/c b/c\nindex nodots\nold mode 100644\nindex a..b c..d\nBinary files x\n".to_vec()),
        ("index inside hunk is hashed", b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\nindex 1..2\n+b\n x\n".to_vec()),
        ("commit message with diff line", format!("commit {h1}\n\n    msg\ndiff the message\n\n{simple}").into()),
        ("header-only patch then commit", format!("commit {h1}\ndiff --git a/m b/m\nold mode 100644\nnew mode 100755\n\ncommit {h2}\ndiff --git a/m b/m\nold mode 100755\nnew mode 100644\n").into()),
        ("header-only file before a binary", b"diff --git a/m b/m\nold mode 100644\nnew mode 100755\ndiff --git a/b b/b\nindex 1234567..89abcde 100644\nBinary files a/b and b/b differ\n".to_vec()),
        ("CRLF line endings everywhere", simple.replace('\n', "\r\n").into()),
        ("diff -u style header", b"diff -u a/f b/f\n--- a/f\t2020-01-01\n+++ b/f\t2020-01-02\n@@ -1 +1 @@\n-a\n+b\n".to_vec()),
        ("plain unified diff", b"--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n".to_vec()),
        ("Index: quilt header", b"Index: f\n===================================================================\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n".to_vec()),
    ];
    let mut stream = Vec::new();
    for (what, input) in &cases {
        check(dir, what, input);
        stream.extend_from_slice(input);
        stream.push(b'\n');
    }
    check(dir, "all cases in one stream", &stream);
}

/// Pseudo-random streams built from diff-like lines, compared with git in one run each.
#[test]
fn random_streams_match_git() {
    require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let vocabulary: &[&[u8]] = &[
        b"commit 0123456789abcdef0123456789abcdef01234567\n",
        b"commit fedcba9876543210fedcba9876543210fedcba98 (tag: v1)\n",
        b"From 00112233445566778899aabbccddeeff00112233 Mon Sep 17 00:00:00 2001\n",
        b"diff --git a/x b/x\n",
        b"diff --git a/y b/y\n",
        b"diff -urN a/z b/z\n",
        b"old mode 100644\n",
        b"new mode 100755\n",
        b"new file mode 100644\n",
        b"similarity index 90%\n",
        b"rename from x\n",
        b"--- a/x\n",
        b"+++ b/x\n",
        b"--- /dev/null\n",
        b"@@ -1 +1 @@\n",
        b"@@ -1,2 +1,3 @@ context\n",
        b"@@ -0,0 +1 @@\n",
        b"@@ -3,0 +4,2 @@\n",
        b"@@ -1, +2 @@\n",
        b"@@ -5 +5,0 @@\n",
        b"-removed line\n",
        b"+added line\n",
        b"+added  with\tspace\r\n",
        b" context line\n",
        b"-\n",
        b"+\n",
        b" \n",
        b"\n",
        b"\\ No newline at end of file\n",
        b"\\ short\n",
        b"literal 12\n",
        b"zcmV\n",
        b"text of a message\n",
        b"    indented message\n",
        b"-- \n",
        b"2.47.3\n",
        b"+nul\0 inside\n",
        b"a\0b\n",
        b"\0\n",
        b"-\x0bvt\n",
        b"Signed-off-by: Someone <s@example.com>\n",
    ];
    // Binary markers only ever come right after an index line: without one, git
    // hashes whatever its uninitialised blob-id buffers hold.
    let index_binary: &[&[u8]] = &[
        b"index 1234567..89abcde 100644\nBinary files a/x and b/x differ\n",
        b"index 0000000000000000000000000000000000000000..89abcdef89abcdef89abcdef89abcdef89abcdef\nGIT binary patch\n",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut total = 0;
    for round in 0..12 {
        let mut stream = Vec::new();
        for _ in 0..3000 {
            match next(20) {
                0 => stream.extend_from_slice(index_binary[next(index_binary.len())]),
                1 => stream.extend_from_slice(b"index 1234567..89abcde 100644\n"),
                // Runs of hunk lines, which are the bulk of real diffs.
                2..=5 => {
                    for _ in 0..next(6) {
                        stream.extend_from_slice([&b"-a\n"[..], b"+b\n", b" c\n"][next(3)]);
                    }
                }
                _ => stream.extend_from_slice(vocabulary[next(vocabulary.len())]),
            }
        }
        if round % 2 == 1 {
            stream.pop();
        }
        total += check(dir.path(), &format!("random stream {round}"), &stream);
    }
    assert!(total > 100, "only {total} patch-ids in the random streams");
}
