//! Every kind of archive is read, incrementally: mbox files (read again when changed),
//! Maildirs (new files read, removed ones forgotten, flags ignored), v1 inboxes; a path
//! that is no archive is refused, naming it.

mod support;

use kdelta_archive::{update, ArchiveError, ArchiveStore, IndexOptions};
use kdelta_upstream::Silent;
use std::path::Path;
use support::{diff, git, mail};

fn run(store: &mut ArchiveStore, path: &Path) -> kdelta_archive::IndexOutcome {
    update(store, &[path], &IndexOptions { threads: 2 }, &mut Silent).expect("test fixture")
}

fn one(id: &str, subject: &str) -> Vec<u8> {
    mail(
        id,
        "A <a@example.org>",
        subject,
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "",
        &diff("f.c", &["From the old line"], &["new line here"]),
    )
}

#[test]
fn mbox_files_are_split_and_read_again_when_changed() {
    let dir = tempfile::tempdir().expect("test fixture");
    let mbox = dir.path().join("list.mbox");
    let mut text = Vec::new();
    for (id, subject) in [
        ("m1@x", "[PATCH 1/2] a: one"),
        ("m2@x", "[PATCH 2/2] a: two"),
    ] {
        text.extend_from_slice(b"From a@example.org Mon Jan  1 10:00:00 2024\n");
        text.extend_from_slice(&one(id, subject));
        text.push(b'\n');
    }
    std::fs::write(&mbox, &text).expect("test fixture");
    let mut store =
        ArchiveStore::open_for_writing(&dir.path().join("a.sqlite")).expect("test fixture");
    let first = run(&mut store, &mbox);
    assert_eq!((first.messages, first.patches), (2, 2));
    assert!(run(&mut store, &mbox).up_to_date);
    let unescaped = store.by_message_id("m1@x").expect("test fixture").remove(0);
    let plain = kdelta_patch::Patch::parse(&one("m1@x", "x"), &Default::default());
    assert_eq!(unescaped.patch_id, plain.patch_id());

    text.extend_from_slice(b"From a@example.org Mon Jan  1 10:00:00 2024\n");
    text.extend_from_slice(&one("m3@x", "[PATCH] b: three"));
    std::fs::write(&mbox, &text).expect("test fixture");
    let changed = run(&mut store, &mbox);
    assert!(changed.sources[0].reread);
    assert_eq!(
        (
            changed.sources[0].added,
            changed.sources[0].removed,
            changed.messages
        ),
        (3, 2, 3)
    );
}

#[test]
fn maildirs_read_new_files_and_forget_removed_ones() {
    let dir = tempfile::tempdir().expect("test fixture");
    let md = dir.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(md.join(sub)).expect("test fixture");
    }
    std::fs::write(md.join("new/100.a.host"), one("d1@x", "[PATCH] d: one")).expect("test fixture");
    std::fs::write(md.join("cur/101.b.host:2,S"), one("d2@x", "[PATCH] d: two"))
        .expect("test fixture");
    std::fs::write(md.join("cur/.hidden"), b"not a mail").expect("test fixture");
    let mut store =
        ArchiveStore::open_for_writing(&dir.path().join("a.sqlite")).expect("test fixture");
    assert_eq!(run(&mut store, &md).messages, 2);
    // Read by a mail client: moved to cur/ with flags. Nothing new.
    std::fs::rename(md.join("new/100.a.host"), md.join("cur/100.a.host:2,RS"))
        .expect("test fixture");
    std::fs::remove_file(md.join("cur/101.b.host:2,S")).expect("test fixture");
    let after = run(&mut store, &md);
    assert_eq!(
        (
            after.sources[0].added,
            after.sources[0].removed,
            after.messages
        ),
        (0, 1, 1)
    );
    assert_eq!(store.by_message_id("d1@x").expect("test fixture").len(), 1);
}

