//! `apply::apply_diff` and `apply::patch_file` must not panic whatever the diff and the
//! file; `apply_diff` counts every hunk once (applied, already there, or failed), and
//! `patch_file` says how each hunk went, and leaves the file as it was when none applied.
#![no_main]

use kdelta_patch::apply::{apply_diff, patch_file, CheckOptions, PatchOptions};
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
        for max_fuzz in [0, 2] {
            for ignore_whitespace in [false, true] {
                let options = PatchOptions {
                    max_fuzz,
                    ignore_whitespace,
                };
                let out = patch_file(file, Some(target), &options);
                assert_eq!(out.hunks.len(), file.hunks.len());
                if out.hunks.iter().all(|h| !h.applied()) && target.ends_with(b"\n") {
                    assert_eq!(out.bytes, target);
                }
            }
        }
    }
});
