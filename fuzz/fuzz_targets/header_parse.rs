//! `parse_header` must not panic on any input, and line numbers are only where the text
//! starts: parsing the same text as if it began 10 lines further down gives the same facts,
//! with every field, trailer, reference and problem 10 lines further down.
#![no_main]

use kdelta_patch::header::{parse_header, MAX_FIELD};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (header, problems) = parse_header(data, 1);
    let lines = data.split(|&b| b == b'\n').count();
    for problem in &problems {
        assert!(problem.line <= lines, "{problem:?} beyond {lines} lines");
    }
    for field in header.fields.iter().chain(&header.trailers) {
        assert!(field.line >= 1 && field.line <= lines, "{field:?}");
        assert!(
            field.value.len() <= MAX_FIELD,
            "{} bytes kept",
            field.value.len()
        );
    }

    let (moved, moved_problems) = parse_header(data, 11);
    assert_eq!(header.subject, moved.subject);
    assert_eq!(header.author, moved.author);
    assert_eq!(header.description, moved.description);
    assert_eq!(header.mainline, moved.mainline);
    let shift = |line: usize| if line == 0 { 0 } else { line + 10 };
    let pairs = header.fields.iter().zip(&moved.fields);
    for (a, b) in pairs.chain(header.trailers.iter().zip(&moved.trailers)) {
        assert_eq!(
            (&a.name, &a.value, shift(a.line)),
            (&b.name, &b.value, b.line)
        );
    }
    assert_eq!(header.refs.len(), moved.refs.len());
    for (a, b) in header.refs.iter().zip(&moved.refs) {
        assert_eq!(
            (&a.kind, &a.text, shift(a.line)),
            (&b.kind, &b.text, b.line)
        );
    }
    assert_eq!(problems.len(), moved_problems.len());
    for (a, b) in problems.iter().zip(&moved_problems) {
        assert_eq!((shift(a.line), &a.message), (b.line, &b.message));
    }
});
