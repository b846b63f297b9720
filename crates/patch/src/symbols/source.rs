//! Whole source files, for the tree index: the words a file contains (identifiers of
//! four or more bytes outside comments, and key-like string literals such as
//! `"feature-persistent"`), and the names it defines (C functions, macros, structs,
//! assembly entry points, Kconfig symbols), each with its line.
//!
//! This runs over every file of an upstream tree once, so the word scan walks the text
//! 64 bytes at a time through bit masks (`blocks`), looking closer only at quotes and
//! slashes; only lines that can start a definition (at column 0, or `#define`) are
//! tokenized with the hunk lexer and judged with the same rules as hunk lines.

use super::blocks::{below, Block, Special, IDENT, START};
use super::function::function_definition;
use super::lex::{lex_line, Flavour};
use super::{c, SideLine, SymbolKind};
use crate::diff::LineKind;

/// Identifiers shorter than this are not indexed (no searched name is).
pub const MIN_WORD: usize = 4;

/// A name a file defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition<'a> {
    /// The name (without `CONFIG_` for a Kconfig symbol).
    pub name: &'a [u8],
    /// [`SymbolKind::Function`], [`SymbolKind::Macro`], [`SymbolKind::Struct`] or
    /// [`SymbolKind::KconfigSymbol`].
    pub kind: SymbolKind,
    /// The 1-based line of the definition.
    pub line: usize,
}

/// What kind of source a path holds, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// C, C headers, device trees, linker scripts: comments are skipped.
    C,
    /// Assembly (`.S`, `.s`).
    Asm,
    /// A `Kconfig*` file.
    Kconfig,
    /// Anything else: every word counts.
    Other,
}

impl SourceKind {
    /// The kind of the file at `path`.
    pub fn of(path: &str) -> SourceKind {
        let name = path.rsplit('/').next().unwrap_or(path);
        if name.starts_with("Kconfig") {
            return SourceKind::Kconfig;
        }
        match name.rsplit_once('.').map(|(_, ext)| ext) {
            Some("c" | "h" | "dts" | "dtsi" | "lds" | "y" | "l" | "cc" | "cpp") => SourceKind::C,
            Some("S" | "s") => SourceKind::Asm,
            _ => SourceKind::Other,
        }
    }
}

/// Byte classes of the word scan (with `IDENT` and `START` from the block masks).
const SLASH: u8 = 4;
const QUOTE: u8 = 8;

static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphabetic() || c == b'_' {
            table[b] = IDENT | START;
        } else if c.is_ascii_digit() {
            table[b] = IDENT;
        } else if c == b'/' {
            table[b] = SLASH;
        } else if c == b'"' {
            table[b] = QUOTE;
        }
        b += 1;
    }
    table
};

fn class(b: u8) -> u8 {
    CLASS[b as usize]
}

/// Call `word` for every word of `text` (possibly repeated): identifiers of
/// [`MIN_WORD`] bytes or more outside comments (in C-like files), the words inside
/// string literals, and key-like literals whole with their quotes.
pub fn scan_words<F: FnMut(&[u8])>(kind: SourceKind, text: &[u8], word: &mut F) {
    let comments = matches!(kind, SourceKind::C | SourceKind::Asm);
    let special = if comments {
        Special::QuotesAndSlashes
    } else {
        Special::Quotes
    };
    let n = text.len();
    let mut i = 0;
    while i < n {
        let block = Block::at(text, i, special);
        // The words before the first quote or slash; past it, the text is read anew.
        let stop = block.first_special();
        let after_ident = i > 0 && class(text[i - 1]) & IDENT != 0;
        let mut starts = block.long_word_starts(after_ident) & below(stop);
        while starts != 0 {
            let k = starts.trailing_zeros() as usize;
            starts &= starts - 1;
            let mut end = i + k + block.run_from(k);
            if end == i + 64 {
                end = ident_end(text, end);
            }
            if end - (i + k) >= MIN_WORD {
                word(&text[i + k..end]);
            }
        }
        i = if stop < 64 {
            special_end(text, i + stop, word)
        } else if block.ends_in_ident() {
            ident_end(text, i + 64)
        } else {
            i + 64
        };
    }
}

