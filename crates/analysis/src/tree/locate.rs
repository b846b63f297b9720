//! Where each hunk of a patch is in the target, whatever the path: at its own path
//! (offset and fuzz as GNU patch, then ignoring whitespace), on top of the queue's earlier
//! patches, or in another file — one that defines the function the hunk changes, has the
//! same name, or holds the hunk's rarest words. A hunk found nowhere has changed
//! (`conflicts`) when its function or most of its lines are still somewhere, and is gone
//! otherwise: a missing path alone never makes code gone.

use super::holders::Holders;
use super::{file_name, path_of, text_files, QueueView, TargetTree};
use crate::model::{HunkFate, HunkVerdict};
use kdelta_patch::apply::{is_trivial, HunkCheck, Target};
use kdelta_patch::diff::LineKind;
use kdelta_patch::symbols::source::SourceKind;
use kdelta_patch::symbols::{hunk_functions, SymbolKind};
use kdelta_patch::{ChangeKind, FileDiff, Hunk, Patch};
use std::sync::Arc;

/// Other files looked at per hunk, at most.
const MAX_CANDIDATES: usize = 12;

/// A name defined in more files than this says nothing about where a hunk went.
const MAX_DEFINITIONS: usize = 10;

/// Lines of a created file compared with the files it may have become, at most.
const SAMPLE: usize = 40;

/// A file name shared by more files than this is too common to find a hunk by.
const MAX_SAME_NAME: usize = 50;

/// A word in more files than this is too common to find a hunk by.
const MAX_WORD_FILES: usize = 20;

/// How one file of a patch stands in the target.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
pub struct FileFact {
    /// The path in the patch.
    pub path: String,
    /// What the patch does to the file.
    pub change: ChangeKind,
    /// Whether the tree has the path.
    pub in_tree: bool,
    /// Other paths where its hunks were found.
    pub moved_to: Vec<String>,
    /// Whether the change is there by its lines alone: every distinctive added line is in
    /// the file (or where its hunks went) and no removed line is left.
    pub by_content: bool,
}

/// The hunks and files of a patch, located.
#[derive(Default)]
pub(super) struct Located {
    pub(super) hunks: Vec<HunkVerdict>,
    pub(super) files: Vec<FileFact>,
    pub(super) builds_on: Vec<String>,
}

/// Where one hunk was found, and how.
struct Place {
    fate: HunkFate,
    path: String,
    check: Option<HunkCheck>,
    line: Option<usize>,
    via: Option<String>,
    /// The share of its added lines there, when judged by lines.
    share: Option<f64>,
    /// Its old lines are still there, slightly changed.
    kept_old: bool,
    /// Identifiers renamed since (`old→new`), when present renamed.
    renamed: Vec<String>,
    /// How alike its sides are to the code there, when neither image matched.
    alike: Option<crate::model::Alike>,
}

/// Locate every hunk of `patch`.
pub(super) fn locate(tree: &TargetTree, patch: &Patch, queue: Option<&QueueView>) -> Located {
    let mut out = Located::default();
    for file in text_files(patch).filter(|f| !f.hunks.is_empty()) {
        let path = path_of(file);
        let places = match file.change {
            ChangeKind::Added => created(tree, file, &path),
            ChangeKind::Deleted => deleted(tree, file, &path),
            _ => modified(tree, file, &path, queue),
        };
        let mut moved_to: Vec<String> = Vec::new();
        for (i, (hunk, place)) in file.hunks.iter().zip(places).enumerate() {
            if place.path != path && place.fate != HunkFate::Gone && !moved_to.contains(&place.path)
            {
                moved_to.push(place.path.clone());
            }
            if let Some(via) = place.via.as_ref().filter(|v| !out.builds_on.contains(v)) {
                out.builds_on.push(via.clone());
            }
            out.hunks.push(verdict(&path, i, hunk, &place));
        }
        let unsettled = out.hunks[out.hunks.len() - file.hunks.len()..]
            .iter()
            .any(|h| matches!(h.fate, HunkFate::Conflicts | HunkFate::Gone));
        let by_content = unsettled && by_content(tree, file, &path, &moved_to);
        out.files.push(FileFact {
            in_tree: tree.index().path_id(&path).is_some(),
            path,
            change: file.change,
            moved_to,
            by_content,
        });
    }
    unregistered(tree, patch, &mut out);
    out
}

