//! The tree check: how a file diff stands against a version of its file.
//!
//! [`check_file`] looks for each hunk's two images in the target bytes: the
//! *pre-image* (context and removed lines, what the hunk expects to find) and the
//! *post-image* (context and added lines, what it leaves behind). A hunk whose
//! post-image is there and pre-image is not is already [`Applied`](HunkState::Applied);
//! the reverse still [`Applies`](HunkState::Applies); both is
//! [`Ambiguous`](HunkState::Ambiguous); neither means the code moved on. The hunk
//! states add up to a [`FileState`]. Nothing is written and nothing is read but
//! the bytes given.
//!
//! Matching follows GNU patch where that makes sense:
//!
//! * Lines are compared without their newline, byte for byte, or with
//!   [`CheckOptions::ignore_whitespace`] after collapsing whitespace runs to one
//!   space and dropping trailing whitespace. `\ No newline at end of file` is ignored.
//! * An image is looked for at the line its hunk header names, moved by the offset
//!   at which the previous hunk's image was found, then ever further away in both
//!   directions; the nearest match wins, a later one on a tie. Every position is
//!   tried before any fuzz is.
//! * Fuzz level `f` drops up to `f` of the hunk's leading and up to `f` of its
//!   trailing context lines (never a line between two changes, never a changed
//!   line), up to [`CheckOptions::max_fuzz`].
//! * An empty image is never found, so a creation diff's pre-image and a deletion
//!   diff's post-image never are. An image without any changed line (the
//!   pre-image of a pure insertion, the post-image of a pure deletion) is found
//!   only as a whole, never fuzzed: a few context lines alone prove nothing.
//! * Unlike GNU patch, a hunk with less context on one side is not required to
//!   match at the start or end of the file, and hunks need not be found in order:
//!   each hunk is judged on its own.
//!
//! The target is indexed once ([`Target`]): every distinct line gets an id, and an
//! image is looked for only where its rarest line occurs, nearest first, so that a
//! big file and a big patch cost little more than reading them.

use crate::diff::{line_offsets, FileDiff, Hunk, HunkLine, LineKind};
use bstr::ByteSlice;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// How loosely hunks are matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CheckOptions {
    /// How many leading and trailing context lines of a hunk may be ignored (GNU
    /// patch's `--fuzz`, 2 by default).
    pub max_fuzz: usize,
    /// Compare lines with whitespace runs collapsed and trailing whitespace removed.
    pub ignore_whitespace: bool,
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions {
            max_fuzz: 2,
            ignore_whitespace: false,
        }
    }
}

/// Where an image of a hunk was found in the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Found {
    /// The 1-based target line where the matched lines start (after fuzz dropped any).
    pub line: usize,
    /// How many lines after (positive) or before (negative) the line its hunk header
    /// names the whole image sits: `old_start` for the pre-image, `new_start` for the
    /// post-image.
    pub offset: isize,
    /// The fuzz level needed: at most this many context lines were ignored at each end.
    pub fuzz: usize,
}

/// How one hunk stands against the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HunkState {
    /// The post-image is there, the pre-image is not: the change is in.
    Applied,
    /// The pre-image is there, the post-image is not: the change is still needed.
    Applies,
    /// Both images are there (the old and the new code both occur).
    Ambiguous,
    /// Neither image is there: the code moved on.
    Neither,
}

/// The result of checking one hunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct HunkCheck {
    /// Where the pre-image (context and removed lines) was found.
    pub pre: Option<Found>,
    /// Where the post-image (context and added lines) was found.
    pub post: Option<Found>,
    /// What the two imply.
    pub state: HunkState,
}

/// How a whole file diff stands against the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileState {
    /// Every hunk is applied or ambiguous, at least one applied.
    Applied,
    /// Every hunk applies or is ambiguous, at least one applies.
    Applies,
    /// Some hunks are applied, some still apply, none conflicts.
    Partial,
    /// Every hunk is ambiguous.
    Ambiguous,
    /// Some hunk matches neither way.
    Conflicts,
    /// The diff has no hunks (binary, mode change, rename only, empty file).
    NoHunks,
}

/// The result of checking one file diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileCheck {
    /// One result per hunk, in the diff's order.
    pub hunks: Vec<HunkCheck>,
    /// What the hunks add up to.
    pub state: FileState,
    /// How many of the diff's distinct non-trivial added lines occur anywhere in the
    /// target, out of how many there are (see [`is_trivial`]).
    pub added_present: (usize, usize),
}

/// Check `diff` against `target`, the bytes of some version of its file.
///
/// To check several diffs against one file, build a [`Target`] once instead.
pub fn check_file(diff: &FileDiff, target: &[u8], options: &CheckOptions) -> FileCheck {
    Target::new(target, options).check(diff)
}

