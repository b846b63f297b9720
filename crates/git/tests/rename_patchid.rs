//! The patch-id of a commit's diff with renames detected against the real `git`: for every
//! commit of a throw-away history of renames (exact, edited, with mode changes, binary,
//! among look-alikes, below the threshold, quoted names, whole directories), the worker's
//! `renamed_patch_id`, or its default id when it finds no rename, equals
//! `git show --find-renames C | git patch-id --stable`; and the default id still equals
//! git's `--no-renames` one.
#![cfg(unix)]

mod support;

use gix::ObjectId;
use kdelta_git::PatchIdWorker;
use support::{require_git, TestRepo};

/// `n` numbered lines tagged `tag`.
fn lines(n: usize, tag: &str) -> String {
    (1..=n).map(|i| format!("line {i} of {tag}\n")).collect()
}

/// `text` with every `every`th line changed.
fn edited(text: &str, every: usize) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i % every == 0 {
                format!("{l} (edited)\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

/// Move `from` to `to` in the work tree (directories made as needed).
fn mv(r: &TestRepo, from: &str, to: &str) {
    let to = r.path.join(to);
    std::fs::create_dir_all(to.parent().expect("a parent")).expect("mkdir");
    std::fs::rename(r.path.join(from), to).expect("rename");
}

/// A history of renames, and the commits whose renamed id differs from the default.
fn build() -> (TestRepo, Vec<String>) {
    let mut r = TestRepo::new();
    let mut renamed = Vec::new();
    r.write("a.c", lines(60, "a").as_bytes());
    r.write("b.c", lines(60, "b").as_bytes());
    r.write("twin1.h", lines(20, "twin").as_bytes());
    r.write("dir/twin1.h", lines(20, "twin").as_bytes());
    r.write("tool.sh", b"#!/bin/sh\necho tool\n");
    r.write("blob.bin", &[0u8, 1, 2, 3, 4, 5, 6, 7, 8, 9].repeat(40));
    r.write(
        "crlf.txt",
        lines(30, "crlf").replace('\n', "\r\n").as_bytes(),
    );
    r.write("with space.txt", lines(10, "space").as_bytes());
    r.write("empty", b"");
    r.write("mod/x.c", lines(30, "x").as_bytes());
    r.write("mod/y.c", lines(30, "y").as_bytes());
    r.write("mod/z.c", lines(30, "z").as_bytes());
    r.write("gone.c", lines(40, "gone").as_bytes());
    r.symlink("a.c", "link");
    for name in ["A", "B", "C", "D", "E"] {
        r.write(&format!("alike/{name}.c"), lines(20, "body").as_bytes());
    }
    for (path, text) in [("t1/j1.h", "j\n"), ("t3/j3.h", "j3\n"), ("t4/j4.h", "j4\n")] {
        r.write(path, text.as_bytes());
    }
    r.write("t2/x.h", lines(20, "x").as_bytes());
    r.write("t5/x.h", lines(20, "x").as_bytes());
    r.write("p/foo.c", edited(&lines(20, "foo"), 5).as_bytes());
    r.write("p/bar.c", edited(&lines(20, "foo"), 20).as_bytes());
    r.commit("root");

    mv(&r, "a.c", "moved/a.c");
    renamed.push(r.commit("A pure rename"));

    r.remove("b.c");
    r.write("src/b2.c", edited(&lines(60, "b"), 7).as_bytes());
    renamed.push(r.commit("A rename with edits under another name"));

    r.remove("tool.sh");
    r.write("bin/tool", b"#!/bin/sh\necho tool\necho more\n");
    r.chmod("bin/tool", 0o755);
    renamed.push(r.commit("A rename with a mode change and an edit"));

    r.remove("twin1.h");
    r.remove("dir/twin1.h");
    r.write("inc/twin1.h", lines(20, "twin").as_bytes());
    r.write("inc/twin2.h", lines(20, "twin").as_bytes());
    renamed.push(r.commit("Identical files renamed: the same name pairs first"));

    let mut blob = [0u8, 1, 2, 3, 4, 5, 6, 7, 8, 9].repeat(40);
    blob.extend_from_slice(b"tail");
    r.remove("blob.bin");
    r.write("data/blob.bin", &blob);
    renamed.push(r.commit("A binary rename with a change"));

    r.remove("crlf.txt");
    r.write(
        "text/crlf.txt",
        edited(&lines(30, "crlf"), 9)
            .replace('\n', "\r\n")
            .as_bytes(),
    );
    renamed.push(r.commit("A CRLF file renamed and edited"));

    mv(&r, "with space.txt", "with more space.txt");
    r.write("moved/a.c", edited(&lines(60, "a"), 20).as_bytes());
    r.chmod("bin/tool", 0o644);
    renamed.push(r.commit("A quoted rename beside an edit and a mode-only change"));

    mv(&r, "mod", "module");
    r.write("module/y.c", edited(&lines(30, "y"), 4).as_bytes());
    renamed.push(r.commit("A directory moved, one file edited on the way"));

    r.remove("gone.c");
    r.write("unrelated.c", lines(40, "something else").as_bytes());
    r.commit("A deletion and an unrelated addition: no rename");

    mv(&r, "empty", "still-empty");
    renamed.push(r.commit("An empty file renamed"));

    mv(&r, "link", "link2");
    renamed.push(r.commit("A symlink renamed"));

    r.remove("link2");
    r.symlink("b.c", "link3");
    r.commit("A symlink renamed to another target: not a rename");

    r.remove("still-empty");
    r.write("still-empty", b"content\n");
    r.remove("with more space.txt");
    r.write("spaced.txt", edited(&lines(10, "space"), 6).as_bytes());
    renamed.push(r.commit("A rename beside a file edited in place"));

    for name in ["A", "B", "C", "D", "E"] {
        r.remove(&format!("alike/{name}.c"));
    }
    r.write("other/E.c", edited(&lines(20, "body"), 3).as_bytes());
    renamed.push(r.commit("Equal candidates: the one with the same name wins its slot"));

    for path in ["t1/j1.h", "t2/x.h", "t3/j3.h", "t4/j4.h", "t5/x.h"] {
        r.remove(path);
    }
    r.write("t/x.h", edited(&lines(20, "x"), 3).as_bytes());
    // git keeps t5/x.h in the slot of t1/j1.h (the first of the worst), before t2/x.h.
    renamed.push(r.commit("Equal scores: the matrix slots decide, as in git"));

    r.remove("p/foo.c");
    r.remove("p/bar.c");
    r.write("q/foo.c", lines(20, "foo").as_bytes());
    renamed.push(r.commit("The same unique name pairs first, at 75%, over a better score"));
    (r, renamed)
}

/// git's patch-id of `hex` with `diff_option` (`--find-renames` or `--no-renames`).
fn git_patch_id(r: &TestRepo, hex: &str, diff_option: &str) -> Option<String> {
    let show = r.git(&["show", diff_option, "--format=commit %H", hex]);
    let ids = r.git_stdin(&["patch-id", "--stable"], &show);
    String::from_utf8_lossy(&ids)
        .split(' ')
        .next()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[test]
fn renamed_patch_ids_match_git_show_with_renames() {
    require_git();
    let (r, renamed) = build();
    let repo = gix::ThreadSafeRepository::open_opts(&r.path, gix::open::Options::isolated())
        .expect("open with gix");
    let mut worker = PatchIdWorker::new(&repo);
    let list = r.git(&["rev-list", "--reverse", "main"]);
    let commits: Vec<String> = String::from_utf8_lossy(&list)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(commits.len(), 17);
    for hex in &commits {
        let id = ObjectId::from_hex(hex.as_bytes()).expect("hex id");
        let facts = worker.commit_fingerprint(id).expect("facts");
        let subject =
            String::from_utf8_lossy(&r.git(&["log", "-1", "--format=%s", hex])).into_owned();
        assert_eq!(
            facts.patch_id.map(|p| p.to_string()),
            git_patch_id(&r, hex, "--no-renames"),
            "default id of {hex} ({subject})"
        );
        let with_renames = facts.renamed_patch_id.or(facts.patch_id);
        assert_eq!(
            with_renames.map(|p| p.to_string()),
            git_patch_id(&r, hex, "--find-renames"),
            "renamed id of {hex} ({subject})"
        );
        assert_eq!(
            facts.renamed_patch_id.is_some(),
            renamed.contains(hex),
            "whether {hex} ({subject}) has renames"
        );
    }
}
