//! Walking the tree of one commit straight from git objects, without a checkout.

use super::walk::{FileRead, Walked};
use super::{parallel, TreeError};
use std::path::Path;

/// One entry of the commit's tree.
struct Item {
    path: String,
    oid: gix::ObjectId,
    /// Symlinks are listed, not read.
    link: bool,
}

/// The commit `rev` peels to in `repo_path`, its tree, and a description for messages.
pub(super) fn resolve(
    repo: &gix::Repository,
    repo_path: &Path,
    rev: &str,
) -> Result<(gix::ObjectId, gix::ObjectId, String), TreeError> {
    let commit = kdelta_git::resolve_commit(repo, rev).map_err(|e| TreeError::Revision {
        repo: repo_path.into(),
        rev: rev.into(),
        message: e.to_string(),
    })?;
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree_id().map(gix::Id::detach))
        .map_err(|e| TreeError::git(repo_path, format!("commit {commit}: {e}")))?;
    let short = commit.to_hex_with_len(12).to_string();
    let describe = if rev.parse::<gix::ObjectId>().ok() == Some(commit) {
        format!("{}@{short}", repo_path.display())
    } else {
        format!("{}@{rev} ({short})", repo_path.display())
    };
    Ok((commit, tree, describe))
}

/// Walk the tree of the commit `rev` peels to in `repo_path`.
pub(super) fn walk<V: Send>(
    repo_path: &Path,
    rev: &str,
    make: impl Fn() -> V + Sync,
    visit: impl Fn(&mut V, FileRead<'_>) + Sync,
) -> Result<Walked<V>, TreeError> {
    let repo = gix::open(repo_path).map_err(|e| TreeError::git(repo_path, e))?;
    let (commit, tree, describe) = resolve(&repo, repo_path, rev)?;
    let items = list(&repo, repo_path, commit)?;
    let shared = repo.into_sync();
    let visitors = parallel::for_each(
        &describe,
        items.len(),
        // No object cache: every blob is read once (the pack's delta cache still helps).
        || Ok((shared.to_thread_local(), make())),
        |(repo, visitor), i| {
            let Some(item) = items.get(i).filter(|item| !item.link) else {
                return Ok(());
            };
            let bytes = read_blob(repo, repo_path, &item.path, item.oid)?;
            let name = item.path.as_str();
            visit(
                visitor,
                FileRead {
                    id: i as u32,
                    name,
                    bytes,
                },
            );
            Ok(())
        },
    )?;
    // A symlink has no content here: its blob (the link target) is not read.
    let null = gix::ObjectId::null(gix::hash::Kind::Sha1);
    let oids = items
        .iter()
        .map(|item| if item.link { null } else { item.oid })
        .collect();
    Ok(Walked {
        names: items.into_iter().map(|item| item.path).collect(),
        visitors: visitors.into_iter().map(|(_, v)| v).collect(),
        describe,
        git: Some((tree, oids)),
    })
}

/// The blobs and symlinks of `commit`'s tree, sorted by path (submodules are left out).
fn list(
    repo: &gix::Repository,
    repo_path: &Path,
    commit: gix::ObjectId,
) -> Result<Vec<Item>, TreeError> {
    let files = kdelta_git::tree_files(repo, commit)
        .map_err(|e| TreeError::git(repo_path, format!("commit {commit}: {e}")))?;
    Ok(files
        .into_iter()
        .map(|f| Item {
            path: f.path,
            oid: f.oid,
            link: f.link,
        })
        .collect())
}

/// The bytes of the blob `oid`, the file at `path`.
pub(super) fn read_blob(
    repo: &gix::Repository,
    repo_path: &Path,
    path: &str,
    oid: gix::ObjectId,
) -> Result<Vec<u8>, TreeError> {
    let blob = repo
        .find_blob(oid)
        .map_err(|e| TreeError::git(repo_path, format!("blob {oid} of {path}: {e}")))?;
    Ok(blob.detach().data)
}
