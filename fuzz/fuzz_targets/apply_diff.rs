//! `apply::apply_diff` must not panic whatever the diff and the file; every hunk is counted
//! once (applied, already there, or failed).
#![no_main]

use kdelta_patch::apply::{apply_diff, CheckOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The input is a patch, then a NUL, then the file it is applied to.
    let (patch, target) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b""[..]),
    };
    let parsed = kdelta_patch::Patch::parse(patch, &Default::default());
    for file in &parsed.files {
        let out = apply_diff(file, target, &CheckOptions::default());
        assert_eq!(out.applied + out.already + out.failed, file.hunks.len());
    }
});
