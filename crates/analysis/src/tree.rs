//! The tree stages of the cascade, against a target tree (a release tarball, a directory or
//! the upstream revision judged against): are the patch's hunks already there or do they
//! still apply; are its files gone, or moved (paths mapped by file name and content); are
//! the functions it changes gone; do the names it introduces (functions, macros, Kconfig
//! symbols, module parameters, sysfs attributes, protocol and xenstore key strings) exist
//! upstream.
//!
//! The tree is read once for the whole queue ([`TargetTree::scan`]): the files the patches
//! touch (and files of the same name, for moved paths) are kept, and every name searched
//! for is looked up in the same pass.

use crate::model::{Evidence, EvidenceKind, Status};
use crate::AnalysisError;
use kdelta_patch::apply::{check_file, is_trivial, CheckOptions, FileState, Target};
use kdelta_patch::symbols::{introduced, touched_functions, Symbol, SymbolKind};
use kdelta_patch::{ChangeKind, FileDiff, Patch};
use kdelta_upstream::tree::{scan, Needle, ScanRequest, TreeSource};
use std::collections::{BTreeSet, HashMap, HashSet};

/// What the target tree says about one patch.
#[derive(Clone, Debug, Default)]
pub struct TreeFacts {
    /// The tree, for messages.
    pub tree: String,
    /// Each text file of the patch.
    pub files: Vec<FileFact>,
    /// Distinctive names the patch introduces found upstream, with where (a few paths).
    pub symbols_found: Vec<(Symbol, Vec<String>)>,
    /// Distinctive names the patch introduces absent upstream.
    pub symbols_missing: Vec<Symbol>,
    /// Functions the patch changes, and those of them absent upstream.
    pub functions: (usize, Vec<String>),
}

/// How one file of a patch stands in the target.
#[derive(Clone, Debug)]
pub struct FileFact {
    /// The path in the patch.
    pub path: String,
    /// The target path it was found at under another name, if moved.
    pub mapped: Option<String>,
    /// The apply state, or `None` when the file is not in the target at all.
    pub state: Option<FileState>,
    /// Hunks present / still applying / total.
    pub hunks: (usize, usize, usize),
    /// Whether the patch creates the file.
    pub created: bool,
    /// Whether the change was found by its lines alone: the hunks' context changed since,
    /// but every added line is there and no removed line is left.
    pub by_content: bool,
}

/// The target tree, as far as the queue needs it.
pub struct TargetTree {
    describe: String,
    paths: HashSet<String>,
    by_name: HashMap<String, Vec<String>>,
    files: HashMap<String, Vec<u8>>,
    needles: HashMap<String, usize>,
    hits: Vec<Vec<String>>,
    hit_counts: Vec<usize>,
}

/// What a tree scan must look for, gathered patch by patch (so that patches need not all be
/// in memory at once): the files they change, by path and by name, and the names they
/// introduce or change.
#[derive(Debug)]
pub struct ScanPlan {
    wanted_paths: HashSet<String>,
    wanted_names: HashSet<String>,
    needles: Vec<Needle>,
    needle_ids: HashMap<String, usize>,
}

/// Files of the tree every scan keeps, for who-can-upstream-it answers.
pub const PEOPLE_FILES: [&str; 2] = ["MAINTAINERS", ".mailmap"];

impl Default for ScanPlan {
    fn default() -> ScanPlan {
        ScanPlan {
            wanted_paths: PEOPLE_FILES.iter().map(|p| p.to_string()).collect(),
            wanted_names: HashSet::new(),
            needles: Vec::new(),
            needle_ids: HashMap::new(),
        }
    }
}

impl ScanPlan {
    /// Add what `patch` needs.
    pub fn add(&mut self, patch: &Patch) {
        for file in text_files(patch) {
            let path = path_of(file);
            self.wanted_names.extend(upstream_names(&path));
            self.wanted_paths.insert(path);
        }
        let names = introduced(&patch.files)
            .into_iter()
            .filter(distinctive)
            .flat_map(|s| needle_texts(&s))
            .chain(
                touched_functions(&patch.files)
                    .into_iter()
                    .map(|f| (f.name, true)),
            );
        for (text, whole_word) in names {
            if !self.needle_ids.contains_key(&text) {
                self.needle_ids.insert(text.clone(), self.needles.len());
                self.needles.push(Needle { text, whole_word });
            }
        }
    }
}

