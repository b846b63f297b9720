//! Unified and git diffs: files, hunks, modes, renames, binary patches.

use bstr::BString;
use serde::Serialize;

/// What a file diff does to its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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

/// One hunk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub old_start: u32,
    pub old_lines: u32,
    pub new_start: u32,
    pub new_lines: u32,
}

/// The diff of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileDiff {
    pub old_path: Option<BString>,
    pub new_path: Option<BString>,
    pub change: ChangeKind,
    pub hunks: Vec<Hunk>,
    pub added: usize,
    pub removed: usize,
    pub binary: bool,
    pub line: usize,
}
