//! Resolving revisions in git repositories, including `REF@{date}` without a reflog.

use crate::QueueError;
use std::path::Path;

/// Resolve `rev` to a commit id. `REF@{date}` (a date, not a reflog number) means the last
/// commit on REF's first-parent line whose committer date is at or before the date, which
/// is what a user asking for "the queue as it was on that day" means, and works in clones
/// that have no reflog.
pub fn resolve_commit(
    repo: &gix::Repository,
    repo_path: &Path,
    rev: &str,
) -> Result<gix::ObjectId, QueueError> {
    if let Some((base, date)) = split_date_rev(rev) {
        let seconds = parse_date(date).ok_or_else(|| {
            QueueError::git(
                repo_path,
                format!("cannot understand the date {date:?} in {rev:?}"),
            )
        })?;
        let tip = peel(repo, repo_path, base)?;
        return first_parent_at(repo, repo_path, tip, seconds);
    }
    peel(repo, repo_path, rev)
}

fn peel(repo: &gix::Repository, repo_path: &Path, rev: &str) -> Result<gix::ObjectId, QueueError> {
    kdelta_git::resolve_commit(repo, rev).map_err(|e| QueueError::git(repo_path, e))
}

/// `openSUSE-13.1@{2014-06-19}` → (`openSUSE-13.1`, `2014-06-19`); reflog numbers and
/// `@{upstream}`-style specs are left to git.
pub fn split_date_rev(rev: &str) -> Option<(&str, &str)> {
    let inner = rev.strip_suffix('}')?;
    let open = inner.rfind("@{")?;
    let (base, date) = (&inner[..open], &inner[open + 2..]);
    let keyword = ["upstream", "u", "push"].contains(&date.to_ascii_lowercase().as_str());
    let number = date
        .trim_start_matches('-')
        .bytes()
        .all(|b| b.is_ascii_digit());
    (!keyword && !number).then_some((if base.is_empty() { "HEAD" } else { base }, date))
}

/// Seconds since the epoch for dates such as `2014-06-19`, `2014-06-19 12:00:00`, or any
/// format git's date parser takes. A bare day means its end (23:59:59 UTC).
pub fn parse_date(text: &str) -> Option<i64> {
    let text = text.trim();
    let bare_day = text.len() == 10
        && text.as_bytes().get(4) == Some(&b'-')
        && text.as_bytes().get(7) == Some(&b'-');
    let input = if bare_day {
        format!("{text} 23:59:59 +0000")
    } else {
        text.to_string()
    };
    gix::date::parse(&input, None).ok().map(|t| t.seconds)
}

fn first_parent_at(
    repo: &gix::Repository,
    repo_path: &Path,
    tip: gix::ObjectId,
    seconds: i64,
) -> Result<gix::ObjectId, QueueError> {
    let mut id = tip;
    loop {
        let commit = repo
            .find_commit(id)
            .map_err(|e| QueueError::git(repo_path, e))?;
        let time = commit.time().map_err(|e| QueueError::git(repo_path, e))?;
        if time.seconds <= seconds {
            return Ok(id);
        }
        let parent = commit.parent_ids().next().map(|p| p.detach());
        match parent {
            Some(parent) => id = parent,
            None => {
                return Err(QueueError::git(
                    repo_path,
                    "no commit at or before that date",
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_revisions_are_told_from_reflog_specs() {
        assert_eq!(
            split_date_rev("openSUSE-13.1@{2014-06-19}"),
            Some(("openSUSE-13.1", "2014-06-19"))
        );
        assert_eq!(
            split_date_rev("@{2014-06-19}"),
            Some(("HEAD", "2014-06-19"))
        );
        assert_eq!(split_date_rev("main@{1}"), None);
        assert_eq!(split_date_rev("main@{upstream}"), None);
        assert_eq!(split_date_rev("main"), None);
    }

    #[test]
    fn bare_days_mean_their_end() {
        assert_eq!(parse_date("1970-01-02"), Some(86400 + 86399));
        assert_eq!(parse_date("not a date"), None);
    }
}
