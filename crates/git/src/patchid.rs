//! Stable patch-ids of commits computed straight from the objects, without rendering a
//! mail or diff text: what `git log -p --no-renames --format='commit %H' C | git patch-id
//! --stable` prints for a commit `C`, i.e. `stable_patch_ids(PatchFormatter::format(C))`.
//!
//! A [`PatchIdWorker`] (one per thread) walks the file changes of a commit against its
//! first parent exactly as [`crate::PatchFormatter`] does (same tree diff, same blob
//! loading, same binary detection, same line diff and hunk layout), but feeds each line
//! it would write to a `git patch-id --stable` hasher instead of a buffer; hunk headers
//! and `index` lines, which patch-ids ignore, are never produced. The line diff interns
//! only the lines between the common prefix and suffix of the two blobs (see
//! `pipeline/linediff.rs`), with the same hunks as the renderer.
//!
//! Besides the id, a commit's [`CommitDiffFacts`] carry the changed paths and line counts,
//! and a [`ChangedLines`] visitor sees every removed and added line as it is hashed, so a
//! caller needing them (MinHash of changed lines) gets them from the same single diff.

use crate::abbrev::Abbrev;
use crate::changes::{FileChange, Side, TreeDiffer};
use crate::pipeline::linediff::{LineDiff, Text};
use crate::pipeline::stable::StableHasher;
use crate::pipeline::{Blob, CacheSizes, SharedCaches};
use crate::quote::push_quoted_path;
use crate::render::GITLINK;
use crate::GitError;
use bstr::BString;
use gix::diff::blob::Hunk;
use gix::objs::FindExt;
use gix::ObjectId;
use kdelta_patch::PatchId;
use std::sync::Arc;

mod renamed;

/// Lines of context around changes, as git writes them (they are part of the patch-id).
const CONTEXT: u32 = 3;

/// What one commit changes, as far as the upstream index needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitDiffFacts<S = ()> {
    /// The stable patch-id; `None` when the diff is empty (git prints nothing).
    pub patch_id: Option<PatchId>,
    /// The stable patch-id of the diff with renames detected, as `git show` and `git
    /// format-patch` print it; `None` when git finds no rename (then it is `patch_id`).
    pub renamed_patch_id: Option<PatchId>,
    /// The changed paths, sorted by bytes, each once.
    pub files: Vec<BString>,
    /// Lines added in text files (`+` lines).
    pub added: u32,
    /// Lines removed from text files (`-` lines).
    pub removed: u32,
    /// What the [`ChangedLines`] visitor made of the commit's changed lines.
    pub lines: S,
}

/// Sees the removed and added lines of a commit's text files while its patch-id is
/// computed, in diff order (per file sorted by path; per hunk the removed lines, then
/// the added ones).
pub trait ChangedLines {
    /// What is kept of one commit's lines, returned in its [`CommitDiffFacts`].
    type Summary: Send + 'static;
    /// Whether [`ChangedLines::begin`] wants the commit object's data: the pipeline then
    /// keeps the bytes its walker read instead of dropping them.
    const WANTS_COMMIT_DATA: bool = false;
    /// The pipeline is about to diff `commit`, whose object data (headers and message, as
    /// stored) is `data` when [`ChangedLines::WANTS_COMMIT_DATA`] asked for it; a visitor
    /// may read more of the commit here, on the worker's thread. Not every caller
    /// announces commits: the default does nothing.
    fn begin(&mut self, _commit: ObjectId, _data: Option<&[u8]>) {}
    /// A line of `path`, removed (`added == false`) or added, with its newline if it has one.
    fn line(&mut self, path: &[u8], added: bool, text: &[u8]);
    /// The commit is done (or failed): hand over its summary and start afresh.
    fn finish(&mut self) -> Self::Summary;
}

/// The visitor that ignores lines.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoLines;

impl ChangedLines for NoLines {
    type Summary = ();
    fn line(&mut self, _: &[u8], _: bool, _: &[u8]) {}
    fn finish(&mut self) {}
}

