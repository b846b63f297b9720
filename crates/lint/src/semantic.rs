//! The rules that check what a header claims against what the analysis found upstream: the
//! commit it names exists and is the change, the release it names is the commit's first,
//! "not upstream" or "submitted" is still true, a posting exists, and a patch that is
//! upstream says so. These need a verdict (`--upstream`, `--tree`, `--archive`); the header
//! rules do not.
//!
//! Where the analysis knows the answer, the finding carries the fix in the convention's own
//! spelling (`Git-commit:` and `Patch-mainline:` for SUSE, `Applied-Upstream:` for DEP-3).

use crate::convention::Convention;
use crate::finding::{Finding, Fix, RuleId, Severity};
use kdelta_analysis::verdict::short;
use kdelta_analysis::{Claim, ClaimIssue, Hypothesis, Status, Verdict};
use kdelta_patch::{Mainline, Patch, Version};

/// The semantic findings on one patch, `file` as the series names it, judged by `verdict`.
pub fn check(
    file: &str,
    patch: &Patch,
    verdict: &Verdict,
    conventions: &[Convention],
) -> Vec<Finding> {
    let mut out: Vec<Finding> = verdict
        .claims
        .iter()
        .filter_map(|c| claim_finding(file, patch, c, conventions))
        .collect();
    let said = verdict.claims.iter().any(|c| {
        matches!(
            c.issue,
            Some(ClaimIssue::AlreadyUpstream { .. } | ClaimIssue::ReleaseDiffers { .. })
        )
    });
    if !said {
        out.extend(unnamed(file, verdict, conventions));
    }
    out
}

/// The finding for a claim that does not hold, if it is one.
fn claim_finding(
    file: &str,
    patch: &Patch,
    claim: &Claim,
    conventions: &[Convention],
) -> Option<Finding> {
    let written = format!("`{}: {}`", claim.header, claim.text.trim());
    let at = claim.line.max(1);
    let finding =
        |rule, severity, message: String| Finding::new(RuleId(rule), severity, file, at, message);
    // The mbox `From <sha>` line records the commit a patch was exported from, which may be
    // the distribution's own: not upstream is no fault of the header.
    let exported = claim.header == "From";
    Some(match claim.issue.as_ref()? {
        ClaimIssue::CommitUnknown | ClaimIssue::CommitElsewhere if exported => return None,
        ClaimIssue::CommitUnknown => {
            let queued = matches!(patch.header.mainline, Some(Mainline::Queued(_)));
            let (severity, why) = if queued {
                (
                    Severity::Note,
                    "; it is queued, so it may be in the maintainer repository only",
                )
            } else {
                (Severity::Warning, "")
            };
            finding(
                "upstream/commit-unknown",
                severity,
                format!("{written} names a commit the upstream repository does not have{why}"),
            )
        }
        ClaimIssue::CommitElsewhere => finding(
            "upstream/commit-elsewhere",
            Severity::Note,
            format!("{written}: the commit is upstream, but not in the revision judged against"),
        ),
        ClaimIssue::CommitDiffers { commit } => finding(
            "upstream/commit-differs",
            Severity::Error,
            format!(
                "{written}: upstream commit {} changes other files and lines than this patch",
                short(commit)
            ),
        ),
        ClaimIssue::ReleaseDiffers { commit, first_in } => {
            return Some(release_differs(
                file,
                at,
                &written,
                claim,
                commit,
                first_in.as_deref(),
            ))
        }
        ClaimIssue::AlreadyUpstream { commit, release } => {
            let found = match commit {
                Some(c) => format!("upstream as {}{}", short(c), in_release(release.as_deref())),
                None => "the target tree has the change".to_string(),
            };
            let mut f = finding(
                "upstream/already-upstream",
                Severity::Warning,
                format!("{written}, but the patch is upstream now: {found}"),
            );
            if let (Some(c), Some(r)) = (commit, release) {
                f.fix = upstream_fix(conventions, c, r);
            }
            f
        }
        ClaimIssue::NoPosting => finding(
            "upstream/posting-not-found",
            Severity::Warning,
            format!("{written} says the patch was posted, and the archives indexed do not have it"),
        ),
    })
}

