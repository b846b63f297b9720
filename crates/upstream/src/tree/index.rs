//! The tree index: what a whole upstream tree holds, built in one pass and cached, so that
//! patches are judged against the tree without reading it again.
//!
//! - every path;
//! - a word index: every identifier of four or more bytes outside comments, and every
//!   key-like string literal (`"feature-persistent"`), with the number of files holding it
//!   and the first [`POSTINGS_CAP`] of them by path;
//! - a definition map: the functions, macros, structs and Kconfig symbols each file
//!   defines, with their lines, so that code that moved to another file is found;
//! - the release, from the top `Makefile` (Linux) or `xen/Makefile` (Xen);
//! - the way back to each file's bytes ([`Content`]): the directory, the git blob, or a
//!   compressed store written while a tarball was read.

use super::content::Content;
use super::TreeError;
use kdelta_patch::symbols::SymbolKind;
use kdelta_patch::Version;
use std::collections::HashMap;

/// At most this many files are kept per word (the count is kept whole).
pub const POSTINGS_CAP: usize = 256;

/// The stable 64-bit hash words and defined names are kept by (the index stores no
/// strings for them; 52 of the 64 bits are kept, see [`WordKey`]).
pub fn word_hash(word: &[u8]) -> u64 {
    let mix = |h: u64, v: u64| {
        let h = (h ^ v).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h ^ (h >> 31)
    };
    let mut h = 0x9e37_79b9_7f4a_7c15u64 ^ (word.len() as u64);
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        h = mix(h, u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        h = mix(h, zero_padded(tail));
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 32)
}

/// The 1 to 7 bytes of `tail` as a little-endian `u64`, zero-padded: from two
/// overlapping 4-byte loads when it has 4 or more (no copy through memory).
fn zero_padded(tail: &[u8]) -> u64 {
    let n = tail.len();
    match (tail.first_chunk::<4>(), tail.last_chunk::<4>()) {
        (Some(&first), Some(&last)) => {
            u64::from(u32::from_le_bytes(first))
                | u64::from(u32::from_le_bytes(last)) << (8 * (n - 4))
        }
        _ => tail.iter().rev().fold(0, |v, &b| v << 8 | u64::from(b)),
    }
}

/// Bits of a word key's prefix table.
const RADIX_BITS: u32 = 20;

/// For each `RADIX_BITS`-bit prefix, where keys with it start in the ascending `keys`;
/// one more entry than prefixes.
fn prefix_starts(keys: &[WordKey]) -> Vec<u32> {
    let mut starts = vec![0u32; (1 << RADIX_BITS) + 1];
    for &key in keys {
        if let Some(n) = starts.get_mut((key >> (52 - RADIX_BITS)) as usize + 1) {
            *n += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    starts
}

/// The part of a word's hash the index keys by: 52 bits (the top 12 pick a bucket while
/// building, the next 40 are stored beside a 24-bit file number). With two million
/// distinct words, two of them share a key with a chance of about 1 in 2,000.
pub type WordKey = u64;

/// The key of `word`.
pub fn word_key(word: &[u8]) -> WordKey {
    word_hash(word) >> 12
}

/// Sorted byte strings, one blob and offsets: looked up by binary search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Strings {
    pub(super) blob: Vec<u8>,
    /// `offsets[i]..offsets[i + 1]` is string `i`; one more offset than strings.
    pub(super) offsets: Vec<u32>,
}

impl Strings {
    /// `items`, which must be sorted and distinct.
    pub(super) fn from_sorted<'a>(items: impl IntoIterator<Item = &'a [u8]>) -> Strings {
        let mut s = Strings {
            blob: Vec::new(),
            offsets: vec![0],
        };
        for item in items {
            s.blob.extend_from_slice(item);
            s.offsets
                .push(u32::try_from(s.blob.len()).unwrap_or(u32::MAX));
        }
        s
    }

    pub(super) fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub(super) fn get(&self, i: usize) -> &[u8] {
        let (Some(&a), Some(&b)) = (self.offsets.get(i), self.offsets.get(i + 1)) else {
            return &[];
        };
        self.blob.get(a as usize..b as usize).unwrap_or_default()
    }

    pub(super) fn find(&self, key: &[u8]) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid).cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }
}

/// Where a name is defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Definition {
    /// Function, macro, struct or Kconfig symbol.
    pub kind: SymbolKind,
    /// The file, as a path number ([`TreeIndex::path`]).
    pub file: u32,
    /// The 1-based line.
    pub line: u32,
}

