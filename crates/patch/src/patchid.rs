//! git's patch-id over diff text, byte for byte what `git patch-id --stable` prints.
//!
//! The algorithm follows the behaviour of `git patch-id --stable` as of git 2.47
//! (it has been stable for years; the 2.46 "tighten header detection" change was
//! reverted before 2.47). It is a line-oriented state machine, reproduced here with
//! all of its quirks, because patch-ids are only useful when they are identical to
//! git's:
//!
//! * Input is split at `\n`; every test on a line sees it as a C string, i.e. only
//!   up to its first NUL byte (the rest of the line is invisible).
//! * A line `commit <hex>`, `From <hex>` or `<hex>` (40 hex digits, whatever
//!   follows them) ends the current patch and names the commit of the next one. Lines
//!   before a patch's first `diff ` line (the commit message) are ignored.
//! * Lines are hashed with git's whitespace (space, tab, CR, LF) removed. The
//!   `diff ` line and the extended header lines (`new file mode`, `rename from`, ...)
//!   are hashed, `index` lines are not (their blob ids are remembered), `---`/`+++`
//!   lines are, `@@` hunk headers are not, but their counts tell where a hunk ends.
//!   `\ No newline at end of file` markers are skipped.
//! * After the last line of a hunk, a line that is neither `@@ -` nor `diff ` ends
//!   the patch; the rest of the stream is read as a new patch of no commit until the
//!   next commit line. In a header, a line not starting with an ASCII letter (and
//!   not `--- `) does the same.
//! * Stable mode hashes every file into its own SHA-1 and adds the digests as
//!   20-byte little-endian integers (carry out of the last byte dropped). A file
//!   with no hunk (mode change, empty file) is hashed together with the next file,
//!   since the split happens only after a hunk. When a patch ends, the current
//!   context is always flushed, even if empty.
//! * A binary file (`Binary files ... differ` or `GIT binary patch`) hashes the two
//!   blob ids of the last `index` line (as abbreviated in the text) and flushes;
//!   everything up to the next `diff ` line is skipped, and that `diff ` line itself
//!   is not hashed.
//! * A commit is reported only if something non-empty was hashed for it.

use crate::{CommitId, PatchId};
use sha1::{Digest, Sha1};

/// One patch-id computed from a stream, with the commit it belongs to (zeros when the
/// stream names none, as git prints).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatchIdLine {
    /// The stable patch-id.
    pub patch_id: PatchId,
    /// The commit the diff belongs to (`commit <sha>` or `From <sha>` line), if any.
    pub commit: Option<CommitId>,
}

impl std::fmt::Display for PatchIdLine {
    /// The line `git patch-id` prints, without the newline: `<patch-id> <commit>`,
    /// the commit written as 40 zeros when there is none.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.commit {
            Some(commit) => write!(f, "{} {}", self.patch_id, commit),
            None => write!(f, "{} {}", self.patch_id, PatchId::ZERO),
        }
    }
}

/// Compute the stable patch-ids of every diff in `text`, as `git patch-id --stable` does.
///
/// `text` may be `git log -p`, `git format-patch` or `git diff` output, or any mix;
/// one [`PatchIdLine`] is returned per patch with a non-empty diff, in stream order.
pub fn stable_patch_ids(text: &[u8]) -> Vec<PatchIdLine> {
    let mut stream = PatchIdStream::new();
    let mut out = Vec::new();
    for line in text.split_inclusive(|&b| b == b'\n') {
        if let Some(id) = stream.push_line(line) {
            out.push(id);
        }
    }
    out.extend(stream.finish());
    out
}

/// The stable patch-id of a single diff (the first patch in `text`), if it has one.
pub fn stable_patch_id(text: &[u8]) -> Option<PatchId> {
    stable_patch_ids(text)
        .into_iter()
        .next()
        .map(|line| line.patch_id)
}