/// Computes patch-ids of commits of one repository; one per thread.
pub struct PatchIdWorker {
    repo: gix::Repository,
    caches: SharedCaches,
    abbrev: Abbrev,
    trees: TreeDiffer,
    changes: Vec<FileChange>,
    lines: LineDiff,
    hash: StableHasher,
    commit_buf: Vec<u8>,
    /// The side of a file that does not exist.
    missing: Arc<Blob>,
    scratch: Vec<u8>,
    /// Where gitoxide decodes blobs (its size varies most; reusing it avoids allocations).
    fetch: Vec<u8>,
    /// Where lines are split before the table is copied to its blob.
    line_scratch: Vec<u32>,
}

/// Per-commit counters filled while files are hashed.
#[derive(Default)]
struct Counts {
    added: u32,
    removed: u32,
}

impl PatchIdWorker {
    /// A worker on its own handle of `repo`, with caches of its own of the default sizes.
    pub fn new(repo: &gix::ThreadSafeRepository) -> PatchIdWorker {
        let caches = SharedCaches::new(CacheSizes::default());
        Self::with_caches(repo.to_thread_local(), &caches)
    }

    /// A worker on `repo` (a handle it keeps and configures), using `caches`, which
    /// other workers of the same repository may share.
    pub fn with_caches(mut repo: gix::Repository, caches: &SharedCaches) -> PatchIdWorker {
        caches.attach(&mut repo);
        PatchIdWorker {
            abbrev: Abbrev::new(&repo),
            repo,
            caches: caches.clone(),
            trees: TreeDiffer::default(),
            changes: Vec::new(),
            lines: LineDiff::default(),
            hash: StableHasher::default(),
            commit_buf: Vec::new(),
            missing: Arc::new(Blob::new(Vec::new())),
            scratch: Vec::new(),
            fetch: Vec::new(),
            line_scratch: Vec::new(),
        }
    }

    /// The stable patch-id of `commit` against its first parent; `None` for an empty diff.
    pub fn commit_patch_id(&mut self, commit: ObjectId) -> Result<Option<PatchId>, GitError> {
        Ok(self.commit_fingerprint(commit)?.patch_id)
    }

    /// Patch-id, changed paths and line counts of `commit`.
    pub fn commit_fingerprint(&mut self, commit: ObjectId) -> Result<CommitDiffFacts, GitError> {
        self.commit_fingerprint_with(commit, &mut NoLines)
    }

    /// [`PatchIdWorker::commit_fingerprint`], showing every changed line to `visitor`.
    pub fn commit_fingerprint_with<V: ChangedLines>(
        &mut self,
        commit: ObjectId,
        visitor: &mut V,
    ) -> Result<CommitDiffFacts<V::Summary>, GitError> {
        match self.trees_of(commit) {
            Ok((old, new)) => self.tree_fingerprint_with(old, new, visitor),
            Err(e) => {
                visitor.finish();
                Err(e)
            }
        }
    }

    /// The facts of the diff from tree `old` (`None`: the empty tree) to tree `new`, as
    /// for a commit with these trees.
    pub fn tree_fingerprint_with<V: ChangedLines>(
        &mut self,
        old: Option<ObjectId>,
        new: ObjectId,
        visitor: &mut V,
    ) -> Result<CommitDiffFacts<V::Summary>, GitError> {
        self.hash.reset();
        let result = self.hash_trees(old, new, visitor);
        let patch_id = self.hash.finish();
        let lines = visitor.finish();
        let counts = result?;
        let renamed_patch_id = self.renamed_patch_id()?;
        let mut files: Vec<BString> = Vec::with_capacity(self.changes.len());
        for change in &self.changes {
            if files.last() != Some(&change.path) {
                files.push(change.path.clone());
            }
        }
        Ok(CommitDiffFacts {
            patch_id,
            renamed_patch_id,
            files,
            added: counts.added,
            removed: counts.removed,
            lines,
        })
    }

    /// The tree of `commit` and of its first parent.
    fn trees_of(&mut self, commit: ObjectId) -> Result<(Option<ObjectId>, ObjectId), GitError> {
        let (tree, parent) = {
            let decoded = self
                .repo
                .objects
                .find_commit(&commit, &mut self.commit_buf)
                .map_err(|e| GitError::object(commit, "commit", e))?;
            let first_parent = decoded.parents().next();
            (decoded.tree(), first_parent)
        };
        let parent_tree = crate::parent_tree(&self.repo, parent, &mut self.commit_buf)?;
        Ok((parent_tree, tree))
    }

