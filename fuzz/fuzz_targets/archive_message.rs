//! `parse_message` must not panic on any mail, and what it finds must lie in the mail: the
//! counts of changed lines match the diff it parsed, a patch has a diff, a reply never has a
//! patch-id; `reply::read_prose` and `message_id_from_url` must not panic either.
#![no_main]

use kdelta_archive::{parse_message, Kind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let m = parse_message(data, "fuzz");
    assert!(!m.message_id.is_empty());
    if m.kind == Kind::Patch {
        assert!(!m.files.is_empty(), "a patch has a diff");
    }
    if m.kind == Kind::Reply {
        assert!(m.patch_id.is_none(), "a reply's quoted diff is not its patch");
    }
    assert!(m.features.windows(2).all(|w| w[0] < w[1]), "features sorted and unique");
    let _ = kdelta_archive::reply::read_prose(data, true);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kdelta_archive::reply::message_id_from_url(text);
    }
});
