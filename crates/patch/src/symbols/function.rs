//! Function headers: definitions in hunk lines, function names in hunk
//! sections, and the functions a hunk's changes fall in.

use super::lex::{lex_line, Flavour, Tok, TokKind};
use super::{lex_side, line_numbers, words, SideLine};
use crate::diff::{Hunk, LineKind};

/// Words that start statements, never a function header.
const STATEMENT_WORDS: &[&[u8]] = &[
    b"break",
    b"case",
    b"continue",
    b"default",
    b"do",
    b"else",
    b"extern",
    b"for",
    b"goto",
    b"if",
    b"return",
    b"sizeof",
    b"switch",
    b"typedef",
    b"while",
];

/// The longest parameter list followed, in lines.
pub(super) const MAX_HEADER_LINES: usize = 12;

/// `[type words and *] name (` at the start of a line: the name and the index
/// of its `(`. `__attribute__((…))` groups before the name are skipped.
pub(super) fn header_name<'a>(toks: &[Tok<'a>]) -> Option<(&'a [u8], usize)> {
    let first = toks.first()?.ident()?;
    if STATEMENT_WORDS.contains(&first) {
        return None;
    }
    let mut idents = Vec::new();
    let mut j = 0;
    while let Some(tok) = toks.get(j) {
        match tok.kind {
            TokKind::Ident(b"__attribute__") => {
                j = skip_group(toks, j + 1)?;
                continue;
            }
            TokKind::Ident(word) => idents.push(word),
            TokKind::Punct(b'*') => {}
            TokKind::Punct(b'(') => break,
            _ => return None,
        }
        j += 1;
    }
    toks.get(j).filter(|t| t.is(b'('))?;
    let name = *idents.last()?;
    let macro_like = !name.iter().any(u8::is_ascii_lowercase);
    (idents.len() >= 2 && !macro_like && !words::is_keyword(name)).then_some((name, j))
}

/// The index after the balanced `( … )` group starting at `open`.
fn skip_group(toks: &[Tok<'_>], open: usize) -> Option<usize> {
    toks.get(open).filter(|t| t.is(b'('))?;
    let mut depth = 0usize;
    for (j, tok) in toks.iter().enumerate().skip(open) {
        if tok.is(b'(') {
            depth += 1;
        } else if tok.is(b')') {
            depth -= 1;
            if depth == 0 {
                return Some(j + 1);
            }
        }
    }
    None
}

/// The function defined at line `i` of one side of a hunk: a header whose
/// parameter list closes (within [`MAX_HEADER_LINES`]) and is followed, after
/// optional attribute words, by `{` on the same line or first on the next.
pub(super) fn function_definition<'a>(lines: &[SideLine<'a>], i: usize) -> Option<&'a [u8]> {
    let (name, open) = header_name(&lines.get(i)?.toks)?;
    let mut depth = 0usize;
    for (n, line) in lines.iter().enumerate().skip(i).take(MAX_HEADER_LINES) {
        let toks = if n == i {
            &line.toks[open..]
        } else {
            &line.toks[..]
        };
        if n > i && depth == 0 {
            return toks.first().filter(|t| t.is(b'{')).map(|_| name);
        }
        for tok in toks {
            match (tok.kind, depth) {
                (TokKind::Punct(b'('), _) => depth += 1,
                (TokKind::Punct(b')'), 0) => return None,
                (TokKind::Punct(b')'), _) => depth -= 1,
                (TokKind::Punct(b'{'), 0) => return Some(name),
                (TokKind::Punct(b';' | b'{' | b'}'), _) => return None,
                (TokKind::Ident(_), 0) => {}
                (_, 0) => return None,
                _ => {}
            }
        }
    }
    None
}

pub(super) fn section_name(section: &[u8]) -> Option<&[u8]> {
    let toks = lex_line(section, &mut false, Flavour::C);
    if toks.iter().any(|t| t.is(b';')) {
        return None;
    }
    header_name(&toks)
        .map(|(name, _)| name)
        .or_else(|| bare_header_name(&toks))
}

/// `name(` alone, the kernel's style when the return type sits on the line before
/// (`diff -p` then shows only this line): a lower-case name that is not a keyword.
fn bare_header_name<'a>(toks: &[Tok<'a>]) -> Option<&'a [u8]> {
    let name = toks.first()?.ident()?;
    toks.get(1).filter(|t| t.is(b'('))?;
    let lower = name.iter().any(u8::is_ascii_lowercase);
    (lower && !words::is_keyword(name) && !STATEMENT_WORDS.contains(&name)).then_some(name)
}

/// The functions one hunk touches, with the patch line of the first change.
pub(super) fn hunk_touches(hunk: &Hunk, flavour: Flavour) -> Vec<(&[u8], usize)> {
    let numbers = line_numbers(hunk);
    let old = lex_side(hunk, false, flavour);
    let mut current = section_name(&hunk.section);
    let mut old_i = 0;
    let mut out = Vec::new();
    for (at, line) in hunk.lines.iter().enumerate() {
        let number = numbers.get(at).copied().unwrap_or(hunk.line);
        if line.kind != LineKind::Added {
            if let Some(name) = function_definition(&old, old_i) {
                current = Some(name);
            }
            old_i += 1;
        }
        if line.kind != LineKind::Context {
            out.extend(current.map(|name| (name, number)));
        }
        if line.kind != LineKind::Added && line.text.first() == Some(&b'}') {
            current = None;
        }
    }
    out
}
