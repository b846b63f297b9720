//! The current report of each distribution — its newest snapshot with the site's decisions
//! applied — parsed once and kept, with its page and JSON once rendered, until a new
//! snapshot or decision changes it. What a request costs is then a few small queries to
//! check that nothing changed.

use crate::error::Failure;
use crate::state::AppState;
use axum::body::Bytes;
use kdelta_db::DistributionId;
use kdelta_report::Report;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// A distribution's current report, and what was rendered of it.
pub struct Current {
    /// What it was made from: the snapshot, the decisions' versions, the failed refresh.
    pub key: String,
    /// The snapshot's id.
    pub snapshot: i64,
    /// When the snapshot was taken.
    pub taken_at: i64,
    /// The report, decisions applied.
    pub report: Report,
    /// The error of a refresh that failed after the snapshot.
    pub failed: Option<String>,
    /// The distribution page, once rendered.
    pub html: OnceLock<Bytes>,
    /// The report as JSON, once serialised.
    pub json: OnceLock<Bytes>,
}

/// The kept reports, by distribution.
#[derive(Default)]
pub struct Reports {
    kept: tokio::sync::Mutex<HashMap<DistributionId, Arc<Current>>>,
}

/// The current report of `distribution`, `None` before its first snapshot.
pub async fn current(
    state: &AppState,
    distribution: DistributionId,
) -> Result<Option<Arc<Current>>, Failure> {
    let Some(summary) = state.db.latest_snapshot_summary(distribution).await? else {
        return Ok(None);
    };
    let decisions = state.db.decisions(distribution).await?;
    let failed = state
        .db
        .failed_since_snapshot(distribution)
        .await?
        .and_then(|r| r.error);
    let versions: i64 = decisions.iter().map(|d| d.version).sum();
    let key = format!("{}:{}:{versions}:{failed:?}", summary.id.0, decisions.len());
    if let Some(kept) = state.reports.kept.lock().await.get(&distribution) {
        if kept.key == key {
            return Ok(Some(kept.clone()));
        }
    }
    let Some(snapshot) = state.db.latest_snapshot(distribution).await? else {
        return Ok(None);
    };
    let text = snapshot.report;
    let facts = snapshot.facts;
    let report = tokio::task::spawn_blocking(move || {
        let mut report = kdelta_report::render::json::parse(&text)?;
        let fingerprints = crate::overlay::fingerprints(facts.as_deref());
        crate::overlay::apply(&mut report, &decisions, &fingerprints);
        Ok::<_, kdelta_report::ReportError>(report)
    })
    .await
    .map_err(|_| Failure::Internal)?
    .map_err(|e| {
        eprintln!("kdelta serve: a snapshot does not read: {e}");
        Failure::Internal
    })?;
    let current = Arc::new(Current {
        key,
        snapshot: snapshot.summary.id.0,
        taken_at: snapshot.summary.taken_at,
        report,
        failed,
        html: OnceLock::new(),
        json: OnceLock::new(),
    });
    state
        .reports
        .kept
        .lock()
        .await
        .insert(distribution, current.clone());
    Ok(Some(current))
}