impl TargetTree {
    /// Read `source` once for all `patches`.
    pub fn scan<'p>(
        source: &TreeSource,
        patches: impl IntoIterator<Item = &'p Patch>,
    ) -> Result<TargetTree, AnalysisError> {
        let mut plan = ScanPlan::default();
        for patch in patches {
            plan.add(patch);
        }
        TargetTree::scan_for(source, plan)
    }

    /// Read `source` once for what `plan` gathered from the patches.
    pub fn scan_for(source: &TreeSource, plan: ScanPlan) -> Result<TargetTree, AnalysisError> {
        let ScanPlan {
            wanted_paths,
            wanted_names,
            needles,
            needle_ids,
        } = plan;
        let request = ScanRequest {
            wanted: Box::new(move |p: &str| {
                wanted_paths.contains(p) || wanted_names.contains(file_name(p))
            }),
            needles,
        };
        let found = scan(source, &request)?;
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for path in found.files.keys() {
            by_name
                .entry(file_name(path).to_string())
                .or_default()
                .push(path.clone());
        }
        Ok(TargetTree {
            describe: found.describe,
            paths: found.paths.into_iter().collect(),
            by_name,
            files: found.files,
            needles: needle_ids,
            hits: found.hits,
            hit_counts: found.hit_counts,
        })
    }

    /// The bytes of a file the scan kept (the patches' files, MAINTAINERS, .mailmap).
    pub fn file(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Every file path of the tree.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.iter().map(String::as_str)
    }

    /// What the tree is, for messages.
    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// The facts of one patch.
    pub fn facts(&self, _name: &str, patch: &Patch) -> TreeFacts {
        let options = CheckOptions::default();
        let files = text_files(patch)
            .map(|f| self.file_fact(f, &options))
            .collect();
        let mut symbols_found = Vec::new();
        let mut symbols_missing = Vec::new();
        for symbol in introduced(&patch.files).into_iter().filter(distinctive) {
            let paths = self.where_found(&symbol);
            if paths.is_empty() {
                symbols_missing.push(symbol);
            } else {
                symbols_found.push((symbol, paths));
            }
        }
        let touched = touched_functions(&patch.files);
        let gone: BTreeSet<String> = touched
            .iter()
            .filter(|f| self.count(&f.name) == Some(0))
            .map(|f| f.name.clone())
            .collect();
        TreeFacts {
            tree: self.describe.clone(),
            files,
            symbols_found,
            symbols_missing,
            functions: (touched.len(), gone.into_iter().collect()),
        }
    }

    fn count(&self, needle: &str) -> Option<usize> {
        self.needles
            .get(needle)
            .and_then(|&i| self.hit_counts.get(i).copied())
    }

    fn where_found(&self, symbol: &Symbol) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (text, _) in needle_texts(symbol) {
            if let Some(paths) = self.needles.get(&text).and_then(|&i| self.hits.get(i)) {
                out.extend(paths.iter().take(3).cloned());
            }
        }
        out.sort();
        out.dedup();
        out.truncate(3);
        out
    }

    fn file_fact(&self, file: &FileDiff, options: &CheckOptions) -> FileFact {
        let path = path_of(file);
        let created = file.change == ChangeKind::Added;
        let (mapped, content) = match self.files.get(&path) {
            Some(content) => (None, Some(content)),
            None if self.paths.contains(&path) => (None, None),
            None => match self.map_path(file, &path, options) {
                Some((to, content)) => (Some(to), Some(content)),
                None => (None, None),
            },
        };
        let Some(content) = content else {
            return FileFact {
                path,
                mapped,
                state: None,
                hunks: (0, 0, file.hunks.len()),
                created,
                by_content: false,
            };
        };
        let target = Target::new(content, options);
        let check = target.check(file);
        let applied = check.hunks.iter().filter(|h| h.post.is_some()).count();
        let applies = check.hunks.iter().filter(|h| h.pre.is_some()).count();
        let by_content = check.state == FileState::Conflicts
            && applies == 0
            && changed_by_content(file, &target);
        FileFact {
            path,
            mapped,
            state: Some(if by_content {
                FileState::Applied
            } else {
                check.state
            }),
            hunks: (
                if by_content {
                    check.hunks.len()
                } else {
                    applied
                },
                applies,
                check.hunks.len(),
            ),
            created,
            by_content,
        }
    }

    /// A file of the same name whose content best matches the patch's lines (context and
    /// removed lines, or added lines for a new file), when at least a third of them occur.
    fn map_path<'t>(
        &'t self,
        file: &FileDiff,
        path: &str,
        options: &CheckOptions,
    ) -> Option<(String, &'t Vec<u8>)> {
        let others: Vec<&String> = upstream_names(path)
            .iter()
            .filter_map(|n| self.by_name.get(n))
            .flatten()
            .collect();
        let mut best: Option<(f64, &String)> = None;
        for other in others {
            let content = self.files.get(other)?;
            let check = check_file(file, content, options);
            let (present, total) = check.added_present;
            let hunks = check.hunks.len().max(1) as f64;
            let located = check
                .hunks
                .iter()
                .filter(|h| h.pre.is_some() || h.post.is_some())
                .count();
            let score = (located as f64 / hunks).max(if total > 0 {
                present as f64 / total as f64
            } else {
                0.0
            });
            if score >= 1.0 / 3.0 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, other));
            }
        }
        best.and_then(|(_, to)| self.files.get(to).map(|c| (to.clone(), c)))
    }
}

