//! git's rename detection as `git show` and `git format-patch` apply it by default
//! (`diff.renames`, `-M50%`, rename limit 1000), reimplemented from git's
//! `diffcore-rename.c` and `diffcore-delta.c`, so that the patch-id of a commit's diff *with*
//! renames can be computed too: a downstream patch made by `git format-patch` from a commit
//! that moves a file carries `rename from`/`rename to` and a `similarity index`, all of which
//! `git patch-id` hashes.
//!
//! The steps, in git's order:
//! 1. Sources are deleted files, destinations added ones; a path both deleted and added (a
//!    change of file type) is neither.
//! 2. Exact renames: a destination whose blob a source has (the same mode, or both
//!    regular files), preferring the source with the same file name among the first 100;
//!    a source serves once. Symlinks and submodules are renamed only this way.
//! 3. File names: a source whose file name no other source has, and a destination whose
//!    file name no other destination has, with the same name, pair at 75 % or more.
//! 4. Every other pair is scored (0 unless both are regular files), unless there are more
//!    than 1000 × 1000 pairs; the best 4 sources of each destination are kept in git's
//!    slots, all are sorted stably by score (same file names first on equal scores), and
//!    taken best first, each file once, down to 50 %. On a tie the matrix's layout
//!    decides, as in git: destinations in path order, slots in the order they were filled.
//!
//! A score is git's: the bytes of the source found again in the destination, counted in
//! chunks of up to 64 bytes that end at a newline, over the larger file's size, with
//! 60 000 for all of it.

use crate::changes::{FileChange, Side};
use std::collections::HashMap;

/// git's `MAX_SCORE`: the score of identical contents.
pub(crate) const MAX_SCORE: u64 = 60_000;
/// `-M50%`.
const MIN_SCORE: u64 = 30_000;
/// What a pair of files with the same (unique) name needs: halfway from 50 % to 100 %.
const MIN_BASENAME_SCORE: u64 = MIN_SCORE + (MAX_SCORE - MIN_SCORE) / 2;
/// `diff.renameLimit`'s default: no inexact detection above this many squared pairs.
const RENAME_LIMIT: usize = 1000;
/// How many identical sources git looks at for one destination before it picks one.
const EXACT_ALTERNATIVES: usize = 100;
/// git's `NUM_CANDIDATE_PER_DST`.
const CANDIDATES_PER_DST: usize = 4;

/// A deleted file (`src`, an index into the changes) found again as an added one (`dst`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rename {
    pub src: usize,
    pub dst: usize,
    /// git's score, 0 ..= [`MAX_SCORE`].
    pub score: u64,
}

impl Rename {
    /// The `similarity index` git prints, in percent.
    pub fn similarity(&self) -> u64 {
        self.score * 100 / MAX_SCORE
    }
}

/// What rename detection keeps of a file: its size and its chunk counts.
pub(crate) struct Fingerprint {
    size: u64,
    spans: Vec<(u32, u64)>,
}

/// The fingerprint of a file of bytes `data`, binary or text as git decided.
pub(crate) fn fingerprint(data: &[u8], binary: bool) -> Fingerprint {
    Fingerprint {
        size: data.len() as u64,
        spans: span_counts(data, !binary),
    }
}

/// The files of `changes` that take part: (sources, destinations), indices in path order.
fn candidates(changes: &[FileChange]) -> (Vec<usize>, Vec<usize>) {
    let both: std::collections::HashSet<&[u8]> = {
        let mut seen = std::collections::HashSet::new();
        let mut both = std::collections::HashSet::new();
        for c in changes {
            if !seen.insert(c.path.as_slice()) {
                both.insert(c.path.as_slice());
            }
        }
        both
    };
    let takes_part = |_: &Side, path: &[u8]| !both.contains(path);
    let mut sources = Vec::new();
    let mut destinations = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        match (&c.old, &c.new) {
            (Some(old), None) if takes_part(old, &c.path) => sources.push(i),
            (None, Some(new)) if takes_part(new, &c.path) => destinations.push(i),
            _ => {}
        }
    }
    (sources, destinations)
}

