//! From findings to a verdict. Every stage contributes weighed evidence for or against
//! each hypothesis (upstream as is, upstream in an evolved form, replaced, obsolete,
//! still needed); the verdict is the best-supported one. A patch with a diff starts out
//! needed ([`NEEDED_PRIOR`]): something must show it is not, and a hypothesis that tells
//! the maintainer to drop the patch must beat "needed" by [`DROP_MARGIN`].
//!
//! Support for a hypothesis combines its evidence as independent chances (noisy-or), and
//! evidence against it scales it down. Upstream as is and in an evolved form both mean
//! "upstream" and are pooled before they are compared with the others.

use crate::calibration::calibrated;
use crate::candidates::{described_alike, names_brought, round, Reason, Scored};
use crate::claims::{ClaimKind, RawClaim};
use crate::model::{Evidence, EvidenceKind, HunkFate, Hypothesis, Status, Verdict};
use crate::tree::TreeFacts;
use kdelta_patch::Version;

mod checked;
mod own;

use checked::check_claim;

/// The support "needed" has before any evidence, for a patch with a diff.
pub const NEEDED_PRIOR: f64 = 0.3;

/// How much more support a hypothesis that drops the patch needs than "needed".
pub const DROP_MARGIN: f64 = 0.05;

/// What the stages found for one patch.
pub struct Findings<'a> {
    /// The patch's name in the queue.
    pub name: &'a str,
    /// Its subject.
    pub subject: Option<String>,
    /// Its author, `Name <email>`.
    pub author: Option<String>,
    /// When it was written (its `Date:`), seconds since the epoch.
    pub date: Option<i64>,
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
    /// The release judged against, when known.
    pub release: Option<Version>,
    /// What the mailing-list archive says the status of a needed patch is, and why.
    pub archived: Option<(Status, f64, Evidence)>,
}

/// Decide.
pub fn decide(f: Findings<'_>, upstream_threshold: f64) -> Verdict {
    let matched = f
        .candidates
        .iter()
        .find(|c| c.in_target && c.score >= upstream_threshold);
    // A commit of the target's history made this very diff (the same patch-id), yet the
    // target tree does not have it: every hunk still applies there, its new lines nowhere
    // in the file. It was reverted or rewritten upstream since. (A match by subject or
    // similar lines proves less: upstream's version may put the lines elsewhere.)
    let undone = matched
        .filter(|m| m.has(Reason::PatchId))
        .filter(|_| f.tree.as_ref().is_some_and(every_hunk_applies));
    let best = matched.filter(|_| undone.is_none());
    // A match by patch-id or a header's commit is upstream as it is; one by subject or
    // alike lines may be the author's own, later version.
    let exact = best.is_some_and(|b| b.has(Reason::PatchId) || b.has(Reason::Header));
    let own = (!exact && undone.is_none())
        .then(|| own::own_version(&f))
        .flatten();
    let mut evidence = index_evidence(&f, best, upstream_threshold, own.is_some());
    if let Some((c, alike)) = own {
        evidence.extend(own::own_version_evidence(c, alike, f.tree.is_some()));
    }
    if let (Some(undone), Some(tree)) = (undone, &f.tree) {
        evidence.push(Evidence::weighed(
            EvidenceKind::TreeApplies,
            format!(
                "{} had this change, but {} does not: every hunk still applies (reverted or rewritten upstream since)",
                describe(&undone.commit),
                tree.tree
            ),
            Hypothesis::Needed,
            0.9,
        ));
    }
    evidence.extend(claim_evidence(
        &f.claims,
        best,
        &f.candidates,
        f.release.as_ref(),
    ));
    if let Some(tree) = &f.tree {
        evidence.extend(tree.evidence());
        evidence.extend(removal_evidence(&f.claims, tree, f.release.as_ref()));
    }
    let judged = f.indexed || f.tree.is_some();
    let scores = weigh(&evidence, f.has_diff && judged);
    let hypothesis = choose(&scores);
    let (status, confidence, lead) = status_of(&f, hypothesis, &scores);
    evidence.sort_by(|a, b| {
        let rank = |e: &Evidence| {
            (
                e.hypothesis != Some(hypothesis),
                -(e.weight.abs() * 1000.0) as i64,
            )
        };
        rank(a).cmp(&rank(b))
    });
    if let Some(lead) = lead {
        evidence.insert(0, lead);
    }
    let replacement = own.map(|(c, _)| c);
    let (commit, release) = upstream_identity(best, &f.claims, &f.candidates, replacement, status);
    let claims = f
        .claims
        .iter()
        .map(|c| {
            check_claim(
                c,
                best,
                &f.candidates,
                status,
                f.release.as_ref(),
                f.indexed,
            )
        })
        .collect();
    let mut scores: Vec<(Hypothesis, f64)> =
        scores.into_iter().map(|(h, s)| (h, round(s))).collect();
    scores.sort_by(|a, b| b.1.total_cmp(&a.1));
    Verdict {
        name: f.name.to_string(),
        subject: f.subject,
        status,
        hypothesis,
        confidence: round(confidence),
        scores,
        commit,
        release,
        evidence,
        candidates: f
            .candidates
            .iter()
            .take(5)
            .map(Scored::to_candidate)
            .collect(),
        claims,
        hunks: f.tree.map(|t| t.hunks).unwrap_or_default(),
        posted: None,
    }
}

