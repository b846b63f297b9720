//! The commit text the history index ranks by (`kdelta_upstream::text`) must not panic on
//! any message or changed line: a message body has no trailer lines and stays within its
//! bound, the words brought in are never more than the bound, and query tokens are what
//! the FTS5 `ascii` tokenizer would make of the text (lower-case ASCII, no separator).
#![no_main]

use kdelta_upstream::text::{message_body, tokens, ChangedWords, MAX_BODY, MAX_WORDS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let body = message_body(&text);
    assert!(body.len() <= MAX_BODY);
    assert!(!body
        .lines()
        .any(|l| l.to_ascii_lowercase().starts_with("signed-off-by:")));
    let mut words = ChangedWords::default();
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        words.line(b"drivers/x.c", i % 3 != 0, line);
    }
    assert!(words.brought_in().len() <= MAX_WORDS);
    for t in tokens(&text) {
        assert!(!t.bytes().any(|b| b.is_ascii_uppercase()));
        assert!(!t
            .bytes()
            .any(|b| b.is_ascii() && !(b.is_ascii_alphanumeric() || b == b'_')));
    }
});