/// What a tree holds; see the module documentation.
pub struct TreeIndex {
    pub(super) describe: String,
    pub(super) release: Option<Version>,
    pub(super) paths: Strings,
    /// Word keys, ascending.
    pub(super) words: Vec<WordKey>,
    pub(super) word_counts: Vec<u32>,
    /// Per word: `postings_offsets[i]..[i + 1]` in `postings`, delta-varint file numbers.
    pub(super) postings_offsets: Vec<u32>,
    pub(super) postings: Vec<u8>,
    /// Keys of the defined names, ascending.
    pub(super) def_names: Vec<WordKey>,
    /// Per definition name: `def_spans[i]..[i + 1]` in `defs`.
    pub(super) def_spans: Vec<u32>,
    pub(super) defs: Vec<Definition>,
    /// Files whose words were not indexed (binary, or over the size limit), ascending.
    pub(super) unscanned: Vec<u32>,
    pub(super) content: Content,
    /// File numbers by file name (the last path component), built when first asked.
    pub(super) by_name: std::sync::OnceLock<HashMap<String, Vec<u32>>>,
    /// Where the words whose keys start with each [`RADIX_BITS`]-bit prefix start in
    /// `words` (one more entry than prefixes), built when first asked.
    pub(super) word_starts: std::sync::OnceLock<Vec<u32>>,
    /// Why the cache was not used or not written, if it was not.
    pub(super) cache_note: Option<String>,
    /// What identifies the tree (empty when it was not worked out: no cache).
    pub(super) key: String,
    /// The cache directory the index lives in, when it does.
    pub(super) cached_as: Option<std::path::PathBuf>,
    /// How long opening it took, step by step.
    pub(super) timings: crate::Timings,
}

impl TreeIndex {
    /// How long opening the index took, step by step (reading the tree, or loading it).
    pub fn timings(&self) -> &crate::Timings {
        &self.timings
    }

    /// The tree, for messages.
    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// The release the tree's Makefile names, if any.
    pub fn release(&self) -> Option<&Version> {
        self.release.as_ref()
    }

    /// How many paths there are.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Whether the tree has no file.
    pub fn is_empty(&self) -> bool {
        self.paths.len() == 0
    }

    /// Path number `id`.
    pub fn path(&self, id: u32) -> &str {
        std::str::from_utf8(self.paths.get(id as usize)).unwrap_or_default()
    }

    /// Every path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        (0..self.paths.len() as u32).map(|i| self.path(i))
    }

    /// The number of `path`, if the tree has it.
    pub fn path_id(&self, path: &str) -> Option<u32> {
        self.paths.find(path.as_bytes()).map(|i| i as u32)
    }

    /// The files whose last path component is `name`.
    pub fn files_named(&self, name: &str) -> &[u32] {
        let map = self.by_name.get_or_init(|| {
            let mut map: HashMap<String, Vec<u32>> = HashMap::new();
            for id in 0..self.paths.len() as u32 {
                let path = self.path(id);
                let name = path.rsplit('/').next().unwrap_or(path);
                map.entry(name.to_string()).or_default().push(id);
            }
            map
        });
        map.get(name).map_or(&[], Vec::as_slice)
    }

    /// How many files hold `word` (an identifier, or a key-like literal with its quotes).
    pub fn word_count(&self, word: &str) -> usize {
        self.word_at(word_key(word.as_bytes()))
            .and_then(|i| self.word_counts.get(i))
            .map_or(0, |&n| n as usize)
    }

    /// Whether the words of file `id` are in the index (they are not for a binary file,
    /// or one too big to scan): only then does a word missing from it say the file lacks it.
    pub fn words_indexed(&self, id: u32) -> bool {
        (id as usize) < self.paths.len() && self.unscanned.binary_search(&id).is_err()
    }

    /// Where `key` is in `words`: its prefix narrows the search to a few keys (the keys are
    /// hashes, spread evenly), instead of a binary search over millions.
    fn word_at(&self, key: WordKey) -> Option<usize> {
        let starts = self.word_starts.get_or_init(|| prefix_starts(&self.words));
        let prefix = (key >> (52 - RADIX_BITS)) as usize;
        let (Some(&a), Some(&b)) = (starts.get(prefix), starts.get(prefix + 1)) else {
            return self.words.binary_search(&key).ok();
        };
        let (a, b) = (a as usize, b as usize);
        self.words
            .get(a..b)?
            .binary_search(&key)
            .ok()
            .map(|i| a + i)
    }

    /// The files holding `word`, by path order, at most [`POSTINGS_CAP`].
    pub fn files_with(&self, word: &str) -> Vec<u32> {
        let Some(i) = self.word_at(word_key(word.as_bytes())) else {
            return Vec::new();
        };
        let (Some(&a), Some(&b)) = (
            self.postings_offsets.get(i),
            self.postings_offsets.get(i + 1),
        ) else {
            return Vec::new();
        };
        decode_postings(
            self.postings
                .get(a as usize..b as usize)
                .unwrap_or_default(),
        )
    }

    /// Where `name` is defined.
    pub fn definitions(&self, name: &str) -> &[Definition] {
        let Ok(i) = self.def_names.binary_search(&word_key(name.as_bytes())) else {
            return &[];
        };
        let (Some(&a), Some(&b)) = (self.def_spans.get(i), self.def_spans.get(i + 1)) else {
            return &[];
        };
        self.defs.get(a as usize..b as usize).unwrap_or_default()
    }

    /// The bytes of `path`, or `None` when the tree has no such file (or it is a symlink).
    pub fn read(&self, path: &str) -> Result<Option<Vec<u8>>, TreeError> {
        match self.path_id(path) {
            Some(id) => self.content.read(id, path),
            None => Ok(None),
        }
    }

    /// How many distinct words, word-file pairs and definitions the index holds.
    pub fn stats(&self) -> (usize, u64, usize) {
        let pairs = self.word_counts.iter().map(|&c| u64::from(c)).sum();
        (self.words.len(), pairs, self.defs.len())
    }

    /// Where results about this tree may be kept beside its index: the cache directory
    /// and the tree's key, when the index lives in a cache.
    pub fn cache_slot(&self) -> Option<(&std::path::Path, &str)> {
        self.cached_as
            .as_deref()
            .filter(|_| !self.key.is_empty())
            .map(|dir| (dir, self.key.as_str()))
    }

    /// Why the cache was not used or could not be written, when that happened.
    pub fn cache_note(&self) -> Option<&str> {
        self.cache_note.as_deref()
    }
}