/// Whether the tree finds every hunk of the patch still to apply (at least one), none
/// present, gone or in conflict.
fn every_hunk_applies(tree: &TreeFacts) -> bool {
    !tree.hunks.is_empty()
        && tree
            .hunks
            .iter()
            .all(|h| matches!(h.fate, HunkFate::Applies | HunkFate::AppliesOnQueue))
}

/// The support of each hypothesis.
pub fn weigh(evidence: &[Evidence], prior: bool) -> Vec<(Hypothesis, f64)> {
    Hypothesis::ALL
        .iter()
        .map(|&h| {
            let mut missing = if prior && h == Hypothesis::Needed {
                1.0 - NEEDED_PRIOR
            } else {
                1.0
            };
            let mut against = 1.0;
            for e in evidence.iter().filter(|e| e.hypothesis == Some(h)) {
                if e.weight >= 0.0 {
                    missing *= 1.0 - e.weight;
                } else {
                    against *= 1.0 + e.weight;
                }
            }
            (h, (1.0 - missing) * against)
        })
        .collect()
}

fn score(scores: &[(Hypothesis, f64)], h: Hypothesis) -> f64 {
    scores
        .iter()
        .find(|(x, _)| *x == h)
        .map_or(0.0, |(_, s)| *s)
}

/// Upstream as is and evolved, pooled as independent chances.
fn upstream_pooled(scores: &[(Hypothesis, f64)]) -> f64 {
    let a = score(scores, Hypothesis::Upstream);
    let b = score(scores, Hypothesis::UpstreamEvolved);
    1.0 - (1.0 - a) * (1.0 - b)
}

/// The best-supported hypothesis; dropping the patch must beat "needed" by the margin.
fn choose(scores: &[(Hypothesis, f64)]) -> Hypothesis {
    let needed = score(scores, Hypothesis::Needed);
    let upstream =
        if score(scores, Hypothesis::Upstream) >= score(scores, Hypothesis::UpstreamEvolved) {
            Hypothesis::Upstream
        } else {
            Hypothesis::UpstreamEvolved
        };
    let options = [
        (upstream, upstream_pooled(scores)),
        (Hypothesis::Replaced, score(scores, Hypothesis::Replaced)),
        (Hypothesis::Obsolete, score(scores, Hypothesis::Obsolete)),
    ];
    let (h, s) = options
        .into_iter()
        .fold((Hypothesis::Needed, 0.0), |best, o| {
            if o.1 > best.1 {
                o
            } else {
                best
            }
        });
    if s > 0.0 && s >= needed + DROP_MARGIN {
        h
    } else {
        Hypothesis::Needed
    }
}

fn chosen_score(hypothesis: Hypothesis, scores: &[(Hypothesis, f64)]) -> f64 {
    match hypothesis {
        Hypothesis::Upstream | Hypothesis::UpstreamEvolved => upstream_pooled(scores),
        h => score(scores, h),
    }
}

/// The support of the chosen hypothesis before calibration: its score, discounted by the
/// best rival's.
pub fn support_of(hypothesis: Hypothesis, scores: &[(Hypothesis, f64)]) -> f64 {
    let chosen = chosen_score(hypothesis, scores);
    let rival = [
        upstream_pooled(scores),
        score(scores, Hypothesis::Replaced),
        score(scores, Hypothesis::Obsolete),
        score(scores, Hypothesis::Needed),
    ]
    .into_iter()
    .filter(|&s| s != chosen)
    .fold(0.0, f64::max);
    (chosen * (1.0 - 0.5 * rival)).clamp(0.0, 0.99)
}