/// A created file whose registration still applies is new, wherever its lines are found.
fn unregistered(tree: &TargetTree, patch: &Patch, out: &mut Located) {
    for r in super::registered::registrations(tree, patch) {
        let applies = r.by.iter().any(|(path, i)| {
            out.hunks.iter().any(|h| {
                h.file == *path
                    && h.hunk == i + 1
                    && matches!(h.fate, HunkFate::Applies | HunkFate::AppliesOnQueue)
            })
        });
        if !applies {
            continue;
        }
        let Some(file) = text_files(patch).find(|f| path_of(f) == r.created) else {
            continue;
        };
        let new = place(HunkFate::NewFile, &r.created, None);
        for (i, hunk) in file.hunks.iter().enumerate() {
            if let Some(h) = out
                .hunks
                .iter_mut()
                .find(|h| h.file == r.created && h.hunk == i + 1)
            {
                *h = verdict(&r.created, i, hunk, &new);
            }
        }
        if let Some(f) = out.files.iter_mut().find(|f| f.path == r.created) {
            f.moved_to.clear();
            f.by_content = false;
        }
    }
}

fn verdict(path: &str, i: usize, hunk: &Hunk, place: &Place) -> HunkVerdict {
    let found = place.check.and_then(|c| match place.fate {
        HunkFate::Applies | HunkFate::AppliesOnQueue => c.pre,
        _ => c.post.or(c.pre),
    });
    let line = found.map(|f| f.line).or(place.line);
    HunkVerdict {
        file: path.to_string(),
        hunk: i + 1,
        fate: place.fate,
        at: (place.fate != HunkFate::Gone).then(|| {
            format!(
                "{}{}",
                place.path,
                line.map(|l| format!(":{l}")).unwrap_or_default()
            )
        }),
        offset: found
            .filter(|_| matches!(place.fate, HunkFate::Applies | HunkFate::AppliesOnQueue))
            .map_or(0, |f| f.offset),
        fuzz: found
            .filter(|_| matches!(place.fate, HunkFate::Applies | HunkFate::AppliesOnQueue))
            .map_or(0, |f| f.fuzz),
        weight: hunk_weight(path, hunk),
        lines_present: place.share.map(|s| (s * 1000.0).round() / 1000.0),
        old_code_kept: place.kept_old,
        renamed: place.renamed.clone(),
        alike: place.alike,
    }
}

/// How much a hunk counts: its distinctive changed lines (at least a half), a quarter
/// of that in documentation and examples, whose text says little about the code.
pub fn hunk_weight(path: &str, hunk: &Hunk) -> f64 {
    let n = hunk
        .lines
        .iter()
        .filter(|l| l.kind != LineKind::Context && distinctive(&l.text))
        .count();
    let w = (n as f64).max(0.5);
    if is_documentation(path) {
        w / 4.0
    } else {
        w
    }
}

/// Whether `path` is documentation or an example rather than code or build files.
pub fn is_documentation(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let dirs = ["documentation/", "docs/", "doc/", "examples/", "example/"];
    let exts = [
        ".txt", ".rst", ".md", ".html", ".pod", ".tex", ".5", ".8", ".1",
    ];
    dirs.iter()
        .any(|d| lower.starts_with(d) || lower.contains(&format!("/{d}")))
        || exts.iter().any(|e| lower.ends_with(e))
}

/// A line worth matching: not trivial, ten or more characters besides blanks.
pub(super) fn distinctive(line: &[u8]) -> bool {
    !is_trivial(line) && line.iter().filter(|b| !b.is_ascii_whitespace()).count() >= 10
}

/// The fate a check implies: present, both, applies, or nothing. For a hunk that only
/// adds lines, its old image is its context, which the new image contains: the new image
/// found means present, unless it adds only stock lines (`#endif`, `}`) and the old image
/// was found with less fuzz or nearer its line: the new image then matched stock lines
/// elsewhere, once fuzz dropped its context. For
/// one that only removes lines, the other way round: the old image found means it still
/// applies.
fn fate_of(check: &HunkCheck, hunk: &Hunk, whitespace: bool) -> Option<HunkFate> {
    let adds = hunk.lines.iter().any(|l| l.kind == LineKind::Added);
    let removes = hunk.lines.iter().any(|l| l.kind == LineKind::Removed);
    let present = if whitespace {
        HunkFate::PresentModuloWhitespace
    } else {
        HunkFate::Present
    };
    let stock = || {
        hunk.lines
            .iter()
            .filter(|l| l.kind == LineKind::Added)
            .all(|l| !distinctive(&l.text[..]))
    };
    if let (Some(pre), Some(post), false, true) = (check.pre, check.post, removes, stock()) {
        let closeness = |f: kdelta_patch::apply::Found| (f.fuzz, f.offset.unsigned_abs());
        if closeness(pre) < closeness(post) {
            return Some(HunkFate::Applies);
        }
    }
    match (check.pre.is_some(), check.post.is_some()) {
        (_, true) if !removes => Some(present),
        (true, _) if !adds => Some(HunkFate::Applies),
        (false, true) => Some(present),
        (true, true) => Some(HunkFate::Ambiguous),
        (true, false) => Some(HunkFate::Applies),
        (false, false) => None,
    }
}

