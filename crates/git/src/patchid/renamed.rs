//! The patch-id of a commit's diff as `git show` and `git format-patch` print it, renames
//! detected ([`crate::renames`]): a renamed file is one `diff --git a/OLD b/NEW` with its
//! mode lines, `similarity index N%`, `rename from`/`rename to`, and the diff of the two
//! contents, where the default patch-id has a deletion and an addition. Only commits with
//! renames have one; every other file is hashed as for the default id.

use super::{Counts, Emit, NoLines, PatchIdWorker};
use crate::changes::{FileChange, Side};
use crate::quote::push_quoted_path;
use crate::renames::{detect, Content, Rename};
use crate::GitError;
use gix::objs::FindExt;
use kdelta_patch::PatchId;
use std::collections::HashMap;

impl PatchIdWorker {
    /// The rename-form patch-id of the changes hashed last, when git finds renames among
    /// them; `None` when it finds none (the default id is then the only one).
    pub(super) fn renamed_patch_id(&mut self) -> Result<Option<PatchId>, GitError> {
        let changes = std::mem::take(&mut self.changes);
        let result = self.renamed_id_of(&changes);
        self.changes = changes;
        result
    }

    fn renamed_id_of(&mut self, changes: &[FileChange]) -> Result<Option<PatchId>, GitError> {
        let renames = detect(changes, &mut |side| self.content(side))?;
        if renames.is_empty() {
            return Ok(None);
        }
        let by_dst: HashMap<usize, Rename> = renames.iter().map(|r| (r.dst, *r)).collect();
        let mut gone = vec![false; changes.len()];
        for r in &renames {
            gone[r.src] = true;
        }
        self.hash.reset();
        let mut counts = Counts::default();
        let result = changes.iter().enumerate().try_for_each(|(i, change)| {
            match (gone[i], by_dst.get(&i)) {
                (true, _) => Ok(()),
                (false, Some(r)) => self.hash_renamed(&changes[r.src], change, r.similarity()),
                (false, None) => self.hash_file(change, &mut NoLines, &mut counts),
            }
        });
        let id = self.hash.finish();
        result.map(|()| id)
    }

    /// A blob's bytes, for scoring renames.
    fn content(&mut self, side: Side) -> Result<Content, GitError> {
        let data = self
            .repo
            .objects
            .find_blob(&side.id, &mut self.fetch)
            .map_err(|e| GitError::object(side.id, "blob", e))?
            .data
            .to_vec();
        let binary = crate::render::is_binary(&data);
        Ok(Content { data, binary })
    }

    /// Hash the rename of `from`'s old side to `to`'s new side as git writes it.
    fn hash_renamed(
        &mut self,
        from: &FileChange,
        to: &FileChange,
        similarity: u64,
    ) -> Result<(), GitError> {
        let (Some(old), Some(new)) = (from.old, to.new) else {
            return Ok(());
        };
        let (src, dst) = (from.path.as_slice(), to.path.as_slice());
        self.scratch.clear();
        self.scratch.extend_from_slice(b"diff --git ");
        push_quoted_path(&mut self.scratch, b"a/", src);
        self.scratch.push(b' ');
        push_quoted_path(&mut self.scratch, b"b/", dst);
        self.hash.diff_line(&self.scratch);
        // git writes the mode lines first, then the rename's (then `index`, not hashed).
        if old.mode != new.mode {
            self.hash
                .line(format!("old mode {:06o}", old.mode).as_bytes());
            self.hash
                .line(format!("new mode {:06o}", new.mode).as_bytes());
        }
        self.hash
            .line(format!("similarity index {similarity}%").as_bytes());
        for (label, path) in [(&b"rename from "[..], src), (b"rename to ", dst)] {
            self.scratch.clear();
            self.scratch.extend_from_slice(label);
            push_quoted_path(&mut self.scratch, b"", path);
            self.hash.line(&self.scratch);
        }
        if old.id == new.id {
            return Ok(());
        }
        let before = self.load(Some(old))?;
        let after = self.load(Some(new))?;
        if before.binary || after.binary {
            let null = gix::ObjectId::null(self.repo.object_hash());
            self.scratch.clear();
            self.push_abbrev(Some(old), &null);
            let pre_len = self.scratch.len();
            self.push_abbrev(Some(new), &null);
            let (pre, post) = self.scratch.split_at(pre_len);
            self.hash.binary(pre, post);
            return Ok(());
        }
        self.lines.diff(&before.text, &after.text);
        if self.lines.hunks().is_empty() {
            return Ok(());
        }
        for (line, prefix, path) in [(&b"---"[..], &b"a/"[..], src), (b"+++", b"b/", dst)] {
            self.scratch.clear();
            self.scratch.extend_from_slice(line);
            self.scratch.push(b' ');
            push_quoted_path(&mut self.scratch, prefix, path);
            self.hash.line(&self.scratch);
        }
        let emit = Emit {
            hunks: self.lines.hunks(),
            old: &before.text,
            new: &after.text,
            path: dst,
        };
        emit.hunks(&mut self.hash, &mut NoLines, &mut Counts::default());
        self.hash.end_of_hunks();
        Ok(())
    }
}