/// Give the header rules' findings the fix the analysis knows: the full id of an abbreviated
/// `Git-commit:`, the commit of a patch upstream that names none.
pub fn complete_fixes(findings: &mut [Finding], patch: &Patch, verdict: &Verdict) {
    let Some(commit) = verdict.commit.as_deref() else {
        return;
    };
    let upstream = verdict.status == Status::Upstream;
    // Only one `Git-commit:`: a fix names the field, and sets the first one it finds.
    let mut fields = patch.header.fields_named("Git-commit");
    let only = fields.next().filter(|_| fields.next().is_none());
    for f in findings.iter_mut().filter(|f| f.fix.is_none()) {
        let fix = match (f.rule.0, only) {
            ("suse/git-commit-missing", None) if upstream => Some(commit.to_string()),
            ("suse/git-commit-form", Some(g)) => {
                let written = g.value.to_string().to_ascii_lowercase();
                let mut words = written.split_whitespace();
                let id = words.next().unwrap_or("");
                let partial = words.any(|w| w == "(partial)");
                (id.len() >= 7 && commit.starts_with(id)).then(|| {
                    let tail = if partial { " (partial)" } else { "" };
                    format!("{commit}{tail}")
                })
            }
            _ => None,
        };
        if let Some(value) = fix {
            f.fix = Some(Fix::set([("Git-commit", value)]));
        }
    }
}

/// A claimed release that is not the upstream commit's first: an error when the commit came
/// later (or is in no release yet), a warning when it came earlier (the claim is true, but
/// not the first release).
fn release_differs(
    file: &str,
    at: usize,
    written: &str,
    claim: &Claim,
    commit: &str,
    first_in: Option<&str>,
) -> Finding {
    let Some(first) = first_in else {
        return Finding::new(
            RuleId("upstream/release-differs"),
            Severity::Error,
            file,
            at,
            format!(
                "{written}: upstream commit {} is in no release yet",
                short(commit)
            ),
        );
    };
    let earlier = match (Version::parse(claim.text.trim()), Version::parse(first)) {
        (Some(claimed), Some(first)) => first < claimed,
        _ => false,
    };
    let (severity, how) = if earlier {
        (Severity::Warning, "already")
    } else {
        (Severity::Error, "only")
    };
    let f = Finding::new(
        RuleId("upstream/release-differs"),
        severity,
        file,
        at,
        format!(
            "{written}: upstream commit {} is {how} in {first}",
            short(commit)
        ),
    );
    if claim.header.eq_ignore_ascii_case("Patch-mainline") {
        f.with_fix(Fix::set([("Patch-mainline", first.to_string())]))
    } else {
        f
    }
}

/// A patch found upstream as is whose header names neither its commit nor a release. With
/// no commit known (a tree alone), any claim about upstream counts as naming it.
fn unnamed(file: &str, verdict: &Verdict, conventions: &[Convention]) -> Option<Finding> {
    let as_is = verdict.status == Status::Upstream && verdict.hypothesis == Hypothesis::Upstream;
    if !as_is {
        return None;
    }
    let commit = verdict.commit.as_deref();
    let named = match commit {
        Some(commit) => verdict
            .claims
            .iter()
            .any(|c| (c.issue.is_none() && names_upstream(c)) || names_commit(c, commit)),
        None => !verdict.claims.is_empty(),
    };
    if named {
        return None;
    }
    let release = verdict.release.as_deref();
    let found = match commit {
        Some(c) => format!("upstream as {}{}", short(c), in_release(release)),
        None => "in the target tree as it is".to_string(),
    };
    let f = Finding::new(
        RuleId("upstream/commit-unnamed"),
        Severity::Warning,
        file,
        1,
        format!("the patch is {found}, and its header does not say so"),
    );
    let fix = commit
        .zip(release)
        .and_then(|(c, r)| upstream_fix(conventions, c, r));
    Some(match fix {
        Some(fix) => f.with_fix(fix),
        None => f,
    })
}