fn rank(fate: HunkFate) -> u8 {
    match fate {
        HunkFate::Present => 7,
        HunkFate::PresentModuloWhitespace | HunkFate::PresentRenamed => 6,
        HunkFate::PresentChanged => 5,
        HunkFate::Ambiguous => 4,
        HunkFate::Applies => 3,
        HunkFate::AppliesOnQueue | HunkFate::NewFile => 2,
        HunkFate::Conflicts => 1,
        HunkFate::Gone => 0,
    }
}

fn place(fate: HunkFate, path: &str, check: Option<HunkCheck>) -> Place {
    Place {
        fate,
        path: path.to_string(),
        check,
        line: None,
        via: None,
        share: None,
        kept_old: false,
        renamed: Vec::new(),
        alike: None,
    }
}

/// The hunks of a file the patch modifies.
fn modified(
    tree: &TargetTree,
    file: &FileDiff,
    path: &str,
    queue: Option<&QueueView>,
) -> Vec<Place> {
    let own = tree.target(path, false);
    let checks = own.as_ref().map(|t| t.check(file).hunks);
    let mut places: Vec<Place> = file
        .hunks
        .iter()
        .enumerate()
        .map(|(i, hunk)| {
            let at_own = checks
                .as_ref()
                .and_then(|c| c.get(i))
                .and_then(|c| fate_of(c, hunk, false).map(|f| place(f, path, Some(*c))));
            let found = at_own
                .or_else(|| at_path(tree, hunk, path, true))
                .or_else(|| on_queue(queue, hunk, path));
            let found = if own.is_some() {
                // Code moves to another file with its function: while the function is
                // still defined here, there is nowhere else to look.
                found.or_else(|| by_lines(tree, hunk, path)).or_else(|| {
                    (!defines(tree, hunk, path))
                        .then(|| elsewhere(tree, hunk, path, false))
                        .flatten()
                })
            } else {
                // A file only the queue has may have an upstream counterpart (a fork's
                // original, a driver rewritten elsewhere) that has this change too.
                let there = elsewhere(tree, hunk, path, false)
                    .or_else(|| by_lines_where_defined(tree, hunk, path));
                match (found, there) {
                    (_, Some(t)) if rank(t.fate) >= rank(HunkFate::PresentChanged) => Some(t),
                    (q, t) => q.or(t),
                }
            };
            found.unwrap_or_else(|| changed_or_gone(tree, hunk, path, own.as_deref()))
        })
        .collect();
    if own.is_none() {
        rehome(tree, file, path, &mut places);
    }
    places
}

/// `hunk` checked at `path` alone (ignoring whitespace when `whitespace`).
fn at_path(tree: &TargetTree, hunk: &Hunk, path: &str, whitespace: bool) -> Option<Place> {
    let target = tree.target(path, whitespace)?;
    let check = target.check_one(hunk);
    fate_of(&check, hunk, whitespace).map(|f| place(f, path, Some(check)))
}

/// `hunk` on top of the queue's earlier patches, when they changed or created `path`.
fn on_queue(queue: Option<&QueueView>, hunk: &Hunk, path: &str) -> Option<Place> {
    let (target, by) = queue?.target(path)?;
    let check = target.check_one(hunk);
    check.pre?;
    Some(Place {
        check: Some(check),
        via: Some(by.to_string()),
        ..place(HunkFate::AppliesOnQueue, path, None)
    })
}