/// A target file indexed for checking: each distinct line (as compared) gets an id,
/// and each id knows the positions it occurs at. Lines are known by a 64-bit hash of
/// their compared form, so an index holds no copy of the text and outlives it. The
/// positions of all ids sit in one array, grouped by id (a few allocations per file,
/// not one per distinct line).
#[derive(Clone, Debug)]
pub struct Target<'a> {
    options: CheckOptions,
    /// The id of each line, in order.
    lines: Vec<u32>,
    /// The id of each distinct line, by the hash of its compared form.
    ids: HashMap<u64, u32, foldhash::fast::FixedState>,
    /// `at[starts[id]..starts[id + 1]]` are the 0-based positions of `id`, ascending.
    starts: Vec<u32>,
    at: Vec<u32>,
    _text: std::marker::PhantomData<&'a [u8]>,
}

/// The offsets at which the previous hunk's images were found; the next hunk is
/// looked for there first.
#[derive(Clone, Copy, Debug, Default)]
struct Drift {
    pre: isize,
    post: isize,
}

/// One image of a hunk, as target line ids.
struct Image {
    /// The id of each line, `None` when the target has no such line.
    ids: Vec<Option<u32>>,
    /// Context lines before the hunk's first change (droppable by fuzz).
    lead: usize,
    /// Context lines after the hunk's last change (droppable by fuzz).
    trail: usize,
    /// Whether the image has a changed (added or removed) line.
    changed: bool,
}

/// The hash a line is known by: of its compared form.
fn line_key(line: &[u8], ignore_whitespace: bool) -> u64 {
    line_key_in(line, ignore_whitespace, &mut Vec::new())
}

/// [`line_key`], normalizing into `buf` (reused across lines) when a copy is needed.
fn line_key_in(line: &[u8], ignore_whitespace: bool, buf: &mut Vec<u8>) -> u64 {
    use std::hash::BuildHasher;
    let hasher = foldhash::fast::FixedState::with_seed(0x6b64_656c_7461);
    if !ignore_whitespace || is_normal(line) {
        return hasher.hash_one(line);
    }
    buf.clear();
    normalize_into(line, buf);
    hasher.hash_one(&buf[..])
}

impl<'a> Target<'a> {
    /// Index `target` for matching under `options`. Lines past the 2^32nd are not
    /// indexed.
    pub fn new(target: &'a [u8], options: &CheckOptions) -> Target<'a> {
        let mut ids: HashMap<u64, u32, _> = HashMap::default();
        let mut lines = Vec::new();
        let mut counts: Vec<u32> = Vec::new();
        let mut buf = Vec::new();
        for (_, line) in line_offsets(target).take(u32::MAX as usize) {
            let key = line_key_in(line, options.ignore_whitespace, &mut buf);
            let next = counts.len() as u32;
            let id = *ids.entry(key).or_insert(next);
            if id == next {
                counts.push(0);
            }
            counts[id as usize] += 1;
            lines.push(id);
        }
        let mut starts = Vec::with_capacity(counts.len() + 1);
        let mut total = 0u32;
        starts.push(0);
        for count in &counts {
            total += count;
            starts.push(total);
        }
        // Fill each id's slots in line order: `counts` becomes the next free slot.
        let distinct = counts.len();
        counts.copy_from_slice(&starts[..distinct]);
        let mut at = vec![0u32; lines.len()];
        for (position, &id) in lines.iter().enumerate() {
            let slot = &mut counts[id as usize];
            at[*slot as usize] = position as u32;
            *slot += 1;
        }
        Target {
            options: *options,
            lines,
            ids,
            starts,
            at,
            _text: std::marker::PhantomData,
        }
    }

    /// The 0-based positions of the line `id`, ascending.
    fn positions(&self, id: u32) -> &[u32] {
        let start = self.starts.get(id as usize).copied().unwrap_or(0) as usize;
        let end = self.starts.get(id as usize + 1).copied().unwrap_or(0) as usize;
        self.at.get(start..end).unwrap_or(&[])
    }

    /// Index `target`, for an index kept and checked against many diffs after the text
    /// is gone.
    pub fn owned(target: &[u8], options: &CheckOptions) -> Target<'static> {
        let Target {
            options,
            lines,
            ids,
            starts,
            at,
            ..
        } = Target::new(target, options);
        Target {
            options,
            lines,
            ids,
            starts,
            at,
            _text: std::marker::PhantomData,
        }
    }