/// The renames among `changes`, fingerprinting a file through `content` only when a score
/// needs it.
pub(crate) fn detect<E>(
    changes: &[FileChange],
    content: &mut dyn FnMut(Side) -> Result<Fingerprint, E>,
) -> Result<Vec<Rename>, E> {
    let (mut sources, mut destinations) = candidates(changes);
    if sources.is_empty() || destinations.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = exact(changes, &mut sources, &mut destinations);
    if sources.is_empty() || destinations.is_empty() {
        return Ok(found);
    }
    let mut scorer = Scorer {
        changes,
        content,
        spans: HashMap::new(),
    };
    found.extend(by_name(&mut scorer, &mut sources, &mut destinations)?);
    if sources.is_empty()
        || destinations.is_empty()
        || sources.len() * destinations.len() > RENAME_LIMIT * RENAME_LIMIT
    {
        return Ok(found);
    }
    found.extend(inexact(&mut scorer, &sources, &destinations)?);
    Ok(found)
}

/// Step 2: identical blobs.
fn exact(
    changes: &[FileChange],
    sources: &mut Vec<usize>,
    destinations: &mut Vec<usize>,
) -> Vec<Rename> {
    let side = |i: usize, old: bool| {
        let c = &changes[i];
        if old {
            c.old
        } else {
            c.new
        }
    };
    let mut found = Vec::new();
    let mut used = vec![false; changes.len()];
    for &dst in destinations.iter() {
        let Some(target) = side(dst, false) else {
            continue;
        };
        let mut best: Option<(usize, bool)> = None;
        let mut alternatives = EXACT_ALTERNATIVES;
        for &src in sources.iter().filter(|&&s| !used[s]) {
            let Some(source) = side(src, true) else {
                continue;
            };
            let regular = is_regular(source.mode) && is_regular(target.mode);
            if source.id != target.id || (!regular && source.mode != target.mode) {
                continue;
            }
            let same_name = file_name(&changes[src].path) == file_name(&changes[dst].path);
            if best.is_none_or(|(_, named)| same_name && !named) {
                best = Some((src, same_name));
            }
            alternatives -= 1;
            if same_name || alternatives == 0 {
                break;
            }
        }
        if let Some((src, _)) = best {
            used[src] = true;
            used[dst] = true;
            found.push(Rename {
                src,
                dst,
                score: MAX_SCORE,
            });
        }
    }
    sources.retain(|&s| !used[s]);
    destinations.retain(|&d| !used[d]);
    found
}

/// Step 3: files whose name is unique on both sides.
fn by_name<E>(
    scorer: &mut Scorer<'_, '_, E>,
    sources: &mut Vec<usize>,
    destinations: &mut Vec<usize>,
) -> Result<Vec<Rename>, E> {
    let changes = scorer.changes;
    let unique = |list: &[usize]| {
        let mut count: HashMap<&[u8], (usize, usize)> = HashMap::new();
        for &i in list {
            let entry = count.entry(file_name(&changes[i].path)).or_insert((0, i));
            entry.0 += 1;
        }
        count
            .into_iter()
            .filter(|(_, (n, _))| *n == 1)
            .map(|(name, (_, i))| (name, i))
            .collect::<HashMap<_, _>>()
    };
    let (named_sources, named_destinations) = (unique(sources), unique(destinations));
    let mut found = Vec::new();
    for &src in sources.iter() {
        let Some(&dst) = named_sources
            .get(file_name(&changes[src].path))
            .filter(|&&s| s == src)
            .and_then(|_| named_destinations.get(file_name(&changes[src].path)))
        else {
            continue;
        };
        let score = scorer.score(src, dst, MIN_BASENAME_SCORE)?;
        if score >= MIN_BASENAME_SCORE {
            found.push(Rename { src, dst, score });
        }
    }
    sources.retain(|s| !found.iter().any(|r| r.src == *s));
    destinations.retain(|d| !found.iter().any(|r| r.dst == *d));
    Ok(found)
}

