//! Snapshots: each analysis of a distribution, kept. The newest is what the pages show;
//! all of them together are the distribution's history.

use crate::{Db, DbError, DistributionId};
use serde::Serialize;
use std::collections::BTreeMap;

/// A snapshot's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SnapshotId(pub i64);

/// A snapshot to store.
pub struct NewSnapshot<'a> {
    /// Whose.
    pub distribution: DistributionId,
    /// When it was taken.
    pub taken_at: i64,
    /// What it was made from (queue and upstream revisions), to tell when to refresh.
    pub inputs: &'a str,
    /// How many patches.
    pub patches: i64,
    /// Patches per status.
    pub counts: &'a BTreeMap<String, i64>,
    /// The report model, as JSON.
    pub report: &'a str,
    /// What the clustering knows of each patch, as JSON, when the queue was read.
    pub facts: Option<&'a str>,
}

/// A stored snapshot, without its report.
#[derive(Clone, Debug, Serialize)]
pub struct SnapshotSummary {
    /// Its id.
    pub id: SnapshotId,
    /// When it was taken.
    pub taken_at: i64,
    /// What it was made from.
    pub inputs: String,
    /// How many patches.
    pub patches: i64,
    /// Patches per status.
    pub counts: BTreeMap<String, i64>,
}

/// A stored snapshot with its report.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// What it is.
    pub summary: SnapshotSummary,
    /// The report model, as JSON.
    pub report: String,
    /// What the clustering knows of each patch, as JSON.
    pub facts: Option<String>,
}

type Row = (i64, i64, String, i64, String);
type FullRow = (i64, i64, String, i64, String, String, Option<String>);

fn summary((id, taken_at, inputs, patches, counts): Row) -> Result<SnapshotSummary, DbError> {
    Ok(SnapshotSummary {
        id: SnapshotId(id),
        taken_at,
        inputs,
        patches,
        counts: serde_json::from_str(&counts)?,
    })
}

impl Db {
    /// Store a snapshot.
    pub async fn add_snapshot(&self, s: &NewSnapshot<'_>) -> Result<SnapshotId, DbError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO snapshots (distribution_id, taken_at, inputs, patches, counts, report, facts)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(s.distribution.0)
        .bind(s.taken_at)
        .bind(s.inputs)
        .bind(s.patches)
        .bind(serde_json::to_string(s.counts)?)
        .bind(s.report)
        .bind(s.facts)
        .fetch_one(&self.pool)
        .await?;
        Ok(SnapshotId(id))
    }

    /// The newest snapshot of `distribution`, with its report.
    pub async fn latest_snapshot(
        &self,
        distribution: DistributionId,
    ) -> Result<Option<Snapshot>, DbError> {
        let row: Option<FullRow> = sqlx::query_as(
            "SELECT id, taken_at, inputs, patches, counts, report, facts FROM snapshots
             WHERE distribution_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(distribution.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(id, taken_at, inputs, patches, counts, report, facts)| {
            Ok(Snapshot {
                summary: summary((id, taken_at, inputs, patches, counts))?,
                report,
                facts,
            })
        })
        .transpose()
    }

    /// The newest snapshot of every distribution that has one: which it is (for caches of
    /// what is computed over all of them).
    pub async fn latest_snapshot_ids(&self) -> Result<Vec<(DistributionId, SnapshotId)>, DbError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT distribution_id, MAX(id) FROM snapshots GROUP BY distribution_id
             ORDER BY distribution_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(d, s)| (DistributionId(d), SnapshotId(s)))
            .collect())
    }

    /// The newest snapshot of `distribution`, without its report.
    pub async fn latest_snapshot_summary(
        &self,
        distribution: DistributionId,
    ) -> Result<Option<SnapshotSummary>, DbError> {
        let row: Option<Row> = sqlx::query_as(
            "SELECT id, taken_at, inputs, patches, counts FROM snapshots
             WHERE distribution_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(distribution.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(summary).transpose()
    }

    /// Every snapshot of `distribution`, oldest first, without reports.
    pub async fn snapshots(
        &self,
        distribution: DistributionId,
    ) -> Result<Vec<SnapshotSummary>, DbError> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, taken_at, inputs, patches, counts FROM snapshots
             WHERE distribution_id = $1 ORDER BY id",
        )
        .bind(distribution.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(summary).collect()
    }
}
