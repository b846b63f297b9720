//! Opening the database by URL, and which backend it is.

use crate::DbError;
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::AnyPool;

/// Which database a [`Db`] speaks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The storage: a pool of connections to one database, migrated to this build's schema.
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
}

impl Db {
    /// Open the database at `url` (`sqlite://FILE`, created when missing, or
    /// `postgres://…`) and bring its schema up to date.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        install_default_drivers();
        let (backend, url) = parse(url)?;
        if backend == Backend::Sqlite {
            wal(&url).await?;
        }
        let mut options = AnyPoolOptions::new().max_connections(match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => 10,
        });
        if backend == Backend::Sqlite {
            // A connection's own setting: on every connection of the pool.
            options = options.after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::raw_sql("PRAGMA foreign_keys = ON")
                        .execute(conn)
                        .await
                        .map(|_| ())
                })
            });
        }
        let pool = options.connect(&url).await?;
        let db = Db { pool, backend };
        crate::migrate::migrate(&db).await?;
        Ok(db)
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Close every connection (after in-flight statements end).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Put the SQLite file at `url` in WAL mode (readers do not wait for the writer), once: the
/// mode is kept in the file. On a connection of its own, before the pool opens any: the
/// switch needs an exclusive lock, which SQLite does not wait for, so while another process
/// opening the file at the same moment holds the file, it is tried again.
async fn wal(url: &str) -> Result<(), DbError> {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    for _ in 0..200 {
        let switched: Result<(String,), _> = sqlx::query_as("PRAGMA journal_mode = WAL")
            .fetch_one(&mut conn)
            .await;
        match switched {
            Ok((mode,)) if mode.eq_ignore_ascii_case("wal") => {
                conn.close().await?;
                return Ok(());
            }
            // Not switched (the file is in use): again.
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("5") => {}
            Err(e) => return Err(e.into()),
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Err(DbError::Busy(
        "switching the SQLite file to WAL mode".into(),
    ))
}

/// The backend of `url`, and the URL to connect with (a SQLite file is created when
/// missing, and waited for when busy).
fn parse(url: &str) -> Result<(Backend, String), DbError> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        if path.is_empty() {
            return Err(DbError::Url(url.to_string()));
        }
        let sep = if path.contains('?') { '&' } else { '?' };
        return Ok((Backend::Sqlite, format!("{url}{sep}mode=rwc")));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_string()));
    }
    Err(DbError::Url(redact(url)))
}

/// `url` with any password replaced, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let auth = &url[scheme + 3..at];
            match auth.find(':') {
                Some(colon) => {
                    format!("{}{}:***{}", &url[..scheme + 3], &auth[..colon], &url[at..])
                }
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse, redact, Backend};

    #[test]
    fn urls() {
        let (b, u) = parse("sqlite:///tmp/x.db").expect("sqlite");
        assert_eq!(
            (b, u.as_str()),
            (Backend::Sqlite, "sqlite:///tmp/x.db?mode=rwc")
        );
        assert_eq!(parse("postgres://h/db").expect("pg").0, Backend::Postgres);
        assert!(parse("mysql://h/db").is_err());
        assert!(parse("sqlite://").is_err());
        assert_eq!(
            redact("postgres://me:secret@h/db"),
            "postgres://me:***@h/db"
        );
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }
}
