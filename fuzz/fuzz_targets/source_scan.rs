//! The tree index's source scanner (`symbols::source`) must not panic on any file, and
//! every word it reports is a slice of the input: an identifier of four or more bytes or a
//! quoted key-like literal.
#![no_main]

use kdelta_patch::symbols::source::{scan_definitions, scan_words, SourceKind, MIN_WORD};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for kind in [
        SourceKind::C,
        SourceKind::Asm,
        SourceKind::Kconfig,
        SourceKind::Other,
    ] {
        scan_words(kind, data, &mut |w| {
            assert!(w.len() >= MIN_WORD || w.first() == Some(&b'"'), "{w:?}");
        });
        scan_definitions(kind, data, &mut |d| {
            assert!(!d.name.is_empty());
            assert!(d.line >= 1);
        });
    }
});
