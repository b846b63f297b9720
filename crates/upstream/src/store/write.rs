//! Writing commits into the index: one writer, prepared statements, batched transactions.

use super::{Store, StoreError};
use crate::record::CommitRecord;
use rusqlite::params;
use std::collections::HashMap;

/// Writes commit records, committing every `batch` commits so that an interrupted run
/// keeps what it finished.
pub struct Writer<'s> {
    store: &'s mut Store,
    batch: usize,
    pending: Vec<CommitRecord>,
    written: usize,
    /// Interned path ids, loaded lazily at the first flush.
    paths: Option<HashMap<Vec<u8>, i64>>,
}

impl<'s> Writer<'s> {
    /// A writer committing every `batch` records.
    pub fn new(store: &'s mut Store, batch: usize) -> Writer<'s> {
        Writer {
            store,
            batch: batch.max(1),
            pending: Vec::new(),
            written: 0,
            paths: None,
        }
    }

    /// Queue a record; flushes when the batch is full.
    pub fn push(&mut self, record: CommitRecord) -> Result<(), StoreError> {
        self.pending.push(record);
        if self.pending.len() >= self.batch {
            self.flush()?;
        }
        Ok(())
    }

    /// Records written so far (flushed).
    pub fn written(&self) -> usize {
        self.written
    }

    /// Write everything queued in one transaction.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let path = self.store.path().to_path_buf();
        let sql = |e| StoreError::Sql {
            path: path.clone(),
            source: e,
        };
        if self.paths.is_none() {
            self.paths = Some(load_paths(&self.store.conn).map_err(sql)?);
        }
        let paths = self.paths.get_or_insert_with(HashMap::new);
        let tx = self.store.conn.transaction().map_err(sql)?;
        for record in &self.pending {
            insert(&tx, record, paths).map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        self.written += self.pending.len();
        self.pending.clear();
        Ok(())
    }
}

fn load_paths(conn: &rusqlite::Connection) -> rusqlite::Result<HashMap<Vec<u8>, i64>> {
    let mut stmt = conn.prepare("SELECT path, id FROM paths")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?)))?;
    rows.collect()
}

fn insert(
    tx: &rusqlite::Transaction<'_>,
    r: &CommitRecord,
    paths: &mut HashMap<Vec<u8>, i64>,
) -> rusqlite::Result<()> {
    let parents: Vec<u8> = r
        .parents
        .iter()
        .flat_map(|p| p.as_bytes().to_vec())
        .collect();
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO commits (oid, parents, author, author_time, commit_time, subject, subject_norm, patch_id, added, removed, minhash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let inserted = stmt.execute(params![
        r.oid.as_bytes(),
        parents,
        r.author,
        r.author_time,
        r.commit_time,
        r.subject,
        r.subject_norm,
        r.patch_id.map(|p| p.0.to_vec()),
        r.added,
        r.removed,
        r.minhash.as_ref().map(|m| m.to_bytes()),
    ])?;
    if inserted == 0 {
        return Ok(());
    }
    let id = tx.last_insert_rowid();
    if let Some(renamed) = r.renamed_patch_id.filter(|id| Some(*id) != r.patch_id) {
        tx.prepare_cached("INSERT INTO renamed_ids (commit_id, patch_id) VALUES (?1, ?2)")?
            .execute(params![id, renamed.0.to_vec()])?;
    }
    if let Some(reason) = &r.incomplete {
        tx.prepare_cached("INSERT INTO incomplete (commit_id, reason) VALUES (?1, ?2)")?
            .execute(params![id, reason])?;
    }
    insert_files(tx, id, r, paths)?;
    insert_refs(tx, id, r)?;
    tx.prepare_cached("INSERT OR REPLACE INTO commit_text (rowid, subject, body, words, kept) VALUES (?1, ?2, ?3, ?4, ?4)")?
        .execute(params![id, r.subject, r.body, r.words.join(" ")])?;
    Ok(())
}

fn insert_files(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    r: &CommitRecord,
    paths: &mut HashMap<Vec<u8>, i64>,
) -> rusqlite::Result<()> {
    let mut path_stmt = tx.prepare_cached("INSERT INTO paths (path) VALUES (?1)")?;
    let mut file_stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO files (commit_id, path_id) VALUES (?1, ?2)")?;
    for path in &r.files {
        let path_id = match paths.get(path.as_slice()) {
            Some(&known) => known,
            None => {
                path_stmt.execute([path.as_slice()])?;
                let new = tx.last_insert_rowid();
                paths.insert(path.to_vec(), new);
                new
            }
        };
        file_stmt.execute(params![id, path_id])?;
    }
    Ok(())
}

fn insert_refs(tx: &rusqlite::Transaction<'_>, id: i64, r: &CommitRecord) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO refs (commit_id, kind, target_commit, release, url, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut link =
        tx.prepare_cached("INSERT INTO link_ids (message_id, commit_id) VALUES (?1, ?2)")?;
    for reference in &r.refs {
        if let Some(id_named) = reference
            .url
            .as_deref()
            .and_then(kdelta_patch::refs::message_id_from_url)
        {
            link.execute(params![id_named, id])?;
        }
        let kind = serde_plain_kind(reference.kind);
        stmt.execute(params![
            id,
            kind,
            reference.commit.as_ref().map(|c| c.as_str().to_string()),
            reference.release,
            reference.url,
            reference.text
        ])?;
    }
    Ok(())
}

/// The kebab-case name of a reference kind, as the JSON output spells it.
pub(crate) fn serde_plain_kind(kind: kdelta_patch::RefKind) -> String {
    format!("{kind:?}")
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let dash = (i > 0 && c.is_ascii_uppercase()).then_some('-');
            dash.into_iter()
                .chain(std::iter::once(c.to_ascii_lowercase()))
        })
        .collect()
}
