//! A source text 64 bytes at a time, as bit masks (bit `k` stands for byte `k`): which
//! bytes are identifier bytes, which can start an identifier, and which need a closer
//! look (a quote, a slash). The word scan of a whole tree walks the identifiers of a
//! block by their bits instead of testing every byte with a branch the processor
//! cannot predict.

/// Byte classes: see `CLASS` in the word scan.
pub(super) const IDENT: u8 = 1;
pub(super) const START: u8 = 2;

/// Which bytes need a closer look.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Special {
    /// Quotes (a string literal starts).
    Quotes,
    /// Quotes and slashes (a comment may start).
    QuotesAndSlashes,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` (whose bytes are all below 0x80) in `lo..=hi`.
#[inline(always)]
const fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    // No byte carries into the next: x + (0x80 - lo) <= 0xff, x + (0x7f - hi) <= 0xfe.
    let at_least = x.wrapping_add(ONES.wrapping_mul((0x80 - lo) as u64));
    let above = x.wrapping_add(ONES.wrapping_mul((0x7f - hi) as u64));
    at_least & !above & HIGH
}

/// One bit per byte from the high bits of `m`: bit `j` for byte `j`.
#[inline(always)]
const fn gather(m: u64) -> u8 {
    ((m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// The identifier, identifier-start and special bytes among the eight of `v`, one bit per
/// byte. Bytes of 0x80 and above are none of them.
#[inline(always)]
const fn classify(v: u64, special: Special) -> (u8, u8, u8) {
    let x = v & !HIGH;
    let ascii = !v;
    let start =
        (in_range(x, b'A', b'Z') | in_range(x, b'a', b'z') | in_range(x, b'_', b'_')) & ascii;
    let ident = start | (in_range(x, b'0', b'9') & ascii);
    let mut marked = in_range(x, b'"', b'"');
    if matches!(special, Special::QuotesAndSlashes) {
        marked |= in_range(x, b'/', b'/');
    }
    (gather(ident), gather(start), gather(marked & ascii))
}

/// The masks of the 64 bytes from some offset (bytes past the text count as spaces).
pub(super) struct Block {
    /// Identifier bytes (`[A-Za-z0-9_]`).
    ident: u64,
    /// Bytes an identifier may start with (`[A-Za-z_]`).
    start: u64,
    /// Bytes of a class in the `special` classes asked for.
    special: u64,
}

impl Block {
    /// The block of `text` at `at`, marking the `special` bytes.
    #[inline]
    pub(super) fn at(text: &[u8], at: usize, special: Special) -> Block {
        let (mut ident, mut start, mut marked) = (0u64, 0u64, 0u64);
        for (w, v) in words_at(text, at).into_iter().enumerate() {
            let (id, st, sp) = classify(v, special);
            ident |= u64::from(id) << (8 * w);
            start |= u64::from(st) << (8 * w);
            marked |= u64::from(sp) << (8 * w);
        }
        Block {
            ident,
            start,
            special: marked,
        }
    }

    /// The offset of the first special byte, 64 when there is none.
    #[inline]
    pub(super) fn first_special(&self) -> usize {
        self.special.trailing_zeros() as usize
    }

    /// Where words of at least four bytes start: an identifier-starting byte after a
    /// non-identifier byte (`after_ident` for the byte before the block) with three more
    /// identifier bytes after it, or too near the end of the block to tell.
    #[inline]
    pub(super) fn long_word_starts(&self, after_ident: bool) -> u64 {
        let id = self.ident;
        let previous = (id << 1) | u64::from(after_ident);
        let four = id & (id >> 1) & (id >> 2) & (id >> 3);
        let near_end = id & (0b111 << 61);
        self.start & !previous & (four | near_end)
    }

    /// How many identifier bytes run from offset `k` on, within the block.
    #[inline]
    pub(super) fn run_from(&self, k: usize) -> usize {
        (!(self.ident >> k)).trailing_zeros() as usize
    }

    /// Whether the block's last byte is an identifier byte (a word may go on after it).
    #[inline]
    pub(super) fn ends_in_ident(&self) -> bool {
        self.ident >> 63 != 0
    }
}

/// The 64 bytes of `text` at `at` as eight little-endian words, spaces past its end.
#[inline(always)]
fn words_at(text: &[u8], at: usize) -> [u64; 8] {
    let mut padded = [b' '; 64];
    let bytes = match text.get(at..).and_then(|t| t.first_chunk::<64>()) {
        Some(whole) => whole,
        None => {
            let rest = text.get(at..).unwrap_or_default();
            padded[..rest.len()].copy_from_slice(rest);
            &padded
        }
    };
    let mut words = [0u64; 8];
    for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
        *word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
    }
    words
}

/// The bits below `k` (all of them for 64).
#[inline]
pub(super) fn below(k: usize) -> u64 {
    if k >= 64 {
        u64::MAX
    } else {
        (1u64 << k) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_is_classed_as_one_at_a_time() {
        for b in 0..=255u8 {
            // The byte at offsets 1 and 7 of a word of dots.
            let v = u64::from_le_bytes([b'.', b, b'.', b'.', b'.', b'.', b'.', b]);
            let bits = |yes: bool| if yes { 0b1000_0010 } else { 0 };
            let (ident, start, special) = classify(v, Special::QuotesAndSlashes);
            assert_eq!(
                ident,
                bits(b.is_ascii_alphanumeric() || b == b'_'),
                "{b:#x}"
            );
            assert_eq!(start, bits(b.is_ascii_alphabetic() || b == b'_'), "{b:#x}");
            assert_eq!(special, bits(b == b'"' || b == b'/'), "{b:#x}");
            let (_, _, quotes) = classify(v, Special::Quotes);
            assert_eq!(quotes, bits(b == b'"'), "{b:#x}");
        }
    }

    #[test]
    fn a_block_marks_long_words_and_runs() {
        let text = b"int xen_blkif(void) \"s\" a_b x";
        let block = Block::at(text, 0, Special::Quotes);
        // `xen_blkif` at 4 and `void` at 14; not `int`, `a_b` or `x`.
        assert_eq!(block.long_word_starts(false), 1 << 4 | 1 << 14);
        assert_eq!(block.run_from(4), 9);
        assert_eq!(block.first_special(), 20);
        assert!(!block.ends_in_ident());
        // Past the text, the block is spaces.
        assert_eq!(Block::at(text, 28, Special::Quotes).run_from(0), 1);
        assert_eq!(below(3), 0b111);
        assert_eq!(below(64), u64::MAX);
    }
}
