//! `PatchIdWorker` and the parallel pipeline against the real `git` on a throw-away
//! repository: every commit's patch-id computed from the objects equals
//! `git show --no-renames --format='commit %H' C | git patch-id --stable`, the changed
//! paths and line counts equal git's `--name-only` and `--numstat`, the changed lines
//! are those of git's diff, and the pipeline delivers results in input order.
//! Skipped (with a message, passing) when `git` is not installed.
#![cfg(unix)]

mod support;

use gix::ObjectId;
use kdelta_git::patchid::ChangedLines;
use kdelta_git::pipeline::{fingerprints_parallel, CommitSource, PipelineOptions};
use kdelta_git::{patch_ids_parallel, PatchIdWorker};
use support::{require_git, TestRepo};

fn lines(n: usize, tag: &str) -> String {
    (1..=n).map(|i| format!("line {i} {tag}\n")).collect()
}

const C_FILE: &str = "#include <stdio.h>\n\nstatic int helper(int x)\n{\n\treturn x + 1;\n}\n\nint main(void)\n{\n\tint a = 1;\n\tint b = 2;\n\tprintf(\"%d\\n\", helper(a + b));\n\treturn 0;\n}\n";

/// Blocks of C-like code whose insertion slides (the indent heuristic decides where).
fn functions(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("int {n}(void)\n{{\n\tif (x)\n\t\treturn 1;\n\n\treturn 0;\n}}\n\n"))
        .collect()
}

/// A history covering what git's diff output distinguishes.
fn build() -> TestRepo {
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
    r.write("funcs.c", functions(&["a", "b", "c"]).as_bytes());
    r.write("crlf.txt", b"one\r\ntwo\r\nthree\r\n");
    r.commit("root: initial import");

    // Hunks far apart, close together (merged), whitespace and CRLF changes.
    let a = lines(40, "a")
        .replace("line 2 a\n", "line 2 changed\n")
        .replace("line 9 a\n", "line 9 changed\n")
        .replace("line 16 a\n", "line 16 changed\n")
        .replace("line 30 a\n", "line 30  a\r\n");
    r.write("a.txt", a.as_bytes());
    let b = C_FILE.replace("\tint b = 2;\n", "\tint b = 3;\n\tint c = 4;\n");
    r.write("dir/b.c", b.as_bytes());
    r.write("crlf.txt", b"one\r\ntwo, changed\r\nthree\n");
    r.commit("Edit files");

    r.write("new.txt", b"brand new\n");
    r.remove("empty");
    r.write("empty2", b"");
    r.commit("Add and delete files, add an empty one");

    r.git(&["mv", "with space.txt", "renamed file.txt"]);
    r.write("renamed file.txt", b"spaced\nand renamed\n");
    r.commit("Rename a file with a space in its name");

    r.chmod("exec.sh", 0o755);
    r.commit("Mode change only");
    r.chmod("new.txt", 0o755);
    r.write("new.txt", b"brand new\nand executable\n");
    r.write("empty2", b"now with content\n");
    r.commit("Mode change with an edit, empty file filled");

    r.write("bin.dat", b"\0\x01\x02binary, changed\n");
    r.write("img.bin", &[0u8, 159, 146, 150, 0, 1]);
    r.write("a.txt", lines(41, "a").as_bytes());
    r.commit("Binary files between text files");

    // A NUL after git's 8000-byte binary probe: text, and patch-ids cut lines at NULs.
    let mut late_nul = lines(400, "padding").into_bytes();
    late_nul.extend_from_slice(b"before\0after\n");
    r.write("late-nul.txt", &late_nul);
    r.commit("Text file with a late NUL");
    late_nul.extend_from_slice(b"x\0y\n");
    r.write("late-nul.txt", &late_nul);
    r.commit("Edit after the NUL");

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
    r.commit("Quoted paths");

    // Sliders: a function inserted between equal neighbours, and a duplicated block
    // at the very start (which can slide into the common prefix).
    r.write("funcs.c", functions(&["a", "b", "x", "c"]).as_bytes());
    r.commit("Insert a function");
    r.write("funcs.c", functions(&["a", "a", "b", "x", "c"]).as_bytes());
    r.commit("Duplicate the first function");
    let mut blanks = "\n".repeat(3000);
    blanks.insert_str(1500, "middle\n");
    r.write("blanks.txt", blanks.as_bytes());
    r.commit("Many equal lines");
    let mut blanks2 = "\n".repeat(2999);
    blanks2.insert_str(10, "start\n");
    blanks2.insert_str(1400, "moved\n\n\n");
    r.write("blanks.txt", blanks2.as_bytes());
    r.commit("Equal lines edited");

    let sub = r.head();
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{sub},sub"),
    ]);
    r.time += 60;
    r.git(&["commit", "-q", "-m", "Add a submodule"]);
    let root = r.rev_parse("HEAD~10");
    r.git(&["update-index", "--cacheinfo", &format!("160000,{root},sub")]);
    r.time += 60;
    r.git(&["commit", "-q", "-m", "Move the submodule"]);
    r.git(&["update-index", "--force-remove", "sub"]);
    r.time += 60;
    r.git(&["commit", "-q", "-m", "Remove the submodule"]);

    r.remove("dir2");
    r.write("dir2", b"a file where a directory was\n");
    r.commit("Replace a directory by a file");
    r.commit("An empty commit");

    // A side branch and a merge.
    let fork = r.rev_parse("HEAD~3");
    r.git(&["checkout", "-q", "-b", "side", &fork]);
    r.write("side.txt", b"side 1\n");
    r.commit("Side 1");
    r.git(&["checkout", "-q", "main"]);
    r.time += 60;
    r.git(&["merge", "-q", "--no-ff", "-m", "Merge side", "side"]);
    r.write("a.txt", b"");
    r.commit("Truncate a.txt");
    r
}

