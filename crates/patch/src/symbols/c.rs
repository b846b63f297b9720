//! C and assembly: the typed names of added lines (definitions, parameters,
//! attributes, key-like literals, `CONFIG_` references) and distinctive
//! identifiers.

use super::function::function_definition;
use super::kconfig::config_ref;
use super::lex::{self, Flavour, Tok, TokKind};
use super::{lex_side, line_numbers, words, Found, SideLine, SymbolKind};
use crate::diff::{FileDiff, LineKind};

pub(super) fn c_symbols(file: &FileDiff, flavour: Flavour, out: &mut Vec<Found>) {
    for hunk in &file.hunks {
        let numbers = line_numbers(hunk);
        let lines = lex_side(hunk, true, flavour);
        for (i, line) in lines.iter().enumerate() {
            if line.kind != LineKind::Added {
                continue;
            }
            let at = numbers.get(line.at).copied().unwrap_or(hunk.line);
            let mut emit = |kind, name: &[u8]| {
                out.push(Found {
                    kind,
                    name: name.to_vec(),
                    line: at,
                })
            };
            c_line_symbols(&lines, i, flavour, &mut emit);
        }
    }
}

/// The symbols of new-side line `i` of a hunk (later lines are looked at for
/// the `{` of a definition).
fn c_line_symbols(
    lines: &[SideLine<'_>],
    i: usize,
    flavour: Flavour,
    emit: &mut dyn FnMut(SymbolKind, &[u8]),
) {
    let toks = &lines[i].toks;
    match directive(toks) {
        Some(
            b"include" | b"include_next" | b"import" | b"error" | b"warning" | b"pragma" | b"line"
            | b"ident" | b"sccs" | b"assert" | b"unassert",
        ) => return,
        Some(b"define") => {
            if let Some(name) = toks.get(2).and_then(Tok::ident).filter(|n| macro_name(n)) {
                emit(SymbolKind::Macro, name);
            }
        }
        _ => {}
    }
    if let Some(name) = function_definition(lines, i) {
        emit(SymbolKind::Function, name);
    }
    let next_first = lines.get(i + 1).and_then(|l| l.toks.first());
    for j in 0..toks.len() {
        token_symbols(toks, j, next_first, flavour, emit);
    }
}

/// The preprocessor directive of a line (`#  define` too).
fn directive<'a>(toks: &[Tok<'a>]) -> Option<&'a [u8]> {
    if toks.first()?.is(b'#') {
        toks.get(1)?.ident()
    } else {
        None
    }
}

