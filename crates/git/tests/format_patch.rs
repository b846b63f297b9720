//! `format_patch` and `range_commits` against the real `git` on a throw-away repository
//! whose history covers the cases git's diff output distinguishes: edits, additions,
//! deletions, renames, mode and type changes, binary and empty files, symlinks,
//! submodules, missing newlines at EOF, quoted paths, merges and a root commit.
//! Skipped (with a message, passing) when `git` is not installed.
#![cfg(unix)]

mod support;

use kdelta_git::{format_patch, range_commits, PatchFormatter};
use kdelta_patch::patchid::stable_patch_ids;
use support::{require_git, TestRepo};

fn lines(n: usize, tag: &str) -> String {
    (1..=n).map(|i| format!("line {i} {tag}\n")).collect()
}

const C_FILE: &str = "#include <stdio.h>\n\nstatic int helper(int x)\n{\n\treturn x + 1;\n}\n\nint main(void)\n{\n\tint a = 1;\n\tint b = 2;\n\tprintf(\"%d\\n\", helper(a + b));\n\treturn 0;\n}\n";

/// The history; returns the repository, the commit that starts the side branch and the
/// side branch's tip.
fn build() -> (TestRepo, String, String) {
    let mut r = TestRepo::new();
    r.write("a.txt", lines(40, "a").as_bytes());
    r.write("dir/b.c", C_FILE.as_bytes());
    r.write("empty", b"");
    r.write("no-eol", b"x");
    r.write("bin.dat", b"\0\x01\x02binary\n");
    r.write("with space.txt", b"spaced\n");
    r.write("t\u{e9}st/\u{fc}.txt", "unicod\u{e9}\n".as_bytes());
    r.write("exec.sh", b"#!/bin/sh\necho hi\n");
    r.write("q\"uote\\d\tname", b"odd name\n");
    r.write("dir2/x", b"in a directory\n");
    r.commit("root: initial import");

    // Two hunks far apart, one edit 7 lines after another (separate hunks) and one 6
    // lines after (merged), whitespace and CRLF changes.
    let mut a = lines(40, "a");
    a = a
        .replace("line 2 a\n", "line 2 changed\n")
        .replace("line 9 a\n", "line 9 changed\n");
    a = a
        .replace("line 16 a\n", "line 16 changed\n")
        .replace("line 30 a\n", "line 30  a\r\n");
    r.write("a.txt", a.as_bytes());
    r.write(
        "dir/b.c",
        C_FILE
            .replace("\tint b = 2;\n", "\tint b = 3;\n\tint c = 4;\n")
            .as_bytes(),
    );
    r.commit("Edit two files\n\nWith a body.\n\nAnd a second paragraph.   \n\n\n");

    r.write("new.txt", b"brand new\n");
    r.remove("empty");
    r.write("empty2", b"");
    r.commit("Add and delete files, add an empty one");
    let fork = r.head();

    r.git(&["mv", "with space.txt", "renamed file.txt"]);
    r.write("renamed file.txt", b"spaced\nand renamed\n");
    r.commit("Rename a file with a space in its name");

    r.chmod("exec.sh", 0o755);
    r.commit("Mode change only");
    r.chmod("new.txt", 0o755);
    r.write("new.txt", b"brand new\nand executable\n");
    r.commit("Mode change with an edit");

    r.write("bin.dat", b"\0\x01\x02binary, changed\n");
    r.write("img.bin", &[0u8, 159, 146, 150, 0, 1]);
    r.commit("Binary files: modify one, add one");

    r.symlink("a.txt", "link");
    r.commit("Add a symlink");
    r.symlink("dir/b.c", "link");
    r.commit("Retarget the symlink");
    r.remove("link");
    r.write("link", b"now a regular file\n");
    r.symlink("no-eol", "exec.sh");
    r.commit("Type changes: symlink to file and file to symlink");

    r.write("no-eol", b"y");
    r.commit("Change a line without newline");
    r.write("no-eol", b"y\n");
    r.commit("Add the missing newline");
    r.write("t\u{e9}st/\u{fc}.txt", "unicod\u{e9}, edited\n".as_bytes());
    r.write("q\"uote\\d\tname", b"odd name, edited\n");
    r.commit_with(
        "\u{dc}nicode subject: a fairly long one that needs folding over several lines of encoded words",
        &[("GIT_AUTHOR_NAME", "J\u{fc}rgen M\u{fc}ller")],
    );

    let sub = r.head();
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{sub},sub"),
    ]);
    r.time += 60;
    r.git(&["commit", "-q", "-m", "Add a submodule"]);
    r.git(&["update-index", "--cacheinfo", &format!("160000,{fork},sub")]);
    r.time += 60;
    r.git(&["commit", "-q", "-m", "Move the submodule"]);

    r.remove("dir2");
    r.write("dir2", b"a file where a directory was\n");
    r.commit_with(
        "Replace a directory by a file, with a long author name and a subject that is long enough to be wrapped",
        &[("GIT_AUTHOR_NAME", "Averyveryverylong Name With Many Parts, Jr. (The Third of That Name)")],
    );
    r.commit("An empty commit");
    let main_before_merge = r.head();

    // A side branch from `fork`, with dates interleaved with main's, then a merge.
    r.git(&["checkout", "-q", "-b", "side", &fork]);
    r.time -= 600;
    r.write("side.txt", b"side 1\n");
    r.commit("Side 1");
    r.time += 400;
    r.write("side.txt", b"side 1\nside 2\n");
    r.commit("Side 2");
    let side = r.head();
    r.git(&["checkout", "-q", "main"]);
    r.time += 300;
    r.git(&["merge", "-q", "--no-ff", "-m", "Merge side", "side"]);
    assert_ne!(r.head(), main_before_merge);

    // A commit dated before its parent (clock skew), then a normal one.
    r.time -= 100_000;
    r.write("a.txt", lines(41, "a").as_bytes());
    r.commit("Skewed commit: rewrite a.txt");
    r.time += 200_000;
    r.write("a.txt", b"");
    r.commit("Truncate a.txt");
    (r, fork, side)
}

