//! Turning fields, trailers and free-text lines into [`UpstreamRef`]s.
//!
//! [`field_refs`] knows the SUSE (`Git-commit`, `Patch-mainline` …), DEP-3
//! (`Origin`, `Applied-Upstream`, `Forwarded`, `Bug-<Vendor>` …) and trailer
//! (`Fixes`, `Link`, `Cc: stable`, `Change-Id`, `BugLink`, `Closes`) names;
//! [`line_ref`] finds backport lines (`commit <sha> upstream.`,
//! `[ Upstream commit <sha> ]`, `(cherry picked from commit <sha> …)`,
//! `(backported from commit <sha> …)`) in free text.

use crate::refs::{commit_from_url, find_release, find_url, leading_commit, release_tag};
use crate::{Mainline, Problem, RefKind, UpstreamRef};

/// DEP-3 `Origin:` categories.
const ORIGIN_CATEGORIES: [&str; 4] = ["upstream", "backport", "vendor", "other"];

/// The references one field or trailer makes (`name` in lower case), with the
/// problems of a malformed value. A URL naming a commit fills in `commit`.
pub(super) fn field_refs(
    name: &str,
    value: &str,
    line: usize,
    problems: &mut Vec<Problem>,
) -> Option<UpstreamRef> {
    let mut r = match name {
        "git-commit" => commit_field(RefKind::GitCommit, value, line, problems),
        "alt-commit" => commit_field(RefKind::AltCommit, value, line, problems),
        "git-repo" => {
            let url =
                find_url(value).or_else(|| value.split_whitespace().next().map(str::to_string));
            UpstreamRef {
                url,
                ..UpstreamRef::new(RefKind::GitRepo, value, line)
            }
        }
        "patch-mainline" => mainline_ref(value, line, problems),
        // A mail's `References: <message-id>` threads mails; SUSE's lists bugs.
        "references" if value.trim_start().starts_with('<') => return None,
        "references" => UpstreamRef::new(RefKind::References, value, line),
        "origin" => origin_ref(value, line),
        "applied-upstream" => applied_upstream_ref(value, line),
        "forwarded" => with_url(RefKind::Forwarded, value, line),
        "link" => with_url(RefKind::Link, value, line),
        "fixes" => {
            let commit = leading_commit(value);
            if commit.is_none() {
                problems.push(Problem::new(
                    line,
                    format!("Fixes: `{value}` does not start with a commit id"),
                ));
            }
            UpstreamRef {
                commit,
                ..UpstreamRef::new(RefKind::Fixes, value, line)
            }
        }
        "cc" => cc_stable_ref(value, line)?,
        "change-id" => UpstreamRef::new(RefKind::ChangeId, value, line),
        "bug" | "buglink" | "bug-link" | "closes" => with_url(RefKind::Bug, value, line),
        _ if name.starts_with("bug-") => with_url(RefKind::Bug, value, line),
        _ => return None,
    };
    if r.commit.is_none() {
        r.commit = r.url.as_deref().and_then(commit_from_url);
    }
    Some(r)
}

/// `Git-commit:`/`Alt-commit:` — `<sha>[ (partial)]`.
fn commit_field(
    kind: RefKind,
    value: &str,
    line: usize,
    problems: &mut Vec<Problem>,
) -> UpstreamRef {
    let commit = leading_commit(value);
    if commit.is_none() {
        let name = if kind == RefKind::GitCommit {
            "Git-commit"
        } else {
            "Alt-commit"
        };
        problems.push(Problem::new(
            line,
            format!("{name}: `{value}` is not a commit id"),
        ));
    }
    let partial = value.to_ascii_lowercase().contains("partial");
    UpstreamRef {
        commit,
        partial,
        ..UpstreamRef::new(kind, value, line)
    }
}

/// `Patch-mainline:` — the release, when the value names one, and any URL.
fn mainline_ref(value: &str, line: usize, problems: &mut Vec<Problem>) -> UpstreamRef {
    let mainline = Mainline::parse(value);
    if value.trim().is_empty() {
        problems.push(Problem::new(line, "Patch-mainline: the value is empty"));
    }
    let release = mainline.release().map(str::to_string);
    UpstreamRef {
        release,
        url: find_url(value),
        ..UpstreamRef::new(RefKind::PatchMainline, value, line)
    }
}

/// A reference whose value may be a URL (`Link:`, `Forwarded:`, `Bug:` …).
fn with_url(kind: RefKind, value: &str, line: usize) -> UpstreamRef {
    UpstreamRef {
        url: find_url(value),
        ..UpstreamRef::new(kind, value, line)
    }
}

