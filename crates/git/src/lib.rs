//! kdelta-git: commits of a git repository rendered as `git format-patch` mails, from
//! the objects alone (gitoxide, no `git` process, no work tree).
//!
//! [`range_commits`] lists a range as `git rev-list --reverse --no-merges from..to`
//! does, in the same order. [`format_patch`] (or, for many commits, a reused
//! [`PatchFormatter`]) renders a commit as
//! `git format-patch --stdout -1 --no-renames --no-binary --no-stat --no-signature`
//! does, except that a `---` line separates message and diff (where git writes the
//! diffstat after it): the same mail headers (RFC 2047/822 encoding, folding, MIME
//! headers for non-ASCII messages), the same message, and a diff against the first
//! parent that is byte for byte git's (Myers with the indent heuristic, 3 lines of
//! context, hunk-header function names, C-quoted paths, `index` lines abbreviated as
//! git does, see below), so `git patch-id --stable` is the same too.
//!
//! Abbreviations: git's default length is not a constant 7, it grows with the number
//! of packed objects (`max(7, ceil((floor(log2(count)) + 1) / 2))`: 10 for a 550k-object
//! repository) and is then extended until unique; `core.abbrev` overrides the start
//! length. This matters for patch-ids of binary files, which hash the `index` line.
//! gitoxide's `Id::shorten()` implements the same rule; [`PatchFormatter`] computes
//! the start length once and asks the object database for uniqueness.
//!
//! For fingerprinting many commits, [`patchid::PatchIdWorker`] computes the stable
//! patch-id of a commit straight from the objects (the same diff, never rendered), with
//! the changed paths and lines, and [`pipeline`] runs such workers on several threads
//! over a list of commits or a walk of history, results in order.
//!
//! Not reproduced: rename and copy detection (git's default for `log -p` and
//! `format-patch`; a rename is written as a deletion plus an addition here), the
//! diffstat and signature, binary patches (format-patch's default; `Binary files ...
//! differ` is written instead, as `git log -p` does), re-encoding of messages with an
//! `encoding` header, `.gitattributes` (diff drivers, `binary`, `-diff`), mailmap, and
//! every `diff.*`/`format.*` setting (git's defaults are assumed), `core.quotePath`.

mod abbrev;
mod changes;
mod date;
mod error;
mod files;
mod hunks;
mod mail;
pub mod patchid;
pub mod pipeline;
mod quote;
mod range;
mod renames;
mod render;
mod wrap;

pub use error::GitError;
pub use files::{tree_files, TreeFile};
pub use patchid::{ChangedLines, CommitDiffFacts, PatchIdWorker};
pub use pipeline::patch_ids_parallel;
pub use range::{range_commits, resolve_commit};

use changes::{FileChange, TreeDiffer};
use gix::objs::FindExt;
use gix::ObjectId;
use render::FileWriter;

/// A commit rendered as a mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitPatch {
    /// The commit.
    pub commit: ObjectId,
    /// The mail: `From <sha> Mon Sep 17 00:00:00 2001`, `From:`, `Date:`, `Subject: [PATCH] ...`,
    /// a blank line, the message body, `---`, then the diff (no `---` when the commit
    /// changes nothing, as git writes it).
    pub text: Vec<u8>,
}

/// The object cache given to the repository a [`PatchFormatter`] works with, unless
/// the caller's repository already has one.
const OBJECT_CACHE_BYTES: usize = 64 << 20;

/// Renders commits of one repository, reusing buffers and diff state between them.
/// Prefer it to [`format_patch`] for more than a handful of commits.
pub struct PatchFormatter {
    repo: gix::Repository,
    trees: TreeDiffer,
    files: FileWriter,
    changes: Vec<FileChange>,
    commit_buf: Vec<u8>,
}

impl PatchFormatter {
    /// A formatter for `repo`; works on its own handle of the repository, with a 64 MiB
    /// object cache if `repo` has none.
    pub fn new(repo: &gix::Repository) -> PatchFormatter {
        let mut repo = repo.clone();
        repo.object_cache_size_if_unset(OBJECT_CACHE_BYTES);
        PatchFormatter {
            files: FileWriter::new(&repo),
            repo,
            trees: TreeDiffer::default(),
            changes: Vec::new(),
            commit_buf: Vec::new(),
        }
    }

    /// Render `commit` as a mail (see [`format_patch`]).
    pub fn format(&mut self, commit: ObjectId) -> Result<CommitPatch, GitError> {
        let mut text = Vec::new();
        self.write_patch(commit, &mut text)?;
        Ok(CommitPatch { commit, text })
    }

