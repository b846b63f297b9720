//! From findings to a verdict: the status, its confidence, and the claims checked against
//! what was found. Upstream evidence wins over any header; a header that says a patch is not
//! upstream is a claim from when the patch was written.

use crate::candidates::{described_alike, round, Reason, Scored};
use crate::claims::{ClaimKind, RawClaim};
use crate::model::{Claim, ClaimCheck, Evidence, EvidenceKind, Status, Verdict};
use crate::tree::TreeFacts;

/// What the stages found for one patch.
pub struct Findings<'a> {
    /// The patch's name in the queue.
    pub name: &'a str,
    /// Its subject.
    pub subject: Option<String>,
    /// The headers' claims.
    pub claims: Vec<RawClaim>,
    /// Scored upstream candidates, best first (empty without an index).
    pub candidates: Vec<Scored>,
    /// Whether an upstream index was consulted.
    pub indexed: bool,
    /// Facts from the target tree, when there is one.
    pub tree: Option<TreeFacts>,
    /// Whether the patch has a diff at all.
    pub has_diff: bool,
    /// Whether it only changes the distribution's packaging.
    pub packaging_only: bool,
}

/// Decide.
pub fn decide(f: Findings<'_>, upstream_threshold: f64) -> Verdict {
    let best = f
        .candidates
        .iter()
        .find(|c| c.in_target && c.score >= upstream_threshold);
    let mut evidence = Vec::new();
    if let Some(best) = best {
        evidence.push(match_evidence(best));
    }
    let tree_status = f.tree.as_ref().map(|t| t.judge(&mut evidence));
    let claimed = |k: fn(&ClaimKind) -> bool| f.claims.iter().find(|c| k(&c.kind));
    let in_progress = claimed(|k| matches!(k, ClaimKind::InProgress));
    let downstream = claimed(|k| matches!(k, ClaimKind::DownstreamOnly));
    let tree_status = tree_status.flatten();
    let tree_is = |wanted: &[Status]| tree_status.filter(|(s, _)| wanted.contains(s));
    let (status, confidence) = if let Some(best) = best {
        (Status::Upstream, best.score.min(0.99))
    } else if f.packaging_only {
        evidence.push(Evidence::new(
            EvidenceKind::PackagingOnly,
            "it only changes packaging files (debian/, RPM spec), not the kernel",
        ));
        (Status::DownstreamOnly, 0.8)
    } else if let Some(found) = tree_is(&[
        Status::Upstream,
        Status::ReplacementLikely,
        Status::Obsolete,
    ]) {
        found
    } else if let Some((alike, words)) = f
        .subject
        .as_deref()
        .and_then(|s| described_alike(s, &f.candidates))
    {
        evidence.push(Evidence::new(
            EvidenceKind::SimilarCommits,
            format!(
                "{} touching the same files describes the same change ({:.0}% of the subject's words); changed lines {:.0}% alike",
                describe(&alike.commit),
                words * 100.0,
                alike.similarity * 100.0
            ),
        ));
        (Status::ReplacementLikely, 0.45)
    } else if let Some(claim) = in_progress {
        evidence.push(claim_evidence(EvidenceKind::InProgressClaim, claim));
        (Status::InProgress, 0.7)
    } else if let Some(claim) = downstream {
        evidence.push(claim_evidence(EvidenceKind::DownstreamMarker, claim));
        (Status::DownstreamOnly, 0.7)
    } else if let Some(found) = tree_status {
        found
    } else if f.indexed && f.has_diff {
        evidence.push(Evidence::new(
            EvidenceKind::NothingUpstream,
            "no upstream commit with the same patch-id, subject or similar changed lines",
        ));
        (Status::NeedsWork, 0.4)
    } else {
        (Status::Unknown, 0.0)
    };
    evidence.sort_by_key(|e| !supports(status, e.kind));
    let best_commit = best.map(|b| &b.commit);
    let claims = f
        .claims
        .iter()
        .map(|c| check_claim(c, best, &f.candidates, status))
        .collect();
    Verdict {
        name: f.name.to_string(),
        subject: f.subject,
        status,
        confidence: round(confidence),
        commit: best_commit.map(|c| c.commit.clone()),
        release: best_commit.and_then(|c| c.release.clone()),
        evidence,
        candidates: f
            .candidates
            .iter()
            .take(5)
            .map(Scored::to_candidate)
            .collect(),
        claims,
    }
}

/// Whether evidence of `kind` speaks for `status` (it is then listed first).
fn supports(status: Status, kind: EvidenceKind) -> bool {
    use EvidenceKind as E;
    match status {
        Status::Upstream => matches!(
            kind,
            E::PatchId | E::HeaderReference | E::Subject | E::DiffSimilarity | E::TreeApplied
        ),
        Status::ReplacementLikely => matches!(kind, E::SymbolsUpstream | E::SimilarCommits),
        Status::InProgress => kind == E::InProgressClaim,
        Status::DownstreamOnly => matches!(kind, E::DownstreamMarker | E::PackagingOnly),
        Status::Obsolete => matches!(kind, E::FilesGone | E::FunctionsGone),
        Status::NeedsWork => matches!(
            kind,
            E::TreeApplies | E::TreeConflicts | E::TreeApplied | E::NothingUpstream
        ),
        Status::Unknown => kind == E::Unreadable,
    }
}