/// Append `ids` (ascending) to `out` as delta varints.
pub(super) fn encode_postings(ids: &[u32], out: &mut Vec<u8>) {
    let mut previous = 0u32;
    for &id in ids {
        let mut delta = id - previous;
        previous = id;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
}

fn decode_postings(bytes: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut value, mut shift, mut previous) = (0u32, 0u32, 0u32);
    for &b in bytes {
        value |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        if b & 0x80 == 0 {
            previous = previous.wrapping_add(value);
            out.push(previous);
            value = 0;
            shift = 0;
        } else {
            shift += 7;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_keys_are_stable_and_distinct() {
        assert_eq!(
            word_hash(b"xen_blkif_schedule"),
            word_hash(b"xen_blkif_schedule")
        );
        assert_ne!(word_key(b"xen_blkif"), word_key(b"xen_blkig"));
        assert_ne!(word_key(b"abcdefgh"), word_key(b"abcdefgh\0"));
        // Pinned: a cached index is only valid while this hash stays the same.
        assert_eq!(word_hash(b"load_module"), 0xbbc6_cab5_a56d_377c);
    }

    /// The hash as first written: each 8-byte chunk copied into a zeroed buffer.
    fn word_hash_by_copy(word: &[u8]) -> u64 {
        let mut h = 0x9e37_79b9_7f4a_7c15u64 ^ (word.len() as u64);
        for chunk in word.chunks(8) {
            let mut v = [0u8; 8];
            v[..chunk.len()].copy_from_slice(chunk);
            h = (h ^ u64::from_le_bytes(v)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            h ^= h >> 31;
        }
        h ^= h >> 29;
        h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^ (h >> 32)
    }

    proptest::proptest! {
        // Each case builds a table of a million entries: fewer cases.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        #[test]
        fn the_prefix_table_finds_what_a_binary_search_finds(
            mut keys in proptest::collection::vec(0u64..(1 << 52), 0..300),
            probes in proptest::collection::vec(0u64..(1 << 52), 0..50),
        ) {
            keys.sort_unstable();
            keys.dedup();
            let starts = prefix_starts(&keys);
            proptest::prop_assert_eq!(starts.last().copied(), Some(keys.len() as u32));
            for key in keys.iter().chain(&probes) {
                let prefix = (key >> (52 - RADIX_BITS)) as usize;
                let (a, b) = (starts[prefix] as usize, starts[prefix + 1] as usize);
                let found = keys[a..b].binary_search(key).ok().map(|i| a + i);
                proptest::prop_assert_eq!(found, keys.binary_search(key).ok());
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn word_hash_is_the_same_as_by_copy(word in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40)) {
            proptest::prop_assert_eq!(word_hash(&word), word_hash_by_copy(&word));
        }
    }

    #[test]
    fn postings_round_trip_and_strings_are_searchable() {
        let ids = [0, 1, 2, 130, 20_000, 4_000_000];
        let mut blob = Vec::new();
        encode_postings(&ids, &mut blob);
        assert_eq!(decode_postings(&blob), ids);
        let s = Strings::from_sorted([&b"alpha"[..], b"beta", b"gamma"]);
        assert_eq!(s.find(b"beta"), Some(1));
        assert_eq!(s.find(b"delta"), None);
        assert_eq!(s.get(2), b"gamma");
        assert_eq!(s.get(7), b"");
    }
}