fn all_commits(r: &TestRepo) -> Vec<String> {
    let list = r.git(&["rev-list", "--reverse", "--topo-order", "main"]);
    String::from_utf8_lossy(&list)
        .lines()
        .map(str::to_string)
        .collect()
}

fn is_merge(r: &TestRepo, hex: &str) -> bool {
    let parents = r.git(&["rev-list", "--parents", "-1", hex]);
    String::from_utf8_lossy(&parents).split_whitespace().count() > 2
}

/// git's patch-id of `hex` against its first parent (`None` when git prints none).
fn git_patch_id(r: &TestRepo, hex: &str) -> Option<String> {
    let show = r.git(&[
        "show",
        "--no-renames",
        "--diff-merges=first-parent",
        "--format=commit %H",
        hex,
    ]);
    let ids = r.git_stdin(&["patch-id", "--stable"], &show);
    let ids = String::from_utf8_lossy(&ids).into_owned();
    assert!(ids.lines().count() <= 1, "one id per commit: {ids}");
    ids.split(' ')
        .next()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn diff_args<'a>(hex: &'a str, what: &'a str) -> [&'a str; 6] {
    [
        "show",
        "--no-renames",
        "--diff-merges=first-parent",
        "--format=",
        what,
        hex,
    ]
}

/// Every changed line as git shows it (`+x` / `-x`), in git's order.
fn git_changed_lines(r: &TestRepo, hex: &str) -> Vec<Vec<u8>> {
    let diff = r.git(&diff_args(hex, "-p"));
    let mut out = Vec::new();
    let mut in_hunk = false;
    for line in diff.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b"@@ ") {
            in_hunk = true;
        } else if line.starts_with(b"diff --git ") {
            in_hunk = false;
        } else if in_hunk && (line.starts_with(b"+") || line.starts_with(b"-")) {
            out.push(line.to_vec());
        }
    }
    out
}

/// Collects changed lines as `+x` / `-x`, with a newline where git adds its marker.
#[derive(Default)]
struct Collect(Vec<Vec<u8>>);

impl ChangedLines for Collect {
    type Summary = Vec<Vec<u8>>;
    fn line(&mut self, _path: &[u8], added: bool, text: &[u8]) {
        let mut line = vec![if added { b'+' } else { b'-' }];
        line.extend_from_slice(text);
        if !text.ends_with(b"\n") {
            line.push(b'\n');
        }
        self.0.push(line);
    }
    fn finish(&mut self) -> Self::Summary {
        std::mem::take(&mut self.0)
    }
}

