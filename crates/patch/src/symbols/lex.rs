//! A tiny C tokenizer for hunk lines: identifiers, string literals, numbers and
//! punctuation, with comments removed and block-comment state carried from one
//! line to the next of the same side of a hunk.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TokKind<'a> {
    /// An identifier (`[A-Za-z_][A-Za-z0-9_]*`).
    Ident(&'a [u8]),
    /// The raw contents of a `"…"` literal, escapes left as written.
    Str(&'a [u8]),
    /// A number, character literal or anything else that is not a name.
    Other,
    /// One punctuation byte.
    Punct(u8),
}

/// A token and the byte column it starts at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Tok<'a> {
    pub(super) kind: TokKind<'a>,
    pub(super) col: usize,
}

impl<'a> Tok<'a> {
    /// The identifier, if this is one.
    pub(super) fn ident(&self) -> Option<&'a [u8]> {
        match self.kind {
            TokKind::Ident(name) => Some(name),
            _ => None,
        }
    }

    /// Whether this is the punctuation byte `p`.
    pub(super) fn is(&self, p: u8) -> bool {
        self.kind == TokKind::Punct(p)
    }
}

/// Lexer flavour: plain C, or assembly (`.S`) where a `#` followed by a blank
/// starts a comment unless it is a preprocessor directive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flavour {
    C,
    Asm,
}

/// Tokenizes one line; `in_comment` is whether a `/* … */` is open at its
/// start, and is updated for the next line of the same side.
///
/// A hunk may start inside a block comment whose `/*` it does not show, so a
/// line outside a comment that starts with `*/` is taken to close one, and a
/// line that starts with `*` and a blank (or ends there) is taken as a comment
/// line: the kernel's ` * text` style.
pub(super) fn lex_line<'a>(
    text: &'a [u8],
    in_comment: &mut bool,
    flavour: Flavour,
) -> Vec<Tok<'a>> {
    let mut toks = Vec::new();
    let mut i = 0;
    if !*in_comment {
        let trimmed = text.trim_ascii_start();
        if trimmed.starts_with(b"*/") {
            *in_comment = true;
        } else if trimmed.first() == Some(&b'*')
            && trimmed.get(1).is_none_or(u8::is_ascii_whitespace)
        {
            return toks;
        }
    }
    while i < text.len() {
        if *in_comment {
            match find(text, i, b"*/") {
                Some(end) => {
                    *in_comment = false;
                    i = end + 2;
                }
                None => break,
            }
            continue;
        }
        let b = text[i];
        let next = text.get(i + 1).copied();
        match b {
            b'/' if next == Some(b'*') => {
                *in_comment = true;
                i += 2;
            }
            b'/' if next == Some(b'/') => break,
            b'#' if flavour == Flavour::Asm && asm_comment(text, i) => break,
            b'"' => {
                let end = closing(text, i + 1, b'"');
                let body = &text[i + 1..end.min(text.len())];
                toks.push(Tok {
                    kind: TokKind::Str(body),
                    col: i,
                });
                i = end + 1;
            }
            b'\'' => {
                let end = closing(text, i + 1, b'\'');
                toks.push(Tok {
                    kind: TokKind::Other,
                    col: i,
                });
                i = end + 1;
            }
            _ if is_ident_start(b) => {
                let end = run_end(text, i, is_ident_byte);
                toks.push(Tok {
                    kind: TokKind::Ident(&text[i..end]),
                    col: i,
                });
                i = end;
            }
            _ if b.is_ascii_digit() => {
                let end = run_end(text, i, |c| is_ident_byte(c) || c == b'.');
                toks.push(Tok {
                    kind: TokKind::Other,
                    col: i,
                });
                i = end;
            }
            _ if b.is_ascii_whitespace() => i += 1,
            _ => {
                toks.push(Tok {
                    kind: TokKind::Punct(b),
                    col: i,
                });
                i += 1;
            }
        }
    }
    toks
}

/// Whether the first comment marker in `lines` closes a comment (`*/` before
/// any `/*`): the text before it is then the end of a comment the hunk starts in.
pub(super) fn starts_in_comment<'a>(lines: impl Iterator<Item = &'a [u8]>) -> bool {
    for line in lines {
        let open = find(line, 0, b"/*");
        let close = find(line, 0, b"*/");
        match (open, close) {
            (Some(o), Some(c)) => return c < o,
            (None, Some(_)) => return true,
            (Some(_), None) => return false,
            (None, None) => {}
        }
    }
    false
}

/// The words of a line: maximal runs of identifier bytes, wherever they are
/// (code, comments, literals).
pub(super) fn words(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|&b| !is_ident_byte(b)).filter(|w| !w.is_empty())
}

/// Everything between two consecutive `"` of a line, inside a literal or not:
/// a superset of the line's string literals that needs no lexing.
pub(super) fn quoted_runs(text: &[u8]) -> Vec<&[u8]> {
    let quotes: Vec<usize> = (0..text.len()).filter(|&i| text[i] == b'"').collect();
    quotes.windows(2).map(|w| &text[w[0] + 1..w[1]]).collect()
}

pub(super) fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

pub(super) fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether the `#` at `at` starts an assembler comment: it is followed by a
/// blank or the end, and is not a spaced preprocessor directive (`# define`).
fn asm_comment(text: &[u8], at: usize) -> bool {
    let rest = &text[at + 1..];
    if !rest.first().is_none_or(|b| b.is_ascii_whitespace()) {
        return false;
    }
    let first_on_line = text[..at].iter().all(u8::is_ascii_whitespace);
    let word = words(rest).next().unwrap_or_default();
    let directive = matches!(
        word,
        b"define"
            | b"undef"
            | b"include"
            | b"if"
            | b"ifdef"
            | b"ifndef"
            | b"elif"
            | b"else"
            | b"endif"
    );
    !(first_on_line && directive && rest.trim_ascii_start().starts_with(word))
}

/// The index of the unescaped `quote` closing a literal opened before `from`,
/// or the line's length if it is not closed on this line.
fn closing(text: &[u8], from: usize, quote: u8) -> usize {
    let mut i = from;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            c if c == quote => return i,
            _ => i += 1,
        }
    }
    text.len()
}

fn run_end(text: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    (from..text.len())
        .find(|&i| !keep(text[i]))
        .unwrap_or(text.len())
}

fn find(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    text.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}
