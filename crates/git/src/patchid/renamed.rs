//! The patch-id of a commit's diff as `git show` and `git format-patch` print it, renames
//! detected ([`crate::renames`]): a renamed file is one `diff --git a/OLD b/NEW` with its
//! mode lines, `similarity index N%`, `rename from`/`rename to`, and the diff of the two
//! contents, where the default patch-id has a deletion and an addition. Only commits with
//! renames have one; every other file is hashed as for the default id.

use super::{Counts, NoLines, PatchIdWorker};
use crate::changes::{FileChange, Side};
use crate::quote::push_quoted_path;
use crate::renames::{detect, fingerprint, Fingerprint, Rename};
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
        let renames = detect(changes, &mut |side| self.fingerprint(side))?;
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

    /// A blob's rename fingerprint. A text blob comes from the blob cache (the default
    /// id's pass has just read it); a binary one, whose bytes the cache does not keep, is
    /// read again.
    fn fingerprint(&mut self, side: Side) -> Result<Fingerprint, GitError> {
        let blob = self.load(Some(side))?;
        if !blob.binary {
            return Ok(fingerprint(&blob.text.data, false));
        }
        let data = self
            .repo
            .objects
            .find_blob(&side.id, &mut self.fetch)
            .map_err(|e| GitError::object(side.id, "blob", e))?
            .data;
        Ok(fingerprint(data, true))
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
        self.diff_git_line(src, dst);
        // git writes the mode lines first, then the rename's (then `index`, not hashed).
        if old.mode != new.mode {
            self.mode_line("old mode", old.mode);
            self.mode_line("new mode", new.mode);
        }
        self.hash
            .line(format!("similarity index {similarity}%").as_bytes());
        for (label, path) in [(&b"rename from "[..], src), (b"rename to ", dst)] {
            self.scratch.clear();
            self.scratch.extend_from_slice(label);
            push_quoted_path(&mut self.scratch, b"", path);
            self.hash.line(&self.scratch);
        }
        self.hash_contents(
            (Some(old), src),
            (Some(new), dst),
            &mut NoLines,
            &mut Counts::default(),
        )
    }
}
