//! Versioned migrations, one list per backend, applied in order, each in a transaction with
//! the row that records it. On PostgreSQL an advisory lock makes a second server process
//! wait until the first has migrated.

use crate::{Backend, Db, DbError};

/// A migration: its version, name, and SQL for each backend.
struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// Every migration this build knows, oldest first.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "snapshots",
        sqlite: include_str!("../migrations/sqlite/0001_snapshots.sql"),
        postgres: include_str!("../migrations/postgres/0001_snapshots.sql"),
    },
    Migration {
        version: 2,
        name: "facts",
        sqlite: include_str!("../migrations/sqlite/0002_facts.sql"),
        postgres: include_str!("../migrations/postgres/0002_facts.sql"),
    },
    Migration {
        version: 3,
        name: "people",
        sqlite: include_str!("../migrations/sqlite/0003_people.sql"),
        postgres: include_str!("../migrations/postgres/0003_people.sql"),
    },
    Migration {
        version: 4,
        name: "imports",
        sqlite: include_str!("../migrations/sqlite/0004_imports.sql"),
        postgres: include_str!("../migrations/postgres/0004_imports.sql"),
    },
];

/// The advisory lock key migrations hold on PostgreSQL ("kdelta" in ASCII).
const LOCK: i64 = 0x6b_64_65_6c_74_61;

/// The newest schema version this build knows.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Apply the migrations the database lacks.
pub(crate) async fn migrate(db: &Db) -> Result<(), DbError> {
    // SQLite: take the write lock first, waiting for it, so that a second process migrating
    // at the same moment waits instead of failing to upgrade a read.
    let mut tx = match db.backend {
        Backend::Sqlite => db.pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => db.pool.begin().await?,
    };
    if db.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(LOCK)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS kdelta_migrations (
            version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    let (found,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(version), 0) FROM kdelta_migrations")
            .fetch_one(&mut *tx)
            .await?;
    if found > latest() {
        return Err(DbError::TooNew {
            found,
            known: latest(),
        });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        let sql = match db.backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO kdelta_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(crate::now())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