/// The index after the literal, comment or lone slash at `at`, calling `word` for a
/// literal's words.
fn special_end<F: FnMut(&[u8])>(text: &[u8], at: usize, word: &mut F) -> usize {
    if text.get(at) == Some(&b'"') {
        return string(text, at, word);
    }
    match text.get(at + 1) {
        Some(b'*') => comment_end(text, at + 2).map_or(text.len(), |e| e + 2),
        Some(b'/') => memchr(text, at + 2, b'\n'),
        _ => at + 1,
    }
}

/// The end of the identifier bytes from `from` on.
fn ident_end(text: &[u8], from: usize) -> usize {
    text.get(from..)
        .and_then(|t| t.iter().position(|&b| class(b) & IDENT == 0))
        .map_or(text.len(), |p| from + p)
}

/// Where the `*/` closing a comment is, from `from` on.
fn comment_end(text: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let star = i + memchr::memchr(b'*', text.get(i..)?)?;
        if text.get(star + 1) == Some(&b'/') {
            return Some(star);
        }
        i = star + 1;
    }
}

/// Handle the literal opening at `open`: its words, and the literal itself when key-like
/// (as `"text"`, quotes included). Returns the index after it.
fn string<F: FnMut(&[u8])>(text: &[u8], open: usize, word: &mut F) -> usize {
    let mut i = open + 1;
    let mut plain = true;
    while i < text.len() && text[i] != b'"' && text[i] != b'\n' {
        if text[i] == b'\\' {
            plain = false;
            i += 1;
        }
        i += 1;
    }
    let end = i.min(text.len());
    let inner = &text[open + 1..end];
    if plain && text.get(end) == Some(&b'"') && c::key_like(inner) {
        word(&text[open..end + 1]);
    }
    let mut j = 0;
    while j < inner.len() {
        if is_start(inner[j]) {
            let start = j;
            while j < inner.len() && is_ident(inner[j]) {
                j += 1;
            }
            if j - start >= MIN_WORD {
                word(&inner[start..j]);
            }
        } else {
            j += 1;
        }
    }
    (end + 1).min(text.len())
}

