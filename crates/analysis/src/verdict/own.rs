//! Upstream's own version of a patch. The patch's author reworked it and upstream merged
//! the rework: a commit of the target by the same author, with the patch's subject (or,
//! when the patch is dated, one that describes the same change), written at least a day
//! after the patch, touching every file where a hunk of the patch still applies. What the
//! target tree still finds of the queue's copy (a hunk that applies, a name upstream spelt
//! differently) is then what an older version of a merged change looks like, not a need of
//! its own: the patch is replaced, to verify against that commit. The match by lines decides
//! between "replaced" and "upstream": a rework alike enough is upstream as it is.

use super::Findings;
use crate::candidates::{subject_words, words_alike, Reason, Scored};
use crate::model::{Evidence, EvidenceKind, HunkFate, Hypothesis};
use crate::people::email;

/// Subject words an author's reworded subject shares at least (Jaccard).
const REWORDED: f64 = 0.5;

/// How much later than the patch its author's upstream version must be written: a rework
/// after review takes days; a commit of the same minute is the patch itself (a backport)
/// or a sibling of its series.
const LATER: i64 = 86_400;

/// The author's own upstream version of the patch, and how alike the subjects are (1.0:
/// the same subject). Without the patch's date, only a commit with its very subject.
pub(super) fn own_version<'f>(f: &'f Findings<'_>) -> Option<(&'f Scored, f64)> {
    let author = email(f.author.as_deref()?);
    if author.is_empty() || f.tree.as_ref().is_some_and(super::every_hunk_applies) {
        return None;
    }
    let mine = subject_words(f.subject.as_deref()?);
    let by_author = || {
        f.candidates
            .iter()
            .filter(|c| c.in_target && email(&c.commit.author) == author)
    };
    // The patch is an upstream commit, backported: upstream has it as it was written.
    let itself = |c: &Scored| {
        f.date
            .is_some_and(|d| c.has(Reason::Subject) && (c.commit.author_time - d).abs() < LATER)
    };
    if by_author().any(itself) {
        return None;
    }
    by_author()
        .filter(|c| f.date.is_none_or(|d| c.commit.author_time >= d + LATER))
        .filter(|c| !applies_beside(f, c))
        .filter_map(|c| {
            let alike = if c.has(Reason::Subject) {
                1.0
            } else if f.date.is_some() {
                words_alike(&mine, &c.commit.subject)
            } else {
                0.0
            };
            (alike >= REWORDED).then_some((c, alike))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(a.0.score.total_cmp(&b.0.score)))
}

/// Whether a hunk of the patch still applies in a file the upstream version leaves alone:
/// upstream took only part of it, and what it left out may still be needed.
fn applies_beside(f: &Findings<'_>, c: &Scored) -> bool {
    f.tree.as_ref().is_some_and(|t| {
        t.hunks
            .iter()
            .filter(|h| h.fate == HunkFate::Applies)
            .any(|h| !c.commit.files.iter().any(|p| p == h.file.as_str()))
    })
}

/// The evidence of an own version: for "replaced", and against "needed".
pub(super) fn own_version_evidence(c: &Scored, alike: f64, tree: bool) -> Vec<Evidence> {
    let same = alike >= 1.0;
    let (kind, subject) = if same {
        (EvidenceKind::Subject, "the same subject".to_string())
    } else {
        (
            EvidenceKind::SimilarCommits,
            format!("a subject {:.0}% alike", alike * 100.0),
        )
    };
    let mut out = vec![Evidence::weighed(
        kind,
        format!(
            "{} is the patch author's own later version, with {subject}; changed lines {:.0}% alike: upstream merged it in another form (verify against it)",
            super::describe(&c.commit),
            c.similarity * 100.0
        ),
        Hypothesis::Replaced,
        if same { 0.9 } else { 0.75 },
    )];
    if tree {
        out.push(Evidence::weighed(
            EvidenceKind::Subject,
            "what the tree still finds of the patch is what an older version of a merged change leaves: not a need of its own",
            Hypothesis::Needed,
            if same { -0.5 } else { -0.35 },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{decide, Findings};
    use crate::candidates::{Reason, Scored};
    use crate::model::{HunkFate, HunkVerdict, Status};
    use crate::tree::TreeFacts;

    const PATCH_DATE: i64 = 1_660_159_775; // 2022-08-10
    const MERGED: i64 = 1_691_434_270; // 2023-08-07

    fn commit(author: &str, subject: &str, time: i64, reasons: Vec<Reason>) -> Scored {
        Scored {
            commit: kdelta_upstream::StoredCommit {
                commit: "99c4570f8209".repeat(3) + "abcd",
                subject: subject.into(),
                patch_id: None,
                release: Some("RELEASE-4.18.0".into()),
                author: author.into(),
                author_time: time,
                added: 900,
                removed: 20,
                files: vec!["xen/drivers/cpufreq/cpufreq.c".into()],
                row: 1,
                minhash: None,
            },
            reasons,
            similarity: 0.39,
            overlap: 1.0,
            exact: true,
            score: 0.66,
            in_target: true,
            picked_by: Vec::new(),
            text: None,
        }
    }

    /// The HWP driver as a distribution carried it, against upstream's merged rework: one
    /// hunk still applies, two no longer match.
    fn findings(candidate: Scored, fates: &[HunkFate]) -> Findings<'static> {
        Findings {
            name: "0634-cpufreq-Add-Hardware-P-State-HWP-driver.patch",
            subject: Some("[PATCH 04/13] cpufreq: Add Hardware P-State (HWP) driver".into()),
            author: Some("Jason Andryuk <JAndryuk@gmail.com>".into()),
            date: Some(PATCH_DATE),
            claims: Vec::new(),
            candidates: vec![candidate],
            indexed: true,
            tree: Some(TreeFacts {
                tree: "xen-4.19.0".into(),
                hunks: fates
                    .iter()
                    .enumerate()
                    .map(|(n, &f)| {
                        HunkVerdict::with_fate("xen/drivers/cpufreq/cpufreq.c", n + 1, f)
                    })
                    .collect(),
                ..TreeFacts::default()
            }),
            has_diff: true,
            packaging_only: false,
            release: None,
            archived: None,
        }
    }

    const REWORKED: [HunkFate; 3] = [HunkFate::Applies, HunkFate::Conflicts, HunkFate::Conflicts];

    fn hwp(author: &str, time: i64) -> Scored {
        let subject = "cpufreq: Add Hardware P-State (HWP) driver";
        commit(
            author,
            subject,
            time,
            vec![Reason::Subject, Reason::SameFiles],
        )
    }

    #[test]
    fn the_authors_later_version_upstream_replaces_the_patch() {
        let v = decide(
            findings(hwp("Jason Andryuk <jandryuk@gmail.com>", MERGED), &REWORKED),
            0.6,
        );
        assert_eq!(v.status, Status::ReplacementLikely, "{v:#?}");
        assert!(v
            .commit
            .as_deref()
            .is_some_and(|c| c.starts_with("99c4570f8209")));
        let lead = &v.evidence[0].detail;
        assert!(
            lead.contains("own later version") && lead.contains("same subject"),
            "{lead}"
        );
    }

    #[test]
    fn a_reworded_subject_counts_when_the_patch_is_dated() {
        let export = || {
            commit(
                "Jason Andryuk <jandryuk@gmail.com>",
                "cpufreq: Export HWP parameters to userspace as CPPC",
                MERGED,
                vec![Reason::SameFiles],
            )
        };
        let mut f = findings(export(), &REWORKED);
        f.subject = Some("cpufreq: Export HWP parameters to userspace".into());
        assert_eq!(decide(f, 0.6).status, Status::ReplacementLikely);
        let mut undated = findings(export(), &REWORKED);
        undated.subject = Some("cpufreq: Export HWP parameters to userspace".into());
        undated.date = None;
        assert_ne!(decide(undated, 0.6).status, Status::ReplacementLikely);
    }

    #[test]
    fn another_author_a_backport_an_untouched_file_or_a_patch_that_applies_is_not_replaced() {
        let other = hwp("Someone Else <else@example.org>", MERGED);
        let backport = hwp("Jason Andryuk <jandryuk@gmail.com>", PATCH_DATE + 60);
        let applies = [HunkFate::Applies; 3];
        let mut beside = findings(hwp("Jason Andryuk <jandryuk@gmail.com>", MERGED), &REWORKED);
        if let Some(t) = beside.tree.as_mut() {
            t.hunks[0].file = "tools/misc/xenpm.c".into();
        }
        for f in [
            beside,
            findings(other, &REWORKED),
            findings(backport, &REWORKED),
            findings(hwp("Jason Andryuk <jandryuk@gmail.com>", MERGED), &applies),
        ] {
            let v = decide(f, 0.6);
            assert_ne!(v.status, Status::ReplacementLikely, "{v:#?}");
            assert!(v.evidence.iter().all(|e| !e.detail.contains("own later")));
        }
    }
}
