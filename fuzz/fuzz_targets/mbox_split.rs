//! `split_mbox` must not panic, and its ranges must lie inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for range in kdelta_patch::mail::split_mbox(data) {
        assert!(range.start <= range.end && range.end <= data.len());
    }
});
