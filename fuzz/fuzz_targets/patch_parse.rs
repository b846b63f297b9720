//! `Patch::parse` must not panic on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kdelta_patch::Patch::parse(data, &Default::default());
});