/// Incremental form of [`stable_patch_ids`], for streams too large to hold in memory.
///
/// Feed the stream one line at a time (each line with its trailing `\n`, the last one
/// possibly without), then call [`PatchIdStream::finish`].
///
/// ```
/// use kdelta_patch::patchid::PatchIdStream;
/// let text = b"commit 0123456789abcdef0123456789abcdef01234567\n\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";
/// let mut stream = PatchIdStream::new();
/// let mut ids = Vec::new();
/// for line in text.split_inclusive(|&b| b == b'\n') {
///     ids.extend(stream.push_line(line));
/// }
/// ids.extend(stream.finish());
/// assert_eq!(ids.len(), 1);
/// assert_eq!(ids[0].commit.as_ref().map(|c| c.as_str()), Some("0123456789abcdef0123456789abcdef01234567"));
/// ```
#[derive(Clone, Debug)]
pub struct PatchIdStream {
    /// The commit the patch being read belongs to.
    commit: Option<CommitId>,
    /// Hash of the current file (stable mode hashes each file separately).
    ctx: Sha1,
    /// Sum of the flushed per-file hashes.
    result: [u8; 20],
    /// Whether anything non-empty was hashed for this patch (git's `patchlen != 0`).
    hashed: bool,
    /// Lines left in the current hunk's pre-image, -1 while reading a file header.
    before: i32,
    /// Lines left in the current hunk's post-image.
    after: i32,
    /// Skipping the body of a binary file until the next `diff ` line.
    binary: bool,
    /// Blob ids of the last `index` line (git keeps them across files).
    pre_oid: Vec<u8>,
    post_oid: Vec<u8>,
    /// Scratch buffer for whitespace-stripped lines.
    buf: Vec<u8>,
}

impl Default for PatchIdStream {
    fn default() -> Self {
        Self::new()
    }
}

/// How git's `get_oid_hex` is satisfied: this many hex digits at the start.
const OID_HEX_LEN: usize = 40;
/// git copies at most this many bytes of each blob id from an `index` line.
const MAX_HEX_LEN: usize = 64;

impl PatchIdStream {
    /// A stream positioned before its first line.
    pub fn new() -> PatchIdStream {
        PatchIdStream {
            commit: None,
            ctx: Sha1::new(),
            result: [0; 20],
            hashed: false,
            before: -1,
            after: -1,
            binary: false,
            pre_oid: Vec::new(),
            post_oid: Vec::new(),
            buf: Vec::new(),
        }
    }

    /// Feed one line (with its `\n`, if it has one); returns the patch-id of the patch
    /// this line ends, if that patch had a diff.
    pub fn push_line(&mut self, line: &[u8]) -> Option<PatchIdLine> {
        // Every test git makes sees the line as a C string.
        let line = match line.iter().position(|&b| b == 0) {
            Some(nul) => &line[..nul],
            None => line,
        };

        // "\ No newline at end of file" and the like.
        if line.starts_with(b"\\ ") && line.len() > 12 {
            return None;
        }

        // The beginning of the next commit.
        let rest = line
            .strip_prefix(b"commit ")
            .or_else(|| line.strip_prefix(b"From "))
            .unwrap_or(line);
        if rest.len() >= OID_HEX_LEN && rest[..OID_HEX_LEN].iter().all(u8::is_ascii_hexdigit) {
            let next = CommitId::parse_bytes(&rest[..OID_HEX_LEN]);
            return self.end_patch(next);
        }

        // The commit message, before the first diff.
        if !self.hashed && !line.starts_with(b"diff ") {
            return None;
        }

        if self.before == -1 {
            if line.starts_with(b"GIT binary patch") || line.starts_with(b"Binary files") {
                self.binary = true;
                self.before = 0;
                self.ctx.update(&self.pre_oid);
                self.ctx.update(&self.post_oid);
                self.flush();
                return None;
            } else if let Some(ids) = line.strip_prefix(b"index ") {
                self.index_line(line, ids);
                return None;
            } else if line.starts_with(b"--- ") {
                // Counts the "---" and "+++" lines down to a state that expects "@@".
                self.before = 1;
                self.after = 1;
            } else if !line.first().is_some_and(u8::is_ascii_alphabetic) {
                return self.end_patch(None);
            }
        }

        if self.binary {
            if line.starts_with(b"diff ") {
                self.binary = false;
                self.before = -1;
            }
            return None;
        }

        if self.before == 0 && self.after == 0 {
            if line.starts_with(b"@@ -") {
                scan_hunk_header(line, &mut self.before, &mut self.after);
                return None;
            }
            if !line.starts_with(b"diff ") {
                return self.end_patch(None);
            }
            // The header of the next file.
            self.flush();
            self.before = -1;
            self.after = -1;
        }

        match line.first() {
            Some(b'-') => self.before = self.before.wrapping_sub(1),
            Some(b'+') => self.after = self.after.wrapping_sub(1),
            Some(b' ') => {
                self.before = self.before.wrapping_sub(1);
                self.after = self.after.wrapping_sub(1);
            }
            _ => {}
        }

        self.buf.clear();
        self.buf
            .extend(line.iter().copied().filter(|&b| !is_git_space(b)));
        if !self.buf.is_empty() {
            self.hashed = true;
            self.ctx.update(&self.buf);
        }
        None
    }

