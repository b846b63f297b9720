//! Tests of the index store: migrations, locking, writing and lookups.

use super::*;
use crate::record::CommitRecord;
use kdelta_patch::PatchId;

fn record(n: u8, subject: &str) -> CommitRecord {
    CommitRecord {
        oid: gix::ObjectId::from_bytes_or_panic(&[n; 20]),
        parents: vec![gix::ObjectId::from_bytes_or_panic(&[n.wrapping_add(1); 20])],
        author: "A <a@example.org>".into(),
        author_time: i64::from(n),
        commit_time: i64::from(n),
        subject: subject.into(),
        subject_norm: crate::normalize_subject(subject),
        patch_id: Some(PatchId([n; 20])),
        renamed_patch_id: None,
        added: 1,
        removed: 2,
        minhash: None,
        files: vec!["drivers/xen/a.c".into(), "b.c".into()],
        refs: Vec::new(),
        body: String::new(),
        words: Vec::new(),
        incomplete: None,
    }
}

#[test]
fn commits_are_ranked_by_their_description_and_the_names_they_bring_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("idx.sqlite");
    let mut store = Store::open_for_writing(&path).expect("open");
    assert!(store.has_text().expect("has text"));
    let mut writer = Writer::new(&mut store, 10);
    let mut a = record(1, "x86/hvm: allow nested virtualization for guests");
    a.body = "Expose the nested_virt option to the toolstack.".into();
    a.words = vec!["nested_virt".into(), "hvm_nested_enable".into()];
    let mut b = record(2, "tools/libxl: fix a leak");
    b.words = vec!["libxl_free".into()];
    let mut c = record(3, "docs: describe nested virtualization");
    c.body = "Nested virtualization is experimental.".into();
    for r in [a, b, c] {
        writer.push(r).expect("push");
    }
    writer.flush().expect("flush");
    let terms = ["nested_virt", "hvm_nested_enable", "nested", "absent"].map(String::from);
    let ranked = store.rank_by_text(&terms, 5).expect("rank");
    let rows: Vec<i64> = ranked.iter().map(|r| r.row).collect();
    let first = store.commits_by_rows(&rows[..1]).expect("rows");
    assert_eq!(
        first[0].subject,
        "x86/hvm: allow nested virtualization for guests"
    );
    assert_eq!(ranked[0].words, ["nested_virt", "hvm_nested_enable"]);
    assert_eq!(ranked.len(), 2, "the leak fix shares no word");
    assert!(ranked[0].score > ranked[1].score);
}

#[test]
fn writes_and_looks_up_by_commit_patch_id_and_subject() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("idx.sqlite");
    let mut store = Store::open_for_writing(&path).expect("open");
    let mut writer = Writer::new(&mut store, 1);
    writer
        .push(record(0xab, "[PATCH] xen: Fix it"))
        .expect("push");
    writer.push(record(0xcd, "other")).expect("push");
    writer
        .push(record(0xab, "[PATCH] xen: Fix it"))
        .expect("duplicate is ignored");
    writer.flush().expect("flush");
    assert_eq!(store.commit_count().expect("count"), 2);
    let found = store
        .lookup(&Lookup::Commit("abab".into()))
        .expect("lookup");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].files, ["b.c", "drivers/xen/a.c"]);
    assert_eq!(found[0].commit, "ab".repeat(20));
    let by_id = store
        .lookup(&Lookup::PatchId(PatchId([0xcd; 20])))
        .expect("lookup");
    assert_eq!(by_id[0].subject, "other");
    let by_subject = store
        .lookup(&Lookup::Subject("UPSTREAM: xen:  fix it".into()))
        .expect("lookup");
    assert_eq!(by_subject.len(), 1);
    assert!(store
        .lookup(&Lookup::Commit("abc".into()))
        .expect("lookup")
        .is_empty());
}

#[test]
fn a_second_writer_is_told_the_index_is_locked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("idx.sqlite");
    let _first = Store::open_for_writing(&path).expect("open");
    match Store::open_for_writing(&path) {
        Err(StoreError::Locked { path }) => assert!(path.to_string_lossy().ends_with(".lock")),
        other => panic!("expected Locked, got {:?}", other.err()),
    }
    Store::open_for_reading(&path).expect("readers are not blocked");
}

#[cfg(unix)]
#[test]
fn the_same_index_through_a_symlink_or_another_spelling_has_the_same_lock() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("real")).expect("dir");
    let path = dir.path().join("real/idx.sqlite");
    let _first = Store::open_for_writing(&path).expect("open");
    let link = dir.path().join("link.sqlite");
    std::os::unix::fs::symlink("real/idx.sqlite", &link).expect("link");
    let dir_link = dir.path().join("dirlink");
    std::os::unix::fs::symlink("real", &dir_link).expect("link");
    for other in [
        link,
        dir_link.join("idx.sqlite"),
        dir.path().join("real/../real/idx.sqlite"),
    ] {
        match Store::open_for_writing(&other) {
            Err(StoreError::Locked { path }) => {
                assert!(path.ends_with("real/idx.sqlite.lock"), "{}", path.display())
            }
            res => panic!("{}: expected Locked, got {:?}", other.display(), res.err()),
        }
    }
}

