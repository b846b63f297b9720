//! A queue tree read from git objects at a revision, without a checkout.

use super::Tree;
use crate::QueueError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The tree of one commit of a git repository (bare or not), optionally a subdirectory of it.
pub struct GitTree {
    repo_path: PathBuf,
    rev: String,
    commit: gix::ObjectId,
    repo: Mutex<gix::Repository>,
    /// Blob ids by path relative to the subdirectory.
    blobs: BTreeMap<String, gix::ObjectId>,
}

impl GitTree {
    /// Open `repo` at `rev` (anything `git rev-parse` takes, plus `REF@{date}` meaning the
    /// last commit on REF's first-parent line committed at or before that date), and
    /// restrict to `subdir` when given.
    pub fn open(repo_path: &Path, rev: &str, subdir: Option<&str>) -> Result<GitTree, QueueError> {
        let mut repo = gix::open(repo_path).map_err(|e| QueueError::git(repo_path, e))?;
        repo.object_cache_size_if_unset(64 << 20);
        let commit = crate::git::resolve_commit(&repo, repo_path, rev)?;
        let blobs = list_blobs(&repo, repo_path, commit)?;
        let tree = GitTree {
            repo_path: repo_path.into(),
            rev: rev.into(),
            commit,
            repo: Mutex::new(repo),
            blobs,
        };
        match subdir
            .map(|d| d.trim_matches('/'))
            .filter(|d| !d.is_empty())
        {
            Some(dir) => tree.within(dir),
            None => Ok(tree),
        }
    }

    /// The same tree restricted to the directory `dir`, paths made relative to it.
    pub fn within(mut self, dir: &str) -> Result<GitTree, QueueError> {
        let prefix = format!("{dir}/");
        let blobs: BTreeMap<String, gix::ObjectId> = self
            .blobs
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|rest| (rest.to_string(), *v)))
            .collect();
        if blobs.is_empty() {
            return Err(QueueError::git(
                &self.repo_path,
                format!("no directory {dir:?} at {}", self.rev),
            ));
        }
        self.blobs = blobs;
        self.rev = format!("{}:{dir}", self.rev);
        Ok(self)
    }

    /// The commit the tree belongs to.
    pub fn commit(&self) -> gix::ObjectId {
        self.commit
    }
}

fn list_blobs(
    repo: &gix::Repository,
    repo_path: &Path,
    commit: gix::ObjectId,
) -> Result<BTreeMap<String, gix::ObjectId>, QueueError> {
    let files = kdelta_git::tree_files(repo, commit).map_err(|e| QueueError::git(repo_path, &e))?;
    Ok(files.into_iter().map(|f| (f.path, f.oid)).collect())
}

impl Tree for GitTree {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, QueueError> {
        let Some(oid) = self.blobs.get(path) else {
            return Ok(None);
        };
        let repo = self
            .repo
            .lock()
            .map_err(|_| QueueError::git(&self.repo_path, "repository lock poisoned"))?;
        let object = repo
            .find_object(*oid)
            .map_err(|e| QueueError::git(&self.repo_path, e))?;
        Ok(Some(object.detach().data))
    }

    fn files_under(&self, dir: &str) -> Result<Vec<String>, QueueError> {
        Ok(super::keys_under(&self.blobs, dir))
    }

    fn is_file(&self, path: &str) -> Result<bool, QueueError> {
        Ok(self.blobs.contains_key(path))
    }

    fn describe(&self) -> String {
        format!("{}@{}", self.repo_path.display(), self.rev)
    }

    fn display_path(&self, path: &str) -> String {
        format!("{}:{}", self.describe(), path)
    }
}
