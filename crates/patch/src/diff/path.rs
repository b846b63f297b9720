//! Diff paths: C-quoted names, `-pN` stripping, timestamps after the name.

use bstr::BString;

/// Undo git's C quoting (`"a/t\303\251st\tx"`); unquoted input is returned as is.
pub fn unquote_c(text: &[u8]) -> BString {
    let Some(inner) = text.strip_prefix(b"\"").and_then(|t| t.strip_suffix(b"\"")) else {
        return BString::from(text);
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        i += 1;
        if b != b'\\' || i >= inner.len() {
            out.push(b);
            continue;
        }
        let (byte, used) = unescape(&inner[i..]);
        out.push(byte);
        i += used;
    }
    BString::from(out)
}

/// Decode one escape after a backslash: the byte and how many input bytes it used.
fn unescape(rest: &[u8]) -> (u8, usize) {
    let octal = rest
        .iter()
        .take(3)
        .take_while(|b| (b'0'..=b'7').contains(b))
        .count();
    if octal == 3 {
        let value = rest[..3]
            .iter()
            .fold(0u32, |n, d| n * 8 + u32::from(d - b'0'));
        return (u8::try_from(value & 0xff).unwrap_or(0), 3);
    }
    let byte = match rest[0] {
        b'a' => 7,
        b'b' => 8,
        b't' => b'\t',
        b'n' => b'\n',
        b'v' => 11,
        b'f' => 12,
        b'r' => b'\r',
        other => other,
    };
    (byte, 1)
}

/// Remove `n` leading components, as `patch -pN` does. `None` when the path has too few.
pub fn strip_components(path: &[u8], n: usize) -> Option<&[u8]> {
    let mut rest = path;
    for _ in 0..n {
        let slash = rest.iter().position(|&b| b == b'/')?;
        rest = &rest[slash + 1..];
        while let Some(r) = rest.strip_prefix(b"/") {
            rest = r;
        }
    }
    Some(rest)
}

/// The name part of a `---`/`+++` line's value: C-unquoted, without the
/// timestamp that follows a tab (or, in some old diffs, two spaces and a date).
pub fn file_name(value: &[u8]) -> BString {
    let value = super::trim_cr(value);
    if value.starts_with(b"\"") {
        if let Some(end) = closing_quote(value) {
            return unquote_c(&value[..=end]);
        }
    }
    let name = match value.iter().position(|&b| b == b'\t') {
        Some(tab) => &value[..tab],
        None => strip_space_timestamp(value),
    };
    BString::from(trim_end_space(name))
}

/// The index of the `"` that closes a C-quoted string starting at 0.
pub(super) fn closing_quote(value: &[u8]) -> Option<usize> {
    let mut i = 1;
    while i < value.len() {
        match value[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// `name  2013-10-01 12:00:00 +0200` or `name Mon Jan 1 …` without a tab: cut at the date.
fn strip_space_timestamp(value: &[u8]) -> &[u8] {
    let mut at = 0;
    while let Some(pos) = value[at..].iter().position(|&b| b == b' ') {
        let split = at + pos;
        let after = &value[split + 1..];
        let after = after
            .iter()
            .position(|&b| b != b' ')
            .map_or(&after[..0], |p| &after[p..]);
        if looks_like_date(after) {
            return &value[..split];
        }
        at = split + 1;
    }
    value
}

fn looks_like_date(text: &[u8]) -> bool {
    let iso = text.len() >= 10
        && text[..4].iter().all(u8::is_ascii_digit)
        && text[4] == b'-'
        && text[7] == b'-';
    const DAYS: [&[u8]; 7] = [
        b"Mon ", b"Tue ", b"Wed ", b"Thu ", b"Fri ", b"Sat ", b"Sun ",
    ];
    iso || DAYS.iter().any(|d| text.starts_with(d))
}

fn trim_end_space(name: &[u8]) -> &[u8] {
    let end = name.iter().rposition(|&b| b != b' ').map_or(0, |p| p + 1);
    &name[..end]
}

/// Whether a `---`/`+++` value's timestamp is the epoch (how `diff -N` marks a missing file).
pub fn is_epoch_timestamp(value: &[u8]) -> bool {
    let Some(tab) = value.iter().position(|&b| b == b'\t') else {
        return false;
    };
    let stamp = &value[tab + 1..];
    stamp.starts_with(b"1970-01-01 0")
        || stamp.starts_with(b"1969-12-31 ")
        || stamp.starts_with(b"Thu Jan  1 0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquotes_octal_and_escapes() {
        assert_eq!(
            unquote_c(br#""a/t\303\251st\tx""#),
            BString::from(b"a/t\xc3\xa9st\tx".to_vec())
        );
        assert_eq!(unquote_c(b"plain"), BString::from("plain"));
        assert_eq!(unquote_c(br#""trailing\""#), BString::from("trailing\\"));
    }

    #[test]
    fn strips_components_like_patch() {
        assert_eq!(
            strip_components(b"a/drivers/xen/x.c", 1),
            Some(&b"drivers/xen/x.c"[..])
        );
        assert_eq!(strip_components(b"13.1.orig/x.c", 1), Some(&b"x.c"[..]));
        assert_eq!(strip_components(b"x.c", 0), Some(&b"x.c"[..]));
        assert_eq!(strip_components(b"x.c", 1), None);
    }

    #[test]
    fn file_names_drop_timestamps() {
        assert_eq!(
            file_name(b"head/x.c\t2013-10-01 12:00:00.000000000 +0200"),
            "head/x.c"
        );
        assert_eq!(file_name(b"a/x.c  2013-10-01 12:00:00 +0200"), "a/x.c");
        assert_eq!(file_name(b"a/my file.c"), "a/my file.c");
        assert_eq!(file_name(b"\"a/x\\ty\"\t2013"), "a/x\ty");
        assert!(is_epoch_timestamp(
            b"/dev/null\t1970-01-01 01:00:00.000000000 +0100"
        ));
    }
}
