//! Each claim of a patch's headers checked against what the analysis found: the commit it
//! names against the upstream index, the release against that commit's first release, "not
//! upstream" against the verdict. A claim that does not hold says why, typed
//! ([`ClaimIssue`]), so that `kdelta lint` can turn it into a finding.

use super::short;
use crate::candidates::Scored;
use crate::claims::{ClaimKind, RawClaim};
use crate::model::{Claim, ClaimCheck, ClaimIssue, Status};
use kdelta_patch::Version;

/// A check's outcome: whether the claim holds, why in words, and what is wrong when not.
struct Checked {
    check: ClaimCheck,
    detail: String,
    issue: Option<ClaimIssue>,
}

impl Checked {
    fn holds(detail: impl Into<String>) -> Checked {
        Checked {
            check: ClaimCheck::Holds,
            detail: detail.into(),
            issue: None,
        }
    }

    fn unverified(detail: impl Into<String>) -> Checked {
        Checked {
            check: ClaimCheck::Unverified,
            detail: detail.into(),
            issue: None,
        }
    }

    fn contradicted(detail: impl Into<String>, issue: ClaimIssue) -> Checked {
        Checked {
            check: ClaimCheck::Contradicted,
            detail: detail.into(),
            issue: Some(issue),
        }
    }
}

/// Check claim `c` against the best upstream commit, every candidate, the status and the
/// release judged against; a commit only when there is an upstream index (`indexed`).
pub(super) fn check_claim(
    c: &RawClaim,
    best: Option<&Scored>,
    all: &[Scored],
    status: Status,
    release: Option<&Version>,
    indexed: bool,
) -> Claim {
    let checked = match &c.kind {
        ClaimKind::Commit(id) if !indexed => Checked::unverified(format!(
            "{} names an upstream commit; no upstream index to check it against",
            short(id)
        )),
        ClaimKind::Commit(id) => check_commit(id, all),
        ClaimKind::Release(claimed) => check_release(claimed, best, status, release),
        ClaimKind::Upstream => match best {
            Some(b) => Checked::holds(format!("upstream as {}", short(&b.commit.commit))),
            None => Checked::unverified("no upstream commit found for this patch"),
        },
        ClaimKind::InProgress | ClaimKind::NotUpstream | ClaimKind::DownstreamOnly => {
            check_not_upstream(c, best, status)
        }
        ClaimKind::Obsolete => match status {
            Status::Obsolete => Checked::holds("its code is gone upstream"),
            _ => Checked::unverified(""),
        },
    };
    Claim {
        header: c.header.clone(),
        text: c.text.clone(),
        line: c.line,
        check: checked.check,
        detail: checked.detail,
        issue: checked.issue,
    }
}

fn check_release(
    claimed: &str,
    best: Option<&Scored>,
    status: Status,
    release: Option<&Version>,
) -> Checked {
    if let Some(commit) = best.map(|b| &b.commit) {
        let issue = ClaimIssue::ReleaseDiffers {
            commit: commit.commit.clone(),
            first_in: commit.release.clone(),
        };
        return match &commit.release {
            Some(r) if same_release(r, claimed) => {
                Checked::holds(format!("{} is first in {r}", short(&commit.commit)))
            }
            Some(r) => Checked::contradicted(
                format!(
                    "the upstream commit {} is first in {r}",
                    short(&commit.commit)
                ),
                issue,
            ),
            None => Checked::contradicted(
                format!(
                    "the upstream commit {} is in no release yet",
                    short(&commit.commit)
                ),
                issue,
            ),
        };
    }
    let at_or_below = match (Version::parse(claimed), release) {
        (Some(c), Some(t)) => Some((c <= *t, t)),
        _ => None,
    };
    match (at_or_below, status) {
        (Some((true, t)), Status::Upstream) => Checked::holds(format!(
            "at or below {t} judged against, and the tree agrees"
        )),
        (Some((true, t)), _) => Checked::unverified(format!(
            "at or below {t} judged against, but the tree does not show the change"
        )),
        (Some((false, t)), _) => Checked::unverified(format!("after {t} judged against")),
        (None, _) => Checked::unverified("no upstream commit found for this patch"),
    }
}

fn check_not_upstream(c: &RawClaim, best: Option<&Scored>, status: Status) -> Checked {
    match (best, status) {
        (Some(b), _) => Checked::contradicted(
            format!(
                "upstream since as {}{}",
                short(&b.commit.commit),
                b.commit
                    .release
                    .as_ref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            ),
            ClaimIssue::AlreadyUpstream {
                commit: Some(b.commit.commit.clone()),
                release: b.commit.release.clone(),
            },
        ),
        (None, Status::Upstream) => Checked::contradicted(
            "the change is present in the target tree",
            ClaimIssue::AlreadyUpstream {
                commit: None,
                release: None,
            },
        ),
        (None, Status::ReplacementLikely) => Checked::unverified(
            "upstream has names this patch introduces: check whether it replaced it",
        ),
        (None, Status::Unknown) => Checked::unverified("nothing to judge by"),
        (None, _) if c.kind == ClaimKind::NotUpstream => {
            Checked::holds("nothing equivalent found upstream")
        }
        _ => Checked::unverified("not found upstream"),
    }
}