/// Symbols that start at token `j`: the special forms, then the token itself
/// as a Kconfig reference, a key-like literal or a distinctive identifier.
fn token_symbols(
    toks: &[Tok<'_>],
    j: usize,
    next_first: Option<&Tok<'_>>,
    flavour: Flavour,
    emit: &mut dyn FnMut(SymbolKind, &[u8]),
) {
    let tok = &toks[j];
    let at = |k: usize| toks.get(j + k);
    let ident_at = |k: usize| at(k).and_then(Tok::ident);
    match tok.kind {
        TokKind::Ident(word) => {
            if matches!(word, b"struct" | b"union" | b"enum") {
                let opens = at(2).map_or(next_first.is_some_and(|t| t.is(b'{')), |t| t.is(b'{'));
                if let Some(name) = ident_at(1).filter(|n| opens && !words::is_keyword(n)) {
                    emit(SymbolKind::Struct, name);
                }
                if let Some(name) = attribute_variable(toks, j) {
                    emit(SymbolKind::Sysfs, &name);
                }
            }
            if at(1).is_some_and(|t| t.is(b'(')) {
                call_symbols(word, at(2), flavour, emit);
            }
            if let Some(name) = config_ref(word) {
                emit(SymbolKind::KconfigRef, name);
            } else if distinctive(word) && !asm_register(toks, j, flavour) {
                emit(SymbolKind::Identifier, word);
            }
        }
        TokKind::Str(text) if key_like(text) => emit(SymbolKind::StringLiteral, text),
        _ => {}
    }
}

/// Symbols named by the first argument of a call of `callee`.
fn call_symbols(
    callee: &[u8],
    first: Option<&Tok<'_>>,
    flavour: Flavour,
    emit: &mut dyn FnMut(SymbolKind, &[u8]),
) {
    let Some(first) = first else {
        return;
    };
    match first.kind {
        TokKind::Ident(arg) if MODULE_PARAM_MACROS.contains(&callee) => {
            emit(SymbolKind::ModuleParam, arg)
        }
        TokKind::Ident(arg) if sysfs_macro(callee) => emit(SymbolKind::Sysfs, arg),
        TokKind::Ident(arg) if flavour == Flavour::Asm && ASM_ENTRY_MACROS.contains(&callee) => {
            emit(SymbolKind::Function, arg)
        }
        TokKind::Str(text) if BOOT_PARAM_MACROS.contains(&callee) => {
            let name = text.strip_suffix(b"=").unwrap_or(text);
            if !name.is_empty()
                && name
                    .iter()
                    .all(|&b| lex::is_ident_byte(b) || b == b'-' || b == b'.')
            {
                emit(SymbolKind::ModuleParam, name);
            }
        }
        _ => {}
    }
}

/// Macros whose first argument names a module parameter.
const MODULE_PARAM_MACROS: &[&[u8]] = &[
    b"MODULE_PARM",
    b"MODULE_PARM_DESC",
    b"core_param",
    b"module_param",
    b"module_param_array",
    b"module_param_array_named",
    b"module_param_call",
    b"module_param_cb",
    b"module_param_hw",
    b"module_param_named",
    b"module_param_string",
    b"module_param_unsafe",
];

/// Macros whose first argument is a boot parameter's string (`"name="`).
const BOOT_PARAM_MACROS: &[&[u8]] = &[b"__setup", b"early_param"];

/// Assembly macros that define a global entry point.
pub(super) const ASM_ENTRY_MACROS: &[&[u8]] = &[
    b"ENTRY",
    b"GLOBAL",
    b"SYM_CODE_START",
    b"SYM_CODE_START_LOCAL",
    b"SYM_CODE_START_NOALIGN",
    b"SYM_FUNC_START",
    b"SYM_FUNC_START_LOCAL",
    b"SYM_FUNC_START_NOALIGN",
    b"SYM_FUNC_START_WEAK",
];

/// Attribute types whose variables are sysfs attributes.
const ATTRIBUTE_TYPES: &[&[u8]] = &[
    b"bin_attribute",
    b"bus_attribute",
    b"class_attribute",
    b"device_attribute",
    b"driver_attribute",
    b"kobj_attribute",
];

/// Whether `name` is an upper-case sysfs attribute macro: `__ATTR`, `__ATTR_*`
/// (not `__ATTR_NULL`), `*_ATTR` or `*_ATTR_*` (`DEVICE_ATTR_RO`, `BIN_ATTR`).
fn sysfs_macro(name: &[u8]) -> bool {
    let upper = name
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_');
    let attr = name == b"__ATTR"
        || name.starts_with(b"__ATTR_")
        || name.ends_with(b"_ATTR")
        || name.windows(6).any(|w| w == b"_ATTR_");
    upper && attr && name != b"__ATTR_NULL"
}

/// Whether `name` is one of the macros whose arguments give typed symbols.
fn special_macro(name: &[u8]) -> bool {
    MODULE_PARAM_MACROS.contains(&name)
        || BOOT_PARAM_MACROS.contains(&name)
        || ASM_ENTRY_MACROS.contains(&name)
        || sysfs_macro(name)
}

/// `struct kobj_attribute foo_attr =`/`;` (not `= __ATTR(…)`, whose argument is
/// the name): the attribute named by the variable, without `dev_attr_`-like
/// prefixes and `_attr`/`_attribute` suffixes.
fn attribute_variable(toks: &[Tok<'_>], j: usize) -> Option<Vec<u8>> {
    let ty = toks.get(j + 1)?.ident()?;
    let var = toks.get(j + 2)?.ident()?;
    let after = toks.get(j + 3)?;
    if !ATTRIBUTE_TYPES.contains(&ty) || !(after.is(b'=') || after.is(b';')) {
        return None;
    }
    if after.is(b'=')
        && toks
            .get(j + 4)
            .and_then(Tok::ident)
            .is_some_and(sysfs_macro)
    {
        return None;
    }
    let mut name = var;
    for prefix in [
        &b"dev_attr_"[..],
        b"driver_attr_",
        b"bus_attr_",
        b"class_attr_",
        b"bin_attr_",
    ] {
        name = name.strip_prefix(prefix).unwrap_or(name);
    }
    for suffix in [&b"_attribute"[..], b"_attr"] {
        name = name.strip_suffix(suffix).unwrap_or(name);
    }
    Some(if name.is_empty() { var } else { name }.to_vec())
}

/// Whether a `#define`d name is worth reporting: not a stop word, 3+ bytes.
fn macro_name(name: &[u8]) -> bool {
    name.len() >= 3 && !words::is_stopword(name)
}

/// Whether an identifier is distinctive enough to search for: 4+ bytes with
/// an `_` or a digit, or 8+ bytes; not a keyword or stop word; not a
/// `CONFIG_` name or one of the macros that give typed symbols.
fn distinctive(word: &[u8]) -> bool {
    let marked = word.iter().any(|&b| b == b'_' || b.is_ascii_digit());
    word.len() >= 4
        && (marked || word.len() >= 8)
        && word.iter().any(u8::is_ascii_alphabetic)
        && !words::is_stopword(word)
        && !word.starts_with(b"CONFIG_")
        && !special_macro(word)
}

/// Whether token `j` of an assembly line is a register (`%eax`).
fn asm_register(toks: &[Tok<'_>], j: usize, flavour: Flavour) -> bool {
    flavour == Flavour::Asm && j > 0 && toks[j - 1].is(b'%') && toks[j - 1].col + 1 == toks[j].col
}

/// Whether a literal looks like a key or protocol name rather than a message:
/// 4 to 64 bytes of `[a-z0-9_-/.:]` with a letter, not ending in `:` (a
/// message prefix such as `"blkback:"`), and either a separator or digit in it
/// or 6+ bytes (so `"mode"` or `"type"` are too common to count).
pub(super) fn key_like(text: &[u8]) -> bool {
    let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-/.:".contains(b);
    let marked = text
        .iter()
        .any(|b| b"_-/.:".contains(b) || b.is_ascii_digit());
    (4..=64).contains(&text.len())
        && text.iter().all(allowed)
        && text.iter().any(u8::is_ascii_lowercase)
        && !text.ends_with(b":")
        && (marked || text.len() >= 6)
}
