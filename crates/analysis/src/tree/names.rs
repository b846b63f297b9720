//! What a patch provides, looked up in the target: the functions, macros, structs and
//! Kconfig symbols it defines must be *defined* upstream (a mention is not enough); module
//! parameters, sysfs attributes and key strings must occur. A name found in one to three
//! files is specific; one found only in the file a fork copies (`setup-xen.c` →
//! `setup.c`) says nothing about a replacement and is left out.

use super::locate::upstream_names;
use super::{file_name, path_of, text_files, TargetTree};
use kdelta_patch::symbols::{introduced, touched_functions, Symbol, SymbolKind};
use kdelta_patch::{ChangeKind, Patch};
use std::collections::BTreeSet;

/// A name found in at most this many files is specific to one feature.
const SPECIFIC: usize = 3;

/// A provided name, looked up.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
pub struct NameFact {
    /// The name.
    pub symbol: Symbol,
    /// How many files define it (code names) or hold it (keys, parameters).
    pub files: usize,
    /// A few of those files.
    pub found: Vec<String>,
    /// Whether it is found in few enough files to identify a feature.
    pub specific: bool,
    /// Whether it is found where the patch puts it: in the file (by path) of the patch that
    /// introduces it.
    pub at_own: bool,
}

impl NameFact {
    /// Whether the name exists upstream.
    pub fn exists(&self) -> bool {
        self.files > 0
    }
}

/// The distinctive names `patch` introduces, looked up (fork copies left out).
pub fn provided(tree: &TargetTree, patch: &Patch) -> Vec<NameFact> {
    let forked: BTreeSet<String> = text_files(patch)
        .filter(|f| f.change == ChangeKind::Added)
        .flat_map(|f| upstream_names(&path_of(f)).into_iter().skip(1))
        .collect();
    introduced(&patch.files)
        .into_iter()
        .filter(distinctive)
        .filter_map(|symbol| {
            let (files, found, at_own) = where_found(tree, &symbol);
            let only_forks = files > 0
                && files <= found.len()
                && !forked.is_empty()
                && found.iter().all(|p| forked.contains(file_name(p)));
            (!only_forks).then(|| NameFact {
                specific: (1..=SPECIFIC).contains(&files),
                files,
                found,
                at_own,
                symbol,
            })
        })
        .collect()
}

/// How many files define (code names) or hold (other names) `symbol`, the first of them
/// by path, and whether one is the file the patch puts it in (or one of the same name).
fn where_found(tree: &TargetTree, symbol: &Symbol) -> (usize, Vec<String>, bool) {
    let index = tree.index();
    // Only the very path: a file of the same name elsewhere is the counterpart of a fork or
    // a driver that moved, where a name found says "replaced", not "where it puts it".
    let is_own = |id: u32| index.path(id) == symbol.path;
    let kinds: &[SymbolKind] = match symbol.kind {
        SymbolKind::Function | SymbolKind::Macro | SymbolKind::Struct => {
            &[SymbolKind::Function, SymbolKind::Macro, SymbolKind::Struct]
        }
        SymbolKind::KconfigSymbol => &[SymbolKind::KconfigSymbol],
        _ => {
            let needle = match symbol.kind {
                SymbolKind::StringLiteral => format!("\"{}\"", symbol.name),
                _ => symbol.name.clone(),
            };
            let files = index.files_with(&needle);
            let own = files.iter().any(|&id| is_own(id));
            let first = files.iter().take(3).map(|&id| index.path(id).to_string());
            return (index.word_count(&needle), first.collect(), own);
        }
    };
    let mut files: Vec<u32> = index
        .definitions(&symbol.name)
        .iter()
        .filter(|d| kinds.contains(&d.kind))
        .map(|d| d.file)
        .collect();
    files.sort_unstable();
    files.dedup();
    let own = files.iter().any(|&id| is_own(id));
    let first = files.iter().take(3).map(|&id| index.path(id).to_string());
    (files.len(), first.collect(), own)
}

/// Names worth looking up: definitions and keys, not every identifier used, nor include
/// guards (`_ASM_X86_IO_H`), which every fork of a header shares.
pub fn distinctive(s: &Symbol) -> bool {
    match s.kind {
        SymbolKind::Identifier | SymbolKind::KconfigRef => false,
        SymbolKind::Macro if is_include_guard(&s.name) => false,
        SymbolKind::ModuleParam => s.name.len() >= 5,
        _ => s.name.len() >= 4,
    }
}

fn is_include_guard(name: &str) -> bool {
    let trimmed = name.trim_end_matches('_');
    trimmed.ends_with("_H") || trimmed.ends_with("_H_INCLUDED")
}

/// Functions `patch` changes, and those of them the tree neither defines nor mentions.
pub fn gone_functions(tree: &TargetTree, patch: &Patch) -> (usize, Vec<String>) {
    let touched = touched_functions(&patch.files);
    let index = tree.index();
    let gone: BTreeSet<String> = touched
        .iter()
        .filter(|f| index.definitions(&f.name).is_empty() && index.word_count(&f.name) == 0)
        .map(|f| f.name.clone())
        .collect();
    (touched.len(), gone.into_iter().collect())
}

/// How a kind of name reads in evidence.
pub fn kind_word(kind: SymbolKind) -> &'static str {
    match kind {
        SymbolKind::Function => "function",
        SymbolKind::Macro => "macro",
        SymbolKind::KconfigSymbol => "Kconfig symbol",
        SymbolKind::ModuleParam => "module parameter",
        SymbolKind::Sysfs => "sysfs attribute",
        SymbolKind::StringLiteral => "string",
        SymbolKind::Struct => "type",
        SymbolKind::KconfigRef => "Kconfig reference",
        SymbolKind::Identifier => "identifier",
    }
}
