//! Where mails are read from: public-inbox v2 inboxes (their `git/N.git` epochs) or a
//! single epoch repository, v1 inboxes, mbox files and Maildirs, and what is new in each
//! since the last run.

use crate::ArchiveError;
use bstr::ByteSlice;
use gix::ObjectId;
use std::path::{Path, PathBuf};

/// The kind of an archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A public-inbox v2 epoch: each commit adds one mail as the blob `m` (or deletes one,
    /// given as the blob `d`).
    Epoch,
    /// A public-inbox v1 inbox: each commit adds mails as files `xx/yyyy…`.
    V1,
    /// An mbox file.
    Mbox,
    /// A Maildir (`cur/`, `new/`).
    Maildir,
}

impl SourceKind {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Epoch => "public-inbox-v2",
            SourceKind::V1 => "public-inbox-v1",
            SourceKind::Mbox => "mbox",
            SourceKind::Maildir => "maildir",
        }
    }
}

/// One archive to read, incrementally on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Its canonical path.
    pub path: PathBuf,
    /// What it is.
    pub kind: SourceKind,
}

/// The archives at `path`: a v2 inbox gives one source per epoch, in epoch order.
pub fn discover(path: &Path) -> Result<Vec<Source>, ArchiveError> {
    let canonical = path
        .canonicalize()
        .map_err(|e| ArchiveError::read(path, e))?;
    let meta = std::fs::metadata(&canonical).map_err(|e| ArchiveError::read(path, e))?;
    let one = |kind| {
        Ok(vec![Source {
            path: canonical.clone(),
            kind,
        }])
    };
    if meta.is_file() {
        return one(SourceKind::Mbox);
    }
    if canonical.join("cur").is_dir() && canonical.join("new").is_dir() {
        return one(SourceKind::Maildir);
    }
    let epochs = epochs_of(&canonical);
    if !epochs.is_empty() {
        return Ok(epochs
            .into_iter()
            .map(|path| Source {
                path,
                kind: SourceKind::Epoch,
            })
            .collect());
    }
    let repo = gix::open(&canonical).map_err(|_| ArchiveError::NotAnArchive {
        path: canonical.clone(),
        message: "not a public-inbox inbox or epoch, mbox file or Maildir".into(),
    })?;
    one(if is_v1(&repo) {
        SourceKind::V1
    } else {
        SourceKind::Epoch
    })
}

/// The `git/N.git` epochs of a v2 inbox, by number.
fn epochs_of(inbox: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(inbox.join("git")) else {
        return Vec::new();
    };
    let mut epochs: Vec<(u64, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let n = name.strip_suffix(".git")?.parse().ok()?;
            e.path().is_dir().then_some((n, e.path()))
        })
        .collect();
    epochs.sort();
    epochs.into_iter().map(|(_, p)| p).collect()
}

/// Whether the repository's tip tree is a v1 inbox's (two-level fan-out, no `m` blob).
fn is_v1(repo: &gix::Repository) -> bool {
    let Ok(commit) = repo.head_commit() else {
        return false;
    };
    let Ok(tree) = commit.tree() else {
        return false;
    };
    let decoded = tree.decode().map(|t| {
        t.entries
            .iter()
            .map(|e| (e.filename.to_vec(), e.mode.is_tree()))
            .collect::<Vec<_>>()
    });
    match decoded {
        Ok(entries) => {
            !entries.iter().any(|(n, _)| n == b"m" || n == b"d")
                && entries.iter().any(|(n, tree)| *tree && n.len() == 2)
        }
        Err(_) => false,
    }
}

/// What is new in a git archive since `stored` (the tip the last run read).
pub struct NewCommits {
    /// The tip now (`None` for an empty repository).
    pub tip: Option<ObjectId>,
    /// Commits to read, oldest first.
    pub commits: Vec<ObjectId>,
    /// Whether `stored` is no longer in the history: the archive was rewritten and every
    /// mail is read again.
    pub rewritten: bool,
}

/// The commits of `repo` after `stored`.
pub fn new_commits(
    repo: &gix::Repository,
    path: &Path,
    stored: Option<ObjectId>,
) -> Result<NewCommits, ArchiveError> {
    let tip = match repo.head_id() {
        Ok(id) => id.detach(),
        Err(_) => {
            return Ok(NewCommits {
                tip: None,
                commits: Vec::new(),
                rewritten: stored.is_some(),
            })
        }
    };
    if stored == Some(tip) {
        return Ok(NewCommits {
            tip: Some(tip),
            commits: Vec::new(),
            rewritten: false,
        });
    }
    let kept = stored.filter(|s| {
        repo.merge_base(*s, tip)
            .is_ok_and(|base| base.is_some_and(|b| b.detach() == *s))
    });
    let walk = repo
        .rev_walk([tip])
        .with_hidden(kept)
        .all()
        .map_err(|e| ArchiveError::read(path, e))?;
    let mut commits = Vec::new();
    for info in walk {
        commits.push(info.map_err(|e| ArchiveError::read(path, e))?.id);
    }
    commits.reverse();
    Ok(NewCommits {
        tip: Some(tip),
        commits,
        rewritten: stored.is_some() && kept.is_none(),
    })
}

