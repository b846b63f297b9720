//! `git patch-id --stable` fed with diff lines as they are generated, instead of parsing
//! the rendered text (`kdelta_patch::patchid::PatchIdStream` is the parsing twin).
//!
//! For a diff written as `git log -p` writes it, git's state machine reduces to: every
//! line is hashed with its white space (space, tab, CR, LF) removed and cut at its first
//! NUL, except `index` lines, hunk headers and `\ No newline` markers; a file's hash is
//! added into the result (20-byte little-endian sum) at the `diff` line that follows a
//! hunk, so files without hunks (mode changes, empty files) share the hash of the next
//! file; a binary file hashes the two abbreviated ids of its `index` line and is added at
//! once, and the `diff` line after it is not hashed; the end of the patch adds the current
//! hash, even an empty one.

use kdelta_patch::PatchId;
use sha1::{Digest, Sha1};

/// 0 for git's `isspace()` bytes (only space, tab, LF and CR), 1 for the others; a
/// table is much faster than comparisons in the stripping loop.
static KEEP: [u8; 256] = {
    let mut keep = [1u8; 256];
    keep[b' ' as usize] = 0;
    keep[b'\t' as usize] = 0;
    keep[b'\n' as usize] = 0;
    keep[b'\r' as usize] = 0;
    keep
};

/// The running patch-id of one commit.
#[derive(Default)]
pub(crate) struct StableHasher {
    /// Stripped bytes of the lines since the last flush.
    segment: Vec<u8>,
    /// Sum of the flushed hashes.
    sum: [u8; 20],
    /// Something non-empty was hashed (git's `patchlen != 0`).
    hashed: bool,
    /// The previous file ended with a hunk: its hash is added at the next `diff` line.
    flush_at_next_file: bool,
    /// The previous file was binary: the next `diff` line is not hashed.
    skip_next_diff_line: bool,
}

impl StableHasher {
    /// Forget everything, for the next commit.
    pub fn reset(&mut self) {
        self.segment.clear();
        self.sum = [0; 20];
        self.hashed = false;
        self.flush_at_next_file = false;
        self.skip_next_diff_line = false;
    }

    /// The `diff --git` line of the next file.
    pub fn diff_line(&mut self, line: &[u8]) {
        if std::mem::take(&mut self.flush_at_next_file) {
            self.flush();
        }
        if !std::mem::take(&mut self.skip_next_diff_line) {
            self.line(line);
        }
    }

    /// A hashed line other than a content line (`new file mode ...`, `--- a/f`).
    pub fn line(&mut self, line: &[u8]) {
        self.push_stripped(line);
    }

    /// A content line: `prefix` (`-`, `+` or space) then `text` (with its newline, if any).
    pub fn content_line(&mut self, prefix: u8, text: &[u8]) {
        if KEEP[usize::from(prefix)] != 0 {
            self.segment.push(prefix);
            self.hashed = true;
        }
        self.push_stripped(text);
    }

    /// The current file had hunks; it ends at the next `diff` line.
    pub fn end_of_hunks(&mut self) {
        self.flush_at_next_file = true;
    }

    /// A binary file whose `index` line shows `pre..post`.
    pub fn binary(&mut self, pre: &[u8], post: &[u8]) {
        self.segment.extend_from_slice(pre);
        self.segment.extend_from_slice(post);
        self.flush();
        self.skip_next_diff_line = true;
    }

    /// End of the patch: the patch-id, unless nothing was hashed.
    pub fn finish(&mut self) -> Option<PatchId> {
        self.flush();
        let id = self.hashed.then_some(PatchId(self.sum));
        self.reset();
        id
    }

    fn push_stripped(&mut self, text: &[u8]) {
        let text = match memchr::memchr(0, text) {
            Some(nul) => &text[..nul],
            None => text,
        };
        let start = self.segment.len();
        self.segment.resize(start + text.len(), 0);
        let out = &mut self.segment[start..];
        let mut kept = 0;
        for &b in text {
            out[kept] = b;
            kept += usize::from(KEEP[usize::from(b)]);
        }
        self.segment.truncate(start + kept);
        self.hashed |= kept != 0;
    }

    fn flush(&mut self) {
        let hash = Sha1::digest(&self.segment);
        self.segment.clear();
        let mut carry: u16 = 0;
        for (acc, byte) in self.sum.iter_mut().zip(hash.iter()) {
            carry += u16::from(*acc) + u16::from(*byte);
            *acc = carry as u8;
            carry >>= 8;
        }
    }
}
