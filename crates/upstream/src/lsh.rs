//! Locality-sensitive hashing over the index's MinHashes: which upstream commits may have
//! changed lines similar to a given change, without comparing it with every commit.
//!
//! The [`K`](crate::minhash::K) slots of a fingerprint are cut into [`BANDS`] bands of
//! [`ROWS`] slots; two fingerprints become candidates when some band is equal in both. With
//! 16 bands of 4 rows, a pair of Jaccard similarity 0.5 is found with probability 0.64,
//! 0.7 with 0.99, and 0.2 with 0.03: the cheap filter before an exact comparison.

use crate::minhash::{MinHash, K};
use std::collections::HashMap;

/// Bands per fingerprint.
pub const BANDS: usize = 16;
/// Slots per band.
pub const ROWS: usize = K / BANDS;

/// Band buckets of many fingerprints, each known by a caller's id (the index row).
#[derive(Default)]
pub struct LshIndex {
    buckets: HashMap<(u8, u64), Vec<i64>>,
    len: usize,
}

impl LshIndex {
    /// The index of these fingerprints.
    pub fn build(items: impl IntoIterator<Item = (i64, MinHash)>) -> LshIndex {
        let mut index = LshIndex::default();
        for (id, minhash) in items {
            for (band, key) in band_keys(&minhash) {
                index.buckets.entry((band, key)).or_default().push(id);
            }
            index.len += 1;
        }
        index
    }

    /// Fingerprints indexed.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The ids sharing at least one band with `minhash`, each with the number of bands
    /// shared, most shared first (ties: smaller id first). Buckets larger than
    /// `max_bucket` (bands every trivial change shares) are ignored.
    pub fn candidates(&self, minhash: &MinHash, max_bucket: usize) -> Vec<(i64, usize)> {
        let mut counts: HashMap<i64, usize> = HashMap::new();
        for key in band_keys(minhash) {
            let Some(ids) = self.buckets.get(&key) else {
                continue;
            };
            if ids.len() > max_bucket {
                continue;
            }
            for &id in ids {
                *counts.entry(id).or_default() += 1;
            }
        }
        let mut out: Vec<(i64, usize)> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

/// The (band, key) pairs of a fingerprint.
fn band_keys(minhash: &MinHash) -> impl Iterator<Item = (u8, u64)> + '_ {
    minhash
        .0
        .chunks_exact(ROWS)
        .enumerate()
        .map(|(band, slots)| {
            let key = slots.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &v| {
                (h ^ u64::from(v)).wrapping_mul(0x0100_0000_01b3)
            });
            (band as u8, key)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::line_feature;

    fn sig(lines: impl Iterator<Item = String>) -> MinHash {
        let hashes: Vec<u64> = lines
            .filter_map(|l| line_feature(b'+', l.as_bytes()))
            .collect();
        MinHash::from_hashes(hashes).expect("non-empty")
    }

    #[test]
    fn similar_changes_are_candidates_and_unrelated_ones_are_not() {
        let base = |range: std::ops::Range<usize>, word: &str| {
            sig(range.map(move |i| format!("{word} line {i} = value_{i};")))
        };
        let items = vec![
            (1, base(0..100, "alpha")),
            (2, base(5..105, "alpha")),
            (3, base(0..100, "omega")),
        ];
        let index = LshIndex::build(items);
        assert_eq!(index.len(), 3);
        let found = index.candidates(&base(0..100, "alpha"), 1000);
        let ids: Vec<i64> = found.iter().map(|c| c.0).collect();
        assert_eq!(ids.first(), Some(&1));
        assert!(ids.contains(&2), "{found:?}");
        assert!(!ids.contains(&3), "{found:?}");
        assert_eq!(found[0].1, BANDS);
    }
}
