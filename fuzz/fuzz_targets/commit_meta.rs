//! `facts::Metadata::parse` (a commit object's author, dates, subject, body and message
//! references, as the index reads them) must not panic on any object, nor on any message
//! under a well-formed commit header; such a commit always parses, and its subject is
//! the message's first line.
#![no_main]

use kdelta_upstream::facts::Metadata;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let oid = gix::ObjectId::null(gix::hash::Kind::Sha1);
    let _ = Metadata::parse(oid, data);

    let mut commit = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
        author A U Thor <a@example.org> 1700000000 +0100\n\
        committer C O Mitter <c@example.org> 1700000100 -0230\n\n"
        .to_vec();
    commit.extend_from_slice(data);
    let meta = Metadata::parse(oid, &commit).expect("a well-formed commit parses");
    assert_eq!(meta.author_time(), 1_700_000_000);
    assert_eq!(meta.commit_time(), 1_700_000_100);
    assert!(!meta.subject().contains('\n'), "{:?}", meta.subject());
});