#[test]
fn patch_ids_and_facts_match_git() {
    require_git();
    let r = build();
    let repo = gix::ThreadSafeRepository::open_opts(&r.path, gix::open::Options::isolated())
        .expect("open with gix");
    let mut worker = PatchIdWorker::new(&repo);
    let mut with_id = 0;
    for hex in all_commits(&r) {
        let id = ObjectId::from_hex(hex.as_bytes()).expect("hex id");
        let ours = worker.commit_patch_id(id).expect("patch-id");
        assert_eq!(
            ours.map(|p| p.to_string()),
            git_patch_id(&r, &hex),
            "patch-id of {hex}"
        );
        with_id += usize::from(ours.is_some());

        let facts = worker
            .commit_fingerprint_with(id, &mut Collect::default())
            .expect("facts");
        assert_eq!(facts.patch_id, ours);
        let names = r.git(&diff_args(&hex, "--name-only"));
        let mut names: Vec<String> = String::from_utf8_lossy(&names)
            .lines()
            .map(str::to_string)
            .collect();
        names.dedup();
        let files: Vec<String> = facts.files.iter().map(|f| f.to_string()).collect();
        if !is_merge(&r, &hex) {
            // git quotes unusual names in --name-only; compare those loosely.
            let plain = |n: &String| !n.starts_with('"');
            let ours: Vec<&String> = files
                .iter()
                .filter(|f| !f.contains(['"', '\t', '\u{e9}']))
                .collect();
            let git: Vec<&String> = names.iter().filter(|n| plain(n)).collect();
            assert_eq!(ours, git, "files of {hex}");
            assert_eq!(files.len(), names.len(), "file count of {hex}");
        }
        let numstat = r.git(&diff_args(&hex, "--numstat"));
        let (mut added, mut removed) = (0, 0);
        for line in String::from_utf8_lossy(&numstat).lines() {
            let mut fields = line.split('\t');
            added += fields
                .next()
                .and_then(|f| f.parse::<u32>().ok())
                .unwrap_or(0);
            removed += fields
                .next()
                .and_then(|f| f.parse::<u32>().ok())
                .unwrap_or(0);
        }
        assert_eq!(
            (facts.added, facts.removed),
            (added, removed),
            "numstat of {hex}"
        );
        assert_eq!(
            facts.lines,
            git_changed_lines(&r, &hex),
            "changed lines of {hex}"
        );
    }
    assert!(with_id >= 25, "only {with_id} commits with a patch-id");
}

#[test]
fn pipeline_delivers_in_input_order() {
    require_git();
    let r = build();
    let repo = gix::ThreadSafeRepository::open_opts(&r.path, gix::open::Options::isolated())
        .expect("open with gix");
    let mut worker = PatchIdWorker::new(&repo);
    // Every commit three times, in a scrambled order.
    let all: Vec<ObjectId> = all_commits(&r)
        .iter()
        .map(|h| ObjectId::from_hex(h.as_bytes()).expect("hex id"))
        .collect();
    let input: Vec<ObjectId> = (0..3 * all.len())
        .map(|i| all[(i * 7 + i / all.len() * 5) % all.len()])
        .collect();
    let expected: Vec<_> = input
        .iter()
        .map(|&id| worker.commit_patch_id(id).expect("patch-id"))
        .collect();

    let mut got = Vec::new();
    patch_ids_parallel(&r.path, input.clone(), 3, |id, facts| {
        got.push((id, facts.expect("facts").patch_id));
    })
    .expect("pipeline");
    let ids: Vec<ObjectId> = got.iter().map(|g| g.0).collect();
    assert_eq!(ids, input);
    assert_eq!(got.iter().map(|g| g.1).collect::<Vec<_>>(), expected);

    // Chunks of one commit on four threads: the most reordering.
    let options = PipelineOptions {
        chunk: 1,
        ..PipelineOptions::with_threads(4)
    };
    let mut order = Vec::new();
    fingerprints_parallel(
        &r.path,
        CommitSource::List(input.clone()),
        options,
        Collect::default,
        |id, facts| {
            assert!(facts.is_ok());
            order.push(id);
        },
    )
    .expect("pipeline");
    assert_eq!(order, input);

    // The walk lists the non-merge commits, as git does.
    let head = ObjectId::from_hex(r.head().as_bytes()).expect("hex id");
    let mut walked = Vec::new();
    fingerprints_parallel(
        &r.path,
        CommitSource::NonMergesFrom(head),
        PipelineOptions::with_threads(2),
        || kdelta_git::patchid::NoLines,
        |id, facts| {
            assert!(facts.is_ok());
            walked.push(id.to_string());
        },
    )
    .expect("walk");
    let mut git: Vec<String> =
        String::from_utf8_lossy(&r.git(&["rev-list", "--no-merges", "main"]))
            .lines()
            .map(str::to_string)
            .collect();
    assert_eq!(walked.len(), git.len());
    walked.sort();
    git.sort();
    assert_eq!(walked, git);
}

#[test]
fn missing_repository_is_an_error() {
    let missing = std::env::temp_dir().join("kdelta-no-such-repository");
    match patch_ids_parallel(&missing, Vec::new(), 2, |_, _| {}) {
        Err(kdelta_git::GitError::Open { path, .. }) => {
            assert_eq!(path, missing, "the error names the path given")
        }
        other => panic!("expected Open naming {}, got {other:?}", missing.display()),
    }
}
