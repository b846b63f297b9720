//! Needle search over file contents, and the bookkeeping every source shares: files are
//! numbered by the source (an index into its path list), hits and kept bytes are
//! recorded against those numbers, and [`assemble`] turns them into a [`TreeScan`].

use super::{Needle, TreeError, TreeScan, HITS_PER_NEEDLE};
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;

/// Files with a NUL byte this early are binary and not searched.
const BINARY_PROBE: usize = 8000;

/// All needles compiled into one automaton.
pub(super) struct Matcher {
    automaton: Option<AhoCorasick>,
    whole_word: Vec<bool>,
}

impl Matcher {
    /// Compile `needles`.
    pub(super) fn new(needles: &[Needle]) -> Result<Matcher, TreeError> {
        let whole_word = needles.iter().map(|n| n.whole_word).collect();
        if needles.is_empty() {
            return Ok(Matcher {
                automaton: None,
                whole_word,
            });
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(needles.iter().map(|n| n.text.as_bytes()))
            .map_err(|e| TreeError::Needles {
                count: needles.len(),
                message: e.to_string(),
            })?;
        Ok(Matcher {
            automaton: Some(automaton),
            whole_word,
        })
    }

    /// How many needles there are.
    pub(super) fn len(&self) -> usize {
        self.whole_word.len()
    }

    /// Call `found` once for every needle that occurs in `text` (whole-word needles
    /// only at identifier boundaries). `stamps[needle] == generation` marks needles
    /// already reported for this text; reported needles are marked so.
    fn needles_in(
        &self,
        text: &[u8],
        stamps: &mut [u32],
        generation: u32,
        mut found: impl FnMut(usize),
    ) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        // Only anchored searches can fail; ours is unanchored.
        let Ok(matches) = automaton.try_find_overlapping_iter(text) else {
            return;
        };
        for m in matches {
            let needle = m.pattern().as_usize();
            let Some(stamp) = stamps.get_mut(needle) else {
                continue;
            };
            if *stamp == generation {
                continue;
            }
            let whole = self.whole_word.get(needle).copied().unwrap_or(false);
            if whole && !at_boundaries(text, m.start(), m.end()) {
                continue;
            }
            *stamp = generation;
            found(needle);
        }
    }
}

/// Whether the bytes around `text[start..end]` are not identifier bytes.
fn at_boundaries(text: &[u8], start: usize, end: usize) -> bool {
    let before = start
        .checked_sub(1)
        .and_then(|i| text.get(i))
        .is_some_and(|&b| is_ident(b));
    let after = text.get(end).is_some_and(|&b| is_ident(b));
    !before && !after
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `bytes` look binary (a NUL among the first bytes, as git decides).
pub(super) fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(BINARY_PROBE)].contains(&0)
}

/// What one worker found: needle hits by file number, and the kept files.
#[derive(Default)]
pub(super) struct Partial {
    /// Per needle: how many files contain it.
    pub(super) counts: Vec<usize>,
    /// Per needle: numbers of files containing it (the smallest by path, once pruned).
    pub(super) hits: Vec<Vec<u32>>,
    /// Kept files by number.
    pub(super) files: Vec<(u32, Vec<u8>)>,
}

impl Partial {
    /// Add `other`'s findings to these.
    pub(super) fn merge(&mut self, other: Partial) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
            self.hits.resize_with(other.hits.len(), Vec::new);
        }
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            *mine += theirs;
        }
        for (mine, theirs) in self.hits.iter_mut().zip(other.hits) {
            mine.extend(theirs);
        }
        self.files.extend(other.files);
    }
}

/// Searches files one after the other and records what it finds.
pub(super) struct Collector<'m> {
    matcher: &'m Matcher,
    /// Per needle: the file generation it was last counted in.
    stamps: Vec<u32>,
    generation: u32,
    /// Needles whose hit list has grown past twice the cap since the last prune.
    overfull: Vec<usize>,
    found: Partial,
}

impl<'m> Collector<'m> {
    /// A collector for `matcher`'s needles.
    pub(super) fn new(matcher: &'m Matcher) -> Collector<'m> {
        let n = matcher.len();
        Collector {
            matcher,
            stamps: vec![0; n],
            generation: 0,
            overfull: Vec::new(),
            found: Partial {
                counts: vec![0; n],
                hits: vec![Vec::new(); n],
                files: Vec::new(),
            },
        }
    }

    /// Search file number `id` and keep its bytes when `keep`.
    pub(super) fn file(&mut self, id: u32, bytes: Vec<u8>, keep: bool) {
        if !is_binary(&bytes) {
            self.search(id, &bytes);
        }
        if keep {
            self.found.files.push((id, bytes));
        }
    }

    fn search(&mut self, id: u32, text: &[u8]) {
        self.next_generation();
        let generation = self.generation;
        let Collector {
            matcher,
            stamps,
            overfull,
            found,
            ..
        } = self;
        matcher.needles_in(text, stamps, generation, |needle| {
            record(found, overfull, needle, id)
        });
    }

    fn next_generation(&mut self) {
        if self.generation == u32::MAX {
            self.stamps.iter_mut().for_each(|s| *s = 0);
            self.generation = 0;
        }
        self.generation += 1;
    }

    /// Cut the hit lists that grew too long down to the [`HITS_PER_NEEDLE`] files whose
    /// `path` sorts first.
    pub(super) fn prune<'p>(&mut self, path: impl Fn(u32) -> &'p str) {
        for needle in self.overfull.drain(..) {
            if let Some(list) = self.found.hits.get_mut(needle) {
                keep_first(list, &path);
            }
        }
    }

    /// Forget the kept files whose number fails `keep`.
    pub(super) fn retain_files(&mut self, keep: impl Fn(u32) -> bool) {
        self.found.files.retain(|(id, _)| keep(*id));
    }

    /// What was found.
    pub(super) fn finish(self) -> Partial {
        self.found
    }
}

fn record(found: &mut Partial, overfull: &mut Vec<usize>, needle: usize, id: u32) {
    if let Some(count) = found.counts.get_mut(needle) {
        *count += 1;
    }
    if let Some(list) = found.hits.get_mut(needle) {
        list.push(id);
        if list.len() == 2 * HITS_PER_NEEDLE {
            overfull.push(needle);
        }
    }
}

/// Sort `list` by path, drop duplicates and keep the first [`HITS_PER_NEEDLE`].
fn keep_first<'p>(list: &mut Vec<u32>, path: impl Fn(u32) -> &'p str) {
    list.sort_unstable_by(|a, b| path(*a).cmp(path(*b)));
    list.dedup();
    list.truncate(HITS_PER_NEEDLE);
}

/// Build the scan result from what was found, given the final path of every file
/// number (`names[id]`).
pub(super) fn assemble(names: Vec<String>, found: Partial, describe: String) -> TreeScan {
    let Partial {
        counts,
        hits,
        files,
    } = found;
    let name = |id: u32| names.get(id as usize).map_or("", String::as_str);
    let hits = hits
        .into_iter()
        .map(|mut list| {
            keep_first(&mut list, name);
            let mut paths: Vec<String> = list.into_iter().map(|id| name(id).to_string()).collect();
            // Archives may hold one path twice.
            paths.dedup();
            paths
        })
        .collect();
    let files = files
        .into_iter()
        .map(|(id, bytes)| (name(id).to_string(), bytes))
        .collect::<HashMap<_, _>>();
    let mut paths = names;
    paths.sort_unstable();
    paths.dedup();
    TreeScan {
        paths,
        files,
        hits,
        hit_counts: counts,
        describe,
    }
}
