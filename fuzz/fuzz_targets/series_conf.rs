//! The series.conf parser must not panic; entries point at real lines; guards evaluate.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let series = kdelta_queue::seriesconf::parse(data);
    let lines = data.split(|&b| b == b'\n').count();
    for entry in &series.entries {
        assert!(entry.line >= 1 && entry.line <= lines);
        assert!(!entry.path.is_empty());
        let _ = kdelta_queue::seriesconf::active(entry, &[]);
        let _ = kdelta_queue::seriesconf::active(entry, &["xen", "x86_64", "vanilla"]);
    }
});
