//! Refresh jobs: a request to analyse a distribution again, queued once per distribution,
//! claimed by one worker of one server process (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
//! the single writer on SQLite), and finished with a snapshot or an error. A failed refresh
//! keeps the last good snapshot; its error stays on the job for the pages to show.

use crate::{Backend, Db, DbError, DistributionId, SnapshotId};
use serde::Serialize;

/// A refresh job's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct JobId(pub i64);

/// Where a refresh job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RefreshState {
    /// Waiting for a worker.
    Queued,
    /// A worker runs it.
    Running,
    /// It made a snapshot.
    Done,
    /// It failed; the error says why.
    Failed,
}

impl RefreshState {
    fn as_str(self) -> &'static str {
        match self {
            RefreshState::Queued => "queued",
            RefreshState::Running => "running",
            RefreshState::Done => "done",
            RefreshState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> RefreshState {
        match text {
            "queued" => RefreshState::Queued,
            "running" => RefreshState::Running,
            "done" => RefreshState::Done,
            _ => RefreshState::Failed,
        }
    }
}

/// A job a worker has claimed.
#[derive(Clone, Debug)]
pub struct Claimed {
    /// The job.
    pub job: JobId,
    /// The distribution to refresh.
    pub distribution: DistributionId,
}

/// A refresh job as stored.
#[derive(Clone, Debug, Serialize)]
pub struct Refresh {
    /// Its id.
    pub id: JobId,
    /// Where it is.
    pub state: RefreshState,
    /// When it was asked for, and by whom (`poll`, a user, a token).
    pub requested_at: i64,
    /// Who asked.
    pub requested_by: String,
    /// When it ended.
    pub finished_at: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
    /// What it analysed (see `kdelta_jobs::inputs`), once it ran.
    pub inputs: Option<String>,
}

/// Claim a job: the oldest queued, or running past its lease ($3); one worker only, as the
/// row is locked and locked rows are skipped.
const CLAIM_POSTGRES: &str = "UPDATE refreshes SET state = 'running', worker = $1, started_at = $2
    WHERE id = (SELECT id FROM refreshes
                WHERE state = 'queued' OR (state = 'running' AND started_at < $3)
                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, distribution_id";

/// The same on SQLite, where the statement holds the database's one write lock.
const CLAIM_SQLITE: &str = "UPDATE refreshes SET state = 'running', worker = $1, started_at = $2
    WHERE id = (SELECT id FROM refreshes
                WHERE state = 'queued' OR (state = 'running' AND started_at < $3)
                ORDER BY id LIMIT 1)
    RETURNING id, distribution_id";

/// The newest refresh job of a distribution.
const NEWEST: &str = "SELECT id, state, requested_at, requested_by, finished_at, error, inputs
    FROM refreshes WHERE distribution_id = $1 ORDER BY id DESC LIMIT 1";

/// The newest refresh job of a distribution to have ended.
const NEWEST_ENDED: &str = "SELECT id, state, requested_at, requested_by, finished_at, error,
    inputs FROM refreshes WHERE distribution_id = $1 AND state IN ('done', 'failed')
    ORDER BY id DESC LIMIT 1";

/// A job running longer than this is taken to have lost its worker and is run again.
const LEASE_SECONDS: i64 = 3 * 3600;

/// The first key of the advisory lock a poll's request takes on PostgreSQL (the second is
/// the distribution).
const REQUEST_LOCK: i32 = 0x6b64;

impl Db {
    /// Queue a refresh of `distribution`, unless one is queued already; whether one was
    /// queued now.
    pub async fn request_refresh(
        &self,
        distribution: DistributionId,
        by: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO refreshes (distribution_id, state, requested_at, requested_by)
             VALUES ($1, 'queued', $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(distribution.0)
        .bind(now)
        .bind(by)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Queue a refresh of `distribution`, whose inputs are now `inputs`, when it needs one:
    /// none is queued or running, and the newest refresh to end (done or failed) was not
    /// made from these very inputs. Whether one was queued now. Decided and written at once,
    /// so that several server processes polling together queue one refresh.
    pub async fn request_refresh_if_needed(
        &self,
        distribution: DistributionId,
        inputs: &str,
        by: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            // READ COMMITTED lets two such inserts each miss the other: take turns.
            sqlx::query("SELECT pg_advisory_xact_lock(CAST($1 AS INTEGER), CAST($2 AS INTEGER))")
                .bind(REQUEST_LOCK)
                .bind(distribution.0)
                .execute(&mut *tx)
                .await?;
        }
        let done = sqlx::query(
            "INSERT INTO refreshes (distribution_id, state, requested_at, requested_by)
             SELECT $1, 'queued', $2, $3
             WHERE NOT EXISTS (SELECT 1 FROM refreshes
                               WHERE distribution_id = $1 AND state IN ('queued', 'running'))
               AND NOT EXISTS (SELECT 1 FROM refreshes r
                               WHERE r.id = (SELECT MAX(id) FROM refreshes
                                             WHERE distribution_id = $1
                                               AND state IN ('done', 'failed'))
                                 AND r.inputs = $4)
             ON CONFLICT DO NOTHING",
        )
        .bind(distribution.0)
        .bind(now)
        .bind(by)
        .bind(inputs)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Claim the oldest queued job (or one whose worker's lease ran out) for `worker`.
    pub async fn claim_refresh(&self, worker: &str, now: i64) -> Result<Option<Claimed>, DbError> {
        let sql = match self.backend {
            Backend::Postgres => CLAIM_POSTGRES,
            Backend::Sqlite => CLAIM_SQLITE,
        };
        let row: Option<(i64, i64)> = sqlx::query_as(sql)
            .bind(worker)
            .bind(now)
            .bind(now - LEASE_SECONDS)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(job, distribution)| Claimed {
            job: JobId(job),
            distribution: DistributionId(distribution),
        }))
    }

    /// Record the end of `job`: its snapshot, or why it failed, and what it analysed.
    pub async fn finish_refresh(
        &self,
        job: JobId,
        outcome: Result<SnapshotId, &str>,
        inputs: Option<&str>,
        now: i64,
    ) -> Result<(), DbError> {
        let (state, snapshot, error) = match outcome {
            Ok(id) => (RefreshState::Done, Some(id.0), None),
            Err(why) => (RefreshState::Failed, None, Some(why)),
        };
        sqlx::query(
            "UPDATE refreshes SET state = $1, finished_at = $2, snapshot_id = $3, error = $4,
             inputs = $5 WHERE id = $6",
        )
        .bind(state.as_str())
        .bind(now)
        .bind(snapshot)
        .bind(error)
        .bind(inputs)
        .bind(job.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Give the jobs `worker` is running back to the queue (it stops before they end).
    pub async fn requeue_running(&self, worker: &str) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE refreshes SET state = 'queued', worker = NULL, started_at = NULL
             WHERE state = 'running' AND worker = $1
             AND NOT EXISTS (SELECT 1 FROM refreshes q
                             WHERE q.state = 'queued' AND q.distribution_id = refreshes.distribution_id)",
        )
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The newest refresh job of `distribution`.
    pub async fn latest_refresh(
        &self,
        distribution: DistributionId,
    ) -> Result<Option<Refresh>, DbError> {
        self.newest_refresh(distribution, NEWEST).await
    }

    /// The newest refresh of `distribution` to have ended, when it failed: the error to
    /// show beside the last good snapshot.
    pub async fn failed_since_snapshot(
        &self,
        distribution: DistributionId,
    ) -> Result<Option<Refresh>, DbError> {
        let ended = self.newest_refresh(distribution, NEWEST_ENDED).await?;
        Ok(ended.filter(|r| r.state == RefreshState::Failed))
    }

    /// The refresh of `distribution` that `sql` picks.
    async fn newest_refresh(
        &self,
        distribution: DistributionId,
        sql: &'static str,
    ) -> Result<Option<Refresh>, DbError> {
        let row: Option<RefreshRow> = sqlx::query_as(sql)
            .bind(distribution.0)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(
            |(id, state, requested_at, requested_by, finished_at, error, inputs)| Refresh {
                id: JobId(id),
                state: RefreshState::parse(&state),
                requested_at,
                requested_by,
                finished_at,
                error,
                inputs,
            },
        ))
    }
}

type RefreshRow = (
    i64,
    String,
    i64,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);