    /// End the stream; returns the patch-id of the last patch, if it had a diff.
    pub fn finish(mut self) -> Option<PatchIdLine> {
        self.end_patch(None)
    }

    /// Remember the blob ids of an `index <pre>..<post>[ <mode>]` line, as git does.
    fn index_line(&mut self, line: &[u8], ids: &[u8]) {
        let Some(dots) = find(line, b"..") else {
            return;
        };
        // The post-image id ends at the next space, or else just before the last byte
        // of the line (its newline, normally).
        let end = match line[dots..].iter().position(|&b| b == b' ') {
            Some(space) => dots + space,
            None => line.len() - 1,
        };
        let pre = &ids[..dots - (line.len() - ids.len())];
        let post = line.get(dots + 2..end.max(dots + 2)).unwrap_or_default();
        self.pre_oid.clear();
        self.pre_oid
            .extend_from_slice(&pre[..pre.len().min(MAX_HEX_LEN)]);
        self.post_oid.clear();
        self.post_oid
            .extend_from_slice(&post[..post.len().min(MAX_HEX_LEN)]);
    }

    /// Add the current file's hash into the result and start a new one.
    fn flush(&mut self) {
        let hash = self.ctx.finalize_reset();
        let mut carry: u16 = 0;
        for (acc, byte) in self.result.iter_mut().zip(hash.iter()) {
            carry += u16::from(*acc) + u16::from(*byte);
            *acc = carry as u8;
            carry >>= 8;
        }
    }

    /// Finish the current patch and start one for `next`.
    fn end_patch(&mut self, next: Option<CommitId>) -> Option<PatchIdLine> {
        self.flush();
        let result = std::mem::take(&mut self.result);
        let commit = std::mem::replace(&mut self.commit, next);
        let hashed = std::mem::take(&mut self.hashed);
        self.before = -1;
        self.after = -1;
        self.binary = false;
        hashed.then_some(PatchIdLine {
            patch_id: PatchId(result),
            commit,
        })
    }
}

