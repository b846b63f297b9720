//! Tests of the indexing pipeline on repositories built with the git CLI.

use super::*;
use crate::testing::require_git;
use crate::Lookup;
use kdelta_patch::PatchId;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "A")
        .env("GIT_AUTHOR_EMAIL", "a@example.org")
        .env("GIT_COMMITTER_NAME", "C")
        .env("GIT_COMMITTER_EMAIL", "c@example.org")
        .env("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z")
        .status()
        .expect("git");
    assert!(status.success(), "git {args:?}");
}

/// A repository with `n` commits on master, tagged v1 at the middle, and a merge.
fn repo(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    git(p, &["init", "-q", "-b", "master"]);
    for i in 0..n {
        std::fs::write(p.join(format!("f{}.c", i % 7)), format!("{i}\n")).expect("write");
        git(p, &["add", "-A"]);
        git(p, &["commit", "-q", "-m", &format!("change {i}")]);
        if i == n / 2 {
            git(p, &["tag", "v1"]);
        }
    }
    git(p, &["checkout", "-q", "-b", "side", "HEAD~2"]);
    std::fs::write(p.join("side.c"), "side\n").expect("write");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "side change"]);
    git(p, &["checkout", "-q", "master"]);
    git(p, &["merge", "-q", "--no-edit", "side"]);
    dir
}

#[test]
fn an_interrupted_run_is_completed_by_the_next_one() {
    require_git();
    let up = repo(30);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("idx.sqlite");
    let options = IndexOptions {
        threads: 2,
        batch: 4,
        ..IndexOptions::default()
    };
    let mut store = Store::open_for_writing(&path).expect("open");
    let first = update_index(up.path(), &mut store, &options, &mut Silent).expect("index");
    assert_eq!(
        first.new_commits, 31,
        "30 on master and one on the side branch; the merge is skipped"
    );
    // What a kill between two batches leaves: some commits written, no record of a complete run.
    store
        .conn
        .execute_batch("DELETE FROM commits WHERE id > 9; DELETE FROM meta WHERE key = 'tips';")
        .expect("sql");
    let second = update_index(up.path(), &mut store, &options, &mut Silent).expect("resume");
    assert_eq!((second.new_commits, second.total_commits), (22, 31));
    let third = update_index(up.path(), &mut store, &options, &mut Silent).expect("no-op");
    assert!(third.up_to_date);
}

#[test]
fn first_releases_follow_the_earliest_tag() {
    require_git();
    let up = repo(6);
    git(up.path(), &["tag", "v2"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open_for_writing(&dir.path().join("idx.sqlite")).expect("open");
    update_index(up.path(), &mut store, &IndexOptions::default(), &mut Silent).expect("index");
    let release = |subject: &str| {
        let found = store
            .lookup(&crate::Lookup::Subject(subject.into()))
            .expect("lookup");
        found[0].release.clone()
    };
    assert_eq!(release("change 0").as_deref(), Some("v1"));
    assert_eq!(release("change 3").as_deref(), Some("v1"));
    assert_eq!(release("change 4").as_deref(), Some("v2"));
    assert_eq!(release("side change").as_deref(), Some("v2"));
}

#[test]
fn an_update_gives_new_commits_the_same_releases_as_a_fresh_index() {
    require_git();
    let up = repo(6);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut updated = Store::open_for_writing(&dir.path().join("a.sqlite")).expect("open");
    let options = IndexOptions::default();
    update_index(up.path(), &mut updated, &options, &mut Silent).expect("index");
    for (i, tag) in [(10, None), (11, Some("v2")), (12, None)] {
        std::fs::write(up.path().join("new.c"), format!("{i}\n")).expect("write");
        git(up.path(), &["add", "-A"]);
        git(up.path(), &["commit", "-q", "-m", &format!("change {i}")]);
        if let Some(tag) = tag {
            git(up.path(), &["tag", tag]);
        }
    }
    let outcome = update_index(up.path(), &mut updated, &options, &mut Silent).expect("update");
    assert_eq!((outcome.new_commits, outcome.releases_updated), (3, 5));
    let mut fresh = Store::open_for_writing(&dir.path().join("b.sqlite")).expect("open");
    update_index(up.path(), &mut fresh, &options, &mut Silent).expect("fresh");
    let releases = |store: &Store| {
        let mut stmt = store
            .conn
            .prepare("SELECT subject, release FROM commits ORDER BY subject")
            .expect("sql");
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })
            .expect("query");
        rows.collect::<Result<Vec<_>, _>>().expect("rows")
    };
    let want = releases(&fresh);
    assert_eq!(releases(&updated), want);
    assert!(want.contains(&("change 11".to_string(), Some("v2".to_string()))));
    assert!(want.contains(&("change 12".to_string(), None)));
}

