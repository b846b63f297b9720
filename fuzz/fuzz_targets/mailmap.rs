//! `Mailmap::parse` must not panic on any text, nor `apply` on any address; an address the
//! text never mentions maps as an empty map maps it.
#![no_main]

use kdelta_maintainers::Mailmap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let map = Mailmap::parse(&text);
    for line in text.lines().take(8) {
        let _ = map.apply(line);
    }
    let stranger = "kdelta-fuzz-stranger@example.invalid";
    if !text.to_ascii_lowercase().contains(stranger) {
        assert_eq!(map.apply(stranger), Mailmap::parse("").apply(stranger));
    }
});
