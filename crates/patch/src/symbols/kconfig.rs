//! Kconfig files (`config NAME` definitions, names in expressions) and
//! Makefiles (`CONFIG_NAME` references).

use super::{lex, line_numbers, Found, SymbolKind};
use crate::diff::{FileDiff, LineKind};

pub(super) fn kconfig_symbols(file: &FileDiff, out: &mut Vec<Found>) {
    for hunk in &file.hunks {
        let numbers = line_numbers(hunk);
        let mut help: Option<usize> = None;
        for (at, line) in hunk.lines.iter().enumerate() {
            if line.kind == LineKind::Removed {
                continue;
            }
            let text = cut_hash_comment(&line.text);
            let body = text.trim_ascii();
            let indent = indent_width(text);
            if let Some(help_indent) = help {
                if body.is_empty() || indent > help_indent {
                    continue;
                }
                help = None;
            }
            if body == b"help" || body == b"---help---" {
                help = Some(indent);
                continue;
            }
            if line.kind == LineKind::Added {
                let number = numbers.get(at).copied().unwrap_or(hunk.line);
                for (kind, name) in kconfig_line(body) {
                    out.push(Found {
                        kind,
                        name,
                        line: number,
                    });
                }
            }
        }
    }
}

/// Keywords of Kconfig lines whose expressions name symbols.
const KCONFIG_EXPRESSION_WORDS: &[&[u8]] = &[
    b"bool",
    b"def_bool",
    b"def_tristate",
    b"default",
    b"depends",
    b"hex",
    b"if",
    b"imply",
    b"int",
    b"prompt",
    b"range",
    b"select",
    b"string",
    b"tristate",
    b"visible",
];

/// The symbols of one Kconfig line (comment removed, trimmed).
fn kconfig_line(body: &[u8]) -> Vec<(SymbolKind, Vec<u8>)> {
    let mut fields = body
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty());
    let Some(first) = fields.next() else {
        return Vec::new();
    };
    if first == b"config" || first == b"menuconfig" {
        return match (fields.next(), fields.next()) {
            (Some(name), None) if kconfig_name(name) => {
                vec![(SymbolKind::KconfigSymbol, name.to_vec())]
            }
            _ => Vec::new(),
        };
    }
    if !KCONFIG_EXPRESSION_WORDS.contains(&first) {
        return Vec::new();
    }
    let unquoted = blank_quoted(body);
    lex::words(&unquoted)
        .filter(|w| kconfig_name(w))
        .map(|w| (SymbolKind::KconfigRef, w.to_vec()))
        .collect()
}

pub(super) fn make_symbols(file: &FileDiff, out: &mut Vec<Found>) {
    for hunk in &file.hunks {
        let numbers = line_numbers(hunk);
        for (at, line) in hunk.lines.iter().enumerate() {
            if line.kind != LineKind::Added {
                continue;
            }
            let number = numbers.get(at).copied().unwrap_or(hunk.line);
            for name in lex::words(cut_hash_comment(&line.text)).filter_map(config_ref) {
                out.push(Found {
                    kind: SymbolKind::KconfigRef,
                    name: name.to_vec(),
                    line: number,
                });
            }
        }
    }
}

/// `CONFIG_FOO` or `CONFIG_FOO_MODULE`: `FOO`.
pub(super) fn config_ref(word: &[u8]) -> Option<&[u8]> {
    let name = word.strip_prefix(b"CONFIG_")?;
    let name = match name.strip_suffix(b"_MODULE") {
        Some(base) if !base.is_empty() => base,
        _ => name,
    };
    kconfig_name(name).then_some(name)
}

/// Whether `name` looks like a Kconfig symbol: 2+ bytes of `[A-Z0-9_]` with
/// a letter (Kconfig allows lower case, the kernel does not use it, and the
/// rule keeps `y`/`m`/`n` and help-text words out).
fn kconfig_name(name: &[u8]) -> bool {
    name.len() >= 2
        && name
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
        && name.iter().any(u8::is_ascii_uppercase)
}

/// The line up to a `#` outside double quotes.
fn cut_hash_comment(text: &[u8]) -> &[u8] {
    let mut quoted = false;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'#' if !quoted => return &text[..i],
            _ => {}
        }
    }
    text
}

/// The line with every `"…"` replaced by blanks.
fn blank_quoted(text: &[u8]) -> Vec<u8> {
    let mut quoted = false;
    text.iter()
        .map(|&b| {
            if b == b'"' {
                quoted = !quoted;
                b' '
            } else if quoted {
                b' '
            } else {
                b
            }
        })
        .collect()
}

/// The width of a line's leading blanks, tabs to multiples of 8.
fn indent_width(text: &[u8]) -> usize {
    let mut width = 0;
    for &b in text {
        match b {
            b' ' => width += 1,
            b'\t' => width = (width / 8 + 1) * 8,
            _ => break,
        }
    }
    width
}
