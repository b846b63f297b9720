//! Applying a file diff exactly as GNU patch 2.7 places hunks, in memory: what `patch`
//! or `quilt push` would make of a file, and how each hunk went (at which offset, with
//! which fuzz, or failed), so that a queue can be applied in series order and each patch
//! judged the way its maintainers' tools will judge it.
//!
//! The rules, as GNU patch has them:
//!
//! * Hunks are placed in order. A hunk is first looked for at the line its header names,
//!   moved by the offset the previous hunk of the file was found at, then ever further
//!   away, the later of two places as far first; never before the last line an earlier hunk
//!   changed.
//! * Every position is tried at fuzz 0, then at 1, and so on up to the fuzz allowed
//!   ([`PatchOptions::max_fuzz`]) and the hunk's own context. Fuzz `f` ignores up to `f`
//!   of the leading and the trailing context lines.
//! * A hunk with less leading than trailing context must match at the start of the file
//!   (when it names line 1) until fuzz makes up the difference; one with less trailing
//!   context must match at the end of the file.
//! * Lines compare byte for byte, their newline included (a last line without one only
//!   matches a line marked `\ No newline at end of file`), or with runs of blanks equal
//!   under [`PatchOptions::ignore_whitespace`] (`patch -l`).
//! * Context lines are kept as the file has them, not as the hunk has them.
//! * A diff from `/dev/null` fails on a file that exists and is not empty.
//!
//! Unlike `patch`, a reversed (already applied) hunk is not offered to be reverted: it
//! fails, as it does under `patch -f` or `quilt push`.

use crate::diff::{line_offsets, ChangeKind, FileDiff, Hunk, HunkLine, LineKind};
use serde::Serialize;

/// How hunks may be placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PatchOptions {
    /// How many leading and trailing context lines may be ignored (`patch --fuzz`, 2 by
    /// default; quilt's and dpkg-source's stricter rule is 0).
    pub max_fuzz: usize,
    /// Whether blanks may differ (`patch --ignore-whitespace`).
    pub ignore_whitespace: bool,
}

impl Default for PatchOptions {
    fn default() -> PatchOptions {
        PatchOptions {
            max_fuzz: 2,
            ignore_whitespace: false,
        }
    }
}

/// How one hunk went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result")]
pub enum Placed {
    /// The hunk was applied. `line` is where it starts in the patched file, as `patch`
    /// reports it; `offset` how far (in lines of the original file) from where its header
    /// said, the previous hunks' offsets included; `fuzz` how many context lines at each
    /// end were ignored.
    Applied {
        /// The 1-based line of the patched file where the hunk went.
        line: usize,
        /// Lines from where the hunk header said (`patch`'s "offset N lines").
        offset: isize,
        /// The fuzz it needed.
        fuzz: usize,
    },
    /// The hunk was not applied; `line` is where `patch` says it looked.
    Failed {
        /// The 1-based line of the patched file `patch` names.
        line: usize,
    },
}

impl Placed {
    /// Whether the hunk was applied.
    pub fn applied(&self) -> bool {
        matches!(self, Placed::Applied { .. })
    }
}

/// What applying one file diff gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patched {
    /// The file after the hunks that applied.
    pub bytes: Vec<u8>,
    /// How each hunk went, in the diff's order.
    pub hunks: Vec<Placed>,
    /// Each hunk as it applied to this file (`None` when it failed): its context and
    /// removed lines as the file has them, its added lines its own, its header numbers
    /// where it went. What `quilt refresh` would write for it.
    pub as_applied: Vec<Option<Hunk>>,
    /// Whether `patch` would remove the file: the diff deletes it and nothing is left.
    pub removed: bool,
}

impl Patched {
    /// Whether every hunk applied.
    pub fn clean(&self) -> bool {
        self.hunks.iter().all(Placed::applied)
    }

    /// The most fuzz any hunk needed.
    pub fn fuzz(&self) -> usize {
        self.hunks
            .iter()
            .filter_map(|p| match p {
                Placed::Applied { fuzz, .. } => Some(*fuzz),
                Placed::Failed { .. } => None,
            })
            .max()
            .unwrap_or(0)
    }
}