/// The status word and its confidence: the hypothesis, told apart by the headers when the
/// patch is needed (posted upstream: in progress; marked distribution-only: downstream),
/// and the evidence that decided the word when it is not weighed evidence.
fn status_of(
    f: &Findings<'_>,
    hypothesis: Hypothesis,
    scores: &[(Hypothesis, f64)],
) -> (Status, f64, Option<Evidence>) {
    let chosen = chosen_score(hypothesis, scores);
    let confidence = calibrated(
        hypothesis != Hypothesis::Needed,
        support_of(hypothesis, scores),
    );
    let claimed = |k: fn(&ClaimKind) -> bool| f.claims.iter().find(|c| k(&c.kind));
    if f.packaging_only && !matches!(hypothesis, Hypothesis::Upstream) {
        let why = Evidence::new(
            EvidenceKind::PackagingOnly,
            "it only changes packaging files (debian/, RPM spec), not the kernel",
        );
        return (Status::DownstreamOnly, 0.8, Some(why));
    }
    let status = match hypothesis {
        Hypothesis::Upstream | Hypothesis::UpstreamEvolved => Status::Upstream,
        Hypothesis::Replaced => Status::ReplacementLikely,
        Hypothesis::Obsolete => Status::Obsolete,
        Hypothesis::Needed => {
            if let Some((status, confidence, why)) = f.archived.clone() {
                return (status, confidence, Some(why));
            }
            if let Some(c) = claimed(|k| matches!(k, ClaimKind::InProgress)) {
                let why = claim_note(EvidenceKind::InProgressClaim, c);
                return (Status::InProgress, 0.7, Some(why));
            }
            if let Some(c) = claimed(|k| matches!(k, ClaimKind::DownstreamOnly)) {
                let why = claim_note(EvidenceKind::DownstreamMarker, c);
                return (Status::DownstreamOnly, 0.7, Some(why));
            }
            if chosen == 0.0 {
                return (Status::Unknown, 0.0, None);
            }
            Status::NeedsWork
        }
    };
    (status, confidence, None)
}

/// Evidence from the index: the best match, a weak one, a commit describing the same
/// change (unless it is the author's `own` version, weighed apart), or nothing found.
fn index_evidence(
    f: &Findings<'_>,
    best: Option<&Scored>,
    threshold: f64,
    own: bool,
) -> Vec<Evidence> {
    let mut out = Vec::new();
    if let Some(best) = best {
        out.push(match_evidence(
            best,
            Hypothesis::Upstream,
            best.score.min(0.99),
        ));
    } else if let Some(weak) = f
        .candidates
        .iter()
        .find(|c| c.in_target && c.score >= 0.35 && c.score < threshold)
    {
        out.push(match_evidence(weak, Hypothesis::Upstream, 0.5 * weak.score));
    }
    if best.is_none() {
        if let Some((commit, text, weight)) = names_brought(&f.candidates) {
            out.push(Evidence::weighed(
                EvidenceKind::SimilarCommits,
                format!(
                    "{} brings in {} of the {} names the patch provides ({}); ranked {} by description and names",
                    describe(&commit.commit),
                    text.shared.len(),
                    text.provided,
                    text.shared.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
                    text.rank
                ),
                Hypothesis::Replaced,
                weight,
            ));
        } else if let Some((alike, words)) = f
            .subject
            .as_deref()
            .filter(|_| !own)
            .and_then(|s| described_alike(s, &f.candidates))
        {
            out.push(Evidence::weighed(
                EvidenceKind::SimilarCommits,
                format!(
                    "{} touching the same files describes the same change ({:.0}% of the subject's words); changed lines {:.0}% alike",
                    describe(&alike.commit),
                    words * 100.0,
                    alike.similarity * 100.0
                ),
                Hypothesis::Replaced,
                0.45,
            ));
        } else if f.indexed && f.has_diff {
            out.push(Evidence::weighed(
                EvidenceKind::NothingUpstream,
                "no upstream commit with the same patch-id, subject or similar changed lines",
                Hypothesis::Needed,
                0.25,
            ));
        }
    }
    out
}

