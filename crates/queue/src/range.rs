//! `REPO@A..B`: the commits of a range as a queue, one patch each, oldest first, rendered
//! from git objects as format-patch mails (rename detection off, as git's patch-ids use)
//! and parsed like any other patch.

use crate::queue::{Queue, QueueEntry};
use crate::read::parallel;
use crate::{LayoutKind, QueueError};
use kdelta_patch::{ParseOptions, Patch};
use std::path::Path;

/// Read the commits in `from..to` of `repo` as patches. Both ends take anything
/// `REPO@REV` takes, `REF@{date}` included.
pub fn read_range(repo_path: &Path, from: &str, to: &str) -> Result<Queue, QueueError> {
    let mut repo = gix::open(repo_path).map_err(|e| QueueError::git(repo_path, e))?;
    repo.object_cache_size_if_unset(64 << 20);
    let from_id = crate::git::resolve_commit(&repo, repo_path, from)?;
    let to_id = crate::git::resolve_commit(&repo, repo_path, to)?;
    let commits = kdelta_git::range_commits(&repo, &from_id.to_string(), &to_id.to_string())
        .map_err(|e| QueueError::git(repo_path, e))?;
    let mut formatter = kdelta_git::PatchFormatter::new(&repo);
    let mut mails = Vec::with_capacity(commits.len());
    for id in commits {
        let mail = formatter
            .format(id)
            .map_err(|e| QueueError::git(repo_path, e))?;
        mails.push(mail);
    }
    let source = format!("{}@{from}..{to}", repo_path.display());
    let jobs: Vec<(usize, kdelta_git::CommitPatch)> = mails.into_iter().enumerate().collect();
    let entries = parallel::map(jobs, |(i, mail)| entry(&source, i, &mail));
    Ok(Queue {
        source,
        layout: LayoutKind::GitRange,
        entries,
        disabled: Vec::new(),
        problems: Vec::new(),
    })
}

fn entry(source: &str, i: usize, mail: &kdelta_git::CommitPatch) -> QueueEntry {
    let hex = mail.commit.to_string();
    QueueEntry {
        position: i + 1,
        name: hex[..12.min(hex.len())].to_string(),
        location: format!("{source} commit {hex}"),
        strip: 1,
        guards: Vec::new(),
        section: None,
        series_line: None,
        size: mail.text.len(),
        patch: Some(Patch::parse(&mail.text, &ParseOptions::default())),
        problems: Vec::new(),
    }
}
