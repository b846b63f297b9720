//! Reading the index: what is known, and lookups by commit, patch-id and subject.

use super::{Store, StoreError};
use kdelta_patch::PatchId;
use rusqlite::Row;
use serde::Serialize;
use std::collections::HashSet;

/// One commit as `kdelta lookup` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredCommit {
    /// The commit id, hex.
    pub commit: String,
    /// The subject as written.
    pub subject: String,
    /// The stable patch-id, hex (null for an empty diff).
    pub patch_id: Option<PatchId>,
    /// The first release containing the commit.
    pub release: Option<String>,
    /// `Name <email>`.
    pub author: String,
    /// Author time, seconds since the epoch.
    pub author_time: i64,
    /// Lines added and removed.
    pub added: u32,
    /// Lines removed.
    pub removed: u32,
    /// Paths touched.
    pub files: Vec<String>,
    /// The index's row id (stable for the life of the index).
    #[serde(skip)]
    pub row: i64,
    /// The MinHash of the changed lines (none for an empty diff).
    #[serde(skip)]
    pub minhash: Option<crate::minhash::MinHash>,
}

/// What to look up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A commit id or unique prefix (at least 4 hex digits).
    Commit(String),
    /// A stable patch-id.
    PatchId(PatchId),
    /// A subject, normalised before matching.
    Subject(String),
}

pub(crate) const COLUMNS: &str =
    "id, oid, subject, patch_id, release, author, author_time, added, removed, minhash";

impl Store {
    /// Every indexed commit id.
    pub fn known_oids(&self) -> Result<HashSet<gix::ObjectId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT oid FROM commits")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, Vec<u8>>(0))
            .map_err(|e| self.sql(e))?;
        let mut out = HashSet::new();
        for row in rows {
            let bytes = row.map_err(|e| self.sql(e))?;
            if let Ok(oid) = gix::ObjectId::try_from(bytes.as_slice()) {
                out.insert(oid);
            }
        }
        Ok(out)
    }

    /// Number of indexed commits.
    pub fn commit_count(&self) -> Result<u64, StoreError> {
        self.count("SELECT COUNT(*) FROM commits")
    }

    /// Commits whose diff could not be read (see [`CommitRecord::incomplete`]).
    ///
    /// [`CommitRecord::incomplete`]: crate::CommitRecord::incomplete
    pub fn incomplete_count(&self) -> Result<u64, StoreError> {
        self.count("SELECT COUNT(*) FROM incomplete")
    }

    /// The commits indexed before the index stored renamed patch-ids (schema version 5).
    pub fn without_renamed_ids(&self) -> Result<u64, StoreError> {
        match self.meta("renamed-ids-after")? {
            Some(last) => self.count(&format!(
                "SELECT COUNT(*) FROM commits WHERE id <= {}",
                last.parse::<i64>().unwrap_or(i64::MAX)
            )),
            None => Ok(0),
        }
    }

    /// The number a `SELECT COUNT(*)` query answers.
    fn count(&self, sql: &str) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row(sql, [], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The commits matching `what`, oldest first.
    pub fn lookup(&self, what: &Lookup) -> Result<Vec<StoredCommit>, StoreError> {
        let (sql, args): (String, Vec<rusqlite::types::Value>) = match what {
            Lookup::Commit(prefix) => commit_query(prefix),
            Lookup::PatchId(id) => (
                format!("SELECT {COLUMNS} FROM commits WHERE patch_id = ?1 OR id IN (SELECT commit_id FROM renamed_ids WHERE patch_id = ?1)"),
                vec![rusqlite::types::Value::Blob(id.0.to_vec())],
            ),
            Lookup::Subject(text) => (
                format!("SELECT {COLUMNS} FROM commits WHERE subject_norm = ?1"),
                vec![rusqlite::types::Value::Text(
                    crate::record::normalize_subject(text),
                )],
            ),
        };
        let mut stmt = self
            .conn
            .prepare(&format!("{sql} ORDER BY commit_time, id"))
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), row_to_commit)
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, mut commit) = row.map_err(|e| self.sql(e))?;
            if let Lookup::Commit(prefix) = what {
                if !commit.commit.starts_with(&prefix.to_ascii_lowercase()) {
                    continue;
                }
            }
            commit.files = self.files_of(id)?;
            out.push(commit);
        }
        Ok(out)
    }

    pub(crate) fn files_of(&self, id: i64) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT p.path FROM files f JOIN paths p ON p.id = f.path_id WHERE f.commit_id = ?1 ORDER BY p.path")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([id], |r| r.get::<_, Vec<u8>>(0))
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(String::from_utf8_lossy(&row.map_err(|e| self.sql(e))?).into_owned());
        }
        Ok(out)
    }
}

/// A prefix query on the binary `oid`: the range between the prefix's bounds, which the
/// unique index on `oid` answers without a scan (an odd last digit is checked afterwards).
fn commit_query(prefix: &str) -> (String, Vec<rusqlite::types::Value>) {
    let hex: String = prefix
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_ascii_lowercase();
    let even = &hex[..hex.len() - hex.len() % 2];
    let low: Vec<u8> = (0..even.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(&even[i..i + 2], 16).ok())
        .collect();
    let blob = rusqlite::types::Value::Blob;
    match successor(&low) {
        Some(high) => (
            format!("SELECT {COLUMNS} FROM commits WHERE oid >= ?1 AND oid < ?2"),
            vec![blob(low), blob(high)],
        ),
        None => (
            format!("SELECT {COLUMNS} FROM commits WHERE oid >= ?1"),
            vec![blob(low)],
        ),
    }
}

/// The smallest byte string greater than every string starting with `prefix`; `None` when
/// there is none (the prefix is empty or all `0xff`).
fn successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut high = prefix.to_vec();
    while let Some(last) = high.pop() {
        if last < 0xff {
            high.push(last + 1);
            return Some(high);
        }
    }
    None
}

pub(crate) fn row_to_commit(r: &Row<'_>) -> rusqlite::Result<(i64, StoredCommit)> {
    let oid: Vec<u8> = r.get(1)?;
    let patch_id: Option<Vec<u8>> = r.get(3)?;
    let commit = StoredCommit {
        commit: oid.iter().map(|b| format!("{b:02x}")).collect(),
        subject: r.get(2)?,
        patch_id: patch_id
            .and_then(|p| <[u8; 20]>::try_from(p.as_slice()).ok())
            .map(PatchId),
        release: r.get(4)?,
        author: r.get(5)?,
        author_time: r.get(6)?,
        added: r.get(7)?,
        removed: r.get(8)?,
        files: Vec::new(),
        row: r.get(0)?,
        minhash: r
            .get::<_, Option<Vec<u8>>>(9)?
            .and_then(|b| crate::minhash::MinHash::from_bytes(&b)),
    };
    Ok((r.get(0)?, commit))
}