/// git's `isspace`: its own locale-independent table has only these four.
fn is_git_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn count_digits(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// Read the line counts of a `@@ -a,b +c,d @@` header the way git does: a missing
/// count is 1, and a malformed header may leave one or both counts unchanged.
fn scan_hunk_header(line: &[u8], before: &mut i32, after: &mut i32) {
    let at = |i: usize| line.get(i).copied().unwrap_or(0);
    let mut q = 4;
    let mut n = count_digits(&line[q..]);
    if at(q + n) == b',' {
        q += n + 1;
        *before = c_atoi(&line[q..]);
        n = count_digits(&line[q..]);
    } else {
        *before = 1;
    }
    if n == 0 || at(q + n) != b' ' || at(q + n + 1) != b'+' {
        return;
    }
    let mut r = q + n + 2;
    n = count_digits(&line[r..]);
    if at(r + n) == b',' {
        r += n + 1;
        *after = c_atoi(&line[r..]);
    } else {
        *after = 1;
    }
}

/// C's `atoi` as glibc implements it: `(int) strtol(s, NULL, 10)`, which skips
/// leading white space, takes a sign, saturates at the `long` range and is then
/// truncated to `int`.
fn c_atoi(s: &[u8]) -> i32 {
    let mut i = s
        .iter()
        .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        .count();
    let negative = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let limit = if negative {
        1u64 << 63
    } else {
        i64::MAX as u64
    };
    let mut magnitude: u64 = 0;
    for &b in s[i..].iter().take_while(|b| b.is_ascii_digit()) {
        magnitude = magnitude
            .saturating_mul(10)
            .saturating_add(u64::from(b - b'0'))
            .min(limit);
    }
    let long = if negative {
        (magnitude as i64).wrapping_neg()
    } else {
        magnitude as i64
    };
    long as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &[u8]) -> Vec<String> {
        stable_patch_ids(text)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn sha1(data: &[u8]) -> [u8; 20] {
        Sha1::digest(data).into()
    }

    fn add(a: [u8; 20], b: [u8; 20]) -> [u8; 20] {
        let mut out = [0u8; 20];
        let mut carry = 0u16;
        for i in 0..20 {
            carry += u16::from(a[i]) + u16::from(b[i]);
            out[i] = carry as u8;
            carry >>= 8;
        }
        out
    }

    const SIMPLE: &[u8] = b"diff --git a/f b/f\nindex 1234567..89abcde 100644\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";

    #[test]
    fn empty_input_gives_nothing() {
        assert!(stable_patch_ids(b"").is_empty());
        assert!(
            stable_patch_ids(b"commit 0123456789abcdef0123456789abcdef01234567\n\n    msg\n")
                .is_empty()
        );
    }

    #[test]
    fn simple_diff_hashes_lines_without_whitespace() {
        let expected = sha1(b"diff--gita/fb/f---a/f+++b/f-a+b");
        let got = stable_patch_ids(SIMPLE);
        assert_eq!(
            got,
            vec![PatchIdLine {
                patch_id: PatchId(expected),
                commit: None
            }]
        );
        // What `git patch-id --stable` (2.47) prints for it.
        assert_eq!(
            ids(SIMPLE),
            vec![format!(
                "e897e68f3d28ff9d46e3eee9734b8298f517d9fe {}",
                "0".repeat(40)
            )]
        );
    }

    #[test]
    fn whitespace_and_crlf_do_not_matter_but_vertical_tab_does() {
        let spaced = b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a \t\r\n+ b\n";
        let plain = b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";
        assert_eq!(stable_patch_id(spaced), stable_patch_id(plain));
        let vtab = b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\x0b\n+b\n";
        assert_ne!(stable_patch_id(vtab), stable_patch_id(plain));
    }

    #[test]
    fn files_are_summed_in_any_order() {
        let f = b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";
        let g = b"diff --git a/g b/g\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-c\n+d\n";
        let fg = [&f[..], &g[..]].concat();
        let gf = [&g[..], &f[..]].concat();
        let expected = add(
            sha1(b"diff--gita/fb/f---a/f+++b/f-a+b"),
            sha1(b"diff--gita/gb/g---a/g+++b/g-c+d"),
        );
        assert_eq!(stable_patch_id(&fg), Some(PatchId(expected)));
        assert_eq!(stable_patch_id(&gf), Some(PatchId(expected)));
    }

    #[test]
    fn header_only_file_joins_the_next_one() {
        let text = b"diff --git a/m b/m\nold mode 100644\nnew mode 100755\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";
        let expected =
            sha1(b"diff--gita/mb/moldmode100644newmode100755diff--gita/fb/f---a/f+++b/f-a+b");
        assert_eq!(stable_patch_id(text), Some(PatchId(expected)));
        assert_eq!(
            ids(text)[0][..40],
            *"95605a2741608cdd9922c1dd024ef25d7ac69d5c"
        );
    }

    #[test]
    fn binary_hashes_index_ids_and_skips_next_diff_line() {
        let text = b"diff --git a/b b/b\nindex 1234567..89abcde 100644\nBinary files a/b and b/b differ\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";
        let first = sha1(b"diff--gita/bb/b123456789abcde");
        let second = sha1(b"---a/f+++b/f-a+b");
        assert_eq!(stable_patch_id(text), Some(PatchId(add(first, second))));
        assert_eq!(
            ids(text)[0][..40],
            *"fb5597df836556b97947f6e75cfdfaee2b358109"
        );
        // Binary last: the final flush adds the hash of nothing.
        let text = b"diff --git a/b b/b\nindex 1234567..89abcde\nGIT binary patch\nliteral 1\nIcmZo$0000\n\n";
        assert_eq!(stable_patch_id(text), Some(PatchId(add(first, sha1(b"")))));
    }

    #[test]
    fn commits_split_the_stream_and_empty_ones_are_skipped() {
        let c1 = "1111111111111111111111111111111111111111";
        let c2 = "2222222222222222222222222222222222222222";
        let c3 = "3333333333333333333333333333333333333333";
        let text = [
            format!("commit {c1} (HEAD -> main)\nAuthor: A <a@b>\n\n    msg\n\n").as_bytes(),
            SIMPLE,
            format!("\ncommit {c2}\n\n    empty\n\nFrom {c3} Mon Sep 17 00:00:00 2001\nSubject: x\n\n---\n").as_bytes(),
            SIMPLE,
            b"-- \n2.47.3\n\n",
        ]
        .concat();
        let got = stable_patch_ids(&text);
        let commits: Vec<_> = got
            .iter()
            .map(|l| l.commit.as_ref().map(|c| c.to_string()))
            .collect();
        assert_eq!(commits, vec![Some(c1.to_string()), Some(c3.to_string())]);
        assert_eq!(got[0].patch_id, got[1].patch_id);
    }

    #[test]
    fn text_after_a_patch_ends_it_and_later_diffs_have_no_commit() {
        let c1 = "1111111111111111111111111111111111111111";
        let text = [
            format!("commit {c1}\n").as_bytes(),
            SIMPLE,
            b"trailing words\n",
            SIMPLE,
        ]
        .concat();
        let got = stable_patch_ids(&text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].commit.as_ref().map(|c| c.as_str()), Some(c1));
        assert_eq!(got[1].commit, None);
    }

    #[test]
    fn no_newline_marker_is_ignored_and_nul_truncates_lines() {
        let with_marker = b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n";
        let without = b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";
        assert_eq!(stable_patch_id(with_marker), stable_patch_id(without));
        let nul = b"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\0zzz\n+b\n";
        assert_eq!(stable_patch_id(nul), stable_patch_id(without));
    }

    #[test]
    fn plain_unified_diff_without_diff_line_has_no_id() {
        assert!(stable_patch_ids(b"--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n").is_empty());
        assert_eq!(
            stable_patch_ids(b"diff -u a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n").len(),
            1
        );
    }

    #[test]
    fn hunk_header_counts() {
        let scan = |s: &[u8]| {
            let (mut b, mut a) = (-7, -7);
            scan_hunk_header(s, &mut b, &mut a);
            (b, a)
        };
        assert_eq!(scan(b"@@ -1 +1 @@\n"), (1, 1));
        assert_eq!(scan(b"@@ -0,0 +1,3 @@\n"), (0, 3));
        assert_eq!(scan(b"@@ -5,2 +7 @@ fn x()\n"), (2, 1));
        assert_eq!(scan(b"@@ -1, +3 @@\n"), (3, -7));
        assert_eq!(scan(b"@@ -x +3 @@\n"), (1, -7));
        assert_eq!(c_atoi(b" -12x"), -12);
        assert_eq!(c_atoi(b"99999999999999999999"), -1);
        assert_eq!(c_atoi(b"4294967297"), 1);
    }

    #[test]
    fn index_line_parsing_matches_git() {
        let mut s = PatchIdStream::new();
        s.index_line(b"index abc..def 100644\n", b"abc..def 100644\n");
        assert_eq!(
            (&s.pre_oid[..], &s.post_oid[..]),
            (&b"abc"[..], &b"def"[..])
        );
        s.index_line(b"index abc..def\n", b"abc..def\n");
        assert_eq!(
            (&s.pre_oid[..], &s.post_oid[..]),
            (&b"abc"[..], &b"def"[..])
        );
        s.index_line(b"index abc..def", b"abc..def");
        assert_eq!((&s.pre_oid[..], &s.post_oid[..]), (&b"abc"[..], &b"de"[..]));
        s.index_line(b"index ..", b"..");
        assert_eq!((&s.pre_oid[..], &s.post_oid[..]), (&b""[..], &b""[..]));
        s.index_line(b"index 1 2\n", b"1 2\n");
        assert_eq!((&s.pre_oid[..], &s.post_oid[..]), (&b""[..], &b""[..]));
    }
}