#[test]
fn the_release_pattern_is_kept_in_the_index() {
    require_git();
    let up = repo(6);
    git(up.path(), &["tag", "REL-2"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open_for_writing(&dir.path().join("idx.sqlite")).expect("open");
    let first = IndexOptions {
        release_pattern: Some("REL-*".into()),
        ..IndexOptions::default()
    };
    update_index(up.path(), &mut store, &first, &mut Silent).expect("index");
    std::fs::write(up.path().join("late.c"), "late\n").expect("write");
    git(up.path(), &["add", "-A"]);
    git(up.path(), &["commit", "-q", "-m", "late change"]);
    let later = update_index(up.path(), &mut store, &IndexOptions::default(), &mut Silent)
        .expect("update without a pattern");
    assert_eq!(later.new_commits, 1);
    let found = store
        .lookup(&crate::Lookup::Subject("change 0".into()))
        .expect("lookup");
    assert_eq!(found[0].release.as_deref(), Some("REL-2"));
}

#[test]
fn another_release_pattern_recomputes_every_release() {
    require_git();
    let up = repo(6);
    git(up.path(), &["tag", "REL-2"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open_for_writing(&dir.path().join("idx.sqlite")).expect("open");
    let with = |pattern: &str| IndexOptions {
        release_pattern: Some(pattern.into()),
        ..IndexOptions::default()
    };
    let release = |store: &Store| {
        store
            .lookup(&crate::Lookup::Subject("change 0".into()))
            .expect("lookup")[0]
            .release
            .clone()
    };
    update_index(up.path(), &mut store, &with("REL-*"), &mut Silent).expect("index");
    assert_eq!(release(&store).as_deref(), Some("REL-2"));
    update_index(up.path(), &mut store, &with("v*"), &mut Silent).expect("v*");
    assert_eq!(release(&store).as_deref(), Some("v1"));
    update_index(up.path(), &mut store, &with("REL-*"), &mut Silent).expect("back");
    assert_eq!(release(&store).as_deref(), Some("REL-2"));
}

/// The path of a loose object in the repository at `dir`.
fn loose(dir: &Path, id: &str) -> std::path::PathBuf {
    dir.join(".git/objects").join(&id[..2]).join(&id[2..])
}

fn rev_parse(dir: &Path, rev: &str) -> String {
    let out = Command::new("git")
        .args(["rev-parse", rev])
        .current_dir(dir)
        .output()
        .expect("git rev-parse");
    String::from_utf8(out.stdout)
        .expect("hex")
        .trim()
        .to_string()
}

#[test]
fn a_commit_whose_blob_is_missing_is_kept_without_patch_id() {
    require_git();
    let up = repo(10);
    // What a partial clone lacks: the blob that `change 4` wrote.
    let blob = rev_parse(up.path(), "master~6:f4.c");
    let commit = rev_parse(up.path(), "master~6");
    std::fs::remove_file(loose(up.path(), &blob)).expect("remove the blob");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open_for_writing(&dir.path().join("idx.sqlite")).expect("open");
    let options = IndexOptions {
        threads: 2,
        ..IndexOptions::default()
    };
    let outcome = update_index(up.path(), &mut store, &options, &mut Silent).expect("index");
    assert_eq!(outcome.new_commits, 11, "every commit is indexed");
    // Only the commit that added the blob needs it (no later commit changes f4.c).
    assert_eq!(outcome.incomplete, 1);
    let found = store.lookup(&Lookup::Commit(commit)).expect("lookup");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].subject, "change 4", "the metadata is kept");
    assert_eq!(found[0].patch_id, None);
    let whole = store
        .lookup(&Lookup::Subject("change 3".into()))
        .expect("lookup");
    assert!(whole[0].patch_id.is_some(), "the other commits are whole");
    // Nothing new: up to date, and the count is still told.
    let again = update_index(up.path(), &mut store, &options, &mut Silent).expect("no-op");
    assert!(again.up_to_date);
    assert_eq!(again.incomplete, 1);
    // The blob comes back (fetched); a retry fingerprints the commit and nothing else.
    let restored = Command::new("sh")
        .args(["-c", "printf '4\\n' | git hash-object -w --stdin"])
        .current_dir(up.path())
        .output()
        .expect("git hash-object");
    assert_eq!(String::from_utf8_lossy(&restored.stdout).trim(), blob);
    let retry = IndexOptions {
        retry_incomplete: true,
        ..options
    };
    let retried = update_index(up.path(), &mut store, &retry, &mut Silent).expect("retry");
    assert_eq!((retried.new_commits, retried.total_commits), (1, 11));
    assert_eq!(retried.incomplete, 0);
    let found = store
        .lookup(&Lookup::Subject("change 4".into()))
        .expect("lookup");
    assert!(found[0].patch_id.is_some());
    assert_eq!(found[0].files, ["f4.c"]);
}

#[test]
fn the_release_tag_scheme_is_the_one_most_tags_follow() {
    let xen = [
        "RELEASE-4.17.0",
        "RELEASE-4.18.0",
        "4.18.0-rc1",
        "staging-fork",
    ];
    assert_eq!(super::pick_scheme(xen.iter().copied()), "RELEASE-*");
    let linux = ["v6.11", "v6.12", "v6.12-rc1", "next-20240101"];
    assert_eq!(super::pick_scheme(linux.iter().copied()), "v*");
    let bare = ["1.0.0", "1.1.0", "latest"];
    assert_eq!(super::pick_scheme(bare.iter().copied()), "[0-9]*");
    assert_eq!(super::pick_scheme(["foo", "bar"].iter().copied()), "v*");
}

/// `git show` (renames on) and `--no-renames` of `rev`, each piped to `git patch-id --stable`.
fn patch_ids_with_and_without_renames(dir: &Path, rev: &str) -> (PatchId, PatchId) {
    let id = |rename_option: &str| {
        let show = Command::new("git")
            .args(["show", rename_option, "--format=commit %H", rev])
            .current_dir(dir)
            .output()
            .expect("git show")
            .stdout;
        let ids = kdelta_patch::patchid::stable_patch_ids(&show);
        ids.first().expect("a patch-id").patch_id
    };
    (id("--find-renames"), id("--no-renames"))
}

#[test]
fn a_commit_that_renames_files_is_found_by_either_patch_id() {
    require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    git(p, &["init", "-q", "-b", "master"]);
    let text: String = (0..40).map(|i| format!("line {i}\n")).collect();
    std::fs::write(p.join("old.c"), &text).expect("write");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "add"]);
    std::fs::create_dir(p.join("lib")).expect("mkdir");
    std::fs::remove_file(p.join("old.c")).expect("rm");
    std::fs::write(
        p.join("lib/new.c"),
        text.replace("line 7\n", "line seven\n"),
    )
    .expect("write");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "tools: move old.c to lib/new.c"]);
    let (renamed, plain) = patch_ids_with_and_without_renames(p, "HEAD");
    assert_ne!(renamed, plain, "the rename shows in the patch-id");

    let index = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open_for_writing(&index.path().join("i.sqlite")).expect("open");
    let outcome =
        update_index(p, &mut store, &IndexOptions::default(), &mut Silent).expect("index");
    assert_eq!(outcome.without_renamed_ids, 0);
    let head = rev_parse(p, "HEAD");
    for id in [renamed, plain] {
        let found = store.lookup(&Lookup::PatchId(id)).expect("lookup");
        let found: Vec<&str> = found.iter().map(|c| c.commit.as_str()).collect();
        assert_eq!(found, [head.as_str()], "by {id}");
    }
}