/// Call `def` for every name `text` defines.
pub fn scan_definitions(kind: SourceKind, text: &[u8], def: &mut dyn FnMut(Definition<'_>)) {
    match kind {
        SourceKind::C | SourceKind::Asm => c_definitions(kind, text, def),
        SourceKind::Kconfig => kconfig_definitions(text, def),
        SourceKind::Other => {}
    }
}

fn c_definitions(kind: SourceKind, text: &[u8], def: &mut dyn FnMut(Definition<'_>)) {
    let flavour = if kind == SourceKind::Asm {
        Flavour::Asm
    } else {
        Flavour::C
    };
    let mut prev: &[u8] = &[];
    let mut start = 0;
    let mut number = 0;
    while start < text.len() {
        number += 1;
        let end = memchr(text, start, b'\n');
        let line = &text[start..end];
        let rest = text.get(end + 1..).unwrap_or_default();
        match line.first() {
            Some(b'#') => {
                if let Some(name) = define_name(line) {
                    def(Definition {
                        name,
                        kind: SymbolKind::Macro,
                        line: number,
                    });
                }
            }
            Some(&b) if is_start(b) => {
                if let Some((name, kind)) = definition_at(prev, line, rest, flavour) {
                    def(Definition {
                        name,
                        kind,
                        line: number,
                    });
                }
            }
            _ => {}
        }
        prev = line;
        start = end + 1;
    }
}

/// `#define NAME` / `# define NAME`: the name.
fn define_name(line: &[u8]) -> Option<&[u8]> {
    let rest = line.strip_prefix(b"#")?.trim_ascii_start();
    let rest = rest.strip_prefix(b"define")?;
    if !rest.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
        return None;
    }
    let rest = rest.trim_ascii_start();
    let len = rest.iter().take_while(|&&b| is_ident(b)).count();
    let name = rest.get(..len)?;
    (name.len() >= 3 && name.first().is_some_and(|&b| is_start(b))).then_some(name)
}

/// The function, struct or assembly entry point defined by `line` (which starts with an
/// identifier at column 0), given the line before it and the text after it.
fn definition_at<'a>(
    prev: &'a [u8],
    line: &'a [u8],
    rest: &'a [u8],
    flavour: Flavour,
) -> Option<(&'a [u8], SymbolKind)> {
    let mut after = rest.split(|&b| b == b'\n');
    if let Some(name) = aggregate_name(line, after.next()) {
        return Some((name, SymbolKind::Struct));
    }
    if flavour == Flavour::Asm {
        return asm_entry(line).map(|n| (n, SymbolKind::Function));
    }
    if !line.contains(&b'(') || line.trim_ascii_end().ends_with(b";") {
        return None;
    }
    if !could_be_header(line, prev) {
        return None;
    }
    // The header ends where a line opens the body or ends a declaration.
    let max = super::function::MAX_HEADER_LINES;
    let mut lines = vec![line];
    if !line.contains(&b'{') {
        for next in rest.split(|&b| b == b'\n').take(max) {
            lines.push(next);
            if next.contains(&b'{') || next.contains(&b';') {
                break;
            }
        }
    }
    let mut in_comment = false;
    let mut window: Vec<SideLine<'a>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| SideLine {
            at: i,
            kind: LineKind::Context,
            toks: lex_line(l, &mut in_comment, flavour),
        })
        .collect();
    // `static int` on the line before `name(…)`: the kernel's other header style.
    if let (true, Some(first)) = (is_type_line(prev, line), window.first_mut()) {
        let mut toks = lex_line(prev, &mut false, flavour);
        toks.append(&mut first.toks);
        first.toks = toks;
    }
    function_definition(&window, 0).map(|n| (n, SymbolKind::Function))
}

/// A cheap test before lexing: the line's first `(` follows an identifier, with no `=`
/// before it, and either another word precedes that identifier or the line before is a
/// type line.
fn could_be_header(line: &[u8], prev: &[u8]) -> bool {
    let Some(open) = line.iter().position(|&b| b == b'(') else {
        return false;
    };
    let head = line[..open].trim_ascii_end();
    if head.contains(&b'=') || !head.last().is_some_and(|&b| is_ident(b)) {
        return false;
    }
    head.iter().any(|&b| b == b' ' || b == b'\t' || b == b'*') || is_type_line(prev, line)
}

/// Whether `prev` holds only the return type of the header `line` starts (`name(`).
fn is_type_line(prev: &[u8], line: &[u8]) -> bool {
    let len = line.iter().take_while(|&&b| is_ident(b)).count();
    let bare_call = line.get(len..).is_some_and(|r| r.first() == Some(&b'('));
    bare_call
        && prev.first().is_some_and(|&b| is_start(b))
        && !prev.iter().any(|b| b"(;={}#".contains(b))
}

/// `struct NAME {` (or `{` first on the next line), also `union` and `enum`.
fn aggregate_name<'a>(line: &'a [u8], next: Option<&[u8]>) -> Option<&'a [u8]> {
    let rest = [&b"struct "[..], b"union ", b"enum "]
        .iter()
        .find_map(|k| line.strip_prefix(*k))?
        .trim_ascii_start();
    let len = rest.iter().take_while(|&&b| is_ident(b)).count();
    let name = rest.get(..len).filter(|n| n.len() >= 3)?;
    let after = rest.get(len..)?.trim_ascii();
    let opens = after == b"{"
        || after.starts_with(b"{")
        || (after.is_empty() && next.is_some_and(|n| n.trim_ascii_start().starts_with(b"{")));
    opens.then_some(name)
}