fn git_patch_ids(r: &TestRepo, commit: &str) -> Vec<String> {
    let show = r.git(&[
        "show",
        "--no-renames",
        "--diff-merges=first-parent",
        "--format=commit %H",
        commit,
    ]);
    let ids = r.git_stdin(&["patch-id", "--stable"], &show);
    String::from_utf8_lossy(&ids)
        .lines()
        .filter_map(|l| l.split(' ').next().map(str::to_string))
        .collect()
}

#[test]
fn patches_match_git() {
    require_git();
    let (r, _, _) = build();
    let repo = r.open();
    let all = String::from_utf8_lossy(&r.git(&["rev-list", "--reverse", "--topo-order", "main"]))
        .into_owned();
    let mut formatter = PatchFormatter::new(&repo);
    let mut checked = 0;
    for hex in all.lines() {
        let id = gix::ObjectId::from_hex(hex.as_bytes()).expect("hex id");
        let patch = formatter.format(id).expect("format_patch");
        assert_eq!(patch.commit, id);
        let ours: Vec<String> = stable_patch_ids(&patch.text)
            .iter()
            .map(|l| l.patch_id.to_string())
            .collect();
        assert_eq!(
            ours,
            git_patch_ids(&r, hex),
            "patch-id of {hex}:\n{}",
            String::from_utf8_lossy(&patch.text)
        );

        let parents = r.git(&["rev-list", "--parents", "-1", hex]);
        if String::from_utf8_lossy(&parents).split_whitespace().count() > 2 {
            continue; // git format-patch does not do merges
        }
        let git = r.git(&[
            "format-patch",
            "--no-renames",
            "--stdout",
            "-1",
            "--no-stat",
            "--no-signature",
            "--no-binary",
            hex,
        ]);
        // git writes a blank line where the diffstat would be preceded by `---`.
        let git =
            String::from_utf8_lossy(&git).replacen("\n\ndiff --git ", "\n---\ndiff --git ", 1);
        assert_eq!(
            String::from_utf8_lossy(&patch.text),
            git,
            "format-patch text of {hex}"
        );
        checked += 1;
    }
    assert!(checked >= 18, "only {checked} commits compared");
    // The one-shot function renders the same.
    let head = repo.head_id().expect("HEAD").detach();
    assert_eq!(
        format_patch(&repo, head).expect("format"),
        formatter.format(head).expect("format")
    );
}

#[test]
fn ranges_match_git_rev_list() {
    require_git();
    let (r, fork, side) = build();
    let repo = r.open();
    let root = String::from_utf8_lossy(&r.git(&["rev-list", "--max-parents=0", "main"]))
        .trim()
        .to_string();
    let pairs = [
        (root.as_str(), "main"),
        (fork.as_str(), "main"),
        (side.as_str(), "main"),
        ("main", side.as_str()),
        (root.as_str(), side.as_str()),
        ("main~3", "main"),
        ("main~1", "main~1"),
        ("main~4", "main~2^2"),
        ("main~2^2", "main~2"),
    ];
    for (from, to) in pairs {
        let ours: Vec<String> = range_commits(&repo, from, to)
            .expect("range")
            .iter()
            .map(|id| id.to_string())
            .collect();
        let range = format!("{from}..{to}");
        let git =
            String::from_utf8_lossy(&r.git(&["rev-list", "--reverse", "--no-merges", &range]))
                .into_owned();
        let git: Vec<String> = git.lines().map(str::to_string).collect();
        assert_eq!(ours, git, "{range}");
    }
    assert!(range_commits(&repo, "no-such-ref", "main").is_err());
}

#[test]
fn index_lines_follow_core_abbrev() {
    require_git();
    let (r, _, _) = build();
    r.git(&["config", "core.abbrev", "12"]);
    let repo = r.open();
    let binary = r.rev_parse(":/Binary files");
    let id = gix::ObjectId::from_hex(binary.as_bytes()).expect("hex id");
    let patch = format_patch(&repo, id).expect("format_patch");
    let text = String::from_utf8_lossy(&patch.text);
    assert!(text.contains("\nindex 000000000000.."), "{text}");
    let ours: Vec<String> = stable_patch_ids(&patch.text)
        .iter()
        .map(|l| l.patch_id.to_string())
        .collect();
    assert_eq!(ours, git_patch_ids(&r, &binary));
}
