//! Unified and git diffs: files, hunks, modes, renames, binary patches.
//!
//! [`parse_diffs`] reads the diff part of a patch: any number of file diffs in
//! git form (`diff --git` with its extended headers) or plain unified form
//! (`diff -Nurp`, `Index:` lines, timestamps after a tab, any path prefix),
//! with text between them ignored as quilt does. Hunk bodies are kept so that
//! later stages can compare and apply them.

mod parser;
mod path;
mod render;

use crate::Problem;
use bstr::BString;
use serde::Serialize;

pub use path::{strip_components, unquote_c};
pub use render::git_text;
pub(crate) use render::push_lines;

/// What a file diff does to its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Changes an existing file.
    Modified,
    /// Creates the file.
    Added,
    /// Deletes the file.
    Deleted,
    /// Renames (and maybe changes) the file.
    Renamed,
    /// Copies (and maybe changes) the file.
    Copied,
}

/// The role of one line in a hunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    /// Present on both sides (` `).
    Context,
    /// Only in the new file (`+`).
    Added,
    /// Only in the old file (`-`).
    Removed,
}

/// One line of a hunk, without its `+`/`-`/` ` marker and without its newline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HunkLine {
    /// Which side(s) the line belongs to.
    pub kind: LineKind,
    /// The line's bytes (a trailing CR is kept: it is content).
    pub text: BString,
    /// Whether `\ No newline at end of file` follows this line.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_newline: bool,
}

/// One hunk (`@@ -old_start,old_lines +new_start,new_lines @@ section`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hunk {
    /// First line of the old side (1-based, 0 for an empty side).
    pub old_start: u32,
    /// Number of old-side lines.
    pub old_lines: u32,
    /// First line of the new side.
    pub new_start: u32,
    /// Number of new-side lines.
    pub new_lines: u32,
    /// The text after the closing `@@` (usually the enclosing function).
    pub section: BString,
    /// The lines of the hunk.
    pub lines: Vec<HunkLine>,
    /// The 1-based line of the `@@` header in the patch.
    pub line: usize,
}

/// The diff of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileDiff {
    /// The old path with `strip` components removed; `None` for `/dev/null`.
    pub old_path: Option<BString>,
    /// The new path with `strip` components removed; `None` for `/dev/null`.
    pub new_path: Option<BString>,
    /// What the diff does to the file.
    pub change: ChangeKind,
    /// The old mode (`old mode`, `deleted file mode`, or the `index` line's mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_mode: Option<u32>,
    /// The new mode (`new mode`, `new file mode`, or the `index` line's mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_mode: Option<u32>,
    /// The abbreviated blob ids of the `index` line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<(BString, BString)>,
    /// `similarity index` of a rename or copy, in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<u8>,
    /// Whether the file is binary (`Binary files … differ` or `GIT binary patch`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub binary: bool,
    /// Whether the diff came with a `diff --git` line.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub git: bool,
    /// The hunks, in order.
    pub hunks: Vec<Hunk>,
    /// Lines added.
    pub added: usize,
    /// Lines removed.
    pub removed: usize,
    /// The 1-based line where this file's diff starts in the patch.
    pub line: usize,
    /// Whether a hunk of this file has fewer lines than its header counts: the patch ends
    /// inside it, or other text or a line the hunk has no room for comes first. Cut short
    /// or malformed, it cannot be judged or applied as it is (GNU patch refuses it too).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl FileDiff {
    fn new(line: usize) -> FileDiff {
        FileDiff {
            old_path: None,
            new_path: None,
            change: ChangeKind::Modified,
            old_mode: None,
            new_mode: None,
            index: None,
            similarity: None,
            binary: false,
            git: false,
            hunks: Vec::new(),
            added: 0,
            removed: 0,
            line,
            truncated: false,
        }
    }

    /// The path this diff is about: the new path, or the old one for a deletion.
    pub fn path(&self) -> Option<&BString> {
        self.new_path.as_ref().or(self.old_path.as_ref())
    }

    /// The lines the diff adds, in order.
    pub fn added_lines(&self) -> impl Iterator<Item = &BString> {
        self.lines_of(LineKind::Added)
    }

    /// The lines the diff removes, in order.
    pub fn removed_lines(&self) -> impl Iterator<Item = &BString> {
        self.lines_of(LineKind::Removed)
    }

    fn lines_of(&self, kind: LineKind) -> impl Iterator<Item = &BString> {
        self.hunks
            .iter()
            .flat_map(|h| h.lines.iter())
            .filter(move |l| l.kind == kind)
            .map(|l| &l.text)
    }
}