    fn hash_trees<V: ChangedLines>(
        &mut self,
        old: Option<ObjectId>,
        new: ObjectId,
        visitor: &mut V,
    ) -> Result<Counts, GitError> {
        self.changes.clear();
        let mut changes = std::mem::take(&mut self.changes);
        let result = self.trees.changes(&self.repo, old, new, &mut changes);
        let mut counts = Counts::default();
        let result = result.and_then(|()| {
            changes
                .iter()
                .try_for_each(|change| self.hash_file(change, visitor, &mut counts))
        });
        self.changes = changes;
        result.map(|()| counts)
    }

    /// Hash one file's diff as `render::FileWriter::write` would write it.
    fn hash_file<V: ChangedLines>(
        &mut self,
        change: &FileChange,
        visitor: &mut V,
        counts: &mut Counts,
    ) -> Result<(), GitError> {
        self.file_header(change);
        let path = change.path.as_slice();
        self.hash_contents((change.old, path), (change.new, path), visitor, counts)
    }

    /// Hash the part of a file's diff after its header lines: nothing when both sides have
    /// the same blob, the abbreviated ids of a binary file, else the `---`/`+++` labels and
    /// the hunks. Each side is the blob (`None`: missing) and the path its label names.
    fn hash_contents<V: ChangedLines>(
        &mut self,
        (old_side, old_path): (Option<Side>, &[u8]),
        (new_side, new_path): (Option<Side>, &[u8]),
        visitor: &mut V,
        counts: &mut Counts,
    ) -> Result<(), GitError> {
        let null = ObjectId::null(self.repo.object_hash());
        let old_id = old_side.map_or(null, |s| s.id);
        let new_id = new_side.map_or(null, |s| s.id);
        if old_id == new_id {
            return Ok(()); // a mode change, or a rename, only
        }
        // Different ids: different contents.
        let old = self.load(old_side)?;
        let new = self.load(new_side)?;
        if old.binary || new.binary {
            self.scratch.clear();
            self.push_abbrev(old_side, &null);
            let pre_len = self.scratch.len();
            self.push_abbrev(new_side, &null);
            let (pre, post) = self.scratch.split_at(pre_len);
            self.hash.binary(pre, post);
            return Ok(());
        }
        self.lines.diff(&old.text, &new.text);
        if self.lines.hunks().is_empty() {
            return Ok(());
        }
        for (line, prefix, path, present) in [
            (&b"---"[..], &b"a/"[..], old_path, old_side.is_some()),
            (b"+++", b"b/", new_path, new_side.is_some()),
        ] {
            self.scratch.clear();
            self.scratch.extend_from_slice(line);
            push_label(&mut self.scratch, prefix, path, present);
            self.hash.line(&self.scratch);
        }
        let emit = Emit {
            hunks: self.lines.hunks(),
            old: &old.text,
            new: &new.text,
            path: new_path,
        };
        emit.hunks(&mut self.hash, visitor, counts);
        self.hash.end_of_hunks();
        Ok(())
    }

    /// The `diff --git` line and the mode lines of a file.
    fn file_header(&mut self, change: &FileChange) {
        let path = change.path.as_slice();
        self.diff_git_line(path, path);
        match (change.old, change.new) {
            (None, Some(new)) => self.mode_line("new file mode", new.mode),
            (Some(old), None) => self.mode_line("deleted file mode", old.mode),
            (Some(old), Some(new)) if old.mode != new.mode => {
                self.mode_line("old mode", old.mode);
                self.mode_line("new mode", new.mode);
            }
            _ => {}
        }
    }

    /// `diff --git a/OLD b/NEW`, each side quoted as git quotes it.
    fn diff_git_line(&mut self, old_path: &[u8], new_path: &[u8]) {
        self.scratch.clear();
        self.scratch.extend_from_slice(b"diff --git ");
        push_quoted_path(&mut self.scratch, b"a/", old_path);
        self.scratch.push(b' ');
        push_quoted_path(&mut self.scratch, b"b/", new_path);
        self.hash.diff_line(&self.scratch);
    }