/// `upstream commit 0123456789ab "subject" (first in v3.14)`.
fn describe(c: &kdelta_upstream::StoredCommit) -> String {
    format!(
        "upstream commit {} \"{}\"{}",
        short(&c.commit),
        c.subject,
        c.release
            .as_ref()
            .map(|r| format!(" (first in {r})"))
            .unwrap_or_else(|| " (in no release yet)".into())
    )
}

fn match_evidence(best: &Scored) -> Evidence {
    let c = &best.commit;
    let what = describe(c);
    let alike = format!(
        "{}changed lines {:.0}% alike",
        if best.exact { "" } else { "estimated: " },
        best.similarity * 100.0
    );
    if best.has(Reason::PatchId) {
        Evidence::new(
            EvidenceKind::PatchId,
            format!("{what} has the same patch-id"),
        )
    } else if best.has(Reason::Header) {
        Evidence::new(
            EvidenceKind::HeaderReference,
            format!("a header names {what}; {alike}"),
        )
    } else if best.has(Reason::Subject) {
        Evidence::new(
            EvidenceKind::Subject,
            format!("{what} has the same subject; {alike}"),
        )
    } else {
        Evidence::new(EvidenceKind::DiffSimilarity, format!("{what}: {alike}"))
    }
}

fn claim_evidence(kind: EvidenceKind, claim: &RawClaim) -> Evidence {
    let at = if claim.line > 0 {
        format!(" (line {})", claim.line)
    } else {
        String::new()
    };
    Evidence::new(kind, format!("{}: {}{at}", claim.header, claim.text))
}

/// The first 12 digits of a commit id.
pub fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}

fn check_claim(c: &RawClaim, best: Option<&Scored>, all: &[Scored], status: Status) -> Claim {
    let (check, detail) = match &c.kind {
        ClaimKind::Commit(id) => check_commit(id, all),
        ClaimKind::Release(release) => match best.map(|b| &b.commit) {
            Some(commit) => match &commit.release {
                Some(r) if same_release(r, release) => (
                    ClaimCheck::Holds,
                    format!("{} is first in {r}", short(&commit.commit)),
                ),
                Some(r) => (
                    ClaimCheck::Contradicted,
                    format!(
                        "the upstream commit {} is first in {r}",
                        short(&commit.commit)
                    ),
                ),
                None => (
                    ClaimCheck::Contradicted,
                    format!(
                        "the upstream commit {} is in no release yet",
                        short(&commit.commit)
                    ),
                ),
            },
            None => (
                ClaimCheck::Unverified,
                "no upstream commit found for this patch".into(),
            ),
        },
        ClaimKind::Upstream => match best {
            Some(b) => (
                ClaimCheck::Holds,
                format!("upstream as {}", short(&b.commit.commit)),
            ),
            None => (
                ClaimCheck::Unverified,
                "no upstream commit found for this patch".into(),
            ),
        },
        ClaimKind::InProgress | ClaimKind::NotUpstream | ClaimKind::DownstreamOnly => {
            match (best, status) {
                (Some(b), _) => (
                    ClaimCheck::Contradicted,
                    format!(
                        "upstream since as {}{}",
                        short(&b.commit.commit),
                        b.commit
                            .release
                            .as_ref()
                            .map(|r| format!(" ({r})"))
                            .unwrap_or_default()
                    ),
                ),
                (None, Status::Upstream) => (
                    ClaimCheck::Contradicted,
                    "the change is present in the target tree".into(),
                ),
                (None, Status::ReplacementLikely) => (
                    ClaimCheck::Unverified,
                    "upstream has names this patch introduces: check whether it replaced it".into(),
                ),
                (None, Status::Unknown) => (ClaimCheck::Unverified, "nothing to judge by".into()),
                (None, _) if c.kind == ClaimKind::NotUpstream => (
                    ClaimCheck::Holds,
                    "nothing equivalent found upstream".into(),
                ),
                _ => (ClaimCheck::Unverified, "not found upstream".into()),
            }
        }
        ClaimKind::Obsolete => match status {
            Status::Obsolete => (ClaimCheck::Holds, "its code is gone upstream".into()),
            _ => (ClaimCheck::Unverified, String::new()),
        },
    };
    Claim {
        header: c.header.clone(),
        text: c.text.clone(),
        line: c.line,
        check,
        detail,
    }
}

fn check_commit(id: &str, all: &[Scored]) -> (ClaimCheck, String) {
    let named = all
        .iter()
        .find(|s| s.commit.commit.starts_with(&id.to_ascii_lowercase()));
    match named {
        None => (
            ClaimCheck::Unverified,
            format!("{} is not in the upstream index", short(id)),
        ),
        Some(s) if !s.in_target => (
            ClaimCheck::Contradicted,
            format!(
                "{} exists upstream but not in the revision judged against",
                short(id)
            ),
        ),
        Some(s) if s.similarity < 0.2 && s.exact => (
            ClaimCheck::Contradicted,
            format!(
                "{} \"{}\" changes different lines ({:.0}% alike)",
                short(&s.commit.commit),
                s.commit.subject,
                s.similarity * 100.0
            ),
        ),
        Some(s) => (
            ClaimCheck::Holds,
            format!(
                "{} \"{}\"{}",
                short(&s.commit.commit),
                s.commit.subject,
                s.commit
                    .release
                    .as_ref()
                    .map(|r| format!(", first in {r}"))
                    .unwrap_or_default()
            ),
        ),
    }
}

/// Whether two spellings name the same release (`v3.14` and `3.14`, any case).
fn same_release(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim().to_ascii_lowercase();
        s.trim_start_matches('v').to_string()
    };
    norm(a) == norm(b)
}
