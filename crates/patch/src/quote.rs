//! Path quoting as git's `quote_c_style()` does with `core.quotePath` on (the default).

/// The escape git writes for `byte`: `Some(0)` for octal, `Some(c)` for `\c`, `None`
/// when the byte is written as is (git's `cq_lookup` with `quote_path_fully`).
#[inline]
fn escape(byte: u8) -> Option<u8> {
    match byte {
        0x07 => Some(b'a'),
        0x08 => Some(b'b'),
        b'\t' => Some(b't'),
        b'\n' => Some(b'n'),
        0x0b => Some(b'v'),
        0x0c => Some(b'f'),
        b'\r' => Some(b'r'),
        b'"' => Some(b'"'),
        b'\\' => Some(b'\\'),
        0..=0x1f | 0x7f..=0xff => Some(0),
        _ => None,
    }
}

/// Whether git would quote a path containing `bytes`.
fn needs_quoting(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| escape(b).is_some())
}

fn push_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        match escape(b) {
            None => out.push(b),
            Some(0) => out.extend_from_slice(&[
                b'\\',
                b'0' + (b >> 6),
                b'0' + ((b >> 3) & 7),
                b'0' + (b & 7),
            ]),
            Some(c) => out.extend_from_slice(&[b'\\', c]),
        }
    }
}

/// Append `prefix` + `path` as git's `quote_two()` writes them: as is, or in double
/// quotes with C escapes when either part needs quoting (`"a/t\303\251st"`).
#[inline]
pub fn push_quoted_path(out: &mut Vec<u8>, prefix: &[u8], path: &[u8]) {
    if needs_quoting(prefix) || needs_quoting(path) {
        out.push(b'"');
        push_escaped(out, prefix);
        push_escaped(out, path);
        out.push(b'"');
    } else {
        out.extend_from_slice(prefix);
        out.extend_from_slice(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(path: &[u8]) -> String {
        let mut out = Vec::new();
        push_quoted_path(&mut out, b"a/", path);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn plain_paths_stay_plain() {
        assert_eq!(quoted(b"dir/file name.c"), "a/dir/file name.c");
    }

    #[test]
    fn specials_are_escaped() {
        assert_eq!(quoted("tést".as_bytes()), r#""a/t\303\251st""#);
        assert_eq!(quoted(b"q\"b\\s\tt\x01\x7f"), r#""a/q\"b\\s\tt\001\177""#);
    }
}
