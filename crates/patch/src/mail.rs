//! RFC 2822 mail pieces: mbox splitting, header fields with folded lines, MIME
//! encoded-words (RFC 2047) and mailbox normalisation.
//!
//! Everything works on bytes and never assumes UTF-8: decoded encoded-words are
//! turned into UTF-8 (UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15 and Windows-1252
//! are understood), everything else is passed through unchanged.

use crate::CommitId;
use bstr::{BString, ByteSlice};
use std::ops::Range;

/// Split an mbox into messages: the byte ranges of each message, `From ` line included.
///
/// A message starts at a `From ` line (see [`is_mbox_from_line`]) at the start of
/// the input or after a blank line. `>From ` lines and `From:` fields never start a
/// message. Text before the first `From ` line is its own message when it is not
/// blank; a non-empty input without any `From ` line is one message (a plain patch).
pub fn split_mbox(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut starts = Vec::new();
    let mut pos = 0;
    let mut after_blank = true;
    while let Some(rest) = bytes.get(pos..).filter(|r| !r.is_empty()) {
        let end = rest.find_byte(b'\n').map_or(bytes.len(), |n| pos + n);
        let line = bytes.get(pos..end).unwrap_or_default();
        if after_blank && is_mbox_from_line(line) {
            starts.push(pos);
        }
        after_blank = is_blank(line);
        pos = end + 1;
    }
    let mut ranges = Vec::with_capacity(starts.len() + 1);
    let first = starts.first().copied().unwrap_or(bytes.len());
    let lead = bytes.get(..first).unwrap_or_default();
    if (starts.is_empty() && !bytes.is_empty()) || !is_blank(lead) {
        ranges.push(0..first);
    }
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(bytes.len());
        ranges.push(start..end);
    }
    ranges
}

/// Whether `bytes` holds nothing but ASCII whitespace.
pub fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// Day names of mbox `From ` lines.
const WEEKDAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
/// Month names of mbox `From ` lines.
const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// Whether `line` is an mbox message separator: `From <sender-or-sha> <Day> <Mon> …`,
/// as git format-patch (`From <sha> Mon Sep 17 00:00:00 2001`) and classic mbox
/// (`From user@host Tue Jan  1 00:00:00 2019`) write it.
pub fn is_mbox_from_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let words: Vec<&[u8]> = rest.fields().take(16).collect();
    words.len() >= 3
        && words.windows(2).skip(1).any(|w| {
            let starts = |set: &[&[u8]], word: &[u8]| set.iter().any(|s| word.starts_with(s));
            matches!(w, [day, month] if starts(&WEEKDAYS, day) && starts(&MONTHS, month))
        })
}

/// The commit id of a git format-patch `From <sha> Mon Sep 17 00:00:00 2001` line.
pub fn mail_from_commit(line: &[u8]) -> Option<CommitId> {
    if !is_mbox_from_line(line) {
        return None;
    }
    let sha = line.get(5..)?.fields().next()?;
    CommitId::parse_bytes(sha).filter(CommitId::is_full)
}

/// Split a header line `Name: value` into its name and value (leading blanks of the
/// value removed). The name must start the line and be letters, digits, `-` or `_`;
/// a `scheme://` URL is not a field.
pub fn split_field(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = line.iter().take(80).position(|&b| b == b':')?;
    let (name, rest) = line.split_at(colon);
    let valid = name.first().is_some_and(u8::is_ascii_alphanumeric)
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let value = rest.get(1..).unwrap_or_default();
    if !valid || value.starts_with(b"//") {
        return None;
    }
    Some((name, value.trim_start_with(|c| c == ' ' || c == '\t')))
}

/// Whether `line` continues the field above it (a folded line): it starts with a
/// space or a tab and is not blank.
pub fn is_continuation(line: &[u8]) -> bool {
    matches!(line.first(), Some(b' ' | b'\t')) && !is_blank(line)
}

