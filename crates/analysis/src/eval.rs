//! `kdelta eval`: how well the content stages find the upstream commit of a patch whose
//! headers name it. The cases are the patches whose headers name a commit the index
//! confirms: in the revision judged against, or a stable-branch copy whose message names
//! the original in it (then the original is the expected answer). The cascade runs with
//! those headers hidden, and its answer is compared with the expected commit.

pub mod postings;
pub mod tree;

use crate::analyze::analyze_entry;
use crate::claims::{claims_of, ClaimKind};
use crate::described::{rank_of, Sources};
use crate::model::Status;
use crate::{AnalysisError, Analyzer};
use kdelta_queue::Queue;
use serde::Serialize;
use std::collections::BTreeMap;

/// One case the cascade got wrong or missed.
#[derive(Clone, Debug, Serialize)]
pub struct EvalMiss {
    /// The patch.
    pub name: String,
    /// The commit its headers name.
    pub named: String,
    /// What the cascade answered.
    pub found: Option<String>,
    /// With which status.
    pub status: Status,
    /// The best candidate's score, if any.
    pub best_score: Option<f64>,
}

/// The figures of an evaluation.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EvalReport {
    /// Patches in the queue.
    pub patches: usize,
    /// Patches whose headers name a commit the index confirms.
    pub cases: usize,
    /// Cases where the cascade named a commit.
    pub answered: usize,
    /// Answers equal to the named commit.
    pub correct: usize,
    /// Of those, answers that are another commit with the same patch-id as the named one.
    pub equivalent: usize,
    /// correct / answered.
    pub precision: f64,
    /// correct / cases.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
    /// Statuses given to the cases.
    pub statuses: BTreeMap<String, usize>,
    /// For the correct answers, the strongest reason the commit was found by (`patch-id`,
    /// `subject`, `similar-lines`, `same-files`).
    pub found_by: BTreeMap<String, usize>,
    /// Per case, the highest score of a listed candidate in the target that is not the
    /// expected commit (nor an identical copy of it),
    /// sorted: how close wrong commits come to the threshold.
    pub wrong_scores: Vec<f64>,
    /// Wrong answers and misses.
    pub misses: Vec<EvalMiss>,
    /// How the named commit ranks among the commits described like the patch (BM25 over
    /// the index's text; none when the index keeps no text).
    pub described: Option<DescribedRanks>,
}

/// Where the named commits rank by description and names, over the cases.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DescribedRanks {
    /// Cases ranked (the index keeps text).
    pub cases: usize,
    /// Named commit ranked first / in the first ten, subject, description and names used.
    pub first: usize,
    /// See [`DescribedRanks::first`].
    pub top10: usize,
    /// The same from the diff alone (the words it brings in and the names it provides),
    /// subject and description hidden.
    pub first_diff_only: usize,
    /// See [`DescribedRanks::first_diff_only`].
    pub top10_diff_only: usize,
}

impl DescribedRanks {
    fn count(&mut self, with: Option<usize>, without: Option<usize>) {
        self.cases += 1;
        self.first += usize::from(with == Some(1));
        self.top10 += usize::from(with.is_some());
        self.first_diff_only += usize::from(without == Some(1));
        self.top10_diff_only += usize::from(without.is_some());
    }
}

/// Evaluate `queue` with `analyzer`, which must have an upstream history.
pub fn evaluate(queue: &Queue, analyzer: &mut Analyzer) -> Result<EvalReport, AnalysisError> {
    let mut report = EvalReport {
        patches: queue.entries.len(),
        ..EvalReport::default()
    };
    let hide = analyzer.options.hide_identity_headers;
    analyzer.options.hide_identity_headers = true;
    let result = run_cases(queue, analyzer, &mut report);
    analyzer.options.hide_identity_headers = hide;
    result?;
    report.wrong_scores.sort_by(f64::total_cmp);
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    report.precision = ratio(report.correct, report.answered);
    report.recall = ratio(report.correct, report.cases);
    let (p, r) = (report.precision, report.recall);
    report.f1 = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    Ok(report)
}

fn run_cases(
    queue: &Queue,
    analyzer: &mut Analyzer,
    report: &mut EvalReport,
) -> Result<(), AnalysisError> {
    for entry in &queue.entries {
        let Some(patch) = &entry.patch else { continue };
        let Some(named) = named_commit(analyzer, &claims_of(&patch.header))? else {
            continue;
        };
        report.cases += 1;
        if let Some(history) = analyzer.history.as_ref().filter(|h| h.has_text()) {
            let with = rank_of(history, patch, &named.commit, Sources::All)?;
            let without = rank_of(history, patch, &named.commit, Sources::DiffOnly)?;
            report
                .described
                .get_or_insert_with(DescribedRanks::default)
                .count(with, without);
        }
        let verdict = analyze_entry(entry, analyzer)?;
        *report
            .statuses
            .entry(verdict.status.to_string())
            .or_default() += 1;
        let wrong = verdict
            .candidates
            .iter()
            .filter(|c| c.in_target && c.commit != named.commit)
            .filter(|c| !c.reasons.iter().any(|r| r == "patch-id"))
            .map(|c| c.score)
            .fold(0.0, f64::max);
        report.wrong_scores.push(wrong);
        let found = verdict.commit.clone();
        let correct = found.as_deref() == Some(named.commit.as_str());
        let equivalent = !correct
            && found.is_some()
            && named.patch_id.is_some()
            && verdict.candidates.first().is_some_and(|c| {
                Some(&c.commit) == found.as_ref() && c.reasons.iter().any(|r| r == "patch-id")
            })
            && analyzer
                .history
                .as_ref()
                .and_then(|h| found.as_deref().map(|f| h.by_commit(f)))
                .transpose()?
                .is_some_and(|cs| cs.iter().any(|c| c.patch_id == named.patch_id));
        if found.is_some() {
            report.answered += 1;
        }
        if correct || equivalent {
            let reason = verdict
                .candidates
                .first()
                .and_then(|c| c.reasons.first().cloned())
                .unwrap_or_default();
            *report.found_by.entry(reason).or_default() += 1;
            report.correct += 1;
            report.equivalent += usize::from(equivalent);
        } else {
            report.misses.push(EvalMiss {
                name: entry.name.clone(),
                named: named.commit.clone(),
                found,
                status: verdict.status,
                best_score: verdict.candidates.first().map(|c| c.score),
            });
        }
    }
    Ok(())
}

/// The commit the headers name, when the index has exactly one such commit: itself when it
/// is in the target; when it is not (a stable-branch copy), the commit in the target its
/// message says it was cherry-picked from.
fn named_commit(
    analyzer: &mut Analyzer,
    claims: &[crate::claims::RawClaim],
) -> Result<Option<kdelta_upstream::StoredCommit>, AnalysisError> {
    let Some(history) = analyzer.history.as_mut() else {
        return Ok(None);
    };
    for claim in claims {
        let ClaimKind::Commit(id) = &claim.kind else {
            continue;
        };
        if id.len() < 7 {
            continue;
        }
        let found = history.by_commit(id)?;
        let [one] = found.as_slice() else { continue };
        if history.in_target(&one.commit).unwrap_or(true) {
            return Ok(Some(one.clone()));
        }
        for origin in history.picked_from(one)? {
            if history.in_target(&origin.commit).unwrap_or(true) {
                return Ok(Some(origin));
            }
        }
    }
    Ok(None)
}
