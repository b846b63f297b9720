//! Queue SPECs: what the user names on the command line.
//!
//! - `DIR` or `FILE`: a directory holding a queue, or a `.dsc`, `.debian.tar.xz`, mbox,
//!   single patch or RPM spec;
//! - `REPO@REV[:SUBDIR]`: the queue as it is at revision REV of git repository REPO;
//! - `REPO@A..B`: the commits in A..B of REPO, one patch each.

use crate::QueueError;
use std::path::{Path, PathBuf};

/// A parsed SPEC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueSpec {
    /// A file or directory on disk.
    Path(PathBuf),
    /// A tree at a revision of a git repository.
    GitRev {
        /// The repository (bare or not).
        repo: PathBuf,
        /// The revision.
        rev: String,
        /// A subdirectory of the tree holding the queue.
        subdir: Option<String>,
    },
    /// The commits of a range, oldest first.
    GitRange {
        /// The repository.
        repo: PathBuf,
        /// The excluded end (`A` of `A..B`).
        from: String,
        /// The included end (`B` of `A..B`).
        to: String,
    },
}

impl QueueSpec {
    /// Parse a SPEC, checking the file system to tell paths from `REPO@REV`.
    pub fn parse(text: &str) -> Result<QueueSpec, QueueError> {
        if Path::new(text).exists() {
            return Ok(QueueSpec::Path(PathBuf::from(text)));
        }
        for (at, _) in text.match_indices('@') {
            let (repo, rest) = (&text[..at], &text[at + 1..]);
            if !repo.is_empty() && Path::new(repo).is_dir() && !rest.is_empty() {
                return Ok(Self::git(PathBuf::from(repo), rest));
            }
        }
        Err(QueueError::Spec(format!(
            "{text}: no such file or directory (a git revision is named as REPO@REV[:SUBDIR] or REPO@A..B)"
        )))
    }

    fn git(repo: PathBuf, rest: &str) -> QueueSpec {
        let (rev, subdir) = split_subdir(rest);
        if let Some((from, to)) = split_range(rev) {
            return QueueSpec::GitRange {
                repo,
                from: from.into(),
                to: to.into(),
            };
        }
        QueueSpec::GitRev {
            repo,
            rev: rev.into(),
            subdir: subdir.map(|s| s.trim_matches('/').to_string()),
        }
    }
}

/// `rev:subdir`, where a `:` inside `@{…}` belongs to the revision.
fn split_subdir(text: &str) -> (&str, Option<&str>) {
    let search_from = text.rfind('}').map_or(0, |p| p + 1);
    match text[search_from..].find(':') {
        Some(p) => (&text[..search_from + p], Some(&text[search_from + p + 1..])),
        None => (text, None),
    }
}

/// `A..B` outside any `@{…}`.
fn split_range(rev: &str) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    let bytes = rev.as_bytes();
    for i in 0..bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'.' if depth == 0
                && bytes.get(i + 1) == Some(&b'.')
                && bytes.get(i + 2) != Some(&b'.') =>
            {
                let (from, to) = (&rev[..i], &rev[i + 2..]);
                return Some((
                    if from.is_empty() { "HEAD" } else { from },
                    if to.is_empty() { "HEAD" } else { to },
                ));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_revisions_subdirs_and_ranges() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = dir.path().display().to_string();
        let spec = QueueSpec::parse(&format!(
            "{repo}@openSUSE-13.1@{{2014-06-19 12:00}}:patches.xen"
        ))
        .expect("spec");
        assert_eq!(
            spec,
            QueueSpec::GitRev {
                repo: dir.path().into(),
                rev: "openSUSE-13.1@{2014-06-19 12:00}".into(),
                subdir: Some("patches.xen".into())
            }
        );
        let range = QueueSpec::parse(&format!("{repo}@v1.0..v1.1")).expect("spec");
        assert_eq!(
            range,
            QueueSpec::GitRange {
                repo: dir.path().into(),
                from: "v1.0".into(),
                to: "v1.1".into()
            }
        );
        assert!(QueueSpec::parse("/no/such/path").is_err());
        assert!(matches!(QueueSpec::parse(&repo), Ok(QueueSpec::Path(_))));
    }
}