#[test]
fn an_index_made_before_renamed_ids_says_how_many_commits_lack_one() {
    require_git();
    let up = repo(6);
    let index = tempfile::tempdir().expect("tempdir");
    let path = index.path().join("i.sqlite");
    let mut store = Store::open_for_writing(&path).expect("open");
    update_index(up.path(), &mut store, &IndexOptions::default(), &mut Silent).expect("index");
    drop(store);
    // Back to version 4, as an index of the previous release would be.
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch("DROP TABLE renamed_ids; PRAGMA user_version = 4;")
        .expect("downgrade");
    drop(conn);
    let mut store = Store::open_for_writing(&path).expect("migrate");
    let before = store.commit_count().expect("count");
    assert!(before >= 7, "{before}");
    git(up.path(), &["commit", "-q", "--allow-empty", "-m", "after"]);
    std::fs::write(up.path().join("late.c"), "late\n").expect("write");
    git(up.path(), &["add", "-A"]);
    git(up.path(), &["commit", "-q", "-m", "late"]);
    let outcome =
        update_index(up.path(), &mut store, &IndexOptions::default(), &mut Silent).expect("index");
    assert_eq!(
        outcome.without_renamed_ids, before,
        "the commits kept from version 4"
    );
    assert!(outcome.total_commits > before);
}
