//! The .dsc parser must not panic; the tarball helpers name listed files.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dsc = kdelta_queue::dsc::parse(data);
    for name in [dsc.debian_tarball(), dsc.orig_tarball(), dsc.debian_diff()]
        .into_iter()
        .flatten()
    {
        assert!(dsc.files.iter().any(|f| f.name == name));
    }
});