/// One cell of git's candidate matrix (`struct diff_score`); `dst: None` is an unused slot.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    src: usize,
    dst: Option<usize>,
    score: u64,
    /// The source and destination have the same file name.
    named: bool,
}

/// `score_compare()`: unused slots last, then by score, then same file names first.
fn score_order(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.dst, b.dst) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        _ => b.score.cmp(&a.score).then(b.named.cmp(&a.named)),
    }
}

/// `record_if_better()`: `o` replaces the worst of the slots (the first of equals) when
/// it is strictly better.
fn record_if_better(slots: &mut [Candidate; CANDIDATES_PER_DST], o: Candidate) {
    let mut worst = 0;
    for i in 1..CANDIDATES_PER_DST {
        if score_order(&slots[i], &slots[worst]).is_gt() {
            worst = i;
        }
    }
    if score_order(&slots[worst], &o).is_gt() {
        slots[worst] = o;
    }
}

/// Step 4: every remaining source scored against each remaining destination, the best 4
/// kept per destination as git keeps them, all sorted (stably) and taken best first.
fn inexact<E>(
    scorer: &mut Scorer<'_, '_, E>,
    sources: &[usize],
    destinations: &[usize],
) -> Result<Vec<Rename>, E> {
    let changes = scorer.changes;
    let unused = Candidate {
        src: 0,
        dst: None,
        score: 0,
        named: false,
    };
    let mut matrix: Vec<Candidate> = Vec::with_capacity(destinations.len() * CANDIDATES_PER_DST);
    for &dst in destinations {
        let mut slots = [unused; CANDIDATES_PER_DST];
        for &src in sources {
            let score = scorer.score(src, dst, MIN_SCORE)?;
            let named = file_name(&changes[src].path) == file_name(&changes[dst].path);
            record_if_better(
                &mut slots,
                Candidate {
                    src,
                    dst: Some(dst),
                    score,
                    named,
                },
            );
        }
        matrix.extend(slots);
    }
    matrix.sort_by(score_order);
    let mut used = vec![false; changes.len()];
    let mut found = Vec::new();
    for c in matrix {
        let Some(dst) = c.dst.filter(|_| c.score >= MIN_SCORE) else {
            break;
        };
        if used[c.src] || used[dst] {
            continue;
        }
        used[c.src] = true;
        used[dst] = true;
        found.push(Rename {
            src: c.src,
            dst,
            score: c.score,
        });
    }
    Ok(found)
}

/// Scores pairs, reading and chunking each file once.
struct Scorer<'c, 'f, E> {
    changes: &'c [FileChange],
    content: &'f mut dyn FnMut(Side) -> Result<Fingerprint, E>,
    /// Per change index: the file's fingerprint.
    spans: HashMap<usize, Fingerprint>,
}

impl<E> Scorer<'_, '_, E> {
    /// git's `estimate_similarity()` of the deleted `src` and the added `dst`, pairs whose
    /// sizes are too far apart for `minimum` not being read.
    fn score(&mut self, src: usize, dst: usize, minimum: u64) -> Result<u64, E> {
        let (Some(old), Some(new)) = (self.changes[src].old, self.changes[dst].new) else {
            return Ok(0);
        };
        if !is_regular(old.mode) || !is_regular(new.mode) {
            return Ok(0);
        }
        let src_size = self.load(src, old)?;
        let dst_size = self.load(dst, new)?;
        let max = src_size.max(dst_size);
        let delta = max - src_size.min(dst_size);
        if max * (MAX_SCORE - minimum) < delta * MAX_SCORE || dst_size == 0 {
            return Ok(0);
        }
        let copied = copied_bytes(&self.spans[&src].spans, &self.spans[&dst].spans);
        Ok(copied * MAX_SCORE / max)
    }