#[test]
fn v1_inboxes_are_read_from_their_fan_out_trees() {
    let dir = tempfile::tempdir().expect("test fixture");
    let repo = dir.path().join("v1.git");
    std::fs::create_dir_all(&repo).expect("test fixture");
    git(&repo, &["init", "-q", "--bare", "-b", "master"], None);
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut parent = String::new();
    for (i, id) in ["v1a@x", "v1b@x"].iter().enumerate() {
        let blob = git(
            &repo,
            &["hash-object", "-w", "--stdin"],
            Some(&one(id, "[PATCH] v: x")),
        );
        entries.push((format!("{:02x}", 0x10 + i), blob));
        let mut top = String::new();
        for (fan, blob) in &entries {
            let sub = git(
                &repo,
                &["mktree"],
                Some(format!("100644 blob {blob}\t{:038}\n", 7).as_bytes()),
            );
            top.push_str(&format!("040000 tree {sub}\t{fan}\n"));
        }
        let tree = git(&repo, &["mktree"], Some(top.as_bytes()));
        let mut args = vec!["commit-tree", tree.as_str(), "-m", "m"];
        if !parent.is_empty() {
            args.extend(["-p", parent.as_str()]);
        }
        parent = git(&repo, &args, None);
        git(&repo, &["update-ref", "refs/heads/master", &parent], None);
    }
    let mut store =
        ArchiveStore::open_for_writing(&dir.path().join("a.sqlite")).expect("test fixture");
    let outcome = run(&mut store, &repo);
    assert_eq!(outcome.sources[0].kind.as_str(), "public-inbox-v1");
    assert_eq!(outcome.messages, 2, "each commit's new file is read once");
}

#[test]
fn a_path_that_is_no_archive_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("test fixture");
    let plain = dir.path().join("plain");
    std::fs::create_dir_all(&plain).expect("test fixture");
    let mut store =
        ArchiveStore::open_for_writing(&dir.path().join("a.sqlite")).expect("test fixture");
    let err = update(
        &mut store,
        &[plain.as_path()],
        &IndexOptions::default(),
        &mut Silent,
    )
    .expect_err("not an archive");
    assert!(matches!(err, ArchiveError::NotAnArchive { .. }));
    assert!(err.to_string().contains("plain"), "{err}");
    let missing = dir.path().join("missing");
    let err = update(
        &mut store,
        &[missing.as_path()],
        &IndexOptions::default(),
        &mut Silent,
    )
    .expect_err("not an archive");
    assert!(err.to_string().contains("missing"), "{err}");
}

#[test]
fn an_index_of_an_older_format_is_refused_for_reading_and_read_again_when_written() {
    let dir = tempfile::tempdir().expect("test fixture");
    let mbox = dir.path().join("list.mbox");
    let mut text = b"From a@example.org Mon Jan  1 10:00:00 2024\n".to_vec();
    text.extend_from_slice(&one("m1@x", "[PATCH] a: one"));
    std::fs::write(&mbox, &text).expect("test fixture");
    let index = dir.path().join("a.sqlite");
    let mut store = ArchiveStore::open_for_writing(&index).expect("test fixture");
    assert_eq!(run(&mut store, &mbox).messages, 1);
    drop(store);
    // Back to format 1, as an older kdelta left it: no `applier`, the mbox marked as read.
    let conn = rusqlite::Connection::open(&index).expect("test fixture");
    conn.execute_batch("ALTER TABLE applied DROP COLUMN applier; PRAGMA user_version = 1;")
        .expect("test fixture");
    drop(conn);

    let err = ArchiveStore::open_for_reading(&index)
        .err()
        .expect("an older index is refused");
    let text = err.to_string();
    assert!(
        text.contains("a.sqlite") && text.contains("kdelta archive index"),
        "{text}"
    );

    let mut store = ArchiveStore::open_for_writing(&index).expect("test fixture");
    assert_eq!(
        store.counts().expect("test fixture").0,
        0,
        "old mails forgotten"
    );
    let again = run(&mut store, &mbox);
    assert_eq!((again.messages, again.sources[0].added), (1, 1));
    assert!(ArchiveStore::open_for_reading(&index).is_ok());
}