    /// The number of lines in the target.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the target has no lines.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Check `diff` against this target.
    pub fn check(&self, diff: &FileDiff) -> FileCheck {
        let mut drift = Drift::default();
        let hunks: Vec<HunkCheck> = diff
            .hunks
            .iter()
            .map(|hunk| self.check_hunk(hunk, &mut drift))
            .collect();
        FileCheck {
            state: file_state(&hunks),
            hunks,
            added_present: self.added_present(diff),
        }
    }

    /// Check one hunk on its own, looked for first where its header says.
    pub fn check_one(&self, hunk: &Hunk) -> HunkCheck {
        self.check_hunk(hunk, &mut Drift::default())
    }

    /// How many times `line` occurs in the target, and the 1-based line of the first.
    pub fn occurrences(&self, line: &[u8]) -> (usize, Option<usize>) {
        match self.id_of(line).map(|id| self.positions(id)) {
            Some(positions) => (positions.len(), positions.first().map(|&p| p as usize + 1)),
            None => (0, None),
        }
    }

    /// Whether `line` occurs anywhere in the target (as compared under the options).
    pub fn contains(&self, line: &[u8]) -> bool {
        self.id_of(line).is_some()
    }

    /// The id of each line of the target, in order: lines equal as compared under the
    /// options share an id.
    pub fn line_ids(&self) -> &[u32] {
        &self.lines
    }

    /// The id `line` has in the target, when the target has it.
    pub fn id(&self, line: &[u8]) -> Option<u32> {
        self.id_of(line)
    }

    /// The 0-based positions of the line `id`, ascending.
    pub fn positions_of(&self, id: u32) -> &[u32] {
        self.positions(id)
    }

    fn check_hunk(&self, hunk: &Hunk, drift: &mut Drift) -> HunkCheck {
        let pre = self.locate(
            &self.image(hunk, LineKind::Removed),
            header_start(hunk.old_start),
            drift.pre,
        );
        let post = self.locate(
            &self.image(hunk, LineKind::Added),
            header_start(hunk.new_start),
            drift.post,
        );
        if let Some(found) = pre {
            drift.pre = found.offset;
        }
        if let Some(found) = post {
            drift.post = found.offset;
        }
        let state = match (pre.is_some(), post.is_some()) {
            (true, true) => HunkState::Ambiguous,
            (false, true) => HunkState::Applied,
            (true, false) => HunkState::Applies,
            (false, false) => HunkState::Neither,
        };
        HunkCheck { pre, post, state }
    }

    /// The image of `hunk` made of its context lines and its `side` lines.
    fn image(&self, hunk: &Hunk, side: LineKind) -> Image {
        let is_context = |l: &&HunkLine| l.kind == LineKind::Context;
        let lines: Vec<&HunkLine> = hunk
            .lines
            .iter()
            .filter(|l| l.kind == LineKind::Context || l.kind == side)
            .collect();
        let lead = hunk.lines.iter().take_while(is_context).count();
        let trail = hunk.lines.iter().rev().take_while(is_context).count();
        Image {
            ids: lines.iter().map(|l| self.id_of(&l.text)).collect(),
            lead,
            trail,
            changed: lines.iter().any(|l| l.kind == side),
        }
    }

    /// Find `image`, stated at the 0-based line `stated`, trying `stated + drift` first.
    fn locate(&self, image: &Image, stated: usize, drift: isize) -> Option<Found> {
        let len = image.ids.len();
        let max_fuzz = if image.changed {
            self.options.max_fuzz.min(image.lead.max(image.trail))
        } else {
            0
        };
        let mut tried = None;
        for fuzz in 0..=max_fuzz {
            let cut = (fuzz.min(image.lead), fuzz.min(image.trail));
            if tried == Some(cut) {
                continue;
            }
            tried = Some(cut);
            let Some(window) = image.ids.get(cut.0..len.saturating_sub(cut.1)) else {
                continue;
            };
            let expected = signed(stated) + drift + signed(cut.0);
            if let Some(at) = self.find(window, expected) {
                return Some(Found {
                    line: at + 1,
                    offset: signed(at) - signed(cut.0) - signed(stated),
                    fuzz,
                });
            }
        }
        None
    }