/// Apply `diff` to `input` (`None` when there is no such file) as GNU patch would.
pub fn patch_file(diff: &FileDiff, input: Option<&[u8]>, options: &PatchOptions) -> Patched {
    let text = input.unwrap_or_default();
    let lines = Lines::of(text, options.ignore_whitespace);
    let mut state = State::default();
    let mut out = Output::default();
    let exists = input.is_some_and(|t| !t.is_empty());
    let mut hunks = Vec::with_capacity(diff.hunks.len());
    let mut as_applied = Vec::with_capacity(diff.hunks.len());
    for hunk in &diff.hunks {
        let pattern = Pattern::of(hunk, options.ignore_whitespace);
        let found = if diff.old_path.is_none() && exists && pattern.lines.is_empty() {
            None
        } else {
            (0..=options.max_fuzz.min(pattern.context()))
                .find_map(|fuzz| state.locate(&lines, &pattern, fuzz).map(|w| (w, fuzz)))
        };
        let out_offset = state.out_offset;
        match found {
            Some((at, fuzz)) if out.apply(&lines, hunk, at, &mut state) => {
                hunks.push(Placed::Applied {
                    line: offset_by(at, out_offset),
                    offset: state.in_offset,
                    fuzz,
                });
                as_applied.push(Some(placed_hunk(&lines, hunk, at, out_offset)));
            }
            _ => {
                hunks.push(Placed::Failed {
                    line: offset_by(pattern.first, out_offset),
                });
                as_applied.push(None);
            }
        }
    }
    out.copy_till(&lines, lines.len(), &mut state);
    let bytes = out.finish();
    let removed = diff.change == ChangeKind::Deleted && bytes.is_empty();
    Patched {
        bytes,
        hunks,
        as_applied,
        removed,
    }
}

/// `hunk` as it applied at 1-based input line `at`, `out_offset` lines of output ahead of
/// the input, as `diff` would now write it: context and removed lines from the input
/// (context past its end left out), added lines its own, as much context on each side as
/// the hunk had on its longer side where the file has the lines (a hunk made at the end
/// of a file that is no longer there gets its trailing context), the header counting
/// where it went.
fn placed_hunk(input: &Lines, hunk: &Hunk, at: usize, out_offset: isize) -> Hunk {
    let line_at = |old: usize, kind| {
        input
            .text
            .get(old.wrapping_sub(1))
            .map(|&(text, newline)| HunkLine {
                kind,
                text: text.into(),
                no_newline: !newline,
            })
    };
    let is_context = |l: &&HunkLine| l.kind == LineKind::Context;
    let want = hunk
        .lines
        .iter()
        .take_while(is_context)
        .count()
        .max(hunk.lines.iter().rev().take_while(is_context).count());
    let mut lines = Vec::with_capacity(hunk.lines.len() + want);
    let lead = hunk.lines.iter().take_while(is_context).count();
    let before = want.saturating_sub(lead).min(at - 1);
    lines.extend((at - before..at).filter_map(|old| line_at(old, LineKind::Context)));
    let mut old = at;
    for line in &hunk.lines {
        if line.kind == LineKind::Added {
            lines.push(line.clone());
            continue;
        }
        lines.extend(line_at(old, line.kind));
        old += 1;
    }
    let trail = lines.iter().rev().take_while(is_context).count();
    let after = want.saturating_sub(trail);
    lines.extend((old..old + after).filter_map(|o| line_at(o, LineKind::Context)));
    if old <= input.len() {
        // Lines follow: an added line no longer ends the file.
        for line in lines.iter_mut().filter(|l| l.kind == LineKind::Added) {
            line.no_newline = false;
        }
    }
    let count = |kind: LineKind| lines.iter().filter(|l| l.kind != kind).count() as u32;
    let (old_lines, new_lines) = (count(LineKind::Added), count(LineKind::Removed));
    let (first, new_first) = (at - before, offset_by(at, out_offset) - before);
    // An empty side names the line before the place.
    let start = |at: usize, n: u32| (at - usize::from(n == 0)) as u32;
    Hunk {
        old_start: start(first, old_lines),
        old_lines,
        new_start: start(new_first, new_lines),
        new_lines,
        section: hunk.section.clone(),
        lines,
        line: hunk.line,
    }
}

fn offset_by(line: usize, by: isize) -> usize {
    line.saturating_add_signed(by).max(1)
}

/// The input file's lines: text, whether a newline ends it, and its compared form's hash.
struct Lines<'a> {
    text: Vec<(&'a [u8], bool)>,
    keys: Vec<u64>,
    ignore_whitespace: bool,
}