    /// A mode line: `LABEL 100644`.
    fn mode_line(&mut self, label: &str, mode: u32) {
        self.hash.line(format!("{label} {mode:06o}").as_bytes());
    }

    /// The content git diffs for `side`: the blob, `Subproject commit <hex>` for a
    /// submodule, nothing for a missing side.
    fn load(&mut self, side: Option<Side>) -> Result<Arc<Blob>, GitError> {
        let id = match side {
            None => return Ok(Arc::clone(&self.missing)),
            Some(Side { mode: GITLINK, id }) => {
                let text = format!("Subproject commit {id}\n").into_bytes();
                return Ok(Arc::new(Blob::new(text)));
            }
            Some(Side { id, .. }) => id,
        };
        if let Some(blob) = self.caches.blob(&id) {
            return Ok(blob);
        }
        let data = self
            .repo
            .objects
            .find_blob(&id, &mut self.fetch)
            .map_err(|e| {
                if e.is_not_found() {
                    GitError::Missing { id, kind: "blob" }
                } else {
                    GitError::object(id, "blob", e)
                }
            })?
            .data;
        Ok(self.caches.put_blob(id, data, &mut self.line_scratch))
    }

    /// Append the abbreviated id of `side` as the `index` line shows it.
    fn push_abbrev(&mut self, side: Option<Side>, null: &ObjectId) {
        match side {
            Some(side) => self.abbrev.push(
                &self.repo,
                &mut self.scratch,
                &side.id,
                side.mode != GITLINK,
            ),
            None => self.abbrev.push(&self.repo, &mut self.scratch, null, false),
        }
    }
}

/// `a/P` (quoted as needed) for a present side, `/dev/null` for a missing one.
fn push_label(out: &mut Vec<u8>, prefix: &[u8], path: &[u8], present: bool) {
    if present {
        push_quoted_path(out, prefix, path);
    } else {
        out.extend_from_slice(b"/dev/null");
    }
}

/// The lines of one text file's hunks, fed to the hasher in git's order.
struct Emit<'a> {
    hunks: &'a [Hunk],
    old: &'a Text,
    new: &'a Text,
    path: &'a [u8],
}

impl Emit<'_> {
    /// Hunks grouped and given context as git's `xdl_emit_diff()` does (see `hunks.rs`).
    fn hunks<V: ChangedLines>(
        &self,
        hash: &mut StableHasher,
        visitor: &mut V,
        counts: &mut Counts,
    ) {
        let hunks = self.hunks;
        let (n1, n2) = (self.old.lines(), self.new.lines());
        let mut first = 0;
        while first < hunks.len() {
            let mut last = first;
            while last + 1 < hunks.len()
                && hunks[last + 1].before.start - hunks[last].before.end <= 2 * CONTEXT
            {
                last += 1;
            }
            let (head, tail) = (&hunks[first], &hunks[last]);
            let lctx = CONTEXT.min(n1 - tail.before.end).min(n2 - tail.after.end);
            let mut ctx = head.after.start.saturating_sub(CONTEXT);
            for hunk in &hunks[first..=last] {
                self.context(ctx..hunk.after.start, hash);
                for i in hunk.before.clone() {
                    let text = self.old.line(i);
                    hash.content_line(b'-', text);
                    visitor.line(self.path, false, text);
                }
                for i in hunk.after.clone() {
                    let text = self.new.line(i);
                    hash.content_line(b'+', text);
                    visitor.line(self.path, true, text);
                }
                counts.removed += hunk.before.len() as u32;
                counts.added += hunk.after.len() as u32;
                ctx = hunk.after.end;
            }
            self.context(ctx..tail.after.end + lctx, hash);
            first = last + 1;
        }
    }

    fn context(&self, range: std::ops::Range<u32>, hash: &mut StableHasher) {
        for i in range {
            hash.content_line(b' ', self.new.line(i));
        }
    }
}