/// A mail a commit adds, or the message-id of one it deletes.
pub enum Change {
    /// A mail added: its bytes.
    Added(Vec<u8>),
    /// A mail deleted (public-inbox's `d` blob, or a v1 file removed): its bytes.
    Deleted(Vec<u8>),
}

/// The mails a commit adds and deletes, with the commit's time.
pub fn commit_changes(
    repo: &gix::Repository,
    path: &Path,
    id: ObjectId,
    kind: SourceKind,
) -> Result<(i64, Vec<Change>), ArchiveError> {
    let err = |e: &dyn std::fmt::Display| ArchiveError::Read {
        path: path.into(),
        message: format!("commit {id}: {e}"),
    };
    let commit = repo.find_commit(id).map_err(|e| err(&e))?;
    let time = commit.time().map(|t| t.seconds).unwrap_or(0);
    let tree = commit.tree().map_err(|e| err(&e))?;
    let blob = |oid: ObjectId| -> Result<Vec<u8>, ArchiveError> {
        Ok(repo.find_blob(oid).map_err(|e| err(&e))?.detach().data)
    };
    let mut changes = Vec::new();
    if kind == SourceKind::Epoch {
        for entry in tree.decode().map_err(|e| err(&e))?.entries.iter() {
            match entry.filename.as_bytes() {
                b"m" => changes.push(Change::Added(blob(entry.oid.to_owned())?)),
                b"d" => changes.push(Change::Deleted(blob(entry.oid.to_owned())?)),
                _ => {}
            }
        }
        return Ok((time, changes));
    }
    let parent_tree = match commit.parent_ids().next() {
        Some(p) => Some(
            repo.find_commit(p)
                .map_err(|e| err(&e))?
                .tree_id()
                .map_err(|e| err(&e))?
                .detach(),
        ),
        None => None,
    };
    let now = leaves(repo, tree.id, "").map_err(|e| err(&e))?;
    let before = match parent_tree {
        Some(t) => leaves(repo, t, "").map_err(|e| err(&e))?,
        None => Default::default(),
    };
    for (name, oid) in &now {
        if before.get(name) != Some(oid) {
            changes.push(Change::Added(blob(*oid)?));
        }
    }
    for (name, oid) in &before {
        if !now.contains_key(name) {
            changes.push(Change::Deleted(blob(*oid)?));
        }
    }
    Ok((time, changes))
}

/// The blobs of a (v1 fan-out) tree by path, two levels deep at most.
fn leaves(
    repo: &gix::Repository,
    tree: ObjectId,
    prefix: &str,
) -> Result<std::collections::BTreeMap<String, ObjectId>, String> {
    let mut out = std::collections::BTreeMap::new();
    let tree = repo.find_tree(tree).map_err(|e| e.to_string())?;
    let decoded = tree.decode().map_err(|e| e.to_string())?;
    for entry in &decoded.entries {
        let name = format!("{prefix}{}", entry.filename.to_str_lossy());
        if entry.mode.is_tree() && prefix.is_empty() {
            out.extend(leaves(repo, entry.oid.to_owned(), &format!("{name}/"))?);
        } else if entry.mode.is_blob() {
            out.insert(name, entry.oid.to_owned());
        }
    }
    Ok(out)
}

/// The mail files of a Maildir (`cur/` and `new/`, regular files only, no dot-files), each
/// with its locator: the name up to the flags (`:2,S`), which stays when a mail is read.
pub fn maildir_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, ArchiveError> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        let path = dir.join(sub);
        let entries = std::fs::read_dir(&path).map_err(|e| ArchiveError::read(&path, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| ArchiveError::read(&path, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let regular = entry.file_type().is_ok_and(|t| t.is_file());
            if name.starts_with('.') || !regular {
                continue;
            }
            let locator = name.split(':').next().unwrap_or(&name).to_string();
            out.push((locator, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

/// An mbox file's state: its size and modification time (a change means read it again).
pub fn mbox_state(path: &Path) -> Result<String, ArchiveError> {
    let meta = std::fs::metadata(path).map_err(|e| ArchiveError::read(path, e))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok(format!("{}:{modified}", meta.len()))
}

/// One mail of an mbox: the `From ` line dropped and `>From ` unescaped.
pub fn mbox_mail(raw: &[u8]) -> Vec<u8> {
    let body = match raw.strip_prefix(b"From ") {
        Some(_) => raw
            .find_byte(b'\n')
            .map_or(&raw[raw.len()..], |n| &raw[n + 1..]),
        None => raw,
    };
    let mut out = Vec::with_capacity(body.len());
    for line in body.lines_with_terminator() {
        let quoted = line.iter().take_while(|&&b| b == b'>').count();
        if quoted > 0 && line[quoted..].starts_with(b"From ") {
            out.extend_from_slice(&line[1..]);
        } else {
            out.extend_from_slice(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mbox_mails_lose_their_from_line_and_one_level_of_escaping() {
        let raw = b"From a@x Mon Jan  1 10:00:00 2024\nSubject: s\n\n>From the start\n>>From quoted\n> From a reply\n";
        assert_eq!(
            mbox_mail(raw),
            b"Subject: s\n\nFrom the start\n>From quoted\n> From a reply\n"
        );
    }
}
