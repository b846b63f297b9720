//! The date parsers of queue specs (`BRANCH@{DATE}`): `split_date_rev` and `parse_date`
//! must not panic on any text. A split gives back the text it came from; a bare day
//! `YYYY-MM-DD` means that day's last second, 86,399 s after its first.
#![no_main]

use kdelta_queue::git::{parse_date, split_date_rev};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some((base, date)) = split_date_rev(text) {
        let rebuilt = format!("{base}@{{{date}}}");
        assert!(
            rebuilt == text || (base == "HEAD" && text.starts_with("@{")),
            "{text:?} split into {base:?} and {date:?}"
        );
    }
    let _ = parse_date(text);

    // A day made of the input's bytes: its end and its start, when git's parser takes both.
    let digits: Vec<u8> = data.iter().map(|b| b'0' + b % 10).take(8).collect();
    if digits.len() == 8 {
        let d = |r: std::ops::Range<usize>| std::str::from_utf8(&digits[r]).unwrap().to_string();
        let day = format!("{}-{}-{}", d(0..4), d(4..6), d(6..8));
        if let (Some(end), Some(start)) = (
            parse_date(&day),
            parse_date(&format!("{day} 00:00:00 +0000")),
        ) {
            assert_eq!(end - start, 86_399, "{day}");
        }
    }
});
