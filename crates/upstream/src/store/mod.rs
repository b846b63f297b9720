//! The on-disk index: SQLite with versioned migrations, one writer at a time.
//!
//! A lock file beside the database makes a second concurrent `kdelta index` fail at once
//! with [`StoreError::Locked`] rather than wait or corrupt anything. Commits are written
//! in transactions of whole commits, so an interrupted run leaves a usable index that the
//! next run completes.

pub mod file;
mod query;
mod read;
mod schema;
mod text;
mod write;

pub use read::{Lookup, StoredCommit};
pub use text::Ranked;
pub use write::Writer;

/// Where a commit stands in the index's first-release data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReleaseState {
    /// Not in the index (a merge, or not reachable from the indexed refs).
    NotIndexed,
    /// Indexed, with no release yet.
    Unreleased,
    /// Indexed, with its first release.
    Released,
}

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Why the index could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process holds the index.
    #[error("{path}: the index is locked by another kdelta process; wait for it to finish")]
    Locked {
        /// The lock file.
        path: PathBuf,
    },
    /// The database was written by a newer kdelta.
    #[error("{path}: index format {found} is newer than this kdelta understands ({known}); upgrade kdelta or use another --index")]
    TooNew {
        /// The database.
        path: PathBuf,
        /// Its `user_version`.
        found: i64,
        /// The newest version this build knows.
        known: usize,
    },
    /// The database was written by an older kdelta and is only read here: the command
    /// that writes it brings it up to date.
    #[error("{path}: index format {found} is older than this kdelta's ({known}); run `{command}` to bring it up to date")]
    TooOld {
        /// The database.
        path: PathBuf,
        /// Its `user_version`.
        found: i64,
        /// The version this build writes.
        known: usize,
        /// The command that updates it.
        command: &'static str,
    },
    /// A file could not be created or opened.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// SQLite failed.
    #[error("{path}: {source}")]
    Sql {
        /// The database.
        path: PathBuf,
        /// The cause.
        source: rusqlite::Error,
    },
}

/// An open index.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    _lock: Option<std::fs::File>,
    /// How many commits have text, counted on first need.
    text_total: std::cell::OnceCell<u64>,
    /// In how many commits each term looked up occurs (queries share many terms).
    text_docs: std::cell::RefCell<std::collections::HashMap<String, u64>>,
}

impl Store {
    /// Open (creating and migrating) the index at `path` for writing: takes the lock.
    pub fn open_for_writing(path: &Path) -> Result<Store, StoreError> {
        // One database has one lock, however it is named (symlinks, `..`).
        let real = file::real_path(path)?;
        let lock = file::take_lock(&real)?;
        let mut store = Store::open_inner(&real)?;
        store.path = path.into();
        store._lock = Some(lock);
        store.migrate()?;
        store.fill_link_ids()?;
        Ok(store)
    }

