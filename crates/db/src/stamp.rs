//! A stamp of everything the pages show that changes: it differs whenever a snapshot is
//! taken, a refresh is queued, starts or ends, or a decision is written (each write is an
//! event). A server keeps what it rendered under the stamp it was rendered at, and one small
//! query tells whether that still holds — also when another server process made the change.

use crate::{Db, DbError};

/// What the stamp is made of; equal stamps mean the same pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stamp {
    /// The newest event.
    pub event: i64,
    /// The newest snapshot.
    pub snapshot: i64,
    /// The newest refresh job.
    pub refresh: i64,
    /// Refresh jobs queued or running.
    pub active: i64,
    /// Refresh jobs running.
    pub running: i64,
}

impl Db {
    /// The stamp now.
    pub async fn stamp(&self) -> Result<Stamp, DbError> {
        let (event, snapshot, refresh, active, running): (i64, i64, i64, i64, i64) =
            sqlx::query_as(
                "SELECT CAST((SELECT COALESCE(MAX(id), 0) FROM events) AS BIGINT),
                        CAST((SELECT COALESCE(MAX(id), 0) FROM snapshots) AS BIGINT),
                        CAST((SELECT COALESCE(MAX(id), 0) FROM refreshes) AS BIGINT),
                        CAST((SELECT COUNT(*) FROM refreshes
                              WHERE state IN ('queued', 'running')) AS BIGINT),
                        CAST((SELECT COUNT(*) FROM refreshes WHERE state = 'running') AS BIGINT)",
            )
            .fetch_one(&self.pool)
            .await?;
        Ok(Stamp {
            event,
            snapshot,
            refresh,
            active,
            running,
        })
    }
}