/// The best place for `hunk` among the other files it may have gone to. Only files that
/// hold every distinctive line one of its images needs (its changed lines; its context
/// when that side changes nothing) are indexed and checked.
fn elsewhere(tree: &TargetTree, hunk: &Hunk, path: &str, created: bool) -> Option<Place> {
    let others = candidates(tree, hunk, path, created);
    if others.is_empty() {
        return None;
    }
    let lines = |keep: &dyn Fn(LineKind) -> bool| -> Vec<&[u8]> {
        hunk.lines
            .iter()
            .filter(|l| keep(l.kind) && distinctive(&l.text))
            .map(|l| l.text.as_slice())
            .collect()
    };
    let (added, removed) = (
        lines(&|k| k == LineKind::Added),
        lines(&|k| k == LineKind::Removed),
    );
    let context = lines(&|k| k == LineKind::Context);
    // The lines each image needs: its changed lines, or its context when it changes none.
    let post_lines = if added.is_empty() { &context } else { &added };
    let pre_lines = if removed.is_empty() {
        &context
    } else {
        &removed
    };
    // Longest lines first: the likeliest to be missing, so most files are ruled out by
    // one search.
    let finders = |side: &[&[u8]]| -> Vec<memchr::memmem::Finder<'static>> {
        let mut side: Vec<&[u8]> = side.to_vec();
        side.sort_by_key(|l| std::cmp::Reverse(l.len()));
        side.iter()
            .map(|l| memchr::memmem::Finder::new(*l).into_owned())
            .collect()
    };
    let post = finders(post_lines);
    let pre = finders(pre_lines);
    let all_in = |bytes: &[u8], side: &[memchr::memmem::Finder<'static>]| {
        !side.is_empty() && side.iter().all(|f| f.find(bytes).is_some())
    };
    let images = (
        image_text(hunk, LineKind::Removed),
        image_text(hunk, LineKind::Added),
    );
    // A file of the same name where the hunk's own file is gone is that file moved: it
    // gets the full check (offset, fuzz); other files only an exact one.
    let moved = tree.index().path_id(path).is_none();
    let same_name = upstream_names(path);
    // Files whose word index rules out a side are not read for it.
    let kind = SourceKind::of(path);
    let post_holders = Holders::of(tree.index(), kind, post_lines);
    let pre_holders = Holders::of(tree.index(), kind, pre_lines);
    let mut best: Option<Place> = None;
    for other in others {
        let may_post = post_holders.may_hold(tree.index(), &other);
        let may_pre = pre_holders.may_hold(tree.index(), &other);
        if !(may_post || may_pre) {
            continue;
        }
        let Some(bytes) = tree.file(&other) else {
            continue;
        };
        if !((may_post && all_in(&bytes, &post)) || (may_pre && all_in(&bytes, &pre))) {
            continue;
        }
        let found = if moved && same_name.iter().any(|n| n == file_name(&other)) {
            at_path(tree, hunk, &other, false)
        } else {
            as_text(&bytes, &images, &other)
        };
        let Some(found) = found else {
            continue;
        };
        if best
            .as_ref()
            .is_none_or(|b| rank(found.fate) > rank(b.fate))
        {
            best = Some(found);
        }
    }
    best
}

/// One image of a hunk as text, lines joined with newlines (`None` when that side has no
/// changed line: an image of context alone proves nothing elsewhere).
fn image_text(hunk: &Hunk, side: LineKind) -> Option<Vec<u8>> {
    if !hunk.lines.iter().any(|l| l.kind == side) {
        return None;
    }
    let mut out = Vec::new();
    for l in hunk
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Context || l.kind == side)
    {
        out.extend_from_slice(&l.text);
        out.push(b'\n');
    }
    Some(out)
}

/// Where the hunk's images occur whole, as text, in another file: present, applies or
/// both (no offset or fuzz means anything there: the header's lines are the old file's).
fn as_text(bytes: &[u8], images: &(Option<Vec<u8>>, Option<Vec<u8>>), path: &str) -> Option<Place> {
    let at = |image: &Option<Vec<u8>>| {
        let image = image.as_ref()?;
        memchr::memmem::find_iter(bytes, image)
            .find(|&p| p == 0 || bytes.get(p - 1) == Some(&b'\n'))
            .map(|p| bytes[..p].iter().filter(|&&b| b == b'\n').count() + 1)
    };
    let (pre, post) = (at(&images.0), at(&images.1));
    let adds = images.1.is_some();
    let removes = images.0.is_some();
    let fate = match (pre, post) {
        (_, Some(_)) if !removes => HunkFate::Present,
        (Some(_), _) if !adds => HunkFate::Applies,
        (None, Some(_)) => HunkFate::Present,
        (Some(_), Some(_)) => HunkFate::Ambiguous,
        (Some(_), None) => HunkFate::Applies,
        (None, None) => return None,
    };
    let line = if fate == HunkFate::Applies {
        pre
    } else {
        post.or(pre)
    };
    Some(Place {
        line,
        ..place(fate, path, None)
    })
}

