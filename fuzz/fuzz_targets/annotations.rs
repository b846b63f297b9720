//! `Annotations::parse` must not panic, and its lines must lie inside the input; a file that
//! parses must stay parseable after an edit (an edit never returns `EditBroke`).
#![no_main]

use kdelta_annotations::{edit_patch, AnnotationError, Annotations, Change, PatchEdit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.split('\n').count();
    let annotations = match Annotations::parse(text, "fuzz.toml") {
        Ok(annotations) => annotations,
        Err(AnnotationError::Invalid { at, .. }) => {
            assert!(at.line >= 1 && at.line <= lines);
            return;
        }
        Err(e) => panic!("parse returned a non-parse error: {e}"),
    };
    for line in annotations.patches.values().map(|p| p.line) {
        assert!(line >= 1 && line <= lines);
    }
    for line in annotations.features.values().map(|f| f.line) {
        assert!(line >= 1 && line <= lines);
    }
    let name = annotations
        .patches
        .keys()
        .next()
        .cloned()
        .unwrap_or("new".into());
    let edit = PatchEdit {
        owner: Some(Change::Set("fuzz \"owner\"\n".into())),
        add_notes: vec!["a note".into()],
        by: "fuzz".into(),
        on: "2026-11-26".into(),
        ..Default::default()
    };
    if let Err(e @ AnnotationError::EditBroke { .. }) = edit_patch(text, "fuzz.toml", &name, &edit)
    {
        panic!("{e}");
    }
});