/// Unfold a field: its first value and continuation lines joined, each line break
/// with the blanks around it becoming one space; trailing blanks are removed.
pub fn unfold<'a>(first: &[u8], continuations: impl IntoIterator<Item = &'a [u8]>) -> BString {
    let mut out = BString::from(first.trim_ascii_end());
    for line in continuations {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(line);
    }
    out
}

/// Decode the RFC 2047 encoded-words (`=?UTF-8?q?J=C3=B6rg?=`, `=?iso-8859-1?B?…?=`)
/// in a header value into UTF-8. Whitespace between two adjacent encoded-words is
/// dropped. A word that cannot be decoded is kept as written and its reason is
/// returned in the second element.
pub fn decode_encoded_words(value: &[u8]) -> (BString, Vec<String>) {
    let mut out = Vec::with_capacity(value.len());
    let mut errors = Vec::new();
    let mut stops = StopCache::default();
    let mut after_word: Option<usize> = None;
    let mut i = 0;
    while let Some(&b) = value.get(i) {
        if b == b'=' && value.get(i + 1) == Some(&b'?') {
            if let Some((decoded, len)) = parse_encoded_word(value, i, &mut stops) {
                match decoded {
                    Ok(bytes) => {
                        if let Some(mark) = after_word {
                            out.truncate(mark);
                        }
                        out.extend_from_slice(&bytes);
                        after_word = Some(out.len());
                        i += len;
                        continue;
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
        if !b.is_ascii_whitespace() {
            after_word = None;
        }
        out.push(b);
        i += 1;
    }
    (BString::from(out), errors)
}

/// Remembers where the last search for the end of an encoded-word's text stopped,
/// so that many `=?` openers in one long value do not make decoding quadratic.
#[derive(Default)]
struct StopCache {
    /// `(from, stop)`: no `?=` nor blank lies in `from..stop`, and `stop` is one.
    last: Option<(usize, usize)>,
}

impl StopCache {
    /// The first index at or after `from` holding `?=` or a blank (or the end).
    fn stop(&mut self, value: &[u8], from: usize) -> usize {
        let scan = |lo: usize, hi: usize| {
            (lo..hi).find(|&k| {
                let b = value.get(k).copied().unwrap_or(b' ');
                b.is_ascii_whitespace() || (b == b'?' && value.get(k + 1) == Some(&b'='))
            })
        };
        if let Some((lo, stop)) = self.last {
            if (lo..=stop).contains(&from) {
                return stop;
            }
            if from < lo && lo - from <= 128 {
                return scan(from, lo).unwrap_or(stop);
            }
        }
        let stop = scan(from, value.len()).unwrap_or(value.len());
        self.last = Some((from, stop));
        stop
    }
}

/// The decoded bytes of an encoded-word, or why it cannot be decoded.
type Decoded = Result<Vec<u8>, String>;

/// The encoded-word starting at `value[start]` (which holds `=?`): its decoding and
/// its length, or `None` when the bytes there are not an encoded-word at all.
fn parse_encoded_word(
    value: &[u8],
    start: usize,
    stops: &mut StopCache,
) -> Option<(Decoded, usize)> {
    let head = value.get(start + 2..)?;
    let q1 = head.iter().take(64).position(|&b| b == b'?')?;
    let charset = head.get(..q1)?;
    if charset.is_empty()
        || charset
            .iter()
            .any(|&b| b.is_ascii_whitespace() || b == b'=')
    {
        return None;
    }
    let enc = *head.get(q1 + 1)?;
    if head.get(q1 + 2) != Some(&b'?') {
        return None;
    }
    let text_start = start + 2 + q1 + 3;
    let stop = stops.stop(value, text_start);
    if value.get(stop) != Some(&b'?') || value.get(stop + 1) != Some(&b'=') {
        return None;
    }
    let text = value.get(text_start..stop)?;
    let len = stop + 2 - start;
    let word = value.get(start..start + len).unwrap_or_default();
    let bytes = match enc.to_ascii_lowercase() {
        b'q' => decode_q(text),
        b'b' => decode_base64(text),
        _ => None,
    };
    let decoded = match bytes {
        None => Err(format!("cannot decode the encoded-word {}", word.as_bstr())),
        Some(bytes) => charset_to_utf8(charset, &bytes)
            .ok_or_else(|| format!("unsupported charset in the encoded-word {}", word.as_bstr())),
    };
    Some((decoded, len))
}

/// Decode the `Q` encoding: `_` is a space, `=XX` a byte.
fn decode_q(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        match b {
            b'_' => out.push(b' '),
            b'=' => {
                let hi = hex_digit(*text.get(i + 1)?)?;
                let lo = hex_digit(*text.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    Some(out)
}

/// The value of one hex digit.
fn hex_digit(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Decode standard base64 (padding optional).
pub fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in text.trim_end_with(|c| c == '=') {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6 | u32::from(v)) & 0xff_ffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// Windows-1252 characters for bytes 0x80..=0x9F (0 where undefined).
const CP1252: [u16; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

/// ISO-8859-15 characters that differ from ISO-8859-1.
const LATIN9: [(u8, char); 8] = [
    (0xA4, '€'),
    (0xA6, 'Š'),
    (0xA8, 'š'),
    (0xB4, 'Ž'),
    (0xB8, 'ž'),
    (0xBC, 'Œ'),
    (0xBD, 'œ'),
    (0xBE, 'Ÿ'),
];

/// Convert `bytes` in `charset` to UTF-8; `None` for a charset not understood
/// (unless the bytes are plain ASCII, which every charset agrees on).
pub fn charset_to_utf8(charset: &[u8], bytes: &[u8]) -> Option<Vec<u8>> {
    let name = charset
        .split(|&b| b == b'*')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = name.as_slice();
    let one_byte = |map: &dyn Fn(u8) -> Option<char>| -> Option<Vec<u8>> {
        let s: Option<String> = bytes.iter().map(|&b| map(b)).collect();
        s.map(String::into_bytes)
    };
    match name {
        b"utf-8" | b"utf8" | b"us-ascii" | b"ascii" => Some(bytes.to_vec()),
        b"iso-8859-1" | b"iso8859-1" | b"latin1" | b"latin-1" | b"l1" => {
            one_byte(&|b| Some(char::from(b)))
        }
        b"iso-8859-15" | b"iso8859-15" | b"latin9" | b"latin-9" => one_byte(&|b| {
            Some(
                LATIN9
                    .iter()
                    .find(|(k, _)| *k == b)
                    .map_or(char::from(b), |(_, c)| *c),
            )
        }),
        b"windows-1252" | b"cp1252" => one_byte(&|b| match b {
            0x80..=0x9F => CP1252
                .get(usize::from(b - 0x80))
                .and_then(|&c| char::from_u32(u32::from(c)).filter(|_| c != 0)),
            _ => Some(char::from(b)),
        }),
        _ if bytes.is_ascii() => Some(bytes.to_vec()),
        _ => None,
    }
}

/// Normalise a mailbox to `Name <email>`: quotes around the display name are
/// removed (`"Doe, John" <j@d>` → `Doe, John <j@d>`), the old `j@d (John Doe)`
/// form is turned round, a bare `<j@d>` becomes `j@d`. Anything else is trimmed.
pub fn normalize_mailbox(value: &[u8]) -> BString {
    let value = value.trim_ascii();
    if let (Some(lt), Some(gt)) = (value.find_byte(b'<'), value.rfind_byte(b'>')) {
        if lt < gt {
            let name = unquote(value.get(..lt).unwrap_or_default().trim_ascii());
            let addr = value.get(lt + 1..gt).unwrap_or_default().trim_ascii();
            return join_mailbox(&name, addr);
        }
    }
    if let Some((addr, rest)) = value.split_once_str("(") {
        let (addr, name) = (
            addr.trim_ascii(),
            rest.strip_suffix(b")").unwrap_or(rest).trim_ascii(),
        );
        if rest.ends_with(b")") && addr.contains(&b'@') && !addr.contains(&b' ') {
            return join_mailbox(name, addr);
        }
    }
    BString::from(value)
}

/// `name <addr>`, or `addr` alone when the name is empty.
fn join_mailbox(name: &[u8], addr: &[u8]) -> BString {
    let mut out = BString::from(name);
    if !name.is_empty() {
        out.extend_from_slice(b" <");
        out.extend_from_slice(addr);
        out.push(b'>');
    } else {
        out.extend_from_slice(addr);
    }
    out
}

/// Remove the double quotes around a display name and its `\` escapes.
fn unquote(name: &[u8]) -> Vec<u8> {
    let inner = match name {
        [b'"', inner @ .., b'"'] => inner,
        _ => return name.to_vec(),
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut escaped = false;
    for &b in inner {
        if b == b'\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    fn decode(s: &str) -> (String, Vec<String>) {
        let (out, errors) = decode_encoded_words(s.as_bytes());
        (out.to_str_lossy().into_owned(), errors)
    }

    #[test]
    fn mbox_from_lines_are_recognised() {
        assert!(is_mbox_from_line(
            format!("From {SHA} Mon Sep 17 00:00:00 2001").as_bytes()
        ));
        assert!(is_mbox_from_line(
            b"From jbeulich@suse.com Tue Jan  1 00:00:00 2019"
        ));
        assert!(is_mbox_from_line(
            b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011"
        ));
        assert!(!is_mbox_from_line(b"From: Jan Beulich <jbeulich@suse.com>"));
        assert!(!is_mbox_from_line(
            b">From someone Mon Sep 17 00:00:00 2001"
        ));
        assert!(!is_mbox_from_line(b"From the beginning this was wrong."));
        assert!(!is_mbox_from_line(b"From "));
    }

    #[test]
    fn mail_from_commit_needs_a_full_sha() {
        let line = format!("From {SHA} Mon Sep 17 00:00:00 2001");
        assert_eq!(
            mail_from_commit(line.as_bytes()).map(|c| c.to_string()),
            Some(SHA.to_string())
        );
        assert_eq!(
            mail_from_commit(b"From abcdef1 Mon Sep 17 00:00:00 2001"),
            None
        );
        assert_eq!(
            mail_from_commit(b"From user@host Mon Sep 17 00:00:00 2001"),
            None
        );
    }

    #[test]
    fn split_mbox_splits_format_patch_stdout() {
        let one = format!("From {SHA} Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: one\n\nbody\n>From here on\nFrom: x\n-- \n2.43.0\n\n");
        let two = format!("From {SHA} Mon Sep 17 00:00:00 2001\nSubject: two\n\nFrom the start\n");
        let all = format!("{one}{two}");
        let ranges = split_mbox(all.as_bytes());
        assert_eq!(ranges, vec![0..one.len(), one.len()..all.len()]);
    }

    #[test]
    fn split_mbox_keeps_leading_text_and_needs_a_blank_line() {
        let text =
            b"junk\nFrom a@b Mon Sep 17 00:00:00 2001\nx\n\nFrom a@b Mon Sep 17 00:00:00 2001\ny\n";
        assert_eq!(split_mbox(text), vec![0..42, 42..text.len()]);
        assert_eq!(split_mbox(b""), Vec::<Range<usize>>::new());
        assert_eq!(split_mbox(b" \n\n"), vec![0..3]);
        let blank_lead = b"\n\nFrom a@b Mon Sep 17 00:00:00 2001\nx\n";
        assert_eq!(split_mbox(blank_lead), vec![2..blank_lead.len()]);
        assert_eq!(split_mbox(b"just a patch\n"), vec![0..13]);
    }

    #[test]
    fn fields_split_and_fold() {
        assert_eq!(
            split_field(b"Patch-mainline: v3.14"),
            Some((&b"Patch-mainline"[..], &b"v3.14"[..]))
        );
        assert_eq!(
            split_field(b"Subject:\tx"),
            Some((&b"Subject"[..], &b"x"[..]))
        );
        assert_eq!(split_field(b"https://example.com/x"), None);
        assert_eq!(split_field(b" Indented: no"), None);
        assert_eq!(split_field(b"x86/mm: fix it"), None);
        assert_eq!(split_field(b"no colon here"), None);
        assert!(is_continuation(b" more") && is_continuation(b"\tmore"));
        assert!(!is_continuation(b"   ") && !is_continuation(b"x"));
        let folded = unfold(
            b"[PATCH v2 3/7] xen: a long ",
            [&b"  subject line "[..], &b"\tend"[..]],
        );
        assert_eq!(folded, "[PATCH v2 3/7] xen: a long subject line end");
    }

    #[test]
    fn encoded_words_decode_and_adjacent_words_join() {
        assert_eq!(
            decode("=?UTF-8?q?J=C3=B6rg_R=C3=B6del?= <jroedel@suse.de>").0,
            "Jörg Rödel <jroedel@suse.de>"
        );
        assert_eq!(decode("=?utf-8?B?SsO2cmc=?=").0, "Jörg");
        assert_eq!(
            decode("=?UTF-8?q?a?= =?UTF-8?q?b?=\n\t=?UTF-8?q?c?= d").0,
            "abc d"
        );
        assert_eq!(
            decode("=?ISO-8859-1?Q?Andr=E9?= Przywara").0,
            "André Przywara"
        );
        assert_eq!(decode("=?iso-8859-15?q?=A4?=").0, "€");
        assert_eq!(decode("=?windows-1252?q?=93x=94?=").0, "\u{201c}x\u{201d}");
        assert_eq!(
            decode("plain = text ?= with =? marks").0,
            "plain = text ?= with =? marks"
        );
    }

    #[test]
    fn broken_encoded_words_are_kept_and_reported() {
        let (out, errors) = decode("=?UTF-8?q?bad=Z?= ok");
        assert_eq!(out, "=?UTF-8?q?bad=Z?= ok");
        assert_eq!(errors.len(), 1);
        let (out, errors) = decode("=?koi8-r?b?8w==?=");
        assert_eq!(out, "=?koi8-r?b?8w==?=");
        assert!(errors[0].contains("charset"));
        assert_eq!(decode("=?koi8-r?q?ascii?=").0, "ascii");
        assert_eq!(decode("=?UTF-8?x?abc?=").1.len(), 1);
    }

    #[test]
    fn many_openers_are_not_quadratic() {
        let value = "=?a?q?x".repeat(200_000);
        let (out, errors) = decode_encoded_words(value.as_bytes());
        assert_eq!(out.len(), value.len());
        assert!(errors.is_empty());
    }

    #[test]
    fn mailboxes_normalise() {
        assert_eq!(
            normalize_mailbox(b"\"Doe, John\" <j@d.org>"),
            "Doe, John <j@d.org>"
        );
        assert_eq!(
            normalize_mailbox(b"j@d.org (John Doe)"),
            "John Doe <j@d.org>"
        );
        assert_eq!(normalize_mailbox(b"<j@d.org>"), "j@d.org");
        assert_eq!(
            normalize_mailbox(b" Jan Beulich <jbeulich@suse.com> "),
            "Jan Beulich <jbeulich@suse.com>"
        );
        assert_eq!(
            normalize_mailbox(b"\"A \\\"B\\\" C\" <a@b>"),
            "A \"B\" C <a@b>"
        );
        assert_eq!(normalize_mailbox(b"nobody"), "nobody");
    }

    #[test]
    fn base64_rejects_garbage() {
        assert_eq!(decode_base64(b"Zm9v"), Some(b"foo".to_vec()));
        assert_eq!(decode_base64(b"Zm9vYg"), Some(b"foob".to_vec()));
        assert_eq!(decode_base64(b"Zm9*"), None);
    }
}
