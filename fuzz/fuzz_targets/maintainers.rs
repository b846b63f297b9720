//! `Maintainers::parse` must not panic, and its problems and sections must point at real
//! lines; answering files and a patch with what it parsed must not panic either.
#![no_main]

use kdelta_maintainers::Maintainers;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.split('\n').count();
    let (maintainers, problems) = Maintainers::parse(text);
    for problem in &problems {
        assert!(problem.line >= 1 && problem.line <= lines);
    }
    for section in maintainers.sections() {
        assert!(section.line() >= 1 && section.line() <= lines);
        for entry in section.entries() {
            assert!(entry.line > section.line() && entry.line <= lines);
        }
    }
    let paths = ["drivers/xen/events/events_base.c", "Makefile", "a/b.yaml"];
    let answer = maintainers.for_files(&paths, Some(text));
    assert!(answer
        .sections
        .iter()
        .all(|s| s.line >= 1 && s.line <= lines));
    let _ = answer.lines();
    let _ = maintainers.for_patch(text).lines();
});
