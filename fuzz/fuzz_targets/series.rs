//! The quilt series parser must not panic; entries and problems point at real lines.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let series = kdelta_queue::series::parse(data);
    let lines = data.split(|&b| b == b'\n').count();
    for entry in &series.entries {
        assert!(entry.line >= 1 && entry.line <= lines);
        assert!(!entry.path.is_empty());
    }
    for problem in &series.problems {
        assert!(problem.line <= lines);
    }
});
