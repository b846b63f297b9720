//! Why a storage call failed.

/// Why a storage call failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database URL is not one kdelta serves from.
    #[error("{0:?}: expected sqlite://FILE or postgres://…")]
    Url(String),
    /// The database refused or failed (the URL is not repeated: it may hold a password).
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    /// A stored JSON value could not be read or written.
    #[error("stored value: {0}")]
    Json(#[from] serde_json::Error),
    /// The database was made by a newer kdelta.
    #[error("the database has schema version {found}; this kdelta knows up to {known}")]
    TooNew {
        /// The newest version applied.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// A backup that cannot be restored here.
    #[error("backup: {0}")]
    Backup(String),
    /// A name that is taken.
    #[error("{0} exists already")]
    Exists(String),
    /// A name or id that the database does not have.
    #[error("no {0}")]
    NotFound(String),
    /// Others kept the database busy for longer than waited (what could not be done).
    #[error("the database stayed busy: {0}")]
    Busy(String),
}
