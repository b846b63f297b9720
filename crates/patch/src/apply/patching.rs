//! Applying a file diff in memory, as GNU patch would: each hunk goes where its pre-image
//! is found (offset and fuzz as [`Target::check`] finds them); a hunk whose pre-image is
//! not there is left out and counted. Used to judge a queue's later patches against the
//! tree its earlier patches leave.

use super::{CheckOptions, Target};
use crate::diff::{line_offsets, ChangeKind, FileDiff, Hunk, LineKind};

/// The result of [`apply_diff`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The file after the hunks that applied.
    pub bytes: Vec<u8>,
    /// Hunks applied.
    pub applied: usize,
    /// Hunks whose change was already there (post-image found, pre-image not).
    pub already: usize,
    /// Hunks that found neither image.
    pub failed: usize,
}

/// Apply `diff` to `target` (empty for a file the diff creates).
pub fn apply_diff(diff: &FileDiff, target: &[u8], options: &CheckOptions) -> Applied {
    if diff.change == ChangeKind::Added && target.is_empty() {
        return created(diff);
    }
    let index = Target::new(target, options);
    let check = index.check(diff);
    let mut lines: Vec<&[u8]> = line_offsets(target).map(|(_, l)| l).collect();
    let mut edits: Vec<(usize, usize, Vec<&[u8]>)> = Vec::new();
    let (mut already, mut failed) = (0, 0);
    for (hunk, result) in diff.hunks.iter().zip(&check.hunks) {
        match (result.pre, result.post) {
            (Some(found), _) => {
                let (cut_lead, cut_trail) = cuts(hunk, found.fuzz);
                let pre = side(hunk, LineKind::Removed);
                let post = side(hunk, LineKind::Added);
                let pre = trimmed(pre, cut_lead, cut_trail);
                let start = found.line.saturating_sub(1);
                edits.push((start, start + pre.len(), trimmed(post, cut_lead, cut_trail)));
            }
            (None, Some(_)) => already += 1,
            (None, None) => failed += 1,
        }
    }
    // Later edits first, so earlier positions stay valid; an edit overlapping one already
    // made is left out.
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut applied = 0;
    let mut floor = usize::MAX;
    for (start, end, replacement) in edits {
        if end > floor || end > lines.len() {
            failed += 1;
            continue;
        }
        lines.splice(start..end, replacement);
        floor = start;
        applied += 1;
    }
    Applied {
        bytes: join(&lines, target.is_empty() || target.ends_with(b"\n")),
        applied,
        already,
        failed,
    }
}

fn created(diff: &FileDiff) -> Applied {
    let lines: Vec<&[u8]> = diff
        .hunks
        .iter()
        .flat_map(|h| side(h, LineKind::Added))
        .collect();
    Applied {
        bytes: join(&lines, true),
        applied: diff.hunks.len(),
        already: 0,
        failed: 0,
    }
}

/// The lines of one side of `hunk`: context and `kind` lines.
fn side(hunk: &Hunk, kind: LineKind) -> Vec<&[u8]> {
    hunk.lines
        .iter()
        .filter(|l| l.kind == LineKind::Context || l.kind == kind)
        .map(|l| l.text.as_slice())
        .collect()
}

/// `lines` without `lead` lines in front and `trail` at the end.
fn trimmed(lines: Vec<&[u8]>, lead: usize, trail: usize) -> Vec<&[u8]> {
    let end = lines.len().saturating_sub(trail);
    lines.get(lead.min(end)..end).unwrap_or_default().to_vec()
}

/// How many leading and trailing context lines fuzz level `fuzz` dropped.
fn cuts(hunk: &Hunk, fuzz: usize) -> (usize, usize) {
    let is_context = |l: &&crate::diff::HunkLine| l.kind == LineKind::Context;
    let lead = hunk.lines.iter().take_while(is_context).count();
    let trail = hunk.lines.iter().rev().take_while(is_context).count();
    (fuzz.min(lead), fuzz.min(trail))
}

fn join(lines: &[&[u8]], final_newline: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for (i, line) in lines.iter().enumerate() {
        out.extend_from_slice(line);
        if i + 1 < lines.len() || final_newline {
            out.push(b'\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::parse_diffs;

    fn diff(text: &str) -> FileDiff {
        let (mut files, problems) = parse_diffs(text.as_bytes(), 1, 1);
        assert!(problems.is_empty(), "{problems:?}");
        files.remove(0)
    }

    #[test]
    fn hunks_apply_at_an_offset_and_a_missing_one_is_counted() {
        let d = diff("--- a/f.c\n+++ b/f.c\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -10,3 +10,4 @@\n x\n y\n+Y2\n z\n@@ -20,2 +21,2 @@\n gone\n-away\n+here\n");
        let target = b"0\n1\na\nb\nc\nd\ne\nf\ng\nh\ni\nj\nx\ny\nz\n";
        let out = apply_diff(&d, target, &CheckOptions::default());
        assert_eq!(
            String::from_utf8_lossy(&out.bytes),
            "0\n1\na\nB\nc\nd\ne\nf\ng\nh\ni\nj\nx\ny\nY2\nz\n"
        );
        assert_eq!((out.applied, out.already, out.failed), (2, 0, 1));
        let again = apply_diff(&d, &out.bytes, &CheckOptions::default());
        assert_eq!(
            (again.applied, again.already),
            (0, 2),
            "applied twice: already there"
        );
    }

    #[test]
    fn a_created_file_is_its_added_lines() {
        let d = diff("--- /dev/null\n+++ b/new.c\n@@ -0,0 +1,2 @@\n+one\n+two\n");
        let out = apply_diff(&d, b"", &CheckOptions::default());
        assert_eq!(out.bytes, b"one\ntwo\n");
    }

    #[test]
    fn fuzz_keeps_the_target_s_own_context() {
        let d = diff("--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n OLD1\n b\n-c\n+C\n d\n OLD5\n");
        let out = apply_diff(&d, b"new1\nb\nc\nd\nnew5\n", &CheckOptions::default());
        assert_eq!(out.bytes, b"new1\nb\nC\nd\nnew5\n");
        assert_eq!(out.applied, 1);
    }
}