/// DEP-3 `Origin: <category>, <url|commit id>`; the category, when given, is the text.
fn origin_ref(value: &str, line: usize) -> UpstreamRef {
    let (first, rest) = value.split_once(',').unwrap_or((value, ""));
    let category = first.trim().to_ascii_lowercase();
    let (text, rest) = if ORIGIN_CATEGORIES.contains(&category.as_str()) {
        (category, rest.trim())
    } else {
        (value.to_string(), value.trim())
    };
    let url = find_url(rest);
    let mut r = UpstreamRef {
        url,
        ..UpstreamRef::new(RefKind::Origin, text, line)
    };
    if r.url.is_none() {
        let id = rest
            .strip_prefix("commit")
            .map_or(rest, |r| r.trim_start_matches([':', ' ']));
        r.commit = leading_commit(id);
        if r.commit.is_none() {
            r.release = id.split_whitespace().next().and_then(release_tag);
        }
    }
    r
}

/// DEP-3 `Applied-Upstream: <version>|<url>|commit:<id>` (several may be given).
fn applied_upstream_ref(value: &str, line: usize) -> UpstreamRef {
    let mut r = with_url(RefKind::AppliedUpstream, value, line);
    for word in value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.contains("://"))
    {
        let id = word.strip_prefix("commit:").unwrap_or(word);
        if r.commit.is_none() && (word.starts_with("commit:") || !id.contains('.')) {
            r.commit = leading_commit(id);
        }
        if r.release.is_none() {
            r.release = release_tag(word);
        }
    }
    r
}

/// `Cc: stable@vger.kernel.org # 4.19+`: a reference only when it names stable.
fn cc_stable_ref(value: &str, line: usize) -> Option<UpstreamRef> {
    let lower = value.to_ascii_lowercase();
    if !lower.contains("stable@vger.kernel.org") && !lower.contains("stable@kernel.org") {
        return None;
    }
    let release = value
        .split_once('#')
        .and_then(|(_, note)| find_release(note));
    Some(UpstreamRef {
        release,
        ..UpstreamRef::new(RefKind::CcStable, value, line)
    })
}

/// Backport phrases of free text and the reference kind they make (`master commit:` is
/// how Xen's stable branches name the original of a backport).
const BACKPORT_PHRASES: [(&str, RefKind); 6] = [
    ("master commit:", RefKind::UpstreamCommit),
    ("cherry picked from commit", RefKind::CherryPicked),
    ("cherry-picked from commit", RefKind::CherryPicked),
    ("backported from commit", RefKind::BackportedFrom),
    ("backported from", RefKind::BackportedFrom),
    ("upstream commit", RefKind::UpstreamCommit),
];

/// The backport reference a line of free text makes, if any. Leading blanks are
/// ignored; a URL after the commit id (the repository) is kept.
pub(super) fn line_ref(line: &str, no: usize) -> Option<UpstreamRef> {
    let text = line.trim();
    let lower = text.to_ascii_lowercase();
    if !lower.contains("commit") && !lower.contains("backported from") {
        return None;
    }
    for (phrase, kind) in BACKPORT_PHRASES {
        let Some(at) = lower.find(phrase) else {
            continue;
        };
        let after = text
            .get(at + phrase.len()..)
            .unwrap_or_default()
            .trim_start();
        let url = find_url(after);
        let commit = leading_commit(after).or_else(|| url.as_deref().and_then(commit_from_url));
        if commit.is_some() {
            return Some(UpstreamRef {
                commit,
                url,
                ..UpstreamRef::new(kind, text, no)
            });
        }
    }
    stable_commit_line(text, &lower, no)
}

