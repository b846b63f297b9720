//! The common delta: the newest snapshots of every distribution clustered into changes
//! ([`kdelta_analysis::compare`], on the patch facts each snapshot keeps), as the comparison
//! model `kdelta compare` writes. Computed once per set of newest snapshots and kept until
//! one of them changes.

use crate::error::Failure;
use crate::state::AppState;
use kdelta_analysis::compare::{cluster_facts, CompareOptions, PatchFacts};
use kdelta_db::{DistributionId, SnapshotId};
use kdelta_report::compare::{build_comparison_of, ComparePatch, CompareSide, Comparison};
use kdelta_report::model::{PatchReport, Upstream};
use kdelta_report::Report;
use std::collections::HashMap;
use std::sync::Arc;

/// The common delta of a set of snapshots.
pub struct CommonDelta {
    /// The snapshots it was computed from, and the newest event then.
    pub key: (Vec<(DistributionId, SnapshotId)>, Option<i64>),
    /// The comparison: the distributions (by name), the clusters.
    pub comparison: Comparison,
    /// Per distribution (same order), its report's patches by name: owners, features.
    pub patches: Vec<HashMap<String, PatchReport>>,
    /// Per distribution (same order), its configured name (in URLs).
    pub names: Vec<String>,
    /// Per distribution (same order), the features its annotations define.
    pub features: Vec<Vec<kdelta_report::model::Feature>>,
    /// Its page's body, once rendered.
    pub main: std::sync::OnceLock<String>,
    /// Its page, once rendered (for a reader not signed in).
    pub html: std::sync::OnceLock<crate::current::Body>,
    /// Its JSON, once serialised.
    pub json: std::sync::OnceLock<crate::current::Body>,
}

/// The common deltas computed: of every distribution (`None`), or of some.
pub type Kept = HashMap<Option<Vec<String>>, Arc<CommonDelta>>;

/// The most common deltas of some distributions kept (one per set readers may read).
const KEPT: usize = 32;

/// The common delta of the newest snapshots of every distribution, or of those in `only`,
/// from the cache when they have not changed.
pub async fn common_delta(
    state: &AppState,
    only: Option<Vec<String>>,
) -> Result<Arc<CommonDelta>, Failure> {
    let newest_event = state
        .db
        .events(&kdelta_db::EventFilter {
            limit: 1,
            ..Default::default()
        })
        .await?
        .first()
        .map(|e| e.id);
    let key = (state.db.latest_snapshot_ids().await?, newest_event);
    // Held while computing: requests that come meanwhile wait for this computation instead
    // of each starting their own.
    let mut cache = state.common.lock().await;
    if let Some(cached) = cache.get(&only) {
        if cached.key == key {
            return Ok(cached.clone());
        }
    }
    let mut inputs = Vec::new();
    let wanted = |name: &str| only.as_ref().is_none_or(|o| o.iter().any(|n| n == name));
    for d in state
        .config
        .distributions
        .iter()
        .filter(|d| wanted(&d.name))
    {
        let Some(stored) = state.db.distribution(&d.name).await? else {
            continue;
        };
        let Some(snapshot) = state.db.latest_snapshot(stored.id).await? else {
            continue;
        };
        let (Ok(mut report), Some(Ok(facts))) = (
            kdelta_report::render::json::parse(&snapshot.report),
            snapshot
                .facts
                .as_deref()
                .map(serde_json::from_str::<Vec<PatchFacts>>),
        ) else {
            // A snapshot without facts (a pushed report) cannot be clustered.
            continue;
        };
        let decisions = state.db.decisions(stored.id).await?;
        let fingerprints = crate::overlay::fingerprints(snapshot.facts.as_deref());
        crate::overlay::apply(&mut report, &decisions, &fingerprints);
        inputs.push((d.name.clone(), report, facts));
    }
    let computed = Arc::new(
        tokio::task::spawn_blocking(move || compute(key, inputs))
            .await
            .map_err(|e| {
                eprintln!("kdelta serve: the common delta: {e}");
                Failure::Internal
            })?,
    );
    if cache.len() >= KEPT {
        cache.clear();
    }
    cache.insert(only, computed.clone());
    Ok(computed)
}

/// Cluster the distributions' facts, and build the comparison from their reports.
fn compute(
    key: (Vec<(DistributionId, SnapshotId)>, Option<i64>),
    inputs: Vec<(String, Report, Vec<PatchFacts>)>,
) -> CommonDelta {
    let features: Vec<HashMap<String, String>> = inputs
        .iter()
        .map(|(_, report, _)| {
            report
                .patches
                .iter()
                .filter_map(|p| Some((p.name.clone(), p.feature.clone()?)))
                .collect()
        })
        .collect();
    let facts: Vec<&[PatchFacts]> = inputs.iter().map(|(_, _, f)| f.as_slice()).collect();
    let clusters = cluster_facts(&facts, &features, &CompareOptions::default());
    let sides: Vec<CompareSide> = inputs
        .iter()
        .map(|(_, report, facts)| side(report, facts))
        .collect();
    let comparison = build_comparison_of(&sides, &clusters, Upstream::default(), None);
    CommonDelta {
        key,
        comparison,
        patches: inputs
            .iter()
            .map(|(_, report, _)| {
                report
                    .patches
                    .iter()
                    .map(|p| (p.name.clone(), p.clone()))
                    .collect()
            })
            .collect(),
        features: inputs.iter().map(|(_, r, _)| r.features.clone()).collect(),
        names: inputs.into_iter().map(|(name, _, _)| name).collect(),
        main: Default::default(),
        html: Default::default(),
        json: Default::default(),
    }
}

/// A distribution's side of the comparison: its patches in the facts' order, with the
/// report's status (a status set by hand counts) and upstream commit.
fn side(report: &Report, facts: &[PatchFacts]) -> CompareSide {
    let by_name: HashMap<&str, &PatchReport> = report
        .patches
        .iter()
        .map(|p| (p.name.as_str(), p))
        .collect();
    CompareSide {
        name: report.title(),
        queue: report.queue.clone(),
        patches: facts
            .iter()
            .map(|f| {
                let p = by_name.get(f.name.as_str());
                ComparePatch {
                    name: f.name.clone(),
                    status: p.map_or(kdelta_analysis::Status::Unknown, |p| p.status),
                    subject: p.and_then(|p| p.subject.clone()),
                    commit: p.and_then(|p| p.commit.clone()),
                    release: p.and_then(|p| p.release.clone()),
                }
            })
            .collect(),
    }
}
