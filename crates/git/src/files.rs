//! The files of a commit's tree: every blob and symlink with its path (submodules, which
//! have no content here, are left out), sorted by path.

use crate::GitError;
use gix::ObjectId;

/// One file of a tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeFile {
    /// Its path from the root, `/`-separated.
    pub path: String,
    /// Its blob.
    pub oid: ObjectId,
    /// Whether it is a symbolic link (the blob holds the target).
    pub link: bool,
}

/// The files of `commit`'s tree, sorted by path.
pub fn tree_files(repo: &gix::Repository, commit: ObjectId) -> Result<Vec<TreeFile>, GitError> {
    let err = |e: &dyn std::fmt::Display| GitError::object(commit, "commit", e);
    let commit = repo.find_commit(commit).map_err(|e| err(&e))?;
    let tree = commit.tree().map_err(|e| err(&e))?;
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .breadthfirst(&mut recorder)
        .map_err(|e| err(&e))?;
    let mut files: Vec<TreeFile> = recorder
        .records
        .into_iter()
        .filter(|e| e.mode.is_blob() || e.mode.is_link())
        .map(|e| TreeFile {
            path: e.filepath.to_string(),
            oid: e.oid,
            link: e.mode.is_link(),
        })
        .collect();
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