#[test]
fn a_reader_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("idx.sqlite");
    {
        let mut store = Store::open_for_writing(&path).expect("open");
        let mut w = Writer::new(&mut store, 10);
        w.push(record(1, "x")).expect("push");
        w.flush().expect("flush");
    }
    let reader = Store::open_for_reading(&path).expect("read");
    let write = reader.conn.execute("CREATE TABLE scratch (x INTEGER)", []);
    assert!(write.is_err(), "opened read-only");
    assert!(reader.commit_count().expect("count") >= 1);
    // Read as immutable (what a directory the reader cannot write falls back to).
    let uri = format!("file:{}?immutable=1", file::uri_path(&path));
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI;
    let conn = rusqlite::Connection::open_with_flags(uri, flags).expect("immutable");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM commits", [], |r| r.get(0))
        .expect("query");
    assert!(n >= 1);
}

#[test]
fn data_survives_reopening_and_newer_formats_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("idx.sqlite");
    {
        let mut store = Store::open_for_writing(&path).expect("open");
        Writer::new(&mut store, 10)
            .push(record(1, "x"))
            .expect("push");
        // Dropped without flush: nothing of the unfinished batch is kept.
    }
    {
        let mut store = reopen(&path);
        assert_eq!(store.commit_count().expect("count"), 0);
        let mut w = Writer::new(&mut store, 10);
        w.push(record(1, "x")).expect("push");
        w.flush().expect("flush");
        store.set_meta("k", "v").expect("meta");
    }
    let store = Store::open_for_reading(&path).expect("read");
    assert_eq!(store.commit_count().expect("count"), 1);
    assert_eq!(store.meta("k").expect("meta").as_deref(), Some("v"));
    drop(store);
    rusqlite::Connection::open(&path)
        .and_then(|c| c.execute_batch("PRAGMA user_version = 99"))
        .expect("bump");
    assert!(matches!(
        Store::open_for_reading(&path),
        Err(StoreError::TooNew { found: 99, .. })
    ));
}

/// Reopen for writing. Other tests of this process spawn `git`; a child between fork and
/// exec briefly holds a copy of every descriptor, our lock included, so retry a little.
fn reopen(path: &std::path::Path) -> Store {
    for _ in 0..200 {
        match Store::open_for_writing(path) {
            Err(StoreError::Locked { .. }) => {
                std::thread::sleep(std::time::Duration::from_millis(10))
            }
            other => return other.expect("reopen"),
        }
    }
    panic!("the lock was never released");
}

#[test]
fn a_version_1_index_is_emptied_to_be_fingerprinted_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.sqlite");
    {
        let mut store = Store::open_for_writing(&path).expect("open");
        let mut w = Writer::new(&mut store, 10);
        w.push(record(1, "x")).expect("push");
        w.flush().expect("flush");
        store.set_meta("tips", "abc").expect("meta");
        store
            .conn
            .execute_batch("PRAGMA user_version = 1")
            .expect("downgrade");
    }
    let store = reopen(&path);
    assert_eq!(store.commit_count().expect("count"), 0);
    assert_eq!(store.meta("tips").expect("meta"), None);
}

#[test]
fn an_index_without_text_read_as_it_is_ranks_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v3.sqlite");
    {
        let mut store = Store::open_for_writing(&path).expect("open");
        let mut w = Writer::new(&mut store, 10);
        w.push(record(1, "x86: nested virtualization"))
            .expect("push");
        w.flush().expect("flush");
        // What a format 3 index looks like: no text table.
        store
            .conn
            .execute_batch(
                "DROP TABLE commit_text_vocab; DROP TABLE commit_text; PRAGMA user_version = 3",
            )
            .expect("downgrade");
    }
    let store = Store::open_for_reading(&path).expect("read");
    assert!(!store.has_text().expect("has text"));
    assert_eq!(store.commit_count().expect("count"), 1, "read as it is");
}

#[test]
fn commits_are_found_by_the_postings_their_links_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("idx.sqlite");
    let mut store = Store::open_for_writing(&path).expect("open");
    let mut writer = Writer::new(&mut store, 10);
    let mut merged = record(1, "kbuild: faster rule");
    let message = "Link: https://patch.msgid.link/p2a@example.org\n";
    merged.refs = kdelta_patch::Patch::parse(
        format!("Subject: x\n\n{message}").as_bytes(),
        &Default::default(),
    )
    .header
    .refs;
    assert!(!merged.refs.is_empty(), "the Link: trailer is a reference");
    writer.push(merged).expect("push");
    writer.push(record(2, "other")).expect("push");
    writer.flush().expect("flush");
    let ids = ["p2a@example.org".to_string(), "nothing@x".to_string()];
    let found = store.commits_linking(&ids).expect("query");
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].0.as_str(), found[0].1.subject.as_str()),
        ("p2a@example.org", "kbuild: faster rule")
    );

    // An index written before the links were kept gets them from its stored references.
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("reopen");
    conn.execute_batch("DELETE FROM link_ids; DELETE FROM meta WHERE key = 'link-ids';")
        .expect("forget");
    drop(conn);
    let store = Store::open_for_writing(&path).expect("open again");
    assert_eq!(store.commits_linking(&ids).expect("query").len(), 1);
}