/// Where a diff starts in a patch: the byte offset and the 0-based line index of its first line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiffStart {
    /// Byte offset of the first diff line.
    pub offset: usize,
    /// 0-based index of that line.
    pub line: usize,
}

/// Find the first line that starts a diff: `diff --git`, `diff -…`, `Index:` followed by
/// `====`, or `---` followed by `+++` (and, for plain diffs, a hunk or end of text).
pub fn find_diff_start(text: &[u8]) -> Option<DiffStart> {
    let lines: Vec<(usize, &[u8])> = line_offsets(text).collect();
    (0..lines.len()).find_map(|i| {
        let (offset, line) = lines[i];
        let next = lines.get(i + 1).map(|l| l.1).unwrap_or(b"");
        let third = lines.get(i + 2).map(|l| l.1).unwrap_or(b"");
        starts_diff(line, next, third).then_some(DiffStart { offset, line: i })
    })
}

fn starts_diff(line: &[u8], next: &[u8], third: &[u8]) -> bool {
    if line.starts_with(b"diff --git ") {
        return true;
    }
    if line.starts_with(b"--- ") && next.starts_with(b"+++ ") {
        return third.starts_with(b"@@ ") || third.is_empty();
    }
    if line.starts_with(b"diff -") || line.starts_with(b"Index: ") {
        let follows = if line.starts_with(b"Index: ") {
            next.starts_with(b"====")
        } else {
            next.starts_with(b"--- ")
                || next.starts_with(b"Binary files ")
                || next.starts_with(b"Only in ")
        };
        return follows;
    }
    false
}

/// Iterate over lines as (byte offset, line without its `\n`).
pub(crate) fn line_offsets(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut offset = 0;
    std::iter::from_fn(move || {
        if offset >= text.len() {
            return None;
        }
        let start = offset;
        let rest = &text[start..];
        let len = memchr_newline(rest);
        offset = start + len.map_or(rest.len(), |l| l + 1);
        Some((start, &rest[..len.unwrap_or(rest.len())]))
    })
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}

/// Parse every file diff in `text`. `first_line` is the 1-based line number of
/// `text`'s first line in the patch; `strip` is quilt's `-pN`.
pub fn parse_diffs(text: &[u8], first_line: usize, strip: usize) -> (Vec<FileDiff>, Vec<Problem>) {
    let mut parser = parser::Parser::new(strip);
    for (i, (_, line)) in line_offsets(text).enumerate() {
        parser.feed(line, first_line + i);
    }
    parser.finish()
}

/// Whether a hunk header's counts are exhausted.
fn hunk_done(old_left: u32, new_left: u32) -> bool {
    old_left == 0 && new_left == 0
}

/// Parse `@@ -a[,b] +c[,d] @@ section`.
pub fn parse_hunk_header(line: &[u8]) -> Option<(u32, u32, u32, u32, &[u8])> {
    let rest = line.strip_prefix(b"@@ -")?;
    let (old, rest) = split_once(rest, b' ')?;
    let rest = rest.strip_prefix(b"+")?;
    let (new, rest) = split_once(rest, b' ')?;
    let section = rest.strip_prefix(b"@@")?;
    let section = section.strip_prefix(b" ").unwrap_or(section);
    let (a, b) = parse_range(old)?;
    let (c, d) = parse_range(new)?;
    Some((a, b, c, d, trim_cr(section)))
}

fn parse_range(text: &[u8]) -> Option<(u32, u32)> {
    match split_once(text, b',') {
        Some((start, len)) => Some((parse_u32(start)?, parse_u32(len)?)),
        None => Some((parse_u32(text)?, 1)),
    }
}

fn parse_u32(text: &[u8]) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(text.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
}

fn split_once(text: &[u8], sep: u8) -> Option<(&[u8], &[u8])> {
    let at = text.iter().position(|&b| b == sep)?;
    Some((&text[..at], &text[at + 1..]))
}

pub(crate) fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests;