/// The headers' claims that the patch is upstream, weighed against the release judged
/// against when no history verified them: a release at or below it supports upstream, one
/// above it says the patch is still needed here; a commit named without history supports
/// upstream a little.
fn claim_evidence(
    claims: &[RawClaim],
    best: Option<&Scored>,
    candidates: &[Scored],
    release: Option<&Version>,
) -> Vec<Evidence> {
    let mut out = Vec::new();
    if best.is_some() {
        return out;
    }
    // A commit the index has speaks for itself (as a candidate); only the others are claims.
    let indexed = |id: &str| {
        let id = id.to_ascii_lowercase();
        candidates.iter().any(|s| s.commit.commit.starts_with(&id))
    };
    let commit = claims
        .iter()
        .find(|c| matches!(&c.kind, ClaimKind::Commit(id) if !indexed(id)));
    let released = claims.iter().find_map(|c| match &c.kind {
        ClaimKind::Release(r) => Version::parse(r).map(|v| (c, v)),
        _ => None,
    });
    match (released, release) {
        (Some((c, claimed)), Some(target)) if claimed <= *target => {
            let (w, also) = match commit {
                Some(k) => (0.7, format!(" and names commit {}", short(&k.text))),
                None => (0.6, String::new()),
            };
            out.push(Evidence::weighed(
                EvidenceKind::HeaderClaim,
                format!(
                    "{}: {} (line {}) claims it is upstream since {claimed}{also}, at or below {target} judged against",
                    c.header, c.text, c.line
                ),
                Hypothesis::Upstream,
                w,
            ));
        }
        (Some((c, claimed)), Some(target)) => out.push(Evidence::weighed(
            EvidenceKind::HeaderClaim,
            format!(
                "{}: {} (line {}) claims it went upstream in {claimed}, after {target} judged against",
                c.header, c.text, c.line
            ),
            Hypothesis::Needed,
            0.3,
        )),
        _ => {
            let bare = claims.iter().find(|c| c.kind == ClaimKind::Upstream);
            if let Some(c) = commit {
                let id = match &c.kind {
                    ClaimKind::Commit(id) => id.as_str(),
                    _ => c.text.as_str(),
                };
                out.push(Evidence::weighed(
                    EvidenceKind::HeaderClaim,
                    format!(
                        "{} (line {}) names upstream commit {}, not verified here",
                        c.header,
                        c.line,
                        short(id)
                    ),
                    Hypothesis::Upstream,
                    0.35,
                ));
            } else if let Some(c) = bare {
                out.push(Evidence::weighed(
                    EvidenceKind::HeaderClaim,
                    format!("{}: {} claims it is upstream, naming no commit or release", c.header, c.text),
                    Hypothesis::Upstream,
                    0.3,
                ));
            }
        }
    }
    if let Some(c) = claims.iter().find(|c| c.kind == ClaimKind::NotUpstream) {
        out.push(Evidence::weighed(
            EvidenceKind::DownstreamMarker,
            format!(
                "{}: {} (line {}) said it was not upstream when written",
                c.header, c.text, c.line
            ),
            Hypothesis::Needed,
            0.1,
        ));
    }
    out
}

/// A patch that claims to be upstream at or below the release judged against, yet none of
/// whose names exist there and whose files or code are nowhere: it went upstream and was
/// removed since.
fn removal_evidence(
    claims: &[RawClaim],
    tree: &TreeFacts,
    release: Option<&Version>,
) -> Vec<Evidence> {
    let Some(target) = release else {
        return Vec::new();
    };
    let claimed = claims.iter().find_map(|c| match &c.kind {
        ClaimKind::Release(r) => Version::parse(r).filter(|v| v <= target).map(|v| (c, v)),
        _ => None,
    });
    let (Some((c, since)), Some(names)) = (claimed, tree.provides_nothing_upstream()) else {
        return Vec::new();
    };
    vec![Evidence::weighed(
        EvidenceKind::FunctionsGone,
        format!(
            "{}: {} claims it is upstream since {since}, yet none of the {names} names it provides exist in {target} and its files are not there: removed since",
            c.header, c.text
        ),
        Hypothesis::Obsolete,
        0.85,
    )]
}