/// Files `hunk` of `path` may have gone to, most likely first.
fn candidates(tree: &TargetTree, hunk: &Hunk, path: &str, created: bool) -> Vec<String> {
    let index = tree.index();
    let mut out: Vec<String> = Vec::new();
    let add = |p: &str, out: &mut Vec<String>| {
        if p != path && out.len() < MAX_CANDIDATES && !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    };
    // A name many files share (Makefile, core.c) says nothing about where code went.
    let mut same_name: Vec<&str> = upstream_names(path)
        .iter()
        .map(|n| index.files_named(n))
        .filter(|ids| ids.len() <= MAX_SAME_NAME)
        .flat_map(|ids| ids.iter().map(|&id| index.path(id)))
        .collect();
    same_name.sort_by_key(|p| std::cmp::Reverse(shared_prefix(p, path)));
    for p in same_name.iter().take(4) {
        add(p, &mut out);
    }
    for function in hunk_functions(path, hunk) {
        let defs = index.definitions(&function);
        if defs.len() <= MAX_DEFINITIONS {
            for d in defs.iter().filter(|d| code_kind(d.kind)) {
                add(index.path(d.file), &mut out);
            }
        }
    }
    for word in rare_words(tree, hunk, created) {
        for id in index.files_with(&word) {
            add(index.path(id), &mut out);
        }
    }
    out
}

fn code_kind(kind: SymbolKind) -> bool {
    matches!(
        kind,
        SymbolKind::Function | SymbolKind::Macro | SymbolKind::Struct
    )
}

/// Up to three of the hunk's identifiers held by the fewest files (but some): from its
/// old side, or its added lines for a created file.
fn rare_words(tree: &TargetTree, hunk: &Hunk, created: bool) -> Vec<String> {
    let side = |k: LineKind| {
        if created {
            k == LineKind::Added
        } else {
            k != LineKind::Added
        }
    };
    let mut words: Vec<(usize, String)> = Vec::new();
    let mut looked = 0;
    for line in hunk.lines.iter().filter(|l| side(l.kind)) {
        for word in identifiers(&line.text) {
            let telling = word.len() >= 8 || (word.len() >= 6 && word.contains('_'));
            if !telling || looked >= 40 || words.iter().any(|(_, w)| w == word) {
                continue;
            }
            looked += 1;
            let n = tree.index().word_count(word);
            if (1..=MAX_WORD_FILES).contains(&n) {
                words.push((n, word.to_string()));
            }
        }
    }
    words.sort();
    words.into_iter().take(3).map(|(_, w)| w).collect()
}

/// The identifiers of a line.
pub(super) fn identifiers(line: &[u8]) -> impl Iterator<Item = &str> {
    line.split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .filter(|w| {
            w.first()
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        })
        .filter_map(|w| std::str::from_utf8(w).ok())
}

fn shared_prefix(a: &str, b: &str) -> usize {
    a.split('/')
        .zip(b.split('/'))
        .take_while(|(x, y)| x == y)
        .count()
}

/// A line present in the target counts as the hunk's only when it is rare there: a stock
/// line (`return -EINVAL;`) occurring this often or more proves nothing.
const STOCK: usize = 3;

