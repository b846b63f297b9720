//! An SQLite index file: where it really is, its writer's lock, opening it read-only, and
//! its migrations. The upstream index and the archive index share these.

use super::StoreError;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Open the database at `path` for reading only: nothing is written (not even the journal
/// mode), so an index in a directory the user cannot write is read all the same. When
/// SQLite cannot open the WAL's shared memory there, the file is read as immutable.
pub fn open_read_only(path: &Path) -> Result<Connection, StoreError> {
    use rusqlite::OpenFlags;
    let sql = |e| StoreError::Sql {
        path: path.into(),
        source: e,
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let readable = |conn: &Connection| {
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
    };
    let conn = match Connection::open_with_flags(path, flags) {
        Ok(conn) if readable(&conn).is_ok() => conn,
        _ => {
            let uri = format!("file:{}?immutable=1", uri_path(path));
            let conn = Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
                .map_err(sql)?;
            readable(&conn).map_err(sql)?;
            conn
        }
    };
    conn.execute_batch("PRAGMA cache_size = -32768;")
        .map_err(sql)?;
    Ok(conn)
}

/// A value of the `meta (key, value)` table.
pub fn meta(conn: &Connection, path: &Path, key: &str) -> Result<Option<String>, StoreError> {
    use rusqlite::OptionalExtension;
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
        .map_err(|e| StoreError::Sql {
            path: path.into(),
            source: e,
        })
}

/// Set a value of the `meta (key, value)` table.
pub fn set_meta(conn: &Connection, path: &Path, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
        [key, value],
    )
    .map(|_| ())
    .map_err(|e| StoreError::Sql {
        path: path.into(),
        source: e,
    })
}

/// Run `migrations[from..]` on `conn`, each in its own transaction with the
/// `user_version` it leads to.
pub fn migrate(
    conn: &mut Connection,
    path: &Path,
    migrations: &[&str],
    from: usize,
) -> Result<(), StoreError> {
    let sql = |e| StoreError::Sql {
        path: path.into(),
        source: e,
    };
    for (i, step) in migrations.iter().enumerate().skip(from) {
        let tx = conn.transaction().map_err(sql)?;
        let version = format!("PRAGMA user_version = {}", i + 1);
        tx.execute_batch(step)
            .and_then(|_| tx.execute_batch(&version))
            .and_then(|_| tx.commit())
            .map_err(sql)?;
    }
    Ok(())
}

/// `path` for an SQLite `file:` URI: `%`, `?` and `#` percent-encoded.
pub fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// Symlinks followed at most, as the kernel does.
const MAX_LINKS: usize = 40;

/// Where the index at `path` really is: its directory (created if need be) canonical, and
/// a symlink at `path` followed, so that one database has one lock file.
pub fn real_path(path: &Path) -> Result<PathBuf, StoreError> {
    let io = |p: &Path, e: std::io::Error| StoreError::Io {
        path: p.into(),
        source: e,
    };
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        let dir = dir.canonicalize().map_err(|e| io(&dir, e))?;
        let Some(name) = path.file_name() else {
            return Ok(path);
        };
        let joined = dir.join(name);
        match std::fs::symlink_metadata(&joined) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&joined).map_err(|e| io(&joined, e))?;
                path = if link.is_relative() {
                    dir.join(link)
                } else {
                    link
                };
            }
            _ => return Ok(joined),
        }
    }
    Err(io(
        &path,
        std::io::Error::other("too many levels of symbolic links"),
    ))
}

/// Take the exclusive lock on `<index>.lock`, failing at once if another process holds it.
pub fn take_lock(path: &Path) -> Result<std::fs::File, StoreError> {
    let lock_path = PathBuf::from(format!("{}.lock", path.display()));
    if let Some(dir) = lock_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
            path: dir.into(),
            source: e,
        })?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| StoreError::Io {
            path: lock_path.clone(),
            source: e,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked { path: lock_path }),
        Err(std::fs::TryLockError::Error(e)) => Err(StoreError::Io {
            path: lock_path,
            source: e,
        }),
    }
}
