//! The shared service's storage, behind one API: the distributions a server serves, the
//! snapshots of their analysis (the report model as JSON, and counts per status for the
//! history), and the refresh jobs that make them.
//!
//! One SQL text serves both databases wherever they agree (`$1` placeholders, `RETURNING`,
//! partial indexes, `ON CONFLICT`); where they differ (the job claim: `FOR UPDATE SKIP
//! LOCKED` on PostgreSQL) the statement is chosen by [`Backend`]. Integers are `BIGINT`,
//! times are seconds since the epoch, structured values are JSON text, so every value maps
//! to the same Rust type on both. Every statement is parameterised.

pub mod backup;
mod connect;
mod decisions;
mod distributions;
pub mod error;
mod migrate;
mod refreshes;
mod snapshots;
mod stamp;
mod users;

pub use backup::Backup;
pub use connect::{Backend, Db};
pub use decisions::{DecisionWrite, Event, EventFilter, StoredDecision, Written};
pub use distributions::{Distribution, DistributionId};
pub use error::DbError;
pub use refreshes::{Claimed, JobId, Refresh, RefreshState};
pub use snapshots::{NewSnapshot, Snapshot, SnapshotId, SnapshotSummary};
pub use stamp::Stamp;
pub use users::{Role, TokenId, TokenInfo, User, UserId};

#[cfg(test)]
mod tests;

/// Seconds since the epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
