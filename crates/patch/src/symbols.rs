//! Names a patch introduces and functions it touches, for comparison with upstream.
//!
//! Two questions need names that can be searched for in an upstream tree:
//! did upstream solve the same problem with different code (the patch adds a
//! Kconfig symbol, a module parameter, a xenstore key, a sysfs attribute or a
//! function, and upstream has the same name), and is the patch obsolete (the
//! functions it modifies no longer exist upstream)?
//!
//! [`introduced`] answers the first with typed [`Symbol`]s: names found in
//! added lines and in no removed or context line (nor hunk section) of the
//! same patch. [`touched_functions`] answers the second from hunk sections
//! (`@@ … @@ static int blkif_schedule(void *arg)`) and from function
//! definitions in context and removed lines.
//!
//! Extraction is lexical, never a parse: a tiny tokenizer drops `/* … */`
//! comments (also across the lines of one side of a hunk) and `//` comments,
//! and keeps string literals whole, so neither comment text nor literal text
//! ever becomes an identifier. A hunk that starts inside a block comment is
//! recognised by a `*/` before any `/*` on its side, or by ` * text` lines.
//! Only C-like files (`.c`, `.h`, `.S`) yield C
//! names; `Kconfig*` files yield Kconfig symbols, `Makefile*` and `Kbuild*`
//! files yield `CONFIG_` references; other files yield nothing.

mod blocks;
mod c;
mod function;
mod kconfig;
mod lex;
pub mod source;
mod words;

#[cfg(test)]
mod tests;

use crate::diff::{FileDiff, Hunk, LineKind};
use c::c_symbols;
use function::{hunk_touches, section_name};
use kconfig::{kconfig_symbols, make_symbols};
use lex::{lex_line, Flavour, Tok};
use serde::Serialize;
use std::collections::HashSet;

/// What kind of name a [`Symbol`] is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SymbolKind {
    /// A C function defined by added lines (`static int foo(void)` then `{`),
    /// or an assembly entry point (`ENTRY(foo)`, `SYM_FUNC_START(foo)`).
    Function,
    /// A `#define NAME`.
    Macro,
    /// A `struct`, `union` or `enum` definition (`struct NAME {`).
    Struct,
    /// A Kconfig symbol defined by `config NAME` or `menuconfig NAME`.
    KconfigSymbol,
    /// A Kconfig symbol used: `CONFIG_NAME` in C or a Makefile, or a name in a
    /// Kconfig `depends on`/`select`/`default`/`if` expression. Named without
    /// `CONFIG_` and without an autoconf `_MODULE` suffix.
    KconfigRef,
    /// A module or boot parameter: `module_param*(name`, `core_param(name`,
    /// `MODULE_PARM_DESC(name`, `early_param("name"`, `__setup("name="`.
    ModuleParam,
    /// A sysfs attribute: `DEVICE_ATTR*(name`, `__ATTR*(name` and other
    /// `*_ATTR(`/`*_ATTR_*(` macros, or `struct kobj_attribute name_attr`.
    Sysfs,
    /// A key-like string literal such as the xenstore key `"feature-barrier"`.
    StringLiteral,
    /// Any other distinctive identifier in added C code.
    Identifier,
}

impl SymbolKind {
    /// Whether an [`Identifier`](SymbolKind::Identifier) of the same name adds
    /// nothing to a symbol of this kind (it is then dropped).
    fn shadows_identifier(self) -> bool {
        matches!(
            self,
            SymbolKind::Function
                | SymbolKind::Macro
                | SymbolKind::Struct
                | SymbolKind::ModuleParam
                | SymbolKind::Sysfs
        )
    }
}

/// A name a patch introduces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Symbol {
    /// The name as it would be searched for upstream (see [`SymbolKind`]).
    pub name: String,
    /// What kind of name it is.
    pub kind: SymbolKind,
    /// The path of the file diff it was found in.
    pub path: String,
    /// The 1-based patch line of its first occurrence.
    pub line: usize,
}

/// A function whose existing code a hunk changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TouchedFunction {
    /// The path of the file diff.
    pub path: String,
    /// The function's name.
    pub name: String,
    /// The 1-based patch line of the first change attributed to it.
    pub line: usize,
}

