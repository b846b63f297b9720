//! Terminal output. Patch text is untrusted: a subject or a series name may hold escape
//! sequences that retitle the terminal, clear it or worse. Everything printed for a person
//! goes through here, with control characters shown escaped (`\x1b`); only line breaks and
//! tabs pass. JSON is printed exact (its strings escape control characters themselves).

use std::borrow::Cow;
use std::io::Write;

/// Whether `c` must not reach a terminal raw: C0 controls but line feed and tab, DEL, and
/// the C1 controls.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// `text` with its control characters escaped.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer that escapes control characters, or passes bytes through when `exact` (JSON).
pub struct Safe<W: Write> {
    inner: W,
    exact: bool,
}

/// Standard output, buffered, made safe unless `exact`.
pub fn stdout(exact: bool) -> Safe<std::io::BufWriter<std::io::StdoutLock<'static>>> {
    Safe {
        inner: std::io::BufWriter::new(std::io::stdout().lock()),
        exact,
    }
}

impl<W: Write> Write for Safe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.exact {
            return self.inner.write(buf);
        }
        let text = String::from_utf8_lossy(buf);
        self.inner.write_all(clean(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// `eprintln!` with control characters escaped.
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::term::clean(&format!($($arg)*)))
    };
}
pub(crate) use say;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_reach_the_terminal_escaped() {
        assert_eq!(
            clean("\u{1b}]0;pwned\u{7}evil \u{1b}[2J\u{9b}31m"),
            "\\x1b]0;pwned\\x07evil \\x1b[2J\\x9b31m"
        );
        assert_eq!(clean("a\tb\nc é"), "a\tb\nc é");
        let mut out = Safe {
            inner: Vec::new(),
            exact: false,
        };
        write!(out, "x\u{1b}[31my\r\n").expect("written");
        assert_eq!(out.inner, b"x\\x1b[31my\\x0d\n");
        let mut exact = Safe {
            inner: Vec::new(),
            exact: true,
        };
        write!(exact, "\u{7f}").expect("written");
        assert_eq!(exact.inner, b"\x7f");
    }
}
