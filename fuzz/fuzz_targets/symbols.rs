//! `symbols::introduced` and `symbols::touched_functions` must not panic on any parsed diff,
//! and never call a name introduced that the diff's old side has: no introduced name is a
//! word (a run of letters, digits and `_`) of a removed or context line or of a hunk's
//! section. Touched functions are named in a file the diff has.
#![no_main]

use kdelta_patch::diff::LineKind;
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let patch = kdelta_patch::Patch::parse(data, &Default::default());
    let mut old_words: HashSet<&[u8]> = HashSet::new();
    for hunk in patch.files.iter().flat_map(|f| &f.hunks) {
        let old = hunk.lines.iter().filter(|l| l.kind != LineKind::Added);
        for text in old.map(|l| &l.text[..]).chain([&hunk.section[..]]) {
            let words = text.split(|&b| !(b.is_ascii_alphanumeric() || b == b'_'));
            old_words.extend(words.filter(|w| !w.is_empty()));
        }
    }
    for symbol in kdelta_patch::symbols::introduced(&patch.files) {
        assert!(
            !old_words.contains(symbol.name.as_bytes()),
            "{symbol:?} is on the old side"
        );
    }
    let paths: HashSet<String> = patch
        .files
        .iter()
        .filter_map(|f| f.path().map(|p| p.to_string()))
        .collect();
    for touched in kdelta_patch::symbols::touched_functions(&patch.files) {
        assert!(
            paths.contains(&touched.path),
            "{touched:?} in no file of the diff"
        );
    }
});