/// `commit <sha> upstream.` (stable kernels) or a bare `commit <full sha>` line.
fn stable_commit_line(text: &str, lower: &str, no: usize) -> Option<UpstreamRef> {
    let after = lower.strip_prefix("commit ")?.trim_start();
    let (sha, rest) = after.split_once(char::is_whitespace).unwrap_or((after, ""));
    let commit = crate::CommitId::parse(sha)?;
    let rest = rest.trim();
    let upstream = rest.starts_with("upstream") || rest.starts_with("[ upstream");
    (upstream || (rest.is_empty() && commit.is_full())).then(|| UpstreamRef {
        commit: Some(commit),
        ..UpstreamRef::new(RefKind::UpstreamCommit, text, no)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    fn one(name: &str, value: &str) -> (Option<UpstreamRef>, Vec<Problem>) {
        let mut problems = Vec::new();
        (field_refs(name, value, 7, &mut problems), problems)
    }

    fn commit(r: &UpstreamRef) -> Option<&str> {
        r.commit.as_ref().map(|c| c.as_str())
    }

    #[test]
    fn git_commit_fields() {
        let (r, p) = one("git-commit", &format!("{SHA} (partial)"));
        let r = r.expect("ref");
        assert_eq!(
            (r.kind, commit(&r), r.partial, r.line),
            (RefKind::GitCommit, Some(SHA), true, 7)
        );
        assert!(p.is_empty());
        let (r, p) = one("git-commit", "see bug");
        assert_eq!(r.map(|r| r.commit), Some(None));
        assert_eq!(p[0].line, 7);
        assert!(p[0].message.contains("not a commit id"));
    }

    #[test]
    fn origin_forms() {
        let (r, _) = one(
            "origin",
            &format!("upstream, https://git.kernel.org/linus/{SHA}"),
        );
        let r = r.expect("ref");
        assert_eq!((r.text.as_str(), commit(&r)), ("upstream", Some(SHA)));
        assert!(r.url.is_some());
        let (r, _) = one("origin", "backport, commit:abcdef12");
        let r = r.expect("ref");
        assert_eq!(
            (r.text.as_str(), commit(&r), r.url.as_deref()),
            ("backport", Some("abcdef12"), None)
        );
        let (r, _) = one("origin", "vendor, Debian");
        assert_eq!(
            r.map(|r| (r.text, r.commit)),
            Some(("vendor".to_string(), None))
        );
        let (r, _) = one("origin", "https://lore.kernel.org/r/x@y");
        assert_eq!(
            r.and_then(|r| r.url).as_deref(),
            Some("https://lore.kernel.org/r/x@y")
        );
    }

    #[test]
    fn applied_upstream_forms() {
        let r = one("applied-upstream", "4.5").0.expect("ref");
        assert_eq!((r.release.as_deref(), r.commit), (Some("v4.5"), None));
        let r = one("applied-upstream", &format!("v4.5, commit:{SHA}"))
            .0
            .expect("ref");
        assert_eq!(
            (r.release.as_deref(), commit(&r)),
            (Some("v4.5"), Some(SHA))
        );
        let r = one(
            "applied-upstream",
            &format!("https://github.com/a/b/commit/{SHA}"),
        )
        .0
        .expect("ref");
        assert_eq!((r.release.as_deref(), commit(&r)), (None, Some(SHA)));
    }

    #[test]
    fn trailers() {
        let r = one("fixes", "abcdef123456 (\"xen: fix\")").0.expect("ref");
        assert_eq!(commit(&r), Some("abcdef123456"));
        assert_eq!(one("fixes", "the bug").1.len(), 1);
        let r = one("cc", "<stable@vger.kernel.org> # v5.4").0.expect("ref");
        assert_eq!(
            (r.kind, r.release.as_deref()),
            (RefKind::CcStable, Some("v5.4"))
        );
        let r = one("cc", "stable@vger.kernel.org # 4.19+").0.expect("ref");
        assert_eq!(r.release.as_deref(), Some("v4.19"));
        assert_eq!(
            one("cc", "stable@vger.kernel.org").0.map(|r| r.release),
            Some(None)
        );
        assert!(one("cc", "linux-kernel@vger.kernel.org").0.is_none());
        let r = one("bug-debian", "https://bugs.debian.org/123456")
            .0
            .expect("ref");
        assert_eq!(
            (r.kind, r.url.as_deref()),
            (RefKind::Bug, Some("https://bugs.debian.org/123456"))
        );
        assert!(one("signed-off-by", "A <a@b>").0.is_none());
        assert!(one("references", "<20190101.1-1@host> <20190101.1-2@host>")
            .0
            .is_none());
        assert!(one("references", "bsc#1012345").0.is_some());
    }

    #[test]
    fn backport_lines() {
        let kinds =
            |l: &str| line_ref(l, 3).map(|r| (r.kind, r.commit.map(|c| c.to_string()), r.url));
        let c = Some(SHA.to_string());
        assert_eq!(
            kinds(&format!("commit {SHA} upstream.")),
            Some((RefKind::UpstreamCommit, c.clone(), None))
        );
        assert_eq!(
            kinds(&format!("[ Upstream commit {SHA} ]")),
            Some((RefKind::UpstreamCommit, c.clone(), None))
        );
        assert_eq!(
            kinds(&format!("master commit: {SHA}")),
            Some((RefKind::UpstreamCommit, c.clone(), None))
        );
        assert_eq!(
            kinds(&format!("  This is upstream commit {SHA}.")),
            Some((RefKind::UpstreamCommit, c.clone(), None))
        );
        assert_eq!(
            kinds(&format!("(cherry picked from commit {SHA})")),
            Some((RefKind::CherryPicked, c.clone(), None))
        );
        let url = "git://git.kernel.org/pub/scm/linux/kernel/git/tip/tip.git";
        assert_eq!(
            kinds(&format!("(cherry picked from commit {SHA} {url})")),
            Some((RefKind::CherryPicked, c.clone(), Some(url.to_string())))
        );
        assert_eq!(
            kinds(&format!("(backported from commit {SHA})")),
            Some((RefKind::BackportedFrom, c.clone(), None))
        );
        let via_url = format!("(backported from https://git.kernel.org/linus/{SHA})");
        assert_eq!(
            kinds(&via_url).map(|k| (k.0, k.1)),
            Some((RefKind::BackportedFrom, c.clone()))
        );
        assert_eq!(
            kinds(&format!("commit {SHA}")),
            Some((RefKind::UpstreamCommit, c, None))
        );
        assert_eq!(kinds("commit abcdef1"), None);
        assert_eq!(kinds("this commit fixes things"), None);
        assert_eq!(kinds("commit abcdef1 changed the API"), None);
    }
}
