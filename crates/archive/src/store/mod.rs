//! The archive index on disk: SQLite beside the upstream index, one writer at a time (a lock
//! file, as the upstream index has), readers beside it (WAL).

mod read;
pub mod schema;
mod write;

pub use read::{Posting, Response, SeriesRow, Thread};
pub use write::{Located, Writer};

use kdelta_upstream::store::file;
use kdelta_upstream::StoreError;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// An open archive index.
pub struct ArchiveStore {
    pub(crate) conn: Connection,
    path: PathBuf,
    _lock: Option<std::fs::File>,
}

/// The default archive index: `$XDG_CACHE_HOME/kdelta/archive.sqlite`.
pub fn default_archive_path() -> PathBuf {
    kdelta_upstream::store::cache_root()
        .join("kdelta")
        .join("archive.sqlite")
}

impl ArchiveStore {
    /// Open (creating and migrating) the index at `path` for writing: takes the lock.
    pub fn open_for_writing(path: &Path) -> Result<ArchiveStore, StoreError> {
        let real = file::real_path(path)?;
        let lock = file::take_lock(&real)?;
        let mut conn = Connection::open(&real).map_err(|e| sql(path, e))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768;",
        )
        .map_err(|e| sql(path, e))?;
        let from = check_version(&conn, path)?;
        file::migrate(&mut conn, path, schema::MIGRATIONS, from)?;
        Ok(ArchiveStore {
            conn,
            path: path.into(),
            _lock: Some(lock),
        })
    }

    /// Open an existing index for reading.
    pub fn open_for_reading(path: &Path) -> Result<ArchiveStore, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Io {
                path: path.into(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no archive index here; run `kdelta archive index` first",
                ),
            });
        }
        let conn = file::open_read_only(path)?;
        let found = check_version(&conn, path)?;
        if found < schema::MIGRATIONS.len() {
            return Err(StoreError::TooOld {
                path: path.into(),
                found: found as i64,
                known: schema::MIGRATIONS.len(),
                command: "kdelta archive index",
            });
        }
        Ok(ArchiveStore {
            conn,
            path: path.into(),
            _lock: None,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn sql(&self, e: rusqlite::Error) -> StoreError {
        sql(&self.path, e)
    }

    /// The source at `path` (canonical): its row id and state, creating it when new.
    pub fn source(&self, path: &str, kind: &str) -> Result<(i64, String), StoreError> {
        self.conn
            .execute(
                "INSERT INTO sources (path, kind) VALUES (?1, ?2) ON CONFLICT(path) DO NOTHING",
                [path, kind],
            )
            .map_err(|e| self.sql(e))?;
        self.conn
            .query_row(
                "SELECT id, state FROM sources WHERE path = ?1",
                [path],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.sql(e))
    }

    /// Forget every mail read from a source (it is read again from the start).
    pub fn clear_source(&mut self, source: i64) -> Result<usize, StoreError> {
        let tx = self.conn.transaction().map_err(|e| sql(&self.path, e))?;
        let n = delete_where(&tx, "source_id = ?1", [source]).map_err(|e| sql(&self.path, e))?;
        tx.execute("UPDATE sources SET state = '' WHERE id = ?1", [source])
            .map_err(|e| sql(&self.path, e))?;
        tx.commit().map_err(|e| sql(&self.path, e))?;
        Ok(n)
    }

    /// Record what a source has been read up to.
    pub fn set_source_state(&self, source: i64, state: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE sources SET state = ?2 WHERE id = ?1",
                rusqlite::params![source, state],
            )
            .map(|_| ())
            .map_err(|e| self.sql(e))
    }

    /// The locators already read from a source (for Maildirs).
    pub fn locators(&self, source: i64) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT locator FROM messages WHERE source_id = ?1")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([source], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// Forget the mails of a source at these locators (removed from the archive).
    pub fn remove_locators(&mut self, source: i64, locators: &[String]) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(|e| sql(&self.path, e))?;
        for locator in locators {
            delete_where(
                &tx,
                "source_id = ?1 AND locator = ?2",
                rusqlite::params![source, locator],
            )
            .map_err(|e| sql(&self.path, e))?;
        }
        tx.commit().map_err(|e| sql(&self.path, e))
    }

    /// Forget the mails of a source with this message-id (public-inbox deleted it).
    pub fn remove_message(&mut self, source: i64, message_id: &str) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(|e| sql(&self.path, e))?;
        delete_where(
            &tx,
            "source_id = ?1 AND message_id = ?2",
            rusqlite::params![source, message_id],
        )
        .map_err(|e| sql(&self.path, e))?;
        tx.commit().map_err(|e| sql(&self.path, e))
    }

    /// How many mails the index holds, and how many of them are patches.
    pub fn counts(&self) -> Result<(u64, u64), StoreError> {
        self.conn
            .query_row(
                "SELECT count(*), count(*) FILTER (WHERE kind = 'patch') FROM messages",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
            )
            .map_err(|e| self.sql(e))
    }

    /// The lists the index holds mails of, by how many mails, most first.
    pub fn lists(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT list FROM messages WHERE list IS NOT NULL GROUP BY list ORDER BY count(*) DESC, list")
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// A `meta` value.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        file::meta(&self.conn, &self.path, key)
    }

    /// Set a `meta` value.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        file::set_meta(&self.conn, &self.path, key, value)
    }
}

/// Feature hashes as stored and compared: their low 32 bits, sorted and deduplicated.
pub fn features_low(features: &[u64]) -> Vec<u32> {
    let mut low: Vec<u32> = features.iter().map(|&f| f as u32).collect();
    low.sort_unstable();
    low.dedup();
    low
}

/// Feature hashes as stored: [`features_low`], little-endian.
pub fn features_to_bytes(features: &[u64]) -> Vec<u8> {
    features_low(features)
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect()
}

/// Read back [`features_to_bytes`].
pub fn features_from_bytes(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Delete the mails matching `filter` and every row about them; how many mails.
fn delete_where(
    tx: &rusqlite::Transaction<'_>,
    filter: &str,
    params: impl rusqlite::Params + Copy,
) -> rusqlite::Result<usize> {
    for table in ["refs", "trailers", "applied", "mentions", "posting_files"] {
        tx.execute(
            &format!(
                "DELETE FROM {table} WHERE message IN (SELECT id FROM messages WHERE {filter})"
            ),
            params,
        )?;
    }
    tx.execute(&format!("DELETE FROM messages WHERE {filter}"), params)
}

fn sql(path: &Path, e: rusqlite::Error) -> StoreError {
    StoreError::Sql {
        path: path.into(),
        source: e,
    }
}

fn check_version(conn: &Connection, path: &Path) -> Result<usize, StoreError> {
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| sql(path, e))?;
    if found > schema::MIGRATIONS.len() as i64 {
        return Err(StoreError::TooNew {
            path: path.into(),
            found,
            known: schema::MIGRATIONS.len(),
        });
    }
    Ok(usize::try_from(found).unwrap_or(0))
}
