//! The line diff of two texts exactly as `hunks::TextDiffer` computes it (imara-diff
//! Myers plus the indent heuristic, over every line), without hashing every line.
//!
//! `InternedInput` hashes every line of both texts into a table, although a typical
//! change leaves most of a file as a common prefix and suffix, which Myers trims first.
//! What the algorithm still takes from those ends is: the number of lines (frequency
//! limits), how often each line of the middle part occurs in the whole of both texts
//! (pruning of frequent and unmatched lines), whether a line next to a change equals a
//! changed line (sliding), and the indentation of lines near a change (indent heuristic).
//!
//! So only the middle lines are interned here. A line of the common ends gets the token
//! of the equal middle line if there is one (a bitset keyed by length and first and last
//! bytes rules most lines out before the table is asked), and otherwise a token of its
//! own, the same on both sides. Token equality is then line equality wherever imara
//! compares tokens: the trimmed ends pair a line with itself, and sliding always compares
//! a line with a changed one, whose token is a middle token. Counts, lengths and indents
//! are those of the full texts, so the hunks are the same as with full interning.

use gix::diff::blob::{Algorithm, Diff, Hunk, IndentHeuristic, IndentLevel, Token};
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

/// Set on a middle token's source line when it is a line of the new text.
const NEW_SIDE: u32 = 1 << 31;
/// git's tab width for the indent heuristic.
const TAB_WIDTH: u8 = 8;

/// A text split into lines (each with its newline, if it has one).
#[derive(Clone, Debug)]
pub(crate) struct Text {
    pub data: Vec<u8>,
    /// Line start offsets, then the length of `data`.
    starts: Vec<u32>,
}

impl Default for Text {
    fn default() -> Self {
        Text {
            data: Vec::new(),
            starts: vec![0],
        }
    }
}

impl Text {
    /// Split `data` into lines.
    pub fn new(data: Vec<u8>) -> Text {
        Self::with_scratch(data, &mut Vec::new())
    }

    /// Split `data` into lines, using `scratch` (which keeps its capacity) for the
    /// generously sized table the splitter writes.
    pub fn with_scratch(data: Vec<u8>, scratch: &mut Vec<u32>) -> Text {
        split_lines(&data, scratch);
        Text {
            data,
            starts: scratch.clone(),
        }
    }

    /// Number of lines.
    pub fn lines(&self) -> u32 {
        (self.starts.len() - 1) as u32
    }

    /// Line `i`, with its newline if it has one.
    pub fn line(&self, i: u32) -> &[u8] {
        line(&self.data, &self.starts, i as usize)
    }

    /// Memory held, in bytes: the buffers' capacities (a recycled buffer may be larger than
    /// its text).
    pub fn weight(&self) -> usize {
        self.data.capacity() + 4 * self.starts.capacity()
    }
}

/// Line-diff state reused across files.
#[derive(Default)]
pub(crate) struct LineDiff {
    before: Vec<Token>,
    after: Vec<Token>,
    /// For each middle token, the line it was first seen on (`NEW_SIDE` for new lines).
    sources: Vec<u32>,
    /// Middle tokens with their full hash.
    table: HashTable<(u64, u32)>,
    hasher: DefaultHashBuilder,
    /// Prefilter for lookups of end lines: one bit per `quick_key` of a middle line.
    filter: Vec<u64>,
    diff: Diff,
    hunks: Vec<Hunk>,
}

/// Where lines start and how the two texts' ends line up.
#[derive(Clone, Copy)]
struct Ends {
    /// Lines of the common prefix.
    prefix: usize,
    /// Lines of the common suffix.
    suffix: usize,
    /// Number of distinct middle tokens; end-only lines are numbered after them.
    middle_tokens: u32,
}

