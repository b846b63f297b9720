//! Queries the analysis asks of the index: commits by row, every MinHash (for the
//! similarity index), the commits touching a path, and where a commit was picked from.

use super::read::{row_to_commit, COLUMNS};
use super::{Store, StoreError};
use crate::minhash::MinHash;
use crate::StoredCommit;

impl Store {
    /// The commits of the given rows, with their files, in the order given (unknown rows
    /// are skipped).
    pub fn commits_by_rows(&self, rows: &[i64]) -> Result<Vec<StoredCommit>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM commits WHERE id = ?1"))
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::with_capacity(rows.len());
        for &row in rows {
            let found = stmt
                .query_map([row], row_to_commit)
                .map_err(|e| self.sql(e))?;
            for item in found {
                let (id, mut commit) = item.map_err(|e| self.sql(e))?;
                commit.files = self.files_of(id)?;
                out.push(commit);
            }
        }
        Ok(out)
    }

    /// Every commit's row and MinHash (commits with an empty diff have none).
    pub fn minhashes(&self) -> Result<Vec<(i64, MinHash)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, minhash FROM commits WHERE minhash IS NOT NULL")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, bytes) = row.map_err(|e| self.sql(e))?;
            if let Some(m) = MinHash::from_bytes(&bytes) {
                out.push((id, m));
            }
        }
        Ok(out)
    }

    /// The rows of the newest `limit` commits touching `path`, newest first.
    pub fn rows_touching(&self, path: &str, limit: usize) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT f.commit_id FROM files f JOIN paths p ON p.id = f.path_id
                 JOIN commits c ON c.id = f.commit_id
                 WHERE p.path = ?1 ORDER BY c.commit_time DESC LIMIT ?2",
            )
            .map_err(|e| self.sql(e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(rusqlite::params![path.as_bytes(), limit], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }
}

impl Store {
    /// The commits the message of commit `row` says it was picked or backported from
    /// (`cherry picked from commit …`, `commit … upstream`, `backported from …`).
    pub fn picked_from(&self, row: i64) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT target_commit FROM refs WHERE commit_id = ?1 AND target_commit IS NOT NULL
                 AND kind IN ('cherry-picked', 'upstream-commit', 'backported-from')",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([row], |r| r.get::<_, String>(0))
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// The commits whose message links to a mail with one of these message-ids (`Link:
    /// https://lore.kernel.org/r/<id>`), each with the id it links; none when the index
    /// predates such links (a newer `kdelta index` adds them).
    pub fn commits_linking(
        &self,
        ids: &[String],
    ) -> Result<Vec<(String, StoredCommit)>, StoreError> {
        let has_table: bool = self
            .conn
            .query_row(
                "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'link_ids'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.sql(e))?;
        if !has_table {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT commit_id FROM link_ids WHERE message_id = ?1")
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::new();
        for id in ids {
            let rows: Vec<i64> = stmt
                .query_map([id], |r| r.get(0))
                .map_err(|e| self.sql(e))?
                .collect::<Result<_, _>>()
                .map_err(|e| self.sql(e))?;
            for commit in self.commits_by_rows(&rows)? {
                out.push((id.clone(), commit));
            }
        }
        Ok(out)
    }
}