    /// The size of change `i`'s `side`, fingerprinted on first use.
    fn load(&mut self, i: usize, side: Side) -> Result<u64, E> {
        if let Some(known) = self.spans.get(&i) {
            return Ok(known.size);
        }
        let made = (self.content)(side)?;
        let size = made.size;
        self.spans.insert(i, made);
        Ok(size)
    }
}

/// git's `HASHBASE`.
const HASHBASE: u32 = 107_927;

/// `hash_chars()`: the file cut into chunks that end at a newline or after 64 bytes (a CR
/// before a LF not counted in text), each hashed; per hash, the bytes of its chunks. Sorted
/// by hash.
fn span_counts(data: &[u8], text: bool) -> Vec<(u32, u64)> {
    let mut counts: HashMap<u32, u64> = HashMap::new();
    let (mut accum1, mut accum2, mut n) = (0u32, 0u32, 0u64);
    for (i, &c) in data.iter().enumerate() {
        if text && c == b'\r' && data.get(i + 1) == Some(&b'\n') {
            continue;
        }
        let old1 = accum1;
        accum1 = (accum1 << 7) ^ (accum2 >> 25);
        accum2 = (accum2 << 7) ^ (old1 >> 25);
        accum1 = accum1.wrapping_add(u32::from(c));
        n += 1;
        if n < 64 && c != b'\n' {
            continue;
        }
        let hash = accum1.wrapping_add(accum2.wrapping_mul(0x61)) % HASHBASE;
        *counts.entry(hash).or_default() += n;
        (accum1, accum2, n) = (0, 0, 0);
    }
    if n > 0 {
        let hash = accum1.wrapping_add(accum2.wrapping_mul(0x61)) % HASHBASE;
        *counts.entry(hash).or_default() += n;
    }
    let mut sorted: Vec<(u32, u64)> = counts.into_iter().collect();
    sorted.sort_unstable();
    sorted
}

/// `diffcore_count_changes()`'s `src_copied`: per chunk hash, the bytes both files have.
fn copied_bytes(src: &[(u32, u64)], dst: &[(u32, u64)]) -> u64 {
    let mut copied = 0;
    let mut d = dst.iter().peekable();
    for &(hash, src_count) in src {
        while d.next_if(|(h, _)| *h < hash).is_some() {}
        if let Some((_, dst_count)) = d.next_if(|(h, _)| *h == hash) {
            copied += src_count.min(*dst_count);
        }
    }
    copied
}

fn is_regular(mode: u32) -> bool {
    mode & 0o170000 == 0o100000
}

fn file_name(path: &[u8]) -> &[u8] {
    path.rsplit(|&b| b == b'/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_end_at_newlines_and_after_64_bytes() {
        let counts = span_counts(b"ab\ncd\n", true);
        assert_eq!(counts.iter().map(|c| c.1).sum::<u64>(), 6);
        assert_eq!(counts.len(), 2);
        let long = span_counts(&[b'x'; 130], true);
        assert_eq!(long.iter().map(|c| c.1).sum::<u64>(), 130);
        // 64 + 64 of the same bytes share a hash; the 2 left over are another chunk.
        assert_eq!(long.len(), 2);
        // A CR before a LF is not counted in text, and is in binary.
        let text = span_counts(b"a\r\n", true);
        assert_eq!(text.iter().map(|c| c.1).sum::<u64>(), 2);
        let binary = span_counts(b"a\r\n", false);
        assert_eq!(binary.iter().map(|c| c.1).sum::<u64>(), 3);
    }

    #[test]
    fn copied_bytes_count_what_both_sides_have() {
        let a = span_counts(b"one\ntwo\nthree\n", true);
        let b = span_counts(b"one\ntwo\nfour\n", true);
        assert_eq!(copied_bytes(&a, &b), 8);
        assert_eq!(copied_bytes(&a, &a), 14);
    }
}