    /// Append the mail of `commit` to `out`.
    pub fn write_patch(&mut self, commit: ObjectId, out: &mut Vec<u8>) -> Result<(), GitError> {
        self.write_patch_of(commit, &|_| true, out).map(|_| ())
    }

    /// [`PatchFormatter::write_patch`] with only the files whose path `keep` accepts in
    /// the diff; false (nothing written) when the commit changes none of them.
    pub fn write_patch_touching(
        &mut self,
        commit: ObjectId,
        keep: &dyn Fn(&[u8]) -> bool,
        out: &mut Vec<u8>,
    ) -> Result<bool, GitError> {
        self.write_patch_of(commit, keep, out)
    }

    fn write_patch_of(
        &mut self,
        commit: ObjectId,
        keep: &dyn Fn(&[u8]) -> bool,
        out: &mut Vec<u8>,
    ) -> Result<bool, GitError> {
        let mut mail_text = Vec::new();
        let (tree, parent) = {
            let decoded = self
                .repo
                .objects
                .find_commit(&commit, &mut self.commit_buf)
                .map_err(|e| GitError::object(commit, "commit", e))?;
            let author = decoded.author().ok().map(|a| a.trim());
            let (seconds, tz) = author.map_or((0, 0), |a| date::parse_raw_time(a.time.as_bytes()));
            let hex = commit.to_string();
            let input = mail::MailInput {
                hex: &hex,
                name: author.map_or(&b""[..], |a| a.name.as_ref()),
                email: author.map_or(&b""[..], |a| a.email.as_ref()),
                seconds,
                tz,
                message: decoded.message,
            };
            mail::write_mail(&mut mail_text, &input);
            let first_parent = decoded.parents().next();
            (decoded.tree(), first_parent)
        };
        let parent_tree = parent_tree(&self.repo, parent, &mut self.commit_buf)?;
        self.write_diff_with(parent_tree, tree, keep, &mail_text, b"---\n", out)
    }

    /// Append the diff from tree `old` (`None`: the empty tree) to tree `new`, as
    /// `git diff-tree -p` without renames writes it.
    pub fn write_diff(
        &mut self,
        old: Option<ObjectId>,
        new: ObjectId,
        out: &mut Vec<u8>,
    ) -> Result<(), GitError> {
        self.write_diff_with(old, new, &|_| true, b"", b"", out)
            .map(|_| ())
    }

    /// The diff from `old` to `new` of the files `keep` accepts, after `before` and, when
    /// there is a file to diff, `separator`. False, and nothing written, when the trees
    /// differ only in files `keep` refuses.
    fn write_diff_with(
        &mut self,
        old: Option<ObjectId>,
        new: ObjectId,
        keep: &dyn Fn(&[u8]) -> bool,
        before: &[u8],
        separator: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<bool, GitError> {
        let mut changes = std::mem::take(&mut self.changes);
        let result = self
            .trees
            .changes(&self.repo, old, new, &mut changes)
            .and_then(|()| {
                let all = changes.len();
                changes.retain(|c| keep(c.path.as_slice()));
                if changes.is_empty() && all > 0 {
                    return Ok(false);
                }
                out.extend_from_slice(before);
                if !changes.is_empty() {
                    out.extend_from_slice(separator);
                }
                changes
                    .iter()
                    .try_for_each(|change| self.files.write(&self.repo, change, out))
                    .map(|()| true)
            });
        self.changes = changes;
        result
    }
}

/// The tree of the first parent `parent` (`None` for a root commit, whose diff is against
/// the empty tree).
pub(crate) fn parent_tree(
    repo: &gix::Repository,
    parent: Option<ObjectId>,
    buf: &mut Vec<u8>,
) -> Result<Option<ObjectId>, GitError> {
    let Some(parent) = parent else {
        return Ok(None);
    };
    repo.objects
        .find_commit_iter(&parent, buf)
        .and_then(|mut c| c.tree_id())
        .map(Some)
        .map_err(|e| GitError::object(parent, "commit", e))
}

/// `commit` as `git format-patch --stdout -1 <commit>` writes it, without diffstat and
/// signature: the `From <sha> Mon Sep 17 00:00:00 2001` line, `From:`, `Date:`,
/// `Subject: [PATCH] ...`, a blank line, the body, `---`, then the diff against the
/// first parent (the empty tree for a root commit).
pub fn format_patch(repo: &gix::Repository, commit: ObjectId) -> Result<CommitPatch, GitError> {
    PatchFormatter::new(repo).format(commit)
}