/// How much of the hunk's change is in the file at `path` by its lines alone: the share
/// of its distinctive added lines that are there, counting only lines rare in the file
/// (stock lines prove nothing either way), and 0 when one of its distinctive removed
/// lines is still there. Also the line of the first one found. `None` when the file is
/// not in the tree or the hunk adds no line that can tell.
fn line_presence(tree: &TargetTree, hunk: &Hunk, path: &str) -> Option<(f64, Option<usize>)> {
    let target = tree.target(path, true)?;
    let lines = |kind: LineKind| -> Vec<&[u8]> {
        let mut out: Vec<&[u8]> = hunk
            .lines
            .iter()
            .filter(|l| l.kind == kind && distinctive(&l.text))
            .map(|l| l.text.as_slice())
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let (added, removed) = (lines(LineKind::Added), lines(LineKind::Removed));
    if removed.iter().any(|l| target.occurrences(l).0 > 0) {
        return Some((0.0, None));
    }
    let (mut present, mut absent, mut first) = (0usize, 0usize, None);
    for line in &added {
        match target.occurrences(line) {
            (0, _) => absent += 1,
            (n, at) if n < STOCK => {
                present += 1;
                first = first.or(at);
            }
            _ => {}
        }
    }
    if present + absent == 0 {
        // Only removals (or stock lines): done when two removed lines are gone and the
        // function is still defined in the file.
        let done = removed.len() >= 2 && defines(tree, hunk, path);
        return done.then_some((1.0, None));
    }
    Some((present as f64 / (present + absent) as f64, first))
}

/// The hunk's change by its lines alone (see [`line_presence`]): half or more of them.
fn by_lines(tree: &TargetTree, hunk: &Hunk, path: &str) -> Option<Place> {
    let (share, first) = line_presence(tree, hunk, path)?;
    (share >= 0.5).then(|| Place {
        line: first,
        share: Some(share),
        ..place(HunkFate::PresentChanged, path, None)
    })
}

/// Whether the file at `path` defines a function the hunk changes.
fn defines(tree: &TargetTree, hunk: &Hunk, path: &str) -> bool {
    let index = tree.index();
    let Some(id) = index.path_id(path) else {
        return false;
    };
    hunk_functions(path, hunk)
        .iter()
        .any(|f| index.definitions(f).iter().any(|d| d.file == id))
}

/// [`by_lines`] in the files that now define the functions the hunk changes.
fn by_lines_where_defined(tree: &TargetTree, hunk: &Hunk, path: &str) -> Option<Place> {
    let index = tree.index();
    hunk_functions(path, hunk).iter().find_map(|f| {
        let defs = index.definitions(f);
        if defs.len() > MAX_DEFINITIONS {
            return None;
        }
        defs.iter()
            .filter(|d| code_kind(d.kind))
            .find_map(|d| by_lines(tree, hunk, index.path(d.file)))
    })
}

/// Neither image anywhere. The hunk's code has changed when its function is still
/// defined (in its file or elsewhere), when a third of its distinctive old lines are still
/// in its file, or when it only inserts lines into a file that still exists (its anchor
/// moved; what it adds is not there). It is gone only when its file is gone and nothing of
/// it was found elsewhere, or when its function is defined and mentioned nowhere, or when
/// the lines it changes and their context are gone from its file.
fn changed_or_gone(
    tree: &TargetTree,
    hunk: &Hunk,
    path: &str,
    own: Option<&Target<'static>>,
) -> Place {
    let index = tree.index();
    let own_id = index.path_id(path);
    let functions = hunk_functions(path, hunk);
    for function in &functions {
        let defs = index.definitions(function);
        let pick = defs
            .iter()
            .filter(|d| code_kind(d.kind))
            .find(|d| Some(d.file) == own_id)
            .or_else(|| {
                (defs.len() <= MAX_DEFINITIONS)
                    .then(|| defs.iter().find(|d| code_kind(d.kind)))
                    .flatten()
            });
        if let Some(d) = pick {
            let at = index.path(d.file).to_string();
            let line = d.line as usize;
            return conflicts(tree, hunk, &at, Some(line));
        }
    }
    let Some(own) = own else {
        let others = candidates(tree, hunk, path, false);
        return moved_and_changed(tree, hunk, &others)
            .unwrap_or_else(|| place(HunkFate::Gone, path, None));
    };
    let function_gone = !functions.is_empty()
        && functions
            .iter()
            .all(|f| index.definitions(f).is_empty() && index.word_count(f) == 0);
    let old = old_lines(hunk);
    let kept = old.iter().filter(|l| own.contains(l)).count();
    let inserts_only = !hunk.lines.iter().any(|l| l.kind == LineKind::Removed);
    let changed =
        (old.len() >= 2 && kept * 3 >= old.len()) || (!function_gone && (inserts_only || kept > 0));
    if changed {
        return conflicts(tree, hunk, path, None);
    }
    place(HunkFate::Gone, path, None)
}

/// The distinctive lines of a hunk's old side: its context and removed lines.
fn old_lines(hunk: &Hunk) -> Vec<&[u8]> {
    hunk.lines
        .iter()
        .filter(|l| l.kind != LineKind::Added && distinctive(&l.text))
        .map(|l| l.text.as_slice())
        .collect()
}

/// A hunk of a file the tree no longer has, whose distinctive old lines (context and
/// removed) are half or more in one of the files `others` (where its code may have gone;
/// the one keeping most, the likeliest first among equals): its file moved and its code
/// changed there, so it conflicts there.
fn moved_and_changed(tree: &TargetTree, hunk: &Hunk, others: &[String]) -> Option<Place> {
    let old = old_lines(hunk);
    if old.len() < 2 {
        return None;
    }
    // Each line as text, its indentation aside (a substring search: no file is indexed).
    let finders: Vec<memchr::memmem::Finder<'_>> = old
        .iter()
        .map(|l| memchr::memmem::Finder::new(l.trim_ascii()))
        .collect();
    // The file keeping most of them (a driver's copy elsewhere may keep some too).
    let (kept, home) = others
        .iter()
        .filter_map(|other| {
            let bytes = tree.file(other)?;
            Some((
                finders.iter().filter(|f| f.find(&bytes).is_some()).count(),
                other,
            ))
        })
        .rev()
        .max_by_key(|(kept, _)| *kept)?;
    (kept * 2 >= old.len()).then(|| conflicts(tree, hunk, home, None))
}

/// The hunks of a file the tree no longer has that were found nowhere are looked for
/// again, by their old lines, in the files where the file's other hunks went.
fn rehome(tree: &TargetTree, file: &FileDiff, path: &str, places: &mut [Place]) {
    let mut homes: Vec<String> = Vec::new();
    for p in places
        .iter()
        .filter(|p| p.fate != HunkFate::Gone && p.path != path)
    {
        if !homes.contains(&p.path) {
            homes.push(p.path.clone());
        }
    }
    if homes.is_empty() {
        return;
    }
    for (hunk, place) in file.hunks.iter().zip(places.iter_mut()) {
        if place.fate == HunkFate::Gone {
            if let Some(found) = moved_and_changed(tree, hunk, &homes) {
                *place = found;
            }
        }
    }
}

/// A hunk whose code is at `path` but changed (its function defined at `line`, if known):
/// how much of its change is there by its lines, exactly or token by token, and whether
/// its old code is still there.
fn conflicts(tree: &TargetTree, hunk: &Hunk, path: &str, line: Option<usize>) -> Place {
    let exact = line_presence(tree, hunk, path).map(|(s, _)| s);
    let mut out = Place {
        line,
        share: exact,
        ..place(HunkFate::Conflicts, path, None)
    };
    let Some(bytes) = tree.file(path) else {
        return out;
    };
    // Its context intact around its change, with its added lines there changed since.
    let at_spot = tree
        .target(path, true)
        .and_then(|lines| super::anchored::between(hunk, &bytes, &lines))
        .filter(|b| b.evolved());
    let evolved = |mut out: Place, b: &super::anchored::Between| {
        out.fate = HunkFate::PresentChanged;
        out.line = Some(b.line);
        out.share = Some(out.share.map_or(b.added, |s| s.max(b.added)));
        out.kept_old = false;
        out
    };
    let anchor = line.map(|l| l.saturating_sub(1)).or_else(|| {
        let target = tree.target(path, true)?;
        hunk.lines
            .iter()
            .filter(|l| l.kind != LineKind::Added && distinctive(&l.text))
            .find_map(|l| target.occurrences(&l.text).1)
            .map(|at| at.saturating_sub(100))
    });
    let Some(from) = anchor else {
        return match &at_spot {
            Some(b) => evolved(out, b),
            None => out,
        };
    };
    if let Some(found) = super::renamed::find(hunk, &bytes, from) {
        return Place {
            line: Some(found.line),
            share: None,
            renamed: found.renames,
            ..place(HunkFate::PresentRenamed, path, None)
        };
    }
    let close = super::fuzzy::closeness(hunk, &bytes, from);
    if let Some(credit) = close.credit() {
        out.share = Some(exact.map_or(credit, |e| e.max(credit)));
    }
    out.kept_old = close.old_code_kept() && exact.is_none_or(|e| e < 0.5);
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    out.alike = Some(crate::model::Alike {
        added: close.added.map(round),
        removed: close.removed.map(round),
    });
    match &at_spot {
        Some(b) => evolved(out, b),
        None => out,
    }
}

/// The hunks of a file the patch creates: present where upstream has the same content
/// (at its path or elsewhere); changed where a file has most of its lines; otherwise a
/// file upstream lacks, which it still adds.
fn created(tree: &TargetTree, file: &FileDiff, path: &str) -> Vec<Place> {
    file.hunks
        .iter()
        .map(|hunk| {
            at_path(tree, hunk, path, false)
                .or_else(|| at_path(tree, hunk, path, true))
                .or_else(|| elsewhere(tree, hunk, path, true))
                .or_else(|| most_lines_in(tree, hunk, path))
                .unwrap_or_else(|| place(HunkFate::NewFile, path, None))
        })
        .collect()
}

/// The file (its own path, or a candidate) holding most of the hunk's distinctive added
/// lines, when that is at least half of them.
fn most_lines_in(tree: &TargetTree, hunk: &Hunk, path: &str) -> Option<Place> {
    let added: Vec<&[u8]> = hunk
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Added && distinctive(&l.text))
        .map(|l| l.text.trim_ascii())
        .collect();
    if added.len() < 2 {
        return None;
    }
    // A sample spread over the file says as much as every line, for far less searching.
    let step = added.len().div_ceil(SAMPLE);
    let finders: Vec<memchr::memmem::Finder<'_>> = added
        .iter()
        .step_by(step)
        .map(|l| memchr::memmem::Finder::new(*l))
        .collect();
    let mut best: Option<(usize, String)> = None;
    let own = std::iter::once(path.to_string());
    for other in own.chain(candidates(tree, hunk, path, true)) {
        let Some(bytes) = tree.file(&other) else {
            continue;
        };
        let n = finders.iter().filter(|f| f.find(&bytes).is_some()).count();
        if n * 2 >= finders.len() && best.as_ref().is_none_or(|(b, _)| n > *b) {
            best = Some((n, other));
        }
    }
    best.map(|(n, at)| Place {
        share: Some(n as f64 / finders.len() as f64),
        ..place(HunkFate::Conflicts, &at, None)
    })
}

