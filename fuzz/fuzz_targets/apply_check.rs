//! `apply::check_file` must not panic, whatever the diff and the target: the input is a
//! diff and a target file separated by the first NUL byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (diff, target) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b""[..]),
    };
    let patch = kdelta_patch::Patch::parse(diff, &Default::default());
    for options in [
        kdelta_patch::apply::CheckOptions::default(),
        kdelta_patch::apply::CheckOptions {
            ignore_whitespace: true,
            ..Default::default()
        },
    ] {
        for file in &patch.files {
            let check = kdelta_patch::apply::check_file(file, target, &options);
            assert_eq!(check.hunks.len(), file.hunks.len());
        }
    }
});