/// Whether a claim's text names `commit` (by an id of 7 digits or more), checked or not.
fn names_commit(c: &Claim, commit: &str) -> bool {
    c.text
        .split(|ch: char| !ch.is_ascii_hexdigit())
        .any(|word| word.len() >= 7 && commit.starts_with(&word.to_ascii_lowercase()))
}

/// Whether a claim that holds names the upstream commit or release.
fn names_upstream(c: &Claim) -> bool {
    c.check == kdelta_analysis::ClaimCheck::Holds
        && !matches!(
            c.header.to_ascii_lowercase().as_str(),
            "forwarded" | "subject" | "link"
        )
}

/// The header fields saying the patch is upstream as `commit`, first in `release`, in the
/// first convention that has a spelling for it.
fn upstream_fix(conventions: &[Convention], commit: &str, release: &str) -> Option<Fix> {
    conventions.iter().find_map(|c| match c {
        Convention::Suse => Some(Fix::set([
            ("Patch-mainline", release.to_string()),
            ("Git-commit", commit.to_string()),
        ])),
        Convention::Dep3 => Some(Fix::set([(
            "Applied-Upstream",
            format!("{release}, commit:{commit}"),
        )])),
        _ => None,
    })
}

fn in_release(release: Option<&str>) -> String {
    release
        .map(|r| format!(", first in {r}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_analysis::ClaimCheck;

    const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

    fn patch(header: &str) -> Patch {
        let text = format!("{header}\n---\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n");
        Patch::parse(text.as_bytes(), &kdelta_patch::ParseOptions::default())
    }

    fn verdict(status: Status, claims: Vec<Claim>) -> Verdict {
        Verdict {
            name: "p.patch".into(),
            subject: None,
            status,
            hypothesis: Hypothesis::Upstream,
            confidence: 0.9,
            scores: Vec::new(),
            commit: Some(COMMIT.into()),
            release: Some("v6.12".into()),
            evidence: Vec::new(),
            candidates: Vec::new(),
            claims,
            hunks: Vec::new(),
            posted: None,
        }
    }

    fn claim(header: &str, text: &str, check: ClaimCheck, issue: Option<ClaimIssue>) -> Claim {
        Claim {
            header: header.into(),
            text: text.into(),
            line: 3,
            check,
            detail: String::new(),
            issue,
        }
    }

    fn found(header: &str, v: &Verdict) -> Vec<(&'static str, Severity, Option<String>)> {
        check("p.patch", &patch(header), v, &[Convention::Suse])
            .into_iter()
            .map(|f| (f.rule.0, f.severity, f.fix.map(|x| x.to_string())))
            .collect()
    }

    #[test]
    fn a_release_claimed_before_the_commit_came_is_an_error_with_the_fix() {
        let issue = ClaimIssue::ReleaseDiffers {
            commit: COMMIT.into(),
            first_in: Some("v6.12".into()),
        };
        let early = claim(
            "Patch-mainline",
            "v6.11",
            ClaimCheck::Contradicted,
            Some(issue.clone()),
        );
        assert_eq!(
            found("Subject: f", &verdict(Status::Upstream, vec![early])),
            vec![(
                "upstream/release-differs",
                Severity::Error,
                Some("Patch-mainline: v6.12".into())
            )]
        );
        let late = claim(
            "Patch-mainline",
            "v6.13",
            ClaimCheck::Contradicted,
            Some(issue),
        );
        assert_eq!(
            found("Subject: f", &verdict(Status::Upstream, vec![late]))[0].1,
            Severity::Warning
        );
    }

    #[test]
    fn a_patch_upstream_whose_header_says_otherwise_or_nothing_gets_the_suse_fields() {
        let no = claim(
            "Patch-mainline",
            "No, later",
            ClaimCheck::Contradicted,
            Some(ClaimIssue::AlreadyUpstream {
                commit: Some(COMMIT.into()),
                release: Some("v6.12".into()),
            }),
        );
        let fix = format!("Patch-mainline: v6.12; Git-commit: {COMMIT}");
        assert_eq!(
            found("Subject: f", &verdict(Status::Upstream, vec![no])),
            vec![(
                "upstream/already-upstream",
                Severity::Warning,
                Some(fix.clone())
            )]
        );
        assert_eq!(
            found("Subject: f", &verdict(Status::Upstream, vec![])),
            vec![("upstream/commit-unnamed", Severity::Warning, Some(fix))]
        );
        let named = claim("Git-commit", COMMIT, ClaimCheck::Holds, None);
        assert_eq!(
            found("Subject: f", &verdict(Status::Upstream, vec![named])),
            vec![]
        );
        let mbox = claim(
            "From",
            &format!("{COMMIT} Mon Sep 17 00:00:00 2001"),
            ClaimCheck::Unverified,
            None,
        );
        assert_eq!(
            found("Subject: f", &verdict(Status::Upstream, vec![mbox])),
            vec![]
        );
        let in_tree = Verdict {
            commit: None,
            ..verdict(Status::Upstream, vec![])
        };
        assert_eq!(
            found("Subject: f", &in_tree),
            vec![("upstream/commit-unnamed", Severity::Warning, None)]
        );
        assert_eq!(
            found("Subject: f", &verdict(Status::NeedsWork, vec![])),
            vec![]
        );
    }

    #[test]
    fn an_abbreviated_commit_gets_its_full_id_and_keeps_partial() {
        let p = patch("Subject: f\nGit-commit: 0123456789ab (partial)");
        let mut found = vec![Finding::new(
            RuleId("suse/git-commit-form"),
            Severity::Error,
            "p.patch",
            2,
            "short",
        )];
        complete_fixes(&mut found, &p, &verdict(Status::Upstream, vec![]));
        assert_eq!(
            found[0].fix.as_ref().map(ToString::to_string),
            Some(format!("Git-commit: {COMMIT} (partial)"))
        );
        let two = patch("Subject: f\nGit-commit: 0123456789ab\nGit-commit: 0123456789ab");
        found[0].fix = None;
        complete_fixes(&mut found, &two, &verdict(Status::Upstream, vec![]));
        assert_eq!(found[0].fix, None, "which of two fields would it set?");
    }

    #[test]
    fn a_submitted_patch_with_no_posting_is_a_warning() {
        let submitted = claim(
            "Patch-mainline",
            "Submitted, 2024-01-02 linux-mm",
            ClaimCheck::Contradicted,
            Some(ClaimIssue::NoPosting),
        );
        let v = Verdict {
            commit: None,
            ..verdict(Status::NeedsWork, vec![submitted])
        };
        assert_eq!(
            found("Subject: f", &v),
            vec![("upstream/posting-not-found", Severity::Warning, None)]
        );
    }

    #[test]
    fn an_unknown_commit_is_a_warning_and_a_note_when_queued() {
        let unknown = || {
            claim(
                "Git-commit",
                "abcdef0",
                ClaimCheck::Unverified,
                Some(ClaimIssue::CommitUnknown),
            )
        };
        let v = |c| Verdict {
            commit: None,
            ..verdict(Status::NeedsWork, vec![c])
        };
        assert_eq!(found("Subject: f", &v(unknown()))[0].1, Severity::Warning);
        let queued = "Subject: f\nPatch-mainline: Queued in subsystem maintainer repository";
        assert_eq!(found(queued, &v(unknown()))[0].1, Severity::Note);
        let exported = Claim {
            header: "From".into(),
            ..unknown()
        };
        assert_eq!(
            found("Subject: f", &v(exported)),
            vec![],
            "an mbox From line claims nothing"
        );
    }
}
