//! Backing up and restoring everything the service stores (but sign-in sessions) as one JSON
//! document, from either database into either: `kdelta serve export|import`. A restore goes
//! into an empty database of the same schema version, in one transaction, ids kept.

use crate::{Backend, Db, DbError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;
use std::collections::BTreeMap;

/// The backup format's version.
const FORMAT: u32 = 1;

/// A column's type.
#[derive(Clone, Copy)]
enum Kind {
    Int,
    Text,
    OptInt,
    OptText,
}

use Kind::{Int, OptInt, OptText, Text};

/// A table: its name, its columns, whether it has a serial `id`.
type Table = (&'static str, &'static [(&'static str, Kind)], bool);

/// Every table backed up, in an order that restores references before their users, with
/// its columns (the first is what rows are ordered by) and whether it has a serial `id`.
const TABLES: &[Table] = &[
    (
        "distributions",
        &[
            ("id", Int),
            ("name", Text),
            ("config", Text),
            ("created_at", Int),
            ("imported_annotations", OptText),
        ],
        true,
    ),
    (
        "snapshots",
        &[
            ("id", Int),
            ("distribution_id", Int),
            ("taken_at", Int),
            ("inputs", Text),
            ("patches", Int),
            ("counts", Text),
            ("report", Text),
            ("facts", OptText),
        ],
        true,
    ),
    (
        "refreshes",
        &[
            ("id", Int),
            ("distribution_id", Int),
            ("state", Text),
            ("requested_at", Int),
            ("requested_by", Text),
            ("started_at", OptInt),
            ("finished_at", OptInt),
            ("worker", OptText),
            ("error", OptText),
            ("inputs", OptText),
            ("snapshot_id", OptInt),
        ],
        true,
    ),
    (
        "users",
        &[
            ("id", Int),
            ("name", Text),
            ("password_hash", OptText),
            ("created_at", Int),
        ],
        true,
    ),
    (
        "grants",
        &[("user_id", Int), ("distribution", Text), ("role", Text)],
        false,
    ),
    (
        "tokens",
        &[
            ("id", Int),
            ("user_id", Int),
            ("label", Text),
            ("hash", Text),
            ("created_at", Int),
            ("revoked_at", OptInt),
        ],
        true,
    ),
    (
        "decisions",
        &[
            ("id", Int),
            ("distribution_id", Int),
            ("patch", Text),
            ("fingerprint", OptText),
            ("state", Text),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
        true,
    ),
    (
        "events",
        &[
            ("id", Int),
            ("at", Int),
            ("actor", Text),
            ("distribution_id", Int),
            ("patch", Text),
            ("what", Text),
            ("version", Int),
            ("before", Text),
            ("after", Text),
        ],
        true,
    ),
];

/// A whole backup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    /// The backup format.
    pub format: u32,
    /// The schema version of the database it came from.
    pub schema: i64,
    /// Per table, its rows, each the columns' values in order.
    pub tables: BTreeMap<String, Vec<Vec<Value>>>,
}

/// The columns of `table`, joined.
fn columns(cols: &[(&str, Kind)]) -> String {
    cols.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

impl Db {
    /// Everything but sessions.
    pub async fn export(&self) -> Result<Backup, DbError> {
        let mut tables = BTreeMap::new();
        for (table, cols, _) in TABLES {
            // Table and column names are this file's constants, never input.
            let sql = format!(
                "SELECT {} FROM {table} ORDER BY {}",
                columns(cols),
                cols[0].0
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&self.pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let mut values = Vec::with_capacity(cols.len());
                for (i, (_, kind)) in cols.iter().enumerate() {
                    values.push(match kind {
                        Int => Value::from(row.try_get::<i64, _>(i)?),
                        Text => Value::from(row.try_get::<String, _>(i)?),
                        OptInt => row
                            .try_get::<Option<i64>, _>(i)?
                            .map_or(Value::Null, Value::from),
                        OptText => row
                            .try_get::<Option<String>, _>(i)?
                            .map_or(Value::Null, Value::from),
                    });
                }
                out.push(values);
            }
            tables.insert(table.to_string(), out);
        }
        Ok(Backup {
            format: FORMAT,
            schema: crate::migrate::latest(),
            tables,
        })
    }

    /// Restore `backup` into this database, which must be empty.
    pub async fn import(&self, backup: &Backup) -> Result<(), DbError> {
        if backup.format != FORMAT || backup.schema != crate::migrate::latest() {
            return Err(DbError::Backup(format!(
                "a backup of format {} and schema {}; this kdelta reads format {FORMAT}, schema {}",
                backup.format,
                backup.schema,
                crate::migrate::latest()
            )));
        }
        let (used,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM distributions) + (SELECT COUNT(*) FROM users)",
        )
        .fetch_one(&self.pool)
        .await?;
        if used > 0 {
            return Err(DbError::Backup(
                "the database is not empty: restore into a new one".into(),
            ));
        }
        let mut tx = self.pool.begin().await?;
        for (table, cols, serial) in TABLES {
            let rows = backup.tables.get(*table).map(Vec::as_slice).unwrap_or(&[]);
            let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
            // Table and column names are this file's constants, never input.
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                columns(cols),
                marks.join(", ")
            );
            for (n, row) in rows.iter().enumerate() {
                if row.len() != cols.len() {
                    return Err(DbError::Backup(format!(
                        "{table}, row {}: {} values for {} columns",
                        n + 1,
                        row.len(),
                        cols.len()
                    )));
                }
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
                for ((name, kind), value) in cols.iter().zip(row) {
                    let wrong =
                        || DbError::Backup(format!("{table}, row {}: {name} is {value}", n + 1));
                    q = match kind {
                        Int => q.bind(value.as_i64().ok_or_else(wrong)?),
                        Text => q.bind(value.as_str().ok_or_else(wrong)?.to_string()),
                        OptInt if value.is_null() => q.bind(None::<i64>),
                        OptInt => q.bind(Some(value.as_i64().ok_or_else(wrong)?)),
                        OptText if value.is_null() => q.bind(None::<String>),
                        OptText => q.bind(Some(value.as_str().ok_or_else(wrong)?.to_string())),
                    };
                }
                q.execute(&mut *tx).await?;
            }
            if *serial && self.backend == Backend::Postgres {
                // The next id follows the restored ones.
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
