//! A patch refreshed against a new version of its files, as `quilt refresh` would leave
//! it: every byte outside the hunks kept (the description, tags, diffstat, file headers),
//! each file's hunks replaced by the hunks as they applied ([`crate::apply::Patched::
//! as_applied`]): context lines as the file has them now, line numbers where they went.
//! Hunks that now overlap or touch are merged, as `diff` would have made them.

use crate::diff::{FileDiff, Hunk, LineKind};

/// `text` (a patch's bytes, whose file diffs are `files`, as parsed from it) with the
/// hunks of file diff `i` replaced by `replaced[i]` when that is `Some`.
pub fn rewrite(text: &[u8], files: &[FileDiff], replaced: &[Option<Vec<Hunk>>]) -> Vec<u8> {
    // Lines with their endings, so that what is kept is kept byte for byte.
    let lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
    // Per line index (0-based): the replacement text that starts there, and where the
    // replaced block ends.
    let mut blocks: Vec<(usize, usize, Vec<u8>)> = Vec::new();
    for (file, new) in files.iter().zip(replaced) {
        let (Some(new), Some(first), Some(last)) = (new, file.hunks.first(), file.hunks.last())
        else {
            continue;
        };
        let start = first.line.saturating_sub(1);
        let end = (last.line.saturating_sub(1) + text_lines(last)).min(lines.len());
        blocks.push((start, end, render(&merged(new))));
    }
    blocks.sort_by_key(|b| b.0);
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    for (start, end, block) in blocks {
        if start < at || start > lines.len() {
            continue;
        }
        lines[at..start]
            .iter()
            .for_each(|l| out.extend_from_slice(l));
        out.extend_from_slice(&block);
        at = end;
    }
    lines[at.min(lines.len())..]
        .iter()
        .for_each(|l| out.extend_from_slice(l));
    out
}

/// Lines `hunk` takes in its patch: its header, its lines and their `\ No newline` marks.
fn text_lines(hunk: &Hunk) -> usize {
    1 + hunk.lines.len() + hunk.lines.iter().filter(|l| l.no_newline).count()
}

/// `hunks` with those that overlap or touch merged into one.
pub fn merged(hunks: &[Hunk]) -> Vec<Hunk> {
    let mut out: Vec<Hunk> = Vec::with_capacity(hunks.len());
    for hunk in hunks {
        let joined = match out.last_mut() {
            Some(prev) => touches(prev, hunk) && merge(prev, hunk),
            None => false,
        };
        if !joined {
            out.push(hunk.clone());
        }
    }
    out
}

/// Old-side line after the hunk's last one.
fn old_end(h: &Hunk) -> u32 {
    h.old_start + h.old_lines + u32::from(h.old_lines == 0)
}

fn touches(prev: &Hunk, next: &Hunk) -> bool {
    next.old_lines > 0 && prev.old_lines > 0 && next.old_start <= old_end(prev)
}

/// Append `next` to `prev`, the lines they share once: those are context of one of them
/// at least, and the other's version of them is kept. False (nothing changed) when a
/// shared line is a change in both.
fn merge(prev: &mut Hunk, next: &Hunk) -> bool {
    let shared = (old_end(prev) - next.old_start) as usize;
    if next.lines.len() < shared || prev.lines.len() < shared {
        return false;
    }
    let context = |l: &crate::diff::HunkLine| l.kind == LineKind::Context;
    if next.lines.iter().take(shared).all(context) {
        prev.lines.extend(next.lines.iter().skip(shared).cloned());
    } else if prev.lines.iter().rev().take(shared).all(context) {
        prev.lines.truncate(prev.lines.len() - shared);
        prev.lines.extend(next.lines.iter().cloned());
    } else {
        return false;
    }
    prev.old_lines = count(prev, LineKind::Added);
    prev.new_lines = count(prev, LineKind::Removed);
    true
}

/// Lines of `hunk` that are not of kind `not`.
fn count(hunk: &Hunk, not: LineKind) -> u32 {
    hunk.lines.iter().filter(|l| l.kind != not).count() as u32
}

/// Hunks as unified diff text.
pub fn render(hunks: &[Hunk]) -> Vec<u8> {
    let mut out = Vec::new();
    for h in hunks {
        out.extend_from_slice(
            format!(
                "@@ -{} +{} @@",
                range(h.old_start, h.old_lines),
                range(h.new_start, h.new_lines)
            )
            .as_bytes(),
        );
        if !h.section.is_empty() {
            out.push(b' ');
            out.extend_from_slice(&h.section);
        }
        out.push(b'\n');
        crate::diff::push_lines(&mut out, h);
    }
    out
}

/// `start,count` as diff writes it: the count left out when it is 1.
fn range(start: u32, count: u32) -> String {
    if count == 1 {
        start.to_string()
    } else {
        format!("{start},{count}")
    }
}

#[cfg(test)]
mod tests;