/// The hunks of a file the patch deletes: done when upstream has no such file.
fn deleted(tree: &TargetTree, file: &FileDiff, path: &str) -> Vec<Place> {
    let own = tree.target(path, false);
    file.hunks
        .iter()
        .map(|hunk| match &own {
            None => place(HunkFate::Present, path, None),
            Some(target) => {
                let check = target.check_one(hunk);
                match fate_of(&check, hunk, false) {
                    Some(f) => place(f, path, Some(check)),
                    None => place(HunkFate::Conflicts, path, None),
                }
            }
        })
        .collect()
}

/// Whether the file (or the files its hunks went to) has every distinctive added line
/// (two at least) and none of the removed lines: the change is there though its context
/// has moved on.
fn by_content(tree: &TargetTree, file: &FileDiff, path: &str, moved_to: &[String]) -> bool {
    let added: Vec<&[u8]> = file
        .added_lines()
        .map(|l| l.as_slice())
        .filter(|l| distinctive(l))
        .collect();
    if added.len() < 2 {
        return false;
    }
    let targets: Vec<Arc<Target<'static>>> = std::iter::once(path)
        .chain(moved_to.iter().map(String::as_str))
        .filter_map(|p| tree.target(p, true))
        .collect();
    if targets.is_empty() {
        return false;
    }
    let anywhere = |l: &[u8]| targets.iter().any(|t| t.contains(l));
    added.iter().all(|l| anywhere(l))
        && file
            .removed_lines()
            .filter(|l| !is_trivial(l))
            .all(|l| !anywhere(l))
}

