//! Decisions made on the site about a patch: one JSON document per patch of a distribution
//! (what it holds is the server's business), with a version. A write names the version it
//! was based on; if another write came first it is refused with the current document, so
//! nothing is overwritten silently. Every accepted write is an event: who, when, what, the
//! document before and after, in the same transaction.

use crate::{Db, DbError, DistributionId};
use serde::Serialize;

/// A stored decision document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredDecision {
    /// The patch's name in its queue.
    pub patch: String,
    /// The patch's fingerprint when the document was last written.
    pub fingerprint: Option<String>,
    /// The document (JSON).
    pub state: String,
    /// Its version: 1 for the first write, one more for each.
    pub version: i64,
    /// When it was last written.
    pub updated_at: i64,
    /// By whom.
    pub updated_by: String,
}

/// A write of a decision document.
pub struct DecisionWrite<'a> {
    /// The distribution.
    pub distribution: DistributionId,
    /// The patch.
    pub patch: &'a str,
    /// The version the write is based on: 0 when there was none.
    pub based_on: i64,
    /// The new document (JSON).
    pub state: &'a str,
    /// The document before, as the writer saw it (JSON; `null` when there was none).
    pub before: &'a str,
    /// The patch's fingerprint now.
    pub fingerprint: Option<&'a str>,
    /// What the write does (`claim`, `note`, `override`…).
    pub what: &'a str,
    /// Who writes.
    pub by: &'a str,
    /// When.
    pub now: i64,
}

/// How a write ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Written {
    /// Stored, with this version.
    Done(i64),
    /// Another write came first: the document as it is.
    Conflict(Option<StoredDecision>),
}

/// A change, as the event log keeps it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// Its id (increasing).
    pub id: i64,
    /// When.
    pub at: i64,
    /// Who.
    pub actor: String,
    /// The distribution's name.
    pub distribution: String,
    /// The patch.
    pub patch: String,
    /// What was done.
    pub what: String,
    /// The document's version after it.
    pub version: i64,
    /// The document before (JSON).
    pub before: String,
    /// The document after (JSON).
    pub after: String,
}

/// Which events to list: all filters optional, newest first, older than `before` (an id).
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    /// Of this distribution.
    pub distribution: Option<DistributionId>,
    /// Of this patch (with `distribution`).
    pub patch: Option<String>,
    /// By this person.
    pub actor: Option<String>,
    /// Older than this event id.
    pub before: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

type DecisionRow = (String, Option<String>, String, i64, i64, String);
type EventRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
);

fn decision(
    (patch, fingerprint, state, version, updated_at, updated_by): DecisionRow,
) -> StoredDecision {
    StoredDecision {
        patch,
        fingerprint,
        state,
        version,
        updated_at,
        updated_by,
    }
}

impl Db {
    /// The decision document of `patch` in `distribution`.
    pub async fn decision(
        &self,
        distribution: DistributionId,
        patch: &str,
    ) -> Result<Option<StoredDecision>, DbError> {
        let row: Option<DecisionRow> = sqlx::query_as(
            "SELECT patch, fingerprint, state, version, updated_at, updated_by FROM decisions
             WHERE distribution_id = $1 AND patch = $2",
        )
        .bind(distribution.0)
        .bind(patch)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(decision))
    }

    /// Every decision document of `distribution`, by patch name.
    pub async fn decisions(
        &self,
        distribution: DistributionId,
    ) -> Result<Vec<StoredDecision>, DbError> {
        let rows: Vec<DecisionRow> = sqlx::query_as(
            "SELECT patch, fingerprint, state, version, updated_at, updated_by FROM decisions
             WHERE distribution_id = $1 ORDER BY patch",
        )
        .bind(distribution.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(decision).collect())
    }

    /// Write a decision document if it is still at `w.based_on`, and log the event.
    pub async fn write_decision(&self, w: &DecisionWrite<'_>) -> Result<Written, DbError> {
        let version = w.based_on + 1;
        let mut tx = self.pool.begin().await?;
        let stored = if w.based_on == 0 {
            sqlx::query(
                "INSERT INTO decisions
                 (distribution_id, patch, fingerprint, state, version, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT DO NOTHING",
            )
            .bind(w.distribution.0)
            .bind(w.patch)
            .bind(w.fingerprint)
            .bind(w.state)
            .bind(w.now)
            .bind(w.by)
            .execute(&mut *tx)
            .await?
        } else {
            sqlx::query(
                "UPDATE decisions SET fingerprint = $1, state = $2, version = $3,
                 updated_at = $4, updated_by = $5
                 WHERE distribution_id = $6 AND patch = $7 AND version = $8",
            )
            .bind(w.fingerprint)
            .bind(w.state)
            .bind(version)
            .bind(w.now)
            .bind(w.by)
            .bind(w.distribution.0)
            .bind(w.patch)
            .bind(w.based_on)
            .execute(&mut *tx)
            .await?
        };
        if stored.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(Written::Conflict(
                self.decision(w.distribution, w.patch).await?,
            ));
        }
        sqlx::query(
            "INSERT INTO events (at, actor, distribution_id, patch, what, version, before, after)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(w.now)
        .bind(w.by)
        .bind(w.distribution.0)
        .bind(w.patch)
        .bind(w.what)
        .bind(version)
        .bind(w.before)
        .bind(w.state)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Written::Done(version))
    }

    /// The events `filter` picks, newest first.
    pub async fn events(&self, filter: &EventFilter) -> Result<Vec<Event>, DbError> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT e.id, e.at, e.actor, d.name, e.patch, e.what, e.version, e.before, e.after
                 FROM events e JOIN distributions d ON d.id = e.distribution_id
                 WHERE (CAST($1 AS BIGINT) IS NULL OR e.distribution_id = $1)
                   AND (CAST($2 AS TEXT) IS NULL OR e.patch = $2)
                   AND (CAST($3 AS TEXT) IS NULL OR e.actor = $3)
                   AND (CAST($4 AS BIGINT) IS NULL OR e.id < $4)
                 ORDER BY e.id DESC LIMIT $5",
        )
        .bind(filter.distribution.map(|d| d.0))
        .bind(filter.patch.as_deref())
        .bind(filter.actor.as_deref())
        .bind(filter.before)
        .bind(filter.limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, at, actor, distribution, patch, what, version, before, after)| Event {
                    id,
                    at,
                    actor,
                    distribution,
                    patch,
                    what,
                    version,
                    before,
                    after,
                },
            )
            .collect())
    }
}