/// The names the patch's added lines introduce, deduplicated by kind and name,
/// in patch order. A name is introduced only when it occurs nowhere on the
/// patch's old side: not as a word of any removed or context line or hunk
/// section (comments and literals included), nor between two quotes there
/// (for Kconfig kinds also not as `CONFIG_NAME[_MODULE]`, for boot parameters
/// also not as `"NAME="`). An identifier that is also a function, macro,
/// struct, parameter or attribute name is reported only as that, and a
/// Kconfig reference only when the patch does not define the symbol.
pub fn introduced(files: &[FileDiff]) -> Vec<Symbol> {
    let old = OldNames::of(files);
    let mut symbols = Vec::new();
    for file in files {
        let path = path_of(file);
        let mut found = Vec::new();
        match FileClass::of(path.as_bytes()) {
            FileClass::C(flavour) => c_symbols(file, flavour, &mut found),
            FileClass::Kconfig => kconfig_symbols(file, &mut found),
            FileClass::Make => make_symbols(file, &mut found),
            FileClass::Other => {}
        }
        symbols.extend(
            found
                .into_iter()
                .filter(|f| !old.has(f.kind, &f.name))
                .map(|f| Symbol {
                    name: String::from_utf8_lossy(&f.name).into_owned(),
                    kind: f.kind,
                    path: path.clone(),
                    line: f.line,
                }),
        );
    }
    dedup(symbols)
}

/// The functions whose existing code the patch's hunks change, deduplicated
/// by path and name, in patch order. Each hunk starts in the function its
/// section names (if the section is a function header); a function
/// definition in a context or removed line switches to that function, a
/// context or removed line starting with `}` leaves it. Every added or removed
/// line touches the current function; a removed definition touches itself.
/// Only C-like files are considered.
pub fn touched_functions(files: &[FileDiff]) -> Vec<TouchedFunction> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for file in files {
        let path = path_of(file);
        let FileClass::C(flavour) = FileClass::of(path.as_bytes()) else {
            continue;
        };
        for hunk in &file.hunks {
            for (name, line) in hunk_touches(hunk, flavour) {
                let name = String::from_utf8_lossy(name).into_owned();
                if seen.insert((path.clone(), name.clone())) {
                    out.push(TouchedFunction {
                        path: path.clone(),
                        name,
                        line,
                    });
                }
            }
        }
    }
    out
}

/// The functions whose code `hunk` of the file diff at `path` changes (from its section
/// and the definitions among its lines), distinct, in order; empty for files that are
/// not C-like.
pub fn hunk_functions(path: &str, hunk: &Hunk) -> Vec<String> {
    let FileClass::C(flavour) = FileClass::of(path.as_bytes()) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    // In a header, the section `diff -p` shows is most often a prototype or a type, not a
    // function around the change: only definitions among the hunk's lines count there.
    let header = path.ends_with(".h");
    let bare;
    let hunk = if header {
        bare = Hunk {
            section: Default::default(),
            ..hunk.clone()
        };
        &bare
    } else {
        hunk
    };
    let section = section_name(&hunk.section).into_iter();
    let touched = hunk_touches(hunk, flavour)
        .into_iter()
        .map(|(name, _)| name);
    for name in section.chain(touched) {
        let name = String::from_utf8_lossy(name).into_owned();
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The function named by a hunk section such as `static int foo(void *arg)`:
/// a header with a return type before the name, the name not a keyword nor
/// all upper case (a macro invocation), and no `;` (a prototype or statement).
pub fn section_function(section: &[u8]) -> Option<String> {
    section_name(section).map(|n| String::from_utf8_lossy(n).into_owned())
}

/// A candidate symbol before the old-side filter.
struct Found {
    kind: SymbolKind,
    name: Vec<u8>,
    line: usize,
}

/// How a file is read, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileClass {
    /// `.c`, `.h` (C) or `.S` (assembly with the C preprocessor).
    C(Flavour),
    /// `Kconfig*`.
    Kconfig,
    /// `Makefile*`, `Kbuild*`.
    Make,
    /// Anything else: documentation, spec files, scripts.
    Other,
}

impl FileClass {
    fn of(path: &[u8]) -> FileClass {
        let base = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
        if base.ends_with(b".c") || base.ends_with(b".h") {
            FileClass::C(Flavour::C)
        } else if base.ends_with(b".S") {
            FileClass::C(Flavour::Asm)
        } else if base.starts_with(b"Kconfig") {
            FileClass::Kconfig
        } else if base.starts_with(b"Makefile") || base.starts_with(b"Kbuild") {
            FileClass::Make
        } else {
            FileClass::Other
        }
    }
}

fn path_of(file: &FileDiff) -> String {
    file.path().map(|p| p.to_string()).unwrap_or_default()
}

/// The names on the patch's old side (context and removed lines, sections).
struct OldNames<'a> {
    words: HashSet<&'a [u8]>,
    quoted: HashSet<&'a [u8]>,
}