/// The high bit of each byte of `x` that is zero (exact, no false positives).
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// One bit per newline byte of the little-endian word `w`.
fn newline_bits(w: u64) -> u32 {
    let high = zero_bytes(w ^ 0x0a0a_0a0a_0a0a_0a0a);
    // Gather the eight high bits into one byte.
    ((high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

/// Collect the offsets where lines start in `data`, followed by its length.
///
/// Scans 64 bytes at a time with word-wide compares into a bit mask, and writes the
/// first few positions of a block unconditionally (most blocks have fewer newlines), so
/// that the loop has no unpredictable branch: about twice as fast as `memchr` on source
/// code, whose lines are short.
fn split_lines(data: &[u8], starts: &mut Vec<u32>) {
    /// Positions written per block without looking at the count.
    const EAGER: usize = 6;
    starts.clear();
    starts.resize(data.len() / 16 + 2 * 64, 0);
    let mut len = 1; // starts[0] = 0
    let mut blocks = data.chunks_exact(64);
    let mut base = 0u32;
    for block in &mut blocks {
        let mut bits = 0u64;
        for (j, word) in block.chunks_exact(8).enumerate() {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            bits |= u64::from(newline_bits(word)) << (8 * j);
        }
        let count = bits.count_ones() as usize;
        if len + 64 > starts.len() {
            starts.resize(2 * starts.len(), 0);
        }
        let out = &mut starts[len..len + 64];
        for slot in &mut out[..EAGER] {
            *slot = base + bits.trailing_zeros() + 1;
            bits &= bits.wrapping_sub(1);
        }
        for slot in out.iter_mut().take(count).skip(EAGER) {
            *slot = base + bits.trailing_zeros() + 1;
            bits &= bits.wrapping_sub(1);
        }
        len += count;
        base += 64;
    }
    starts.truncate(len);
    for (i, &b) in blocks.remainder().iter().enumerate() {
        if b == b'\n' {
            starts.push(base + i as u32 + 1);
        }
    }
    if *starts.last().unwrap_or(&0) as usize != data.len() {
        starts.push(data.len() as u32);
    }
}

fn line<'a>(data: &'a [u8], starts: &[u32], i: usize) -> &'a [u8] {
    &data[starts[i] as usize..starts[i + 1] as usize]
}

/// Index of the first byte where `a` and `b` differ (or the shorter length).
fn mismatch(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 1024;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    while i + 8 <= n {
        let x = u64::from_le_bytes(a[i..i + 8].try_into().unwrap_or_default());
        let y = u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default());
        if x != y {
            return i + ((x ^ y).trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Number of equal bytes at the ends of `a` and `b`, at most `cap`.
fn mismatch_back(a: &[u8], b: &[u8], cap: usize) -> usize {
    const BLOCK: usize = 1024;
    let (la, lb) = (a.len(), b.len());
    let mut t = 0;
    while t + BLOCK <= cap && a[la - t - BLOCK..la - t] == b[lb - t - BLOCK..lb - t] {
        t += BLOCK;
    }
    while t < cap && a[la - t - 1] == b[lb - t - 1] {
        t += 1;
    }
    t
}

/// A cheap key of line `i` of `text`: its length and its first and last (up to) eight
/// bytes, read as whole words from the text where it is long enough (no copying).
fn quick_key(text: &Text, i: u32) -> u64 {
    let word = |at: usize| u64::from_le_bytes(text.data[at..at + 8].try_into().unwrap_or_default());
    let (start, end) = (
        text.starts[i as usize] as usize,
        text.starts[i as usize + 1] as usize,
    );
    let n = end - start;
    let (first, last) = if n >= 8 {
        (word(start), word(end - 8))
    } else {
        let short = if start + 8 <= text.data.len() {
            word(start) & ((1u64 << (8 * n)) - 1)
        } else {
            let mut bytes = [0u8; 8];
            bytes[..n].copy_from_slice(&text.data[start..end]);
            u64::from_le_bytes(bytes)
        };
        (short, short)
    };
    (first ^ last.rotate_left(29) ^ (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_mul(0xff51_afd7_ed55_8ccd)
}

impl LineDiff {
    /// Compute the hunks turning `old` into `new`, as `TextDiffer` finds them; see
    /// [`LineDiff::hunks`].
    pub fn diff(&mut self, old: &Text, new: &Text) {
        let (n1, n2) = (old.lines(), new.lines());
        self.hunks.clear();
        if n1 == 0 || n2 == 0 {
            // An addition or deletion of everything cannot slide: one hunk or none.
            if n1 != n2 {
                self.hunks.push(Hunk {
                    before: 0..n1,
                    after: 0..n2,
                });
            }
            return;
        }
        let ends = self.intern(old, new);
        self.compute(old, new, ends);
    }

    /// The hunks of the last diff.
    pub fn hunks(&self) -> &[Hunk] {
        &self.hunks
    }

    /// Intern the middle lines, give the end lines their tokens; see the module documentation.
    fn intern(&mut self, old: &Text, new: &Text) -> Ends {
        let (prefix, suffix) = common_ends(old, new);
        let (n1, n2) = (old.lines() as usize, new.lines() as usize);
        self.table.clear();
        self.sources.clear();
        self.before.clear();
        self.before.resize(n1, Token(0));
        self.after.clear();
        self.after.resize(n2, Token(0));
        for i in prefix..n1 - suffix {
            self.before[i] = self.intern_line(old, new, i as u32);
        }
        for j in prefix..n2 - suffix {
            self.after[j] = self.intern_line(old, new, j as u32 | NEW_SIDE);
        }
        let middle_tokens = self.sources.len() as u32;
        self.build_filter(old, new);
        // End-only tokens count down from the largest, so that imara's occurrence
        // counting sizes its table once, at the first one.
        let top = middle_tokens + (prefix + suffix) as u32 - 1;
        for i in 0..prefix {
            let token = self
                .lookup(old, new, i as u32)
                .unwrap_or(Token(top - i as u32));
            self.before[i] = token;
            self.after[i] = token;
        }
        for k in 0..suffix {
            let (i, j) = (n1 - 1 - k, n2 - 1 - k);
            let token = self
                .lookup(old, new, i as u32)
                .unwrap_or(Token(top - (prefix + k) as u32));
            self.before[i] = token;
            self.after[j] = token;
        }
        Ends {
            prefix,
            suffix,
            middle_tokens,
        }
    }

    /// The text of the line a middle token was first seen on.
    fn source<'a>(&self, old: &'a Text, new: &'a Text, token: u32) -> &'a [u8] {
        match self.sources[token as usize] {
            source if source & NEW_SIDE != 0 => new.line(source & !NEW_SIDE),
            source => old.line(source),
        }
    }

    /// The token of line `source` (`NEW_SIDE`: of the new text), interned.
    fn intern_line(&mut self, old: &Text, new: &Text, source: u32) -> Token {
        let text = if source & NEW_SIDE != 0 {
            new.line(source & !NEW_SIDE)
        } else {
            old.line(source)
        };
        let hash = self.hasher.hash_one(text);
        let found = self.table.find(hash, |&(h, t)| {
            h == hash && self.source(old, new, t) == text
        });
        if let Some(&(_, token)) = found {
            return Token(token);
        }
        let next = self.sources.len() as u32;
        self.table.insert_unique(hash, (hash, next), |&(h, _)| h);
        self.sources.push(source);
        Token(next)
    }

    /// Size the prefilter for the middle tokens and set their bits.
    fn build_filter(&mut self, old: &Text, new: &Text) {
        let bits = (self.sources.len() * 32)
            .next_power_of_two()
            .clamp(1 << 12, 1 << 22);
        self.filter.clear();
        self.filter.resize(bits / 64, 0);
        for &source in &self.sources {
            let key = match source {
                source if source & NEW_SIDE != 0 => quick_key(new, source & !NEW_SIDE),
                source => quick_key(old, source),
            };
            let key = key >> (64 - bits.trailing_zeros());
            self.filter[(key / 64) as usize] |= 1 << (key % 64);
        }
    }

    /// The middle token equal to line `i` of the old text, if any.
    fn lookup(&self, old: &Text, new: &Text, i: u32) -> Option<Token> {
        let bits = (self.filter.len() * 64).trailing_zeros();
        let key = quick_key(old, i) >> (64 - bits);
        if self.filter[(key / 64) as usize] & (1 << (key % 64)) == 0 {
            return None;
        }
        let text = old.line(i);
        let hash = self.hasher.hash_one(text);
        self.table
            .find(hash, |&(h, t)| {
                h == hash && self.source(old, new, t) == text
            })
            .map(|&(_, t)| Token(t))
    }

    /// The text of any token of the current diff.
    fn token_text<'a>(&self, old: &'a Text, new: &'a Text, ends: Ends, token: Token) -> &'a [u8] {
        if token.0 < ends.middle_tokens {
            return self.source(old, new, token.0);
        }
        let top = ends.middle_tokens + (ends.prefix + ends.suffix) as u32 - 1;
        let k = (top - token.0) as usize;
        let i = if k < ends.prefix {
            k
        } else {
            old.lines() as usize - 1 - (k - ends.prefix)
        };
        old.line(i as u32)
    }

    /// Run Myers and the postprocessing on the tokens, and collect the hunks.
    fn compute(&mut self, old: &Text, new: &Text, ends: Ends) {
        let tokens = ends.middle_tokens + (ends.prefix + ends.suffix) as u32;
        let mut diff = std::mem::take(&mut self.diff);
        diff.compute_with(Algorithm::Myers, &self.before, &self.after, tokens);
        let indent = |token: Token| {
            let text = self.token_text(old, new, ends, token);
            IndentLevel::for_ascii_line(text.iter().copied(), TAB_WIDTH)
        };
        diff.postprocess_with(&self.before, &self.after, IndentHeuristic::new(indent));
        self.hunks.extend(diff.hunks());
        self.diff = diff;
    }
}

/// Common prefix and suffix in lines, as imara's `strip_common_prefix/postfix` find them.
fn common_ends(old: &Text, new: &Text) -> (usize, usize) {
    let (n1, n2) = (old.lines() as usize, new.lines() as usize);
    let p = mismatch(&old.data, &new.data);
    // Complete lines ending before the first difference; a last line without a
    // newline that ends there differs from the other side's longer line.
    let mut prefix = old.starts[1..].partition_point(|&end| end as usize <= p);
    if prefix > 0 && old.data[old.starts[prefix] as usize - 1] != b'\n' {
        prefix -= 1;
    }
    let head = old.starts[prefix] as usize;
    let (len1, len2) = (old.data.len(), new.data.len());
    let tail = mismatch_back(&old.data, &new.data, len1.min(len2) - head);
    let mut suffix = 0;
    while suffix < n1 - prefix && suffix < n2 - prefix {
        let from_end1 = len1 - old.starts[n1 - 1 - suffix] as usize;
        let from_end2 = len2 - new.starts[n2 - 1 - suffix] as usize;
        if from_end1 != from_end2 || from_end1 > tail {
            break;
        }
        suffix += 1;
    }
    (prefix, suffix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gix::diff::blob::InternedInput;

    /// The hunks `hunks::TextDiffer` computes: imara with every line interned.
    fn reference(old: &[u8], new: &[u8]) -> Vec<Hunk> {
        let input = InternedInput::new(old, new);
        let mut diff = Diff::default();
        diff.compute_with(
            Algorithm::Myers,
            &input.before,
            &input.after,
            input.interner.num_tokens(),
        );
        diff.postprocess_lines(&input);
        diff.hunks().collect()
    }

    /// A xorshift generator, to avoid a dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    const VOCABULARY: &[&str] = &[
        "\n",
        "}\n",
        "{\n",
        "\treturn 0;\n",
        "\tint x;\n",
        "int f(void)\n",
        "  \n",
        "\t\tbreak;\n",
        "#endif\n",
        "/* comment */\n",
        "a\n",
        "b\n",
        "c",
        "\r\n",
        "x\0y\n",
        "        deep\n",
    ];

    fn random_text(rng: &mut Rng, lines: u64) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..rng.below(lines) {
            let word = VOCABULARY[rng.below(VOCABULARY.len() as u64) as usize];
            if rng.below(5) == 0 {
                out.extend_from_slice(format!("uniq {}\n", rng.below(1000)).as_bytes());
            } else {
                out.extend_from_slice(word.as_bytes());
            }
        }
        out
    }

    /// `text` with a few random lines inserted, deleted or replaced.
    fn mutate(rng: &mut Rng, text: &[u8]) -> Vec<u8> {
        let mut lines: Vec<Vec<u8>> = text
            .split_inclusive(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect();
        for _ in 0..=rng.below(4) {
            let at = rng.below(lines.len() as u64 + 1) as usize;
            let word = VOCABULARY[rng.below(VOCABULARY.len() as u64) as usize];
            match rng.below(3) {
                0 => lines.insert(at, word.as_bytes().to_vec()),
                1 if at < lines.len() => {
                    lines.remove(at);
                }
                _ if at < lines.len() => lines[at] = word.as_bytes().to_vec(),
                _ => lines.push(b"tail".to_vec()),
            }
        }
        lines.concat()
    }

    #[test]
    fn same_hunks_as_full_interning() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut differ = LineDiff::default();
        for round in 0..20_000 {
            let old = random_text(&mut rng, if round % 10 == 0 { 400 } else { 40 });
            let new = if rng.below(4) == 0 {
                random_text(&mut rng, 40)
            } else {
                mutate(&mut rng, &old)
            };
            differ.diff(&Text::new(old.clone()), &Text::new(new.clone()));
            let ours = differ.hunks().to_vec();
            assert_eq!(
                ours,
                reference(&old, &new),
                "old {:?}\nnew {:?}",
                String::from_utf8_lossy(&old),
                String::from_utf8_lossy(&new)
            );
        }
    }

    #[test]
    fn splits_like_memchr() {
        let mut text = Vec::new();
        for i in 0..3000u32 {
            text.extend(std::iter::repeat_n(b'x', (i * 7 % 41) as usize));
            text.push(if i % 13 == 0 { 0x8a } else { b'\n' });
            if i % 17 == 0 {
                text.extend_from_slice(b"\x0b\x0a\x00\n\n");
            }
            if i % 101 == 0 {
                text.extend(std::iter::repeat_n(b'\n', 70));
            }
        }
        for end in [0, 1, 31, 32, 33, 63, 64, 65, 100, 5000, text.len()] {
            let data = &text[..end];
            let mut expected = vec![0u32];
            expected.extend(memchr::memchr_iter(b'\n', data).map(|p| p as u32 + 1));
            if *expected.last().unwrap_or(&0) as usize != data.len() {
                expected.push(data.len() as u32);
            }
            let mut starts = Vec::new();
            split_lines(data, &mut starts);
            assert_eq!(starts, expected, "{end}");
        }
    }

    #[test]
    fn ends_without_newline() {
        let mut differ = LineDiff::default();
        for (old, new) in [
            (&b"a\nb"[..], &b"a\nb\n"[..]),
            (b"a\nb\n", b"a\nb"),
            (b"a", b"b"),
            (b"x\na\n", b"a\n"),
            (b"", b"a\n"),
            (b"a\n", b""),
            (b"a\na\na\n", b"a\na\n"),
        ] {
            differ.diff(&Text::new(old.to_vec()), &Text::new(new.to_vec()));
            assert_eq!(differ.hunks(), reference(old, new));
        }
    }
}
