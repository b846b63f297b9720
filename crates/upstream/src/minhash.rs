//! MinHash fingerprints of a change's normalised lines, for similarity search.
//!
//! A change is the set of its added lines (prefixed `+`) and removed lines (prefixed `-`),
//! each normalised (indentation and trailing whitespace dropped, trivial lines such as a
//! lone `}` dropped). The
//! fingerprint keeps, for each of [`K`] hash functions, the minimum hash over the set; the
//! fraction of equal slots between two fingerprints estimates their Jaccard similarity.

/// Number of hash functions (slots) in a fingerprint.
pub const K: usize = 64;

/// A MinHash fingerprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MinHash(pub [u32; K]);

impl MinHash {
    /// The fingerprint of a set of already-hashed features; `None` when the set is empty.
    ///
    /// One-permutation hashing: each feature's mixed hash picks a slot with its low bits
    /// and competes for that slot's minimum with its high bits (one hash per feature, not
    /// one per slot); empty slots then borrow the next filled slot's value (rotation
    /// densification), which keeps the estimate unbiased for sparse sets.
    pub fn from_hashes(hashes: impl IntoIterator<Item = u64>) -> Option<MinHash> {
        let mut slots = [u32::MAX; K];
        let mut filled = [false; K];
        let mut any = false;
        for h in hashes {
            any = true;
            let x = mix(h);
            let slot = (x % K as u64) as usize;
            let value = (x >> 32) as u32;
            filled[slot] = true;
            if value < slots[slot] {
                slots[slot] = value;
            }
        }
        if !any {
            return None;
        }
        densify(&mut slots, &filled);
        Some(MinHash(slots))
    }

    /// Estimated Jaccard similarity, 0 to 1.
    pub fn similarity(&self, other: &MinHash) -> f64 {
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / K as f64
    }

    /// Little-endian bytes, for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Read back [`MinHash::to_bytes`]; `None` when the length is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Option<MinHash> {
        if bytes.len() != K * 4 {
            return None;
        }
        let mut slots = [0u32; K];
        for (slot, chunk) in slots.iter_mut().zip(bytes.chunks_exact(4)) {
            *slot = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Some(MinHash(slots))
    }
}

/// A 64-bit finaliser (splitmix64's) so that slot and value bits are independent.
fn mix(h: u64) -> u64 {
    let mut x = h;
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Fill each empty slot from the next filled one (cyclically), offset by the distance so
/// that borrowed values stay distinguishable from the lender's.
fn densify(slots: &mut [u32; K], filled: &[bool; K]) {
    for i in 0..K {
        if filled[i] {
            continue;
        }
        let lender = (1..K).map(|d| (i + d) % K).find(|&j| filled[j]);
        if let Some(j) = lender {
            let distance = ((j + K - i) % K) as u32;
            slots[i] = slots[j].wrapping_add(distance.wrapping_mul(0x9E37_79B9));
        }
    }
}

/// The feature hash of one changed line, or `None` for a line too trivial to count (fewer
/// than two letters or digits, such as a lone `}`). `sign` is `b'+'` or `b'-'`.
///
/// Leading and trailing whitespace (indentation, line ends) does not count. The rest is
/// hashed eight bytes at a time, with a multiply-rotate step per eight bytes rather than
/// per byte: every changed line of the history passes through here.
pub fn line_feature(sign: u8, line: &[u8]) -> Option<u64> {
    let line = line.trim_ascii();
    line.iter().filter(|b| b.is_ascii_alphanumeric()).nth(1)?;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(sign) ^ ((line.len() as u64) << 8);
    let mut chunks = line.chunks_exact(8);
    for chunk in &mut chunks {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        h = mix_word(h, u64::from_le_bytes(bytes));
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    Some(mix_word(h, u64::from_le_bytes(tail)))
}

/// How many items two sorted lists have in common (each occurrence matched once): the
/// exact overlap of two feature or token sets, where a fingerprint only estimates it.
pub fn sorted_common<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// One step of the line hash: fold eight bytes into the state.
fn mix_word(h: u64, word: u64) -> u64 {
    (h ^ word)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(29)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_common_matches_each_occurrence_once() {
        assert_eq!(sorted_common(&[1, 2, 2, 3, 7], &[2, 2, 2, 3, 8]), 3);
        assert_eq!(sorted_common::<u32>(&[], &[1]), 0);
        assert_eq!(sorted_common(&["a", "b"], &["a", "b"]), 2);
    }

    fn sig(lines: &[&str]) -> MinHash {
        MinHash::from_hashes(
            lines
                .iter()
                .filter_map(|l| line_feature(b'+', l.as_bytes())),
        )
        .expect("non-empty")
    }

    #[test]
    fn whitespace_does_not_matter_and_trivial_lines_are_dropped() {
        assert_eq!(
            line_feature(b'+', b"  int x = 1;"),
            line_feature(b'+', b"int x = 1;\t\n")
        );
        assert_ne!(
            line_feature(b'+', b"int x = 1;"),
            line_feature(b'-', b"int x = 1;")
        );
        assert_eq!(line_feature(b'+', b"}"), None);
        assert_ne!(line_feature(b'+', b"ab c"), line_feature(b'+', b"a bc"));
        assert_ne!(
            line_feature(b'+', b"abcdefgh"),
            line_feature(b'+', b"abcdefgh\0")
        );
        assert_ne!(
            line_feature(b'+', b"a_long_identifier_name(x)"),
            line_feature(b'+', b"a_long_identifier_name(y)")
        );
        assert!(MinHash::from_hashes(std::iter::empty()).is_none());
    }

    #[test]
    fn similarity_tracks_overlap() {
        let a: Vec<String> = (0..100).map(|i| format!("line number {i}")).collect();
        let b: Vec<String> = (10..110).map(|i| format!("line number {i}")).collect();
        fn refs(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let s = sig(&refs(&a)).similarity(&sig(&refs(&b)));
        assert!((0.65..=0.98).contains(&s), "{s}");
        assert_eq!(sig(&refs(&a)).similarity(&sig(&refs(&a))), 1.0);
        let round = MinHash::from_bytes(&sig(&refs(&a)).to_bytes());
        assert_eq!(round, Some(sig(&refs(&a))));
    }
}