/// `ENTRY(name)`, `SYM_FUNC_START(name)` and the like.
fn asm_entry(line: &[u8]) -> Option<&[u8]> {
    let open = line.iter().position(|&b| b == b'(')?;
    let callee = line.get(..open)?.trim_ascii();
    if !c::ASM_ENTRY_MACROS.contains(&callee) {
        return None;
    }
    let rest = line.get(open + 1..)?.trim_ascii_start();
    let len = rest.iter().take_while(|&&b| is_ident(b)).count();
    rest.get(..len).filter(|n| !n.is_empty())
}

fn kconfig_definitions(text: &[u8], def: &mut dyn FnMut(Definition<'_>)) {
    for (at, line) in text.split(|&b| b == b'\n').enumerate() {
        let body = line.trim_ascii();
        let rest = body
            .strip_prefix(b"config")
            .or_else(|| body.strip_prefix(b"menuconfig"));
        let Some(rest) = rest.filter(|r| r.first().is_some_and(|b| *b == b' ' || *b == b'\t'))
        else {
            continue;
        };
        let rest = rest.trim_ascii();
        let len = rest.iter().take_while(|&&b| is_ident(b)).count();
        if len > 0 && len == rest.len() {
            def(Definition {
                name: rest,
                kind: SymbolKind::KconfigSymbol,
                line: at + 1,
            });
        }
    }
}

fn is_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn memchr(text: &[u8], from: usize, byte: u8) -> usize {
    text.get(from..)
        .and_then(|t| memchr::memchr(byte, t))
        .map_or(text.len(), |p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The word scan one byte at a time, as first written: what the block scan must give.
    fn scan_words_bytewise(kind: SourceKind, text: &[u8], word: &mut dyn FnMut(&[u8])) {
        let comments = matches!(kind, SourceKind::C | SourceKind::Asm);
        let interesting = if comments {
            IDENT | SLASH | QUOTE
        } else {
            IDENT | QUOTE
        };
        let n = text.len();
        let mut i = 0;
        while i < n {
            match text[i..].iter().position(|&b| class(b) & interesting != 0) {
                Some(p) => i += p,
                None => return,
            }
            let c = class(text[i]);
            if c & IDENT != 0 {
                let len = text[i..]
                    .iter()
                    .position(|&b| class(b) & IDENT == 0)
                    .unwrap_or(n - i);
                if c & START != 0 && len >= MIN_WORD {
                    word(&text[i..i + len]);
                }
                i += len;
            } else {
                i = special_end(text, i, &mut |w| word(w));
            }
        }
    }

    fn both(kind: SourceKind, text: &[u8]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
        let (mut fast, mut slow) = (Vec::new(), Vec::new());
        scan_words(kind, text, &mut |w| fast.push(w.to_vec()));
        scan_words_bytewise(kind, text, &mut |w| slow.push(w.to_vec()));
        (fast, slow)
    }

    proptest! {
        /// Text made of the bytes that matter (identifier bytes, quotes, slashes, stars,
        /// newlines, bytes above 0x7f) in runs that cross 64-byte blocks.
        #[test]
        fn block_scan_finds_the_words_the_bytewise_scan_finds(
            text in proptest::collection::vec(
                prop_oneof![
                    4 => Just(b'a'), 1 => Just(b'Z'), 1 => Just(b'_'), 2 => Just(b'7'),
                    2 => Just(b' '), 1 => Just(b'"'), 1 => Just(b'/'), 1 => Just(b'*'),
                    1 => Just(b'\n'), 1 => Just(b'\\'), 1 => Just(0xc3u8), 1 => any::<u8>(),
                ],
                0..300),
        ) {
            for kind in [SourceKind::C, SourceKind::Other] {
                let (fast, slow) = both(kind, &text);
                prop_assert_eq!(fast, slow);
            }
        }
    }

    #[test]
    fn words_across_block_ends_are_found_whole() {
        for pad in 55..70 {
            let text = format!(
                "{}long_identifier_name /* x */ \"key-like\" end",
                " ".repeat(pad)
            );
            let (fast, slow) = both(SourceKind::C, text.as_bytes());
            assert_eq!(fast, slow, "pad {pad}");
            assert!(
                fast.contains(&b"long_identifier_name".to_vec()),
                "pad {pad}"
            );
        }
    }

    fn words(path: &str, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan_words(SourceKind::of(path), text.as_bytes(), &mut |w| {
            out.push(String::from_utf8_lossy(w).into_owned())
        });
        out
    }

    fn defs(path: &str, text: &str) -> Vec<(String, SymbolKind, usize)> {
        let mut out = Vec::new();
        scan_definitions(SourceKind::of(path), text.as_bytes(), &mut |d| {
            out.push((String::from_utf8_lossy(d.name).into_owned(), d.kind, d.line))
        });
        out
    }

    #[test]
    fn words_skip_comments_and_short_names_and_keep_key_literals() {
        let text = "/* blkif_old comment */ int xen_blkif_map(int a) // trailing note\n{ return xenbus_read(\"feature-persistent\", \"Some text here\"); }\n";
        let w = words("drivers/block/x.c", text);
        assert!(w.contains(&"xen_blkif_map".to_string()), "{w:?}");
        assert!(w.contains(&"\"feature-persistent\"".to_string()));
        assert!(
            w.contains(&"feature".to_string()),
            "words inside literals count"
        );
        assert!(!w.contains(&"blkif_old".to_string()), "comment");
        assert!(!w.contains(&"trailing".to_string()), "line comment");
        assert!(!w.iter().any(|x| x == "int" || x == "a"));
        assert!(!w.contains(&"\"Some text here\"".to_string()));
        let plain = words("Documentation/x.rst", "/* blkif_old */ text");
        assert!(plain.contains(&"blkif_old".to_string()));
    }

    #[test]
    fn definitions_of_functions_macros_structs_and_kconfig() {
        let c = "#include <x.h>\n#define XEN_MAX 4\nstruct blkif_ring {\n\tint x;\n};\nstatic int\nxen_blkif_schedule(void *arg,\n\t\tint b)\n{\n\treturn 0;\n}\nint prototype(void);\nint call = foo(1);\nvoid __init setup_xen(void) {\n}\n";
        let d = defs("drivers/x.c", c);
        assert_eq!(
            d,
            vec![
                ("XEN_MAX".into(), SymbolKind::Macro, 2),
                ("blkif_ring".into(), SymbolKind::Struct, 3),
                ("xen_blkif_schedule".into(), SymbolKind::Function, 7),
                ("setup_xen".into(), SymbolKind::Function, 14),
            ],
            "a header split over lines starts at the name's line: {d:?}"
        );
        let split = "static int xen_blkif_schedule(void *arg,\n\t\tint b)\n{\n\treturn 0;\n}\n";
        assert_eq!(
            defs("x.c", split),
            vec![("xen_blkif_schedule".into(), SymbolKind::Function, 1)]
        );
        let kconfig = "config XEN_BLKDEV_BACKEND\n\ttristate \"x\"\nmenuconfig XEN\n\thelp\n\t  config in help text\n";
        assert_eq!(
            defs("drivers/block/Kconfig", kconfig),
            vec![
                ("XEN_BLKDEV_BACKEND".into(), SymbolKind::KconfigSymbol, 1),
                ("XEN".into(), SymbolKind::KconfigSymbol, 3),
            ]
        );
        assert_eq!(
            defs("arch/x86/entry.S", "SYM_FUNC_START(xen_iret)\n\tret\n"),
            vec![("xen_iret".into(), SymbolKind::Function, 1)]
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        for text in ["\"", "/*", "#define", "struct x", "a(\n", "\"\\", "config"] {
            words("a.c", text);
            defs("a.c", text);
            defs("Kconfig", text);
        }
    }
}
