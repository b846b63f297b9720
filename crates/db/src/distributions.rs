//! The distributions a server serves: a name and its configuration (JSON, as the server's
//! config file gives it), kept in step with the config file at each start.

use crate::{Db, DbError};
use serde::Serialize;

/// A distribution's id in the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DistributionId(pub i64);

/// A distribution as stored.
#[derive(Clone, Debug, Serialize)]
pub struct Distribution {
    /// Its id.
    pub id: DistributionId,
    /// Its name (unique).
    pub name: String,
    /// Its configuration, as JSON text.
    pub config: String,
}

type Row = (i64, String, String);

fn from_row((id, name, config): Row) -> Distribution {
    Distribution {
        id: DistributionId(id),
        name,
        config,
    }
}

impl Db {
    /// Add the distribution `name`, or set its configuration when it exists.
    pub async fn upsert_distribution(
        &self,
        name: &str,
        config: &str,
        now: i64,
    ) -> Result<DistributionId, DbError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO distributions (name, config, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET config = excluded.config
             RETURNING id",
        )
        .bind(name)
        .bind(config)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(DistributionId(id))
    }

    /// Every distribution, by name.
    pub async fn distributions(&self) -> Result<Vec<Distribution>, DbError> {
        let rows: Vec<Row> =
            sqlx::query_as("SELECT id, name, config FROM distributions ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    /// The distribution with id `id`.
    pub async fn distribution_by_id(&self, id: DistributionId) -> Result<Distribution, DbError> {
        let row: Option<Row> =
            sqlx::query_as("SELECT id, name, config FROM distributions WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        row.map(from_row)
            .ok_or_else(|| DbError::NotFound(format!("distribution {}", id.0)))
    }

    /// The distribution called `name`.
    pub async fn distribution(&self, name: &str) -> Result<Option<Distribution>, DbError> {
        let row: Option<Row> =
            sqlx::query_as("SELECT id, name, config FROM distributions WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(from_row))
    }

    /// The team's annotations file as it was last imported (none before the first import).
    pub async fn imported_annotations(
        &self,
        id: DistributionId,
    ) -> Result<Option<String>, DbError> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT imported_annotations FROM distributions WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(text,)| text))
    }

    /// Keep `text` as the annotations file last imported.
    pub async fn set_imported_annotations(
        &self,
        id: DistributionId,
        text: &str,
    ) -> Result<(), DbError> {
        sqlx::query("UPDATE distributions SET imported_annotations = $1 WHERE id = $2")
            .bind(text)
            .bind(id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
