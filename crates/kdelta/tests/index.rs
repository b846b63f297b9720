//! End-to-end tests of `kdelta index` and `kdelta lookup` on a repository built at test time.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::{git, kdelta, require_git};

fn commit(dir: &Path, n: u32, file: &str, message: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    text.push_str(&format!("line {n} of {file}\n"));
    std::fs::write(&path, text).expect("write");
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

#[test]
fn index_matches_git_and_updates_incrementally() {
    require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("up");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "master"]);
    commit(&repo, 1, "drivers/xen/a.c", "xen: first");
    commit(
        &repo,
        2,
        "b.c",
        "[PATCH] b: second\n\nFixes: 0123456789ab (\"xen: first\")",
    );
    git(&repo, &["tag", "v1.0"]);
    commit(&repo, 3, "drivers/xen/a.c", "xen: third");
    git(&repo, &["mv", "b.c", "c.c"]);
    git(&repo, &["commit", "-q", "-m", "rename b to c"]);
    git(&repo, &["tag", "-a", "-m", "release", "v1.1"]);
    commit(&repo, 4, "d.c", "d: not released yet");
    let index = dir.path().join("idx.sqlite");
    let (repo_s, index_s) = (repo.to_str().expect("utf8"), index.to_str().expect("utf8"));

    let o = kdelta(&["index", repo_s, "--index", index_s, "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["new_commits"], 5);

    let ids = git(
        &repo,
        &["log", "-p", "--no-renames", "--format=commit %H", "master"],
    );
    let mut patch_id = Command::new("git")
        .args(["patch-id", "--stable"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("git patch-id");
    use std::io::Write;
    patch_id
        .stdin
        .take()
        .expect("stdin")
        .write_all(ids.as_bytes())
        .expect("feed");
    let theirs =
        String::from_utf8_lossy(&patch_id.wait_with_output().expect("wait").stdout).into_owned();
    assert_eq!(theirs.lines().count(), 5);
    for line in theirs.lines() {
        let (pid, commit) = line.split_once(' ').expect("two fields");
        let o = kdelta(&[
            "lookup", repo_s, "--index", index_s, "--commit", commit, "--json",
        ]);
        assert!(o.status.success());
        let found = json(&o);
        assert_eq!(found[0]["patch_id"], pid, "{commit}");
        let described = Command::new("git")
            .args(["describe", "--contains", "--match", "v*", commit])
            .current_dir(&repo)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        let release = described
            .split(['~', '^'])
            .next()
            .unwrap_or_default()
            .to_string();
        assert_eq!(
            found[0]["release"],
            if release.is_empty() {
                serde_json::Value::Null
            } else {
                release.into()
            }
        );
    }
    let o = kdelta(&[
        "lookup",
        repo_s,
        "--index",
        index_s,
        "--subject",
        "UPSTREAM: B:  second",
        "--json",
    ]);
    assert_eq!(json(&o)[0]["files"][0], "b.c");

    let o = kdelta(&["index", repo_s, "--index", index_s, "--json"]);
    assert_eq!(json(&o)["up_to_date"], true);
    commit(&repo, 5, "e.c", "e: fifth");
    git(&repo, &["tag", "v1.2"]);
    let o = kdelta(&["index", repo_s, "--index", index_s, "--json"]);
    assert_eq!(json(&o)["new_commits"], 1);
    assert_eq!(json(&o)["total_commits"], 6);
    let o = kdelta(&[
        "lookup",
        repo_s,
        "--index",
        index_s,
        "--subject",
        "d: not released yet",
        "--json",
    ]);
    assert_eq!(
        json(&o)[0]["release"],
        "v1.2",
        "a new tag updates first releases"
    );
    let o = kdelta(&["lookup", repo_s, "--index", index_s, "--commit", "0000"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no upstream commit in"), "{err}");
    assert!(err.contains("matches"), "{err}");
}

#[test]
fn a_partial_clone_is_indexed_with_a_warning_and_exit_code_1() {
    require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("up");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "master"]);
    commit(&repo, 1, "a.c", "a: first");
    commit(&repo, 2, "big.c", "big: a file the clone lacks");
    commit(&repo, 3, "a.c", "a: third");
    // Remove the blob of big.c, as a partial clone would leave it on its server.
    let blob = git(&repo, &["rev-parse", "master:big.c"]);
    let blob = blob.trim();
    std::fs::remove_file(repo.join(".git/objects").join(&blob[..2]).join(&blob[2..]))
        .expect("remove the blob");
    let index = dir.path().join("idx.sqlite");
    let (repo_s, index_s) = (repo.to_str().expect("utf8"), index.to_str().expect("utf8"));
    let o = kdelta(&["index", repo_s, "--index", index_s, "--json"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("1 commits of the index have no patch-id"),
        "{stderr}"
    );
    let out = json(&o);
    assert_eq!(
        (out["new_commits"].as_u64(), out["incomplete"].as_u64()),
        (Some(3), Some(1))
    );
    // The commit is still found by its subject, without a patch-id.
    let o = kdelta(&[
        "lookup",
        repo_s,
        "--index",
        index_s,
        "--subject",
        "big: a file the clone lacks",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let found = json(&o);
    assert_eq!(found[0]["patch_id"], serde_json::Value::Null, "{found}");
    // The blob is fetched again: a retry completes the index.
    assert_eq!(git(&repo, &["hash-object", "-w", "big.c"]).trim(), blob);
    let o = kdelta(&[
        "index",
        repo_s,
        "--index",
        index_s,
        "--retry-incomplete",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = json(&o);
    assert_eq!(
        (out["new_commits"].as_u64(), out["incomplete"].as_u64()),
        (Some(1), Some(0))
    );
}

#[test]
fn an_index_that_fails_at_once_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("up");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "master"]);
    commit(&repo, 1, "a.c", "a: first");
    let index = dir.path().join("out/idx.sqlite");
    let index = index.to_str().expect("utf8");
    let missing = dir.path().join("no-such-repo");
    let o = kdelta(&["index", missing.to_str().expect("utf8"), "--index", index]);
    assert_eq!(o.status.code(), Some(2));
    let o = kdelta(&[
        "index",
        repo.to_str().expect("utf8"),
        "--index",
        index,
        "--ref",
        "HEAD~50000",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("HEAD~50000: no such revision"), "{err}");
    assert!(!err.contains("delegate"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing created");
}
