//! What the pages and the API show of a distribution: its configuration, newest snapshot
//! and newest refresh, gathered once from the database.

use crate::config::DistributionConfig;
use crate::error::Failure;
use crate::state::AppState;
use kdelta_db::{Distribution, Refresh, RefreshState, SnapshotSummary};
use serde::Serialize;

/// A distribution as the pages and the API show it.
#[derive(Serialize)]
pub struct DistributionView {
    /// Its name, in URLs.
    pub name: String,
    /// Its name in headings.
    pub title: String,
    /// Its release.
    pub release: Option<String>,
    /// Its newest snapshot.
    pub snapshot: Option<SnapshotSummary>,
    /// Its newest refresh job.
    pub refresh: Option<Refresh>,
    /// The error of its newest refresh to end, when that failed (the snapshot is older).
    pub failed: Option<String>,
    #[serde(skip)]
    pub(crate) stored: Distribution,
}

impl DistributionView {
    /// Gather the view of the configured distribution `d`.
    pub async fn of(state: &AppState, d: &DistributionConfig) -> Result<DistributionView, Failure> {
        let stored = state
            .db
            .distribution(&d.name)
            .await?
            .ok_or_else(|| Failure::NotFound(format!("distribution {:?}", d.name)))?;
        let snapshot = state.db.latest_snapshot_summary(stored.id).await?;
        let refresh = state.db.latest_refresh(stored.id).await?;
        let failed = state
            .db
            .failed_since_snapshot(stored.id)
            .await?
            .and_then(|r| r.error);
        Ok(DistributionView {
            name: d.name.clone(),
            title: d.title().to_string(),
            release: d.release.clone(),
            snapshot,
            refresh,
            failed,
            stored,
        })
    }

    /// Every configured distribution's view, in the configuration's order.
    pub async fn all(state: &AppState) -> Result<Vec<DistributionView>, Failure> {
        let mut out = Vec::new();
        for d in &state.config.distributions {
            out.push(DistributionView::of(state, d).await?);
        }
        Ok(out)
    }

    /// What its refresh is doing, in words.
    pub fn refresh_state(&self) -> String {
        match &self.refresh {
            None => "never refreshed".into(),
            Some(r) => match r.state {
                RefreshState::Queued => "refresh queued".into(),
                RefreshState::Running => "refreshing now".into(),
                RefreshState::Done => format!(
                    "refreshed {}",
                    r.finished_at.map(crate::pages::when).unwrap_or_default()
                ),
                RefreshState::Failed => format!(
                    "refresh failed {}",
                    r.finished_at.map(crate::pages::when).unwrap_or_default()
                ),
            },
        }
    }
}

/// The configured distribution called `name`.
pub fn configured<'s>(state: &'s AppState, name: &str) -> Result<&'s DistributionConfig, Failure> {
    state
        .config
        .distributions
        .iter()
        .find(|d| d.name == name)
        .ok_or_else(|| Failure::NotFound(format!("distribution {name:?}")))
}

/// The stored id of the distribution called `name`, when a name is given.
pub async fn stored_id(
    state: &AppState,
    name: Option<&str>,
) -> Result<Option<kdelta_db::DistributionId>, Failure> {
    let Some(name) = name else {
        return Ok(None);
    };
    let stored = state
        .db
        .distribution(name)
        .await?
        .ok_or_else(|| Failure::NotFound(format!("distribution {name:?}")))?;
    Ok(Some(stored.id))
}

/// The events `filter` selects that `reader` may read, newest first: on a private site,
/// those of other distributions are skipped (and more are fetched in their place).
pub async fn readable_events(
    state: &AppState,
    reader: &crate::auth::Reader,
    mut filter: kdelta_db::EventFilter,
) -> Result<Vec<kdelta_db::Event>, Failure> {
    let Some(readable) = reader.readable(state) else {
        return Ok(state.db.events(&filter).await?);
    };
    let mut out = Vec::new();
    loop {
        let batch = state.db.events(&filter).await?;
        let exhausted = (batch.len() as i64) < filter.limit;
        filter.before = batch.last().map(|e| e.id).or(filter.before);
        out.extend(
            batch
                .into_iter()
                .filter(|e| readable.contains(&e.distribution)),
        );
        if exhausted || out.len() as i64 >= filter.limit {
            out.truncate(filter.limit.max(0) as usize);
            return Ok(out);
        }
    }
}