fn check_commit(id: &str, all: &[Scored]) -> Checked {
    let id = id.to_ascii_lowercase();
    let Some(s) = all.iter().find(|s| s.commit.commit.starts_with(&id)) else {
        return Checked {
            issue: Some(ClaimIssue::CommitUnknown),
            ..Checked::unverified(format!("{} is not in the upstream index", short(&id)))
        };
    };
    if !s.in_target {
        return not_in_target(&id, all);
    }
    if s.similarity < 0.2 && s.exact && s.overlap >= 0.5 {
        return Checked::unverified(format!(
            "{} \"{}\" changes the same files, other lines ({:.0}% alike): a backport adapted to older code, or another change",
            short(&s.commit.commit),
            s.commit.subject,
            s.similarity * 100.0
        ));
    }
    if s.similarity < 0.2 && s.exact {
        return Checked::contradicted(
            format!(
                "{} \"{}\" changes other files and lines ({:.0}% alike)",
                short(&s.commit.commit),
                s.commit.subject,
                s.similarity * 100.0
            ),
            ClaimIssue::CommitDiffers {
                commit: s.commit.commit.clone(),
            },
        );
    }
    Checked::holds(format!(
        "{} \"{}\"{}",
        short(&s.commit.commit),
        s.commit.subject,
        s.commit
            .release
            .as_ref()
            .map(|r| format!(", first in {r}"))
            .unwrap_or_default()
    ))
}

/// A claimed commit upstream has, outside the revision judged against: a stable-branch copy
/// of a commit that is in it holds; otherwise the claim cannot be checked here.
fn not_in_target(id: &str, all: &[Scored]) -> Checked {
    let origin = all
        .iter()
        .find(|o| o.in_target && o.picked_by.iter().any(|p| p.starts_with(id)));
    match origin {
        Some(o) => Checked::holds(format!(
            "{} is a stable-branch copy of {} \"{}\", which is in the revision judged against",
            short(id),
            short(&o.commit.commit),
            o.commit.subject
        )),
        None => Checked {
            issue: Some(ClaimIssue::CommitElsewhere),
            ..Checked::unverified(format!(
                "{} exists upstream but not in the revision judged against",
                short(id)
            ))
        },
    }
}

/// Whether two spellings name the same release (`v3.14` and `3.14`, any case).
fn same_release(a: &str, b: &str) -> bool {
    match (Version::parse(a), Version::parse(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.trim().eq_ignore_ascii_case(b.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::tests::same_patch_id;

    fn claim(kind: ClaimKind) -> RawClaim {
        RawClaim {
            kind,
            header: "Patch-mainline".into(),
            text: String::new(),
            line: 4,
        }
    }

    /// Check a claim of `kind` with the commit of `same_patch_id` found upstream.
    fn check(kind: ClaimKind) -> Claim {
        let all = [same_patch_id()];
        check_claim(
            &claim(kind),
            all.first(),
            &all,
            Status::Upstream,
            None,
            true,
        )
    }

    #[test]
    fn a_claim_that_does_not_hold_says_why_typed() {
        let found = same_patch_id();
        let unknown = check(ClaimKind::Commit("0123456789ab".into()));
        assert_eq!(unknown.issue, Some(ClaimIssue::CommitUnknown));
        let wrong = check(ClaimKind::Release("4.12".into()));
        assert_eq!(wrong.check, ClaimCheck::Contradicted);
        assert_eq!(
            wrong.issue,
            Some(ClaimIssue::ReleaseDiffers {
                commit: found.commit.commit.clone(),
                first_in: Some("RELEASE-4.11.0".into())
            })
        );
        let posted = check(ClaimKind::InProgress);
        assert!(matches!(
            posted.issue,
            Some(ClaimIssue::AlreadyUpstream {
                commit: Some(_),
                ..
            })
        ));
    }

    #[test]
    fn a_named_commit_with_other_lines_differs_only_in_other_files() {
        let c = claim(ClaimKind::Commit("437e00fea04b".into()));
        let adapted = Scored {
            similarity: 0.0,
            ..same_patch_id()
        };
        let elsewhere = Scored {
            overlap: 0.0,
            similarity: 0.0,
            ..same_patch_id()
        };
        let backport = check_claim(&c, None, &[adapted], Status::Upstream, None, true);
        assert_eq!(
            (backport.check, backport.issue),
            (ClaimCheck::Unverified, None)
        );
        let other = check_claim(&c, None, &[elsewhere], Status::NeedsWork, None, true);
        assert!(matches!(
            other.issue,
            Some(ClaimIssue::CommitDiffers { .. })
        ));
    }

    #[test]
    fn without_an_index_a_commit_is_not_called_unknown() {
        let c = claim(ClaimKind::Commit("0123456789ab".into()));
        let checked = check_claim(&c, None, &[], Status::NeedsWork, None, false);
        assert_eq!(checked.check, ClaimCheck::Unverified);
        assert_eq!(checked.issue, None);
    }

    #[test]
    fn a_claim_that_holds_has_no_issue() {
        for kind in [
            ClaimKind::Commit("437e00fea04b".into()),
            ClaimKind::Release("v4.11".into()),
            ClaimKind::Upstream,
        ] {
            let checked = check(kind);
            assert_eq!(checked.check, ClaimCheck::Holds, "{checked:?}");
            assert_eq!(checked.issue, None);
        }
    }
}
