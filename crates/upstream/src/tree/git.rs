//! Scanning the tree of one commit straight from git objects, without a checkout.

use super::search::{assemble, Collector, Matcher, Partial};
use super::{parallel, ScanRequest, TreeError, TreeScan};
use std::path::Path;

/// One entry of the commit's tree.
struct Item {
    path: String,
    oid: gix::ObjectId,
    /// Symlinks are listed, not read.
    link: bool,
}

/// Scan the tree of the commit `rev` peels to in `repo_path`.
pub(super) fn scan(
    repo_path: &Path,
    rev: &str,
    request: &ScanRequest,
    matcher: &Matcher,
) -> Result<TreeScan, TreeError> {
    let repo = gix::open(repo_path).map_err(|e| TreeError::git(repo_path, e))?;
    let commit = kdelta_git::resolve_commit(&repo, rev).map_err(|e| TreeError::Revision {
        repo: repo_path.into(),
        rev: rev.into(),
        message: e.to_string(),
    })?;
    let short = commit.to_hex_with_len(12).to_string();
    let describe = if rev.parse::<gix::ObjectId>().ok() == Some(commit) {
        format!("{}@{short}", repo_path.display())
    } else {
        format!("{}@{rev} ({short})", repo_path.display())
    };
    let items = list(&repo, repo_path, commit)?;
    let shared = repo.into_sync();
    let name = |id: u32| items.get(id as usize).map_or("", |item| item.path.as_str());
    let workers = parallel::for_each(
        &describe,
        items.len(),
        // No object cache: every blob is read once (the pack's delta cache still helps).
        || Ok((shared.to_thread_local(), Collector::new(matcher))),
        |(repo, collector), i| {
            let Some(item) = items.get(i).filter(|item| !item.link) else {
                return Ok(());
            };
            let bytes = read_blob(repo, repo_path, item)?;
            collector.file(i as u32, bytes, (request.wanted)(&item.path));
            collector.prune(name);
            Ok(())
        },
    )?;
    let mut found = Partial::default();
    for (_, collector) in workers {
        found.merge(collector.finish());
    }
    let names = items.into_iter().map(|item| item.path).collect();
    Ok(assemble(names, found, describe))
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

fn read_blob(repo: &gix::Repository, repo_path: &Path, item: &Item) -> Result<Vec<u8>, TreeError> {
    let blob = repo.find_blob(item.oid).map_err(|e| {
        TreeError::git(
            repo_path,
            format!("blob {} of {}: {e}", item.oid, item.path),
        )
    })?;
    Ok(blob.detach().data)
}