impl<'a> OldNames<'a> {
    fn of(files: &'a [FileDiff]) -> OldNames<'a> {
        let mut old = OldNames {
            words: HashSet::new(),
            quoted: HashSet::new(),
        };
        for hunk in files.iter().flat_map(|f| f.hunks.iter()) {
            old.add(&hunk.section);
            for line in hunk.lines.iter().filter(|l| l.kind != LineKind::Added) {
                old.add(&line.text);
            }
        }
        old
    }

    fn add(&mut self, text: &'a [u8]) {
        self.words.extend(lex::words(text));
        self.quoted.extend(lex::quoted_runs(text));
    }

    fn has(&self, kind: SymbolKind, name: &[u8]) -> bool {
        let seen = |n: &[u8]| self.words.contains(n) || self.quoted.contains(n);
        if seen(name) {
            return true;
        }
        match kind {
            SymbolKind::KconfigSymbol | SymbolKind::KconfigRef => {
                let config = [b"CONFIG_", name].concat();
                seen(&config) || seen(&[&config[..], b"_MODULE"].concat())
            }
            SymbolKind::ModuleParam => seen(&[name, b"="].concat()),
            _ => false,
        }
    }
}

/// Keep the first symbol of each (kind, name); drop identifiers that are also
/// a more specific kind, and references to Kconfig symbols the patch defines.
fn dedup(symbols: Vec<Symbol>) -> Vec<Symbol> {
    let mut seen = HashSet::new();
    let unique: Vec<Symbol> = symbols
        .into_iter()
        .filter(|s| seen.insert((s.kind, s.name.clone())))
        .collect();
    let named = |pred: fn(SymbolKind) -> bool| -> HashSet<String> {
        unique
            .iter()
            .filter(|s| pred(s.kind))
            .map(|s| s.name.clone())
            .collect()
    };
    let specific = named(SymbolKind::shadows_identifier);
    let configs = named(|k| k == SymbolKind::KconfigSymbol);
    unique
        .iter()
        .filter(|s| match s.kind {
            SymbolKind::Identifier => !specific.contains(&s.name),
            SymbolKind::KconfigRef => !configs.contains(&s.name),
            _ => true,
        })
        .cloned()
        .collect()
}

/// The patch line of each hunk line (`\ No newline` lines take one too).
fn line_numbers(hunk: &Hunk) -> Vec<usize> {
    let mut next = hunk.line + 1;
    hunk.lines
        .iter()
        .map(|l| {
            let at = next;
            next += 1 + usize::from(l.no_newline);
            at
        })
        .collect()
}

/// One line of one side of a hunk, tokenized.
struct SideLine<'a> {
    /// Its index in the hunk's lines.
    at: usize,
    kind: LineKind,
    toks: Vec<Tok<'a>>,
}

/// The lines of the new side (`new`: context and added) or the old side
/// (context and removed) of a hunk, tokenized in order so that block
/// comments carry over correctly.
fn lex_side(hunk: &Hunk, new: bool, flavour: Flavour) -> Vec<SideLine<'_>> {
    let skip = if new {
        LineKind::Removed
    } else {
        LineKind::Added
    };
    let side = || hunk.lines.iter().filter(|l| l.kind != skip);
    let mut in_comment = lex::starts_in_comment(side().map(|l| &l.text[..]));
    hunk.lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.kind != skip)
        .map(|(at, l)| SideLine {
            at,
            kind: l.kind,
            toks: lex_line(&l.text, &mut in_comment, flavour),
        })
        .collect()
}