/// The names a file may have upstream: its own; for the classic Xen forks (`setup-xen.c`,
/// `pgtable_64-xen.h`) the name of the file it forks; and for a Xen driver directory's
/// main file (`drivers/xen/blkfront/blkfront.c`) the one-file driver upstream made of it
/// (`xen-blkfront.c`). Both renamings are Xen's own and apply to Xen paths only: a name
/// ending in `-xen`, a file under a `xen` directory.
pub(super) fn upstream_names(path: &str) -> Vec<String> {
    let name = file_name(path);
    let mut names = vec![name.to_string()];
    if let Some((stem, ext)) = name.rsplit_once('.') {
        if let Some(base) = stem.strip_suffix("-xen") {
            names.push(format!("{base}.{ext}"));
        }
        let mut dirs = path.rsplit('/').skip(1);
        let under_xen = || path.split('/').rev().skip(1).any(|d| d == "xen");
        if dirs.next() == Some(stem) && under_xen() {
            names.push(format!("xen-{stem}.{ext}"));
        }
    }
    names
}

#[cfg(test)]
mod upstream_names_tests {
    use super::upstream_names;

    #[test]
    fn only_xen_paths_get_xen_names() {
        assert_eq!(
            upstream_names("drivers/xen/blkfront/blkfront.c"),
            ["blkfront.c", "xen-blkfront.c"]
        );
        assert_eq!(
            upstream_names("arch/x86/kernel/setup-xen.c"),
            ["setup-xen.c", "setup.c"]
        );
        assert_eq!(upstream_names("drivers/net/foo/foo.c"), ["foo.c"]);
        assert_eq!(upstream_names("xen/foo.c"), ["foo.c"]);
        assert_eq!(upstream_names("fs/xenfs/xenfs/xenfs.c"), ["xenfs.c"]);
    }
}