impl<'a> Lines<'a> {
    fn of(text: &'a [u8], ignore_whitespace: bool) -> Lines<'a> {
        let lines: Vec<(&[u8], bool)> = line_offsets(text)
            .map(|(start, line)| (line, start + line.len() < text.len()))
            .collect();
        let keys = lines
            .iter()
            .map(|(l, nl)| key(l, *nl, ignore_whitespace))
            .collect();
        Lines {
            text: lines,
            keys,
            ignore_whitespace,
        }
    }

    fn len(&self) -> usize {
        self.text.len()
    }
}

/// The hash a line is compared by: of its text and its newline, blanks collapsed and
/// trailing blanks dropped under `ignore_whitespace` (as `patch -l` compares them, a line
/// with blanks where the other has none excepted: [`similar`] decides those).
fn key(line: &[u8], newline: bool, ignore_whitespace: bool) -> u64 {
    if ignore_whitespace {
        // Whitespace runs collapsed, trailing ones dropped, as the tree check compares.
        return super::line_key(line, true);
    }
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x676e_7570).hash_one((line, newline))
}

/// Whether `a` and `b` are the same line once runs of blanks are taken as equal and
/// trailing blanks ignored (GNU patch's `similar`).
fn similar(a: &[u8], b: &[u8]) -> bool {
    let blank = |c: &u8| *c == b' ' || *c == b'\t';
    let (mut a, mut b) = (a, b);
    loop {
        if b.first().is_none_or(blank) {
            b = &b[b.iter().take_while(|c| blank(c)).count()..];
            if !a.is_empty() {
                if !a.first().is_some_and(blank) {
                    return false;
                }
                a = &a[a.iter().take_while(|c| blank(c)).count()..];
            }
            if a.is_empty() || b.is_empty() {
                return a.is_empty() == b.is_empty();
            }
        } else if a.first() != b.first() {
            return false;
        } else {
            a = &a[1..];
            b = &b[1..];
        }
    }
}

/// A hunk's old side, as `patch` looks for it.
struct Pattern<'h> {
    lines: Vec<(&'h [u8], bool)>,
    keys: Vec<u64>,
    /// The line the hunk says it starts at (for a hunk without old lines, the line it
    /// goes before).
    first: usize,
    /// Context lines before the first change and after the last.
    prefix: usize,
    suffix: usize,
}