impl TreeFacts {
    /// The status the tree supports, if any, adding its evidence.
    pub fn judge(&self, evidence: &mut Vec<Evidence>) -> Option<(Status, f64)> {
        let start = evidence.len();
        let status = self.judge_files(evidence);
        for f in self.files.iter().filter(|f| f.mapped.is_some()) {
            let to = f.mapped.as_deref().unwrap_or_default();
            let moved = format!("{} is {} in {}", f.path, to, self.tree);
            let at = if evidence.len() > start {
                evidence.len()
            } else {
                start
            };
            evidence.insert(at, Evidence::new(EvidenceKind::PathMapped, moved));
        }
        status
    }

    fn judge_files(&self, evidence: &mut Vec<Evidence>) -> Option<(Status, f64)> {
        let with_hunks: Vec<&FileFact> = self.files.iter().filter(|f| f.hunks.2 > 0).collect();
        if with_hunks.is_empty() {
            return None;
        }
        let state = |s: FileState| with_hunks.iter().filter(|f| f.state == Some(s)).count();
        let gone: Vec<&&FileFact> = with_hunks
            .iter()
            .filter(|f| f.state.is_none() && !f.created)
            .collect();
        let hunks: usize = with_hunks.iter().map(|f| f.hunks.2).sum();
        let present: usize = with_hunks.iter().map(|f| f.hunks.0).sum();
        let settled = state(FileState::Applied) + state(FileState::Ambiguous);
        if state(FileState::Applied) > 0 && settled == with_hunks.len() {
            let moved: Vec<&str> = with_hunks
                .iter()
                .filter(|f| f.by_content)
                .map(|f| f.path.as_str())
                .collect();
            if moved.is_empty() {
                evidence.push(Evidence::new(
                    EvidenceKind::TreeApplied,
                    format!(
                        "{} already present in {}",
                        hunk_count(hunks, "is", "are"),
                        self.tree
                    ),
                ));
                return Some((Status::Upstream, 0.75));
            }
            evidence.push(Evidence::new(
                EvidenceKind::TreeApplied,
                format!(
                    "the change is present in {}: every added line is there and no removed line is left in {} (its context changed since)",
                    self.tree,
                    moved.join(", ")
                ),
            ));
            return Some((Status::Upstream, 0.6));
        }
        if let Some(found) = self.replacement(evidence) {
            return Some(found);
        }
        if gone.len() == with_hunks.len() {
            let list: Vec<&str> = gone.iter().map(|f| f.path.as_str()).collect();
            evidence.push(Evidence::new(
                EvidenceKind::FilesGone,
                format!("not in {}: {}", self.tree, list.join(", ")),
            ));
            return Some((Status::Obsolete, 0.6));
        }
        let (touched, missing) = &self.functions;
        let conflicts = state(FileState::Conflicts) + gone.len();
        if conflicts > 0 && !missing.is_empty() && missing.len() * 2 >= *touched {
            evidence.push(Evidence::new(
                EvidenceKind::FunctionsGone,
                format!(
                    "functions it changes are gone from {}: {}",
                    self.tree,
                    missing.join(", ")
                ),
            ));
            return Some((Status::Obsolete, 0.55));
        }
        if conflicts == 0
            && state(FileState::Applies) + state(FileState::Ambiguous) == with_hunks.len()
        {
            evidence.push(Evidence::new(
                EvidenceKind::TreeApplies,
                format!(
                    "{} still {} to {}",
                    hunk_count(hunks, "", ""),
                    if hunks == 1 { "applies" } else { "apply" },
                    self.tree
                ),
            ));
            return Some((Status::NeedsWork, 0.6));
        }
        if conflicts == 0 {
            evidence.push(Evidence::new(
                EvidenceKind::TreeApplied,
                format!(
                    "{present} of {hunks} hunks are already present in {}; the rest still applies",
                    self.tree
                ),
            ));
            return Some((Status::NeedsWork, 0.5));
        }
        if present > 0 {
            evidence.push(Evidence::new(
                EvidenceKind::TreeApplied,
                format!(
                    "{present} of {hunks} hunks are already present in {}",
                    self.tree
                ),
            ));
        }
        evidence.push(Evidence::new(
            EvidenceKind::TreeConflicts,
            format!(
                "{} of {} files no longer match {} as the patch expects: it needs a rebase",
                conflicts,
                with_hunks.len(),
                self.tree
            ),
        ));
        Some((Status::NeedsWork, 0.4))
    }

