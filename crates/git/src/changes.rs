//! The files a commit changes, as git's tree diff without rename detection lists them.

use crate::GitError;
use bstr::BString;
use gix::diff::tree::recorder::Change;
use gix::objs::tree::{EntryKind, EntryMode};
use gix::objs::{FindExt, TreeRefIter};
use gix::ObjectId;

/// One side of a file pair: git's canonical mode (`0o100644`, `0o100755`, `0o120000`,
/// `0o160000`) and the blob (or, for a submodule, commit) id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Side {
    pub mode: u32,
    pub id: ObjectId,
}

impl Side {
    /// git's `S_IFMT` class of the mode: regular file, symlink or submodule.
    pub fn file_type(&self) -> u32 {
        self.mode & 0o170000
    }
}

/// A changed path: `old` is `None` for an addition, `new` for a deletion.
#[derive(Clone, Debug)]
pub(crate) struct FileChange {
    pub path: BString,
    pub old: Option<Side>,
    pub new: Option<Side>,
}

/// Tree-diff state reused across commits.
#[derive(Default)]
pub(crate) struct TreeDiffer {
    state: gix::diff::tree::State,
    old_buf: Vec<u8>,
    new_buf: Vec<u8>,
}

/// The canonical mode of a non-tree entry, `None` for trees.
fn side(mode: EntryMode, id: ObjectId) -> Option<Side> {
    let mode = match mode.kind() {
        EntryKind::Tree => return None,
        EntryKind::Blob => 0o100644,
        EntryKind::BlobExecutable => 0o100755,
        EntryKind::Link => 0o120000,
        EntryKind::Commit => 0o160000,
    };
    Some(Side { mode, id })
}

impl TreeDiffer {
    /// The file-level changes from tree `old` (`None`: the empty tree) to tree `new`,
    /// sorted by path; a change of file type is a deletion followed by an addition.
    pub fn changes(
        &mut self,
        repo: &gix::Repository,
        old: Option<ObjectId>,
        new: ObjectId,
        out: &mut Vec<FileChange>,
    ) -> Result<(), GitError> {
        out.clear();
        let empty = ObjectId::empty_tree(new.kind());
        let old_iter = match old {
            Some(id) => repo
                .objects
                .find_tree_iter(&id, &mut self.old_buf)
                .map_err(|e| GitError::object(id, "tree", e))?,
            None => TreeRefIter::from_bytes(&[], new.kind()),
        };
        let new_iter = repo
            .objects
            .find_tree_iter(&new, &mut self.new_buf)
            .map_err(|e| GitError::object(new, "tree", e))?;
        let mut recorder = gix::diff::tree::Recorder::default();
        gix::diff::tree(
            old_iter,
            new_iter,
            &mut self.state,
            &repo.objects,
            &mut recorder,
        )
        .map_err(|e| GitError::TreeDiff {
            old: old.unwrap_or(empty),
            new,
            message: e.to_string(),
        })?;
        for change in recorder.records {
            match change {
                Change::Addition {
                    entry_mode,
                    oid,
                    path,
                    ..
                } => {
                    if let Some(new) = side(entry_mode, oid) {
                        out.push(FileChange {
                            path,
                            old: None,
                            new: Some(new),
                        });
                    }
                }
                Change::Deletion {
                    entry_mode,
                    oid,
                    path,
                    ..
                } => {
                    if let Some(old) = side(entry_mode, oid) {
                        out.push(FileChange {
                            path,
                            old: Some(old),
                            new: None,
                        });
                    }
                }
                Change::Modification {
                    previous_entry_mode,
                    previous_oid,
                    entry_mode,
                    oid,
                    path,
                } => {
                    let old = side(previous_entry_mode, previous_oid);
                    let new = side(entry_mode, oid);
                    match (old, new) {
                        (Some(o), Some(n)) if o == n => {}
                        (Some(o), Some(n)) if o.file_type() != n.file_type() => {
                            out.push(FileChange {
                                path: path.clone(),
                                old: Some(o),
                                new: None,
                            });
                            out.push(FileChange {
                                path,
                                old: None,
                                new: Some(n),
                            });
                        }
                        (None, None) => {}
                        (old, new) => out.push(FileChange { path, old, new }),
                    }
                }
            }
        }
        // git walks trees depth-first in tree order, which is the order of full paths;
        // gitoxide walks breadth-first. Deletions go first on equal paths.
        out.sort_by(|a, b| {
            a.path
                .cmp(&b.path)
                .then(a.old.is_none().cmp(&b.old.is_none()))
        });
        Ok(())
    }
}