impl<'h> Pattern<'h> {
    fn of(hunk: &'h Hunk, ignore_whitespace: bool) -> Pattern<'h> {
        let lines: Vec<(&[u8], bool)> = hunk
            .lines
            .iter()
            .filter(|l| l.kind != LineKind::Added)
            .map(|l| (l.text.as_slice(), !l.no_newline))
            .collect();
        let keys = lines
            .iter()
            .map(|(l, nl)| key(l, *nl, ignore_whitespace))
            .collect();
        let is_context = |l: &&crate::diff::HunkLine| l.kind == LineKind::Context;
        let prefix = hunk.lines.iter().take_while(is_context).count();
        let suffix = if prefix == hunk.lines.len() {
            0
        } else {
            hunk.lines.iter().rev().take_while(is_context).count()
        };
        let first = hunk.old_start as usize + usize::from(lines.is_empty());
        Pattern {
            lines,
            keys,
            first,
            prefix,
            suffix,
        }
    }

    fn context(&self) -> usize {
        self.prefix.max(self.suffix)
    }
}

/// What `patch` carries from hunk to hunk of one file.
#[derive(Default)]
struct State {
    /// How far the last hunk was found from where its header said.
    in_offset: isize,
    /// Lines of the output beyond those of the input, so far.
    out_offset: isize,
    /// Input lines already copied or dropped (a hunk cannot go before them).
    frozen: usize,
}

impl State {
    /// Where `pattern` starts (1-based input line) at `fuzz`, moving `in_offset` there.
    fn locate(&mut self, lines: &Lines, pattern: &Pattern, fuzz: usize) -> Option<usize> {
        let n = lines.len() as isize;
        let pat = pattern.lines.len() as isize;
        let first = pattern.first as isize;
        let guess = first + self.in_offset;
        if pat == 0 {
            return usize::try_from(guess).ok().filter(|&g| g >= 1);
        }
        let (prefix, suffix) = (pattern.prefix as isize, pattern.suffix as isize);
        let context = prefix.max(suffix);
        let mut prefix_fuzz = fuzz as isize + prefix - context;
        let suffix_fuzz = fuzz as isize + suffix - context;
        let max_where = n - (pat - suffix_fuzz) + 1;
        let min_where = self.frozen as isize + 1;
        let max_pos = max_where - guess;
        let mut max_neg = guess - min_where;
        let max_offset = max_pos.max(max_neg);
        if guess <= max_neg {
            max_neg = guess - 1;
        }
        let matches = |at: isize, pf: isize, sf: isize| matches(lines, pattern, at, pf, sf);
        if prefix_fuzz < 0 && first <= 1 {
            // Only the start of the file will do (the whole file, without trailing fuzz).
            if suffix_fuzz < 0 && (pat != n || prefix < self.frozen as isize) {
                return None;
            }
            let offset = 1 - guess;
            if self.frozen as isize <= prefix && offset <= max_pos && matches(1, 0, suffix_fuzz) {
                self.in_offset += offset;
                return Some(1);
            }
            return None;
        }
        prefix_fuzz = prefix_fuzz.max(0);
        if suffix_fuzz < 0 {
            // Only the end of the file will do.
            let offset = guess - (n - pat + 1);
            if offset <= max_neg && matches(guess - offset, prefix_fuzz, 0) {
                self.in_offset -= offset;
                return usize::try_from(guess - offset).ok();
            }
            return None;
        }
        // Outward from the guess, or from the nearest end of the range when the guess is
        // outside it (patch 2.7.6 starts there, and tries both directions at each step).
        let min_offset = if max_pos < 0 {
            guess - max_where
        } else if max_neg < 0 {
            guess - min_where
        } else {
            0
        };
        for offset in min_offset..=max_offset {
            if offset <= max_pos && matches(guess + offset, prefix_fuzz, suffix_fuzz) {
                self.in_offset += offset;
                return usize::try_from(guess + offset).ok();
            }
            if offset <= max_neg && matches(guess - offset, prefix_fuzz, suffix_fuzz) {
                self.in_offset -= offset;
                return usize::try_from(guess - offset).ok();
            }
        }
        None
    }
}

/// Whether the pattern's lines but `prefix_fuzz` leading and `suffix_fuzz` trailing ones
/// are the input's from 1-based line `at` on.
fn matches(
    lines: &Lines,
    pattern: &Pattern,
    at: isize,
    prefix_fuzz: isize,
    suffix_fuzz: isize,
) -> bool {
    let end = pattern.lines.len() as isize - suffix_fuzz;
    (prefix_fuzz..end).all(|p| {
        let i = at + p - 1;
        let (Ok(i), Ok(p)) = (usize::try_from(i), usize::try_from(p)) else {
            return false;
        };
        let (Some(have), Some(want)) = (lines.keys.get(i), pattern.keys.get(p)) else {
            return false;
        };
        if have != want {
            return false;
        }
        let ((a, a_nl), (b, b_nl)) = (lines.text[i], pattern.lines[p]);
        if lines.ignore_whitespace {
            similar(a, b)
        } else {
            a == b && a_nl == b_nl
        }
    })
}

/// The patched file, line by line.
#[derive(Default)]
struct Output<'a> {
    lines: Vec<(&'a [u8], bool)>,
}

impl<'a> Output<'a> {
    /// Copy input lines up to 1-based line `last`.
    fn copy_till(&mut self, input: &Lines<'a>, last: usize, state: &mut State) {
        let to = last.min(input.len());
        if state.frozen < to {
            self.lines.extend_from_slice(&input.text[state.frozen..to]);
            state.frozen = to;
        }
    }

    /// Apply `hunk` at 1-based input line `at`: its removed lines dropped, its added
    /// lines written, its context left as the input has it. A hunk whose first change
    /// would go before lines already written is not applied (`patch`: "misordered
    /// hunks").
    fn apply(&mut self, input: &Lines<'a>, hunk: &'a Hunk, at: usize, state: &mut State) -> bool {
        let lead = hunk
            .lines
            .iter()
            .take_while(|l| l.kind == LineKind::Context)
            .count();
        if (at + lead + 1).saturating_sub(2) < state.frozen {
            return false;
        }
        let mut old = 1;
        let (mut removed, mut added) = (0isize, 0isize);
        for line in &hunk.lines {
            match line.kind {
                LineKind::Removed => {
                    self.copy_till(input, (at + old).saturating_sub(2), state);
                    state.frozen += 1;
                    old += 1;
                    removed += 1;
                }
                LineKind::Added => {
                    self.copy_till(input, (at + old).saturating_sub(2), state);
                    self.lines.push((line.text.as_slice(), !line.no_newline));
                    added += 1;
                }
                LineKind::Context => old += 1,
            }
        }
        state.out_offset += added - removed;
        true
    }

    fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.lines.iter().map(|(l, _)| l.len() + 1).sum());
        let last = self.lines.len().saturating_sub(1);
        for (i, (line, newline)) in self.lines.iter().enumerate() {
            out.extend_from_slice(line);
            if *newline || i < last {
                out.push(b'\n');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