/// The commit and release of an upstream verdict: the verified match, else what the
/// headers claim.
fn upstream_identity(
    best: Option<&Scored>,
    claims: &[RawClaim],
    candidates: &[Scored],
    own: Option<&Scored>,
    status: Status,
) -> (Option<String>, Option<String>) {
    if status == Status::ReplacementLikely {
        // The likely replacement: the author's own later version, else the commit that
        // brought in what the patch provides.
        return own
            .or(best)
            .or_else(|| names_brought(candidates).map(|(c, _, _)| c))
            .map_or((None, None), |c| {
                (Some(c.commit.commit.clone()), c.commit.release.clone())
            });
    }
    if let Some(b) = best {
        return (Some(b.commit.commit.clone()), b.commit.release.clone());
    }
    if status != Status::Upstream {
        return (None, None);
    }
    let commit = claims.iter().find_map(|c| match &c.kind {
        ClaimKind::Commit(id) if id.len() >= 7 => Some(id.to_ascii_lowercase()),
        _ => None,
    });
    let release = claims.iter().find_map(|c| match &c.kind {
        ClaimKind::Release(r) => Some(r.clone()),
        _ => None,
    });
    (commit, release)
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

fn match_evidence(best: &Scored, h: Hypothesis, weight: f64) -> Evidence {
    let c = &best.commit;
    let what = describe(c);
    let alike = format!(
        "{}changed lines {:.0}% alike",
        if best.exact { "" } else { "estimated: " },
        best.similarity * 100.0
    );
    let (kind, detail) = if best.has(Reason::PatchId) {
        (
            EvidenceKind::PatchId,
            format!("{what} has the same patch-id"),
        )
    } else if best.has(Reason::Header) {
        (
            EvidenceKind::HeaderReference,
            format!("a header names {what}; {alike}"),
        )
    } else if best.has(Reason::Subject) {
        (
            EvidenceKind::Subject,
            format!("{what} has the same subject; {alike}"),
        )
    } else {
        (EvidenceKind::DiffSimilarity, format!("{what}: {alike}"))
    };
    Evidence::weighed(kind, detail, h, weight)
}

fn claim_note(kind: EvidenceKind, claim: &RawClaim) -> Evidence {
    let at = if claim.line > 0 {
        format!(" (line {})", claim.line)
    } else {
        String::new()
    };
    Evidence::new(kind, format!("{}: {}{at}", claim.header, claim.text))
}

/// The first 12 digits of a commit id.
pub fn short(commit: &str) -> &str {
    commit.get(..commit.len().min(12)).unwrap_or(commit)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn an_unverified_commit_claim_names_the_commit_not_the_start_of_its_url() {
        let claim = RawClaim {
            kind: ClaimKind::Commit("29c75ddc2d1952528a1195b6ac52054c47c0ee89".into()),
            header: "Origin".into(),
            text: "https://git.kernel.org/pub/scm/linux/kernel/git/hyperv/linux.git/commit?id=29c75ddc2d1952528a1195b6ac52054c47c0ee89".into(),
            line: 4,
        };
        let evidence = claim_evidence(&[claim], None, &[], None);
        let detail = &evidence.first().expect("a claim's evidence").detail;
        assert_eq!(
            detail,
            "Origin (line 4) names upstream commit 29c75ddc2d19, not verified here"
        );
    }

    pub(super) fn same_patch_id() -> Scored {
        Scored {
            commit: kdelta_upstream::StoredCommit {
                commit: "437e00fea04becc91c1b6bc1c0baa636b067a5cc".into(),
                subject: "tools/kdd: mute spurious gcc warning".into(),
                patch_id: None,
                release: Some("RELEASE-4.11.0".into()),
                author: String::new(),
                author_time: 0,
                added: 3,
                removed: 0,
                files: Vec::new(),
                row: 1,
                minhash: None,
            },
            reasons: vec![Reason::PatchId],
            similarity: 1.0,
            overlap: 1.0,
            exact: true,
            score: 0.99,
            in_target: true,
            picked_by: Vec::new(),
            text: None,
        }
    }

    fn findings(fate: HunkFate) -> Findings<'static> {
        let hunk = crate::model::HunkVerdict {
            at: Some("tools/debugger/kdd/kdd.c:1030".into()),
            ..crate::model::HunkVerdict::with_fate("tools/debugger/kdd/kdd.c", 1, fate)
        };
        Findings {
            name: "0617-tools-kdd-mute-spurious-gcc-warning.patch",
            subject: Some("tools/kdd: mute spurious gcc warning".into()),
            author: None,
            date: None,
            claims: Vec::new(),
            candidates: vec![same_patch_id()],
            indexed: true,
            tree: Some(TreeFacts {
                tree: "xen-4.19.5".into(),
                hunks: vec![hunk],
                ..TreeFacts::default()
            }),
            has_diff: true,
            packaging_only: false,
            release: None,
            archived: None,
        }
    }

    #[test]
    fn a_change_upstream_had_and_the_target_tree_lacks_is_not_upstream() {
        let v = decide(findings(HunkFate::Applies), 0.6);
        assert_ne!(v.status, Status::Upstream, "{v:#?}");
        assert_eq!(v.hypothesis, Hypothesis::Needed);
        assert!(v.commit.is_none());
        assert!(
            v.evidence
                .iter()
                .any(|e| e.detail.contains("437e00fea04b")
                    && e.detail.contains("reverted or rewritten")),
            "{:#?}",
            v.evidence
        );
        let there = decide(findings(HunkFate::Present), 0.6);
        assert_eq!(there.status, Status::Upstream, "{there:#?}");
    }
}
