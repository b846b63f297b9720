//! Mail header encoding as git's pretty.c and utf8.c do it: line wrapping
//! (`strbuf_add_wrapped_text`), RFC 2047 Q-encoding and RFC 822 quoting.

/// git's `isspace()`: only space, tab, LF and CR.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// git's `non_ascii()`: bytes that make a header need encoding (ESC included).
pub(crate) fn non_ascii(b: u8) -> bool {
    !b.is_ascii() || b == 0x1b
}

/// The width git's `utf8_width()` gives an ASCII byte (control characters count -1).
fn ascii_width(b: u8) -> i32 {
    if b < 0x20 || b == 0x7f {
        -1
    } else {
        1
    }
}

/// Length of the last line of `out` (git's `last_line_length()`).
pub(crate) fn last_line_length(out: &[u8]) -> i32 {
    let start = out.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    i32::try_from(out.len() - start).unwrap_or(i32::MAX)
}

/// Append `text` wrapped at `width` columns; `indent1` is the indent of the first line
/// (negative: the first line already has that many columns), `indent2` of the others.
/// A port of git's `strbuf_add_wrapped_text()` for the ASCII text it is used on here.
pub(crate) fn add_wrapped(out: &mut Vec<u8>, text: &[u8], indent1: i32, indent2: i32, width: i32) {
    let mut pos = 0;
    let mut bol = 0;
    let mut w = indent1;
    let mut indent = indent1;
    let mut space: Option<usize> = None;
    if indent < 0 {
        w = -indent;
        space = Some(0);
    }
    loop {
        let c = text.get(pos).copied().filter(|&c| c != 0);
        let Some(ch) = c.filter(|&c| !is_space(c)) else {
            let mut new_line = false;
            if w <= width || space.is_none() {
                if c.is_none() && pos == bol {
                    return;
                }
                let start = match space {
                    Some(s) => s,
                    None => {
                        out.extend(std::iter::repeat_n(b' ', indent.max(0) as usize));
                        bol
                    }
                };
                out.extend_from_slice(&text[start..pos]);
                let Some(c) = c else { return };
                let mut s = pos;
                if c == b'\t' {
                    w |= 0x07;
                } else if c == b'\n' {
                    s += 1;
                    match text.get(s) {
                        Some(b'\n') => {
                            out.push(b'\n');
                            new_line = true;
                        }
                        Some(n) if n.is_ascii_alphanumeric() => out.push(b' '),
                        _ => new_line = true,
                    }
                }
                space = Some(s);
                if !new_line {
                    w += 1;
                    pos += 1;
                }
            } else {
                new_line = true;
            }
            if new_line {
                out.push(b'\n');
                let s = space.unwrap_or(pos);
                bol = s + usize::from(text.get(s).is_some_and(|&b| is_space(b)));
                pos = bol;
                space = None;
                w = indent2;
                indent = indent2;
            }
            continue;
        };
        w += ascii_width(ch);
        pos += 1;
    }
}

/// Where an RFC 2047 encoded word is used; addresses allow fewer bare characters.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rfc2047 {
    /// A `Subject:`.
    Subject,
    /// The name in a `From:`.
    Address,
}

/// git's `needs_rfc2047_encoding()`.
pub(crate) fn needs_rfc2047(text: &[u8]) -> bool {
    text.iter().any(|&b| non_ascii(b) || b == b'\n') || text.windows(2).any(|w| w == b"=?")
}

fn is_rfc2047_special(b: u8, kind: Rfc2047) -> bool {
    if non_ascii(b) || !(0x20..0x7f).contains(&b) {
        return true;
    }
    if is_space(b) || b == b'=' || b == b'?' || b == b'_' {
        return true;
    }
    kind == Rfc2047::Address
        && !(b.is_ascii_alphanumeric() || matches!(b, b'!' | b'*' | b'+' | b'-' | b'/'))
}

/// Append `text` Q-encoded (`=?UTF-8?q?...?=`), folded at 76 columns, as git's
/// `add_rfc2047()` does; multi-byte UTF-8 characters are never split.
pub(crate) fn add_rfc2047(out: &mut Vec<u8>, text: &[u8], kind: Rfc2047) {
    const MAX: i32 = 76;
    const OPEN: &[u8] = b"=?UTF-8?q?";
    let mut line_len = last_line_length(out) + OPEN.len() as i32;
    out.extend_from_slice(OPEN);
    let mut rest = text;
    while !rest.is_empty() {
        let (ch, size) = bstr::decode_utf8(rest);
        let len = if ch.is_some() { size } else { 1 };
        let (chunk, tail) = rest.split_at(len);
        rest = tail;
        let special = len > 1 || is_rfc2047_special(chunk[0], kind);
        let encoded_len = if special { 3 * len as i32 } else { 1 };
        if line_len + encoded_len + 2 > MAX {
            out.extend_from_slice(b"?=\n ");
            out.extend_from_slice(OPEN);
            line_len = OPEN.len() as i32 + 1;
        }
        for &b in chunk {
            if special {
                out.extend_from_slice(format!("={b:02X}").as_bytes());
            } else {
                out.push(b);
            }
        }
        line_len += encoded_len;
    }
    out.extend_from_slice(b"?=");
}

/// git's `needs_rfc822_quoting()`.
pub(crate) fn needs_rfc822_quoting(text: &[u8]) -> bool {
    text.iter().any(|b| b"()<>[]:;@,.\"\\".contains(b))
}

/// `"text"` with `"` and `\` backslash-escaped (git's `add_rfc822_quoted()`).
pub(crate) fn rfc822_quoted(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    out.push(b'"');
    for &b in text {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_subjects_like_git() {
        let mut out = b"Subject: [PATCH] ".to_vec();
        let title = b"first: a very long subject line that should be wrapped by git format patch because it is long enough";
        let indent = -last_line_length(&out);
        add_wrapped(&mut out, title, indent, 1, 78);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "Subject: [PATCH] first: a very long subject line that should be wrapped by git\n format patch because it is long enough"
        );
    }

    #[test]
    fn short_text_is_unchanged() {
        let mut out = b"From: ".to_vec();
        add_wrapped(&mut out, b"A Name", -6, 1, 78);
        assert_eq!(out, b"From: A Name");
    }

    #[test]
    fn encodes_like_git() {
        let mut out = b"From: ".to_vec();
        add_rfc2047(&mut out, "Jürgen A. Tester".as_bytes(), Rfc2047::Address);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "From: =?UTF-8?q?J=C3=BCrgen=20A=2E=20Tester?="
        );
        let mut out = b"Subject: [PATCH] ".to_vec();
        add_rfc2047(&mut out, "Ünicode subject".as_bytes(), Rfc2047::Subject);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "Subject: [PATCH] =?UTF-8?q?=C3=9Cnicode=20subject?="
        );
    }

    #[test]
    fn quotes_specials() {
        assert!(needs_rfc822_quoting(b"A. Name"));
        assert_eq!(rfc822_quoted(b"A \"B\" C."), b"\"A \\\"B\\\" C.\"");
    }
}