    /// The 0-based start of the occurrence of `window` nearest to `expected` (a later
    /// one on a tie), trying only the positions of its rarest line.
    fn find(&self, window: &[Option<u32>], expected: isize) -> Option<usize> {
        let ids: Vec<u32> = window.iter().copied().collect::<Option<_>>()?;
        let (k, positions) = ids
            .iter()
            .enumerate()
            .map(|(k, &id)| (k, self.positions(id)))
            .min_by_key(|(_, positions)| positions.len())?;
        let want = expected + signed(k);
        let split = positions.partition_point(|&p| signed(p as usize) < want);
        let (before, after) = positions.split_at(split);
        let mut before = before.iter().rev().peekable();
        let mut after = after.iter().peekable();
        loop {
            let next = match (before.peek(), after.peek()) {
                (Some(&&b), Some(&&a)) if want - signed(b as usize) < signed(a as usize) - want => {
                    before.next()
                }
                (_, Some(_)) => after.next(),
                (Some(_), None) => before.next(),
                (None, None) => return None,
            };
            let Some(start) = next.and_then(|&p| (p as usize).checked_sub(k)) else {
                continue;
            };
            if self.lines.get(start..start + ids.len()) == Some(&ids[..]) {
                return Some(start);
            }
        }
    }

    /// How many distinct non-trivial added lines of `diff` occur in the target, of how many.
    fn added_present(&self, diff: &FileDiff) -> (usize, usize) {
        let mut seen = HashSet::new();
        let mut present = 0;
        for line in diff.added_lines() {
            if is_trivial(line) {
                continue;
            }
            let key = line_key(line, self.options.ignore_whitespace);
            if self.ids.contains_key(&key) && !seen.contains(&key) {
                present += 1;
            }
            seen.insert(key);
        }
        (present, seen.len())
    }

    fn id_of(&self, line: &[u8]) -> Option<u32> {
        self.ids
            .get(&line_key(line, self.options.ignore_whitespace))
            .copied()
    }
}

/// The file state the hunk states add up to.
fn file_state(hunks: &[HunkCheck]) -> FileState {
    let count = |state| hunks.iter().filter(|h| h.state == state).count();
    let (applied, applies) = (count(HunkState::Applied), count(HunkState::Applies));
    if hunks.is_empty() {
        FileState::NoHunks
    } else if count(HunkState::Neither) > 0 {
        FileState::Conflicts
    } else if applied > 0 && applies > 0 {
        FileState::Partial
    } else if applied > 0 {
        FileState::Applied
    } else if applies > 0 {
        FileState::Applies
    } else {
        FileState::Ambiguous
    }
}

/// The 0-based line a hunk header's 1-based start names (0 names the start too).
fn header_start(start: u32) -> usize {
    usize::try_from(start).map_or(0, |s| s.saturating_sub(1))
}

fn signed(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

/// A line as compared: as is, or with whitespace runs collapsed to one space and
/// trailing whitespace removed.
pub fn normalize(line: &[u8], ignore_whitespace: bool) -> Cow<'_, [u8]> {
    if !ignore_whitespace || is_normal(line) {
        return Cow::Borrowed(line);
    }
    let mut out = Vec::with_capacity(line.len());
    normalize_into(line, &mut out);
    Cow::Owned(out)
}

/// Append `line` with whitespace runs collapsed to one space and trailing whitespace
/// dropped to `out`.
fn normalize_into(line: &[u8], out: &mut Vec<u8>) {
    let mut space = false;
    for &b in line {
        if b.is_ascii_whitespace() {
            space = true;
        } else {
            if space {
                out.push(b' ');
            }
            space = false;
            out.push(b);
        }
    }
}

/// Whether normalizing `line` leaves it unchanged: no whitespace but single spaces
/// between non-space bytes (or one in front).
fn is_normal(line: &[u8]) -> bool {
    let mut previous_space = false;
    for &b in line {
        let space = b.is_ascii_whitespace();
        if space && (b != b' ' || previous_space) {
            return false;
        }
        previous_space = space;
    }
    !previous_space
}

/// Lines so common in C that finding them proves nothing, compared after trimming.
const TRIVIAL: [&[u8]; 16] = [
    b"else",
    b"else {",
    b"} else",
    b"} else {",
    b"break;",
    b"continue;",
    b"return;",
    b"return 0;",
    b"return ret;",
    b"return err;",
    b"default:",
    b"#else",
    b"#endif",
    b"do {",
    b"} while (0)",
    b"} while (0);",
];

/// Whether an added line is too common to count as evidence: blank, punctuation
/// only (`}`, `*/`, `});` …) or one of a few C stock lines (`else`, `break;`,
/// `return 0;`, `#endif` …).
pub fn is_trivial(line: &[u8]) -> bool {
    let trimmed = normalize(line.trim(), true);
    !trimmed.iter().any(u8::is_ascii_alphanumeric) || TRIVIAL.contains(&trimmed.as_ref())
}

#[cfg(test)]
mod tests;

mod gnu;
mod patching;
pub use gnu::{patch_file, PatchOptions, Patched, Placed};
pub use patching::{apply_diff, Applied};
