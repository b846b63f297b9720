//! The RPM spec parser must not panic; applied numbered patches are declared ones.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let spec = kdelta_queue::rpmspec::parse(data);
    for (series_entry, entry) in spec.applications() {
        if let Some(number) = entry.number {
            assert!(spec.patch(number).any(|p| p.name == series_entry.path));
        }
    }
    assert_eq!(spec.series.entries.len(), spec.entries.len());
});
