//! `stable_patch_ids` must not panic on any input, and must ignore what `git patch-id`
//! ignores: whitespace inside a line. A space put after the second byte of every line that
//! starts with ` `, `+` or `-` and a lowercase letter (so never a `---`/`+++` header, a
//! `-- ` signature or a NUL-cut line) leaves every id and commit as it was.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let ids = kdelta_patch::patchid::stable_patch_ids(data);
    let mut spaced = Vec::with_capacity(data.len() * 2);
    for line in data.split_inclusive(|&b| b == b'\n') {
        let content = matches!(line.first(), Some(b' ' | b'+' | b'-'))
            && line.get(1).is_some_and(u8::is_ascii_lowercase);
        if content {
            spaced.extend_from_slice(&line[..2]);
            spaced.push(b' ');
            spaced.extend_from_slice(&line[2..]);
        } else {
            spaced.extend_from_slice(line);
        }
    }
    let again = kdelta_patch::patchid::stable_patch_ids(&spaced);
    assert_eq!(ids, again);
});
