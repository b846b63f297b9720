//! MinHash fingerprints of a change's normalised lines, for similarity search.
//!
//! A change is the set of its added lines (prefixed `+`) and removed lines (prefixed `-`),
//! each normalised (whitespace folded, trivial lines such as a lone `}` dropped). The
//! fingerprint keeps, for each of [`K`] hash functions, the minimum hash over the set; the
//! fraction of equal slots between two fingerprints estimates their Jaccard similarity.

/// Number of hash functions (slots) in a fingerprint.
pub const K: usize = 64;

/// A MinHash fingerprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MinHash(pub [u32; K]);

impl MinHash {
    /// The fingerprint of a set of already-hashed features; `None` when the set is empty.
    pub fn from_hashes(hashes: impl IntoIterator<Item = u64>) -> Option<MinHash> {
        let mut slots = [u32::MAX; K];
        let mut any = false;
        for h in hashes {
            any = true;
            for (i, slot) in slots.iter_mut().enumerate() {
                let v = permute(h, i);
                if v < *slot {
                    *slot = v;
                }
            }
        }
        any.then_some(MinHash(slots))
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

/// Slot `i`'s hash of feature `h`: a multiply-xorshift mix with a per-slot odd constant.
fn permute(h: u64, i: usize) -> u32 {
    let seed = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(i as u64 * 2 + 1);
    let mut x = h ^ seed;
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (x ^ (x >> 31)) as u32
}

/// The feature hash of one changed line, or `None` for a line too trivial to count.
/// `sign` is `b'+'` or `b'-'`.
pub fn line_feature(sign: u8, line: &[u8]) -> Option<u64> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(sign);
    let mut meaningful = 0usize;
    let mut pending_space = false;
    for &b in line {
        if b.is_ascii_whitespace() {
            pending_space = meaningful > 0;
            continue;
        }
        if pending_space {
            h = fnv(h, b' ');
            pending_space = false;
        }
        if b.is_ascii_alphanumeric() {
            meaningful += 1;
        }
        h = fnv(h, b);
    }
    (meaningful >= 2).then_some(h)
}

fn fnv(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            line_feature(b'+', b"  int  x = 1;"),
            line_feature(b'+', b"int x = 1;\t")
        );
        assert_ne!(
            line_feature(b'+', b"int x = 1;"),
            line_feature(b'-', b"int x = 1;")
        );
        assert_eq!(line_feature(b'+', b"}"), None);
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