    /// Upstream has most of the names the patch introduces: it likely solved the same
    /// problem its own way.
    fn replacement(&self, evidence: &mut Vec<Evidence>) -> Option<(Status, f64)> {
        let found = self.symbols_found.len();
        let all = found + self.symbols_missing.len();
        if found < 2 || found * 2 < all {
            return None;
        }
        let list: Vec<String> = self
            .symbols_found
            .iter()
            .take(8)
            .map(|(s, paths)| format!("{} {} ({})", kind_word(s.kind), s.name, paths.join(", ")))
            .collect();
        evidence.push(Evidence::new(
            EvidenceKind::SymbolsUpstream,
            format!(
                "{found} of {all} names it introduces exist in {}: {}",
                self.tree,
                list.join("; ")
            ),
        ));
        if !self.symbols_missing.is_empty() {
            let missing: Vec<&str> = self
                .symbols_missing
                .iter()
                .take(8)
                .map(|s| s.name.as_str())
                .collect();
            evidence.push(Evidence::new(
                EvidenceKind::SymbolsMissing,
                format!("absent: {}", missing.join(", ")),
            ));
        }
        Some((
            Status::ReplacementLikely,
            0.5 + 0.3 * found as f64 / all as f64,
        ))
    }
}

/// Whether `target` has every distinctive added line of `file` (at least two: not trivial,
/// ten or more characters besides blanks) and none of its removed lines: the change is
/// there though later changes moved its context.
fn changed_by_content(file: &FileDiff, target: &Target<'_>) -> bool {
    let distinctive = |l: &&bstr::BString| {
        !is_trivial(l) && l.iter().filter(|b| !b.is_ascii_whitespace()).count() >= 10
    };
    let added: Vec<&bstr::BString> = file.added_lines().filter(distinctive).collect();
    added.len() >= 2
        && added.iter().all(|l| target.contains(l))
        && file
            .removed_lines()
            .filter(|l| !is_trivial(l))
            .all(|l| !target.contains(l))
}

/// Names worth searching upstream: definitions and keys, not every identifier used, nor
/// include guards (`_ASM_X86_IO_H`), which every fork of a header shares.
fn distinctive(s: &Symbol) -> bool {
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

/// The texts to search for a symbol, each whole-word or not.
fn needle_texts(s: &Symbol) -> Vec<(String, bool)> {
    match s.kind {
        SymbolKind::KconfigSymbol => vec![
            (format!("CONFIG_{}", s.name), true),
            (format!("config {}", s.name), true),
        ],
        SymbolKind::StringLiteral => vec![(format!("\"{}\"", s.name), false)],
        _ => vec![(s.name.clone(), true)],
    }
}

fn kind_word(kind: SymbolKind) -> &'static str {
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

/// "the hunk is" / "all 3 hunks are" (`one` and `many` are the verb forms, or empty).
fn hunk_count(n: usize, one: &str, many: &str) -> String {
    let (words, verb) = if n == 1 {
        ("the hunk".to_string(), one)
    } else {
        (format!("all {n} hunks"), many)
    };
    if verb.is_empty() {
        words
    } else {
        format!("{words} {verb}")
    }
}

fn text_files(patch: &Patch) -> impl Iterator<Item = &FileDiff> {
    patch
        .files
        .iter()
        .filter(|f| !f.binary && f.path().is_some())
}

fn path_of(file: &FileDiff) -> String {
    file.path().map(|p| p.to_string()).unwrap_or_default()
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The names a file may have upstream: its own; for the classic Xen forks of openSUSE and
/// others (`setup-xen.c`, `pgtable_64-xen.h`) the name of the file it forks; and for a
/// driver directory's main file (`drivers/xen/blkfront/blkfront.c`) the one-file driver
/// upstream made of it (`xen-blkfront.c`).
fn upstream_names(path: &str) -> Vec<String> {
    let name = file_name(path);
    let mut names = vec![name.to_string()];
    if let Some((stem, ext)) = name.rsplit_once('.') {
        if let Some(base) = stem.strip_suffix("-xen") {
            names.push(format!("{base}.{ext}"));
        }
        let dir = path.rsplit('/').nth(1).unwrap_or_default();
        if dir == stem {
            names.push(format!("xen-{stem}.{ext}"));
        }
    }
    names
}
