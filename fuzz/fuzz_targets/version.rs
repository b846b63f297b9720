//! `Version::parse` and `Version::of_makefile` must not panic; a parsed version reads back
//! as itself from its own spelling, and the order is consistent with equality.
#![no_main]

use kdelta_patch::Version;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(v) = Version::parse(&text) {
        let again = Version::parse(&v.to_string());
        assert_eq!(again.as_ref(), Some(&v), "{v}");
        assert_eq!(v.cmp(&v), std::cmp::Ordering::Equal);
    }
    let _ = Version::of_makefile(data);
});