    /// Fill `link_ids` from the references stored before it existed (once).
    fn fill_link_ids(&mut self) -> Result<(), StoreError> {
        if self.meta("link-ids")?.is_some() {
            return Ok(());
        }
        let path = self.path.clone();
        let sql = |e| StoreError::Sql {
            path: path.clone(),
            source: e,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let found: Vec<(i64, String)> = {
            let mut stmt = tx
                .prepare("SELECT commit_id, url FROM refs WHERE url IS NOT NULL")
                .map_err(sql)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                .map_err(sql)?;
            let mut found = Vec::new();
            for row in rows {
                let (commit, url) = row.map_err(sql)?;
                if let Some(id) = kdelta_patch::refs::message_id_from_url(&url) {
                    found.push((commit, id));
                }
            }
            found
        };
        tx.execute("DELETE FROM link_ids", []).map_err(sql)?;
        for (commit, id) in found {
            tx.execute(
                "INSERT INTO link_ids (message_id, commit_id) VALUES (?1, ?2)",
                rusqlite::params![id, commit],
            )
            .map_err(sql)?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('link-ids', '1') ON CONFLICT(key) DO NOTHING",
            [],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Open an existing index for reading (no lock: SQLite's WAL lets readers run beside a writer).
    pub fn open_for_reading(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            let err = std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no index here; run `kdelta index` first",
            );
            return Err(StoreError::Io {
                path: path.into(),
                source: err,
            });
        }
        let store = Store::open_read_only(path)?;
        store.check_version()?;
        Ok(store)
    }

    /// Open for reading only (see [`file::open_read_only`]).
    fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        Ok(Store::on(file::open_read_only(path)?, path))
    }

    /// A store on `conn`, the database at `path`, without the writer's lock.
    fn on(conn: Connection, path: &Path) -> Store {
        Store {
            conn,
            path: path.into(),
            _lock: None,
            text_total: std::cell::OnceCell::new(),
            text_docs: Default::default(),
        }
    }

    fn open_inner(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
                path: dir.into(),
                source: e,
            })?;
        }
        let conn = Connection::open(path).map_err(|e| StoreError::Sql {
            path: path.into(),
            source: e,
        })?;
        let store = Store::on(conn, path);
        store
            .conn
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 16384;")
            .map_err(|e| store.sql(e))?;
        Ok(store)
    }

    pub(crate) fn sql(&self, e: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.clone(),
            source: e,
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.sql(e))
    }

    fn check_version(&self) -> Result<i64, StoreError> {
        let found = self.version()?;
        if found > schema::MIGRATIONS.len() as i64 {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found,
                known: schema::MIGRATIONS.len(),
            });
        }
        Ok(found)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let from = usize::try_from(self.check_version()?).unwrap_or(0);
        file::migrate(&mut self.conn, &self.path, schema::MIGRATIONS, from)
    }

    /// A `meta` value.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        file::meta(&self.conn, &self.path, key)
    }

    /// Set a `meta` value.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        file::set_meta(&self.conn, &self.path, key, value)
    }

    /// Drop the commits whose diff could not be read, and the record of the last complete
    /// run, so that the next run walks the whole history again and fingerprints them anew
    /// (their blobs may have been fetched since). Returns how many were dropped.
    pub fn forget_incomplete(&mut self) -> Result<usize, StoreError> {
        let path = self.path().to_path_buf();
        let sql = |e| StoreError::Sql {
            path: path.clone(),
            source: e,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute_batch(
            "DELETE FROM files WHERE commit_id IN (SELECT commit_id FROM incomplete);
             DELETE FROM refs WHERE commit_id IN (SELECT commit_id FROM incomplete);
             DELETE FROM commit_text WHERE rowid IN (SELECT commit_id FROM incomplete);
             DELETE FROM renamed_ids WHERE commit_id IN (SELECT commit_id FROM incomplete);
             DELETE FROM commits WHERE id IN (SELECT commit_id FROM incomplete);",
        )
        .map_err(sql)?;
        let dropped = tx.execute("DELETE FROM incomplete", []).map_err(sql)?;
        if dropped > 0 {
            tx.execute("DELETE FROM meta WHERE key = 'tips'", [])
                .map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        Ok(dropped)
    }
}

/// The default index path for an upstream: `$XDG_CACHE_HOME/kdelta/<name>-<hash>.sqlite`
/// (or `~/.cache/...`), one per upstream repository.
pub fn default_index_path(upstream: &Path) -> PathBuf {
    let canonical = upstream
        .canonicalize()
        .unwrap_or_else(|_| upstream.to_path_buf());
    let name = canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "upstream".into());
    let hash = canonical
        .to_string_lossy()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    cache_root()
        .join("kdelta")
        .join(format!("{name}-{:016x}.sqlite", hash))
}

/// The user's cache directory: `$XDG_CACHE_HOME`, else `~/.cache`, else the temporary directory.
pub fn cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".cache"),
        None => std::env::temp_dir(),
    }
}

#[cfg(test)]
mod tests;
