//! Writing mails into the archive index, in transactions of many mails.

use super::{sql, ArchiveStore};
use crate::message::Message;
use kdelta_upstream::minhash::MinHash;
use kdelta_upstream::normalize_subject;
use kdelta_upstream::StoreError;
use rusqlite::params;

/// A mail to write: where it was read, and its facts.
pub struct Located {
    /// The source's row.
    pub source: i64,
    /// Where in the source (commit, offset, file name).
    pub locator: String,
    /// The date to use when the mail has none (the archive commit's).
    pub fallback_date: Option<i64>,
    /// The facts.
    pub message: Message,
}

/// Writes mails, committing every `batch` of them.
pub struct Writer<'s> {
    store: &'s mut ArchiveStore,
    batch: usize,
    pending: Vec<Located>,
    written: usize,
}

impl<'s> Writer<'s> {
    /// A writer committing every `batch` mails.
    pub fn new(store: &'s mut ArchiveStore, batch: usize) -> Writer<'s> {
        Writer {
            store,
            batch: batch.max(1),
            pending: Vec::new(),
            written: 0,
        }
    }

    /// Queue a mail; flushes when the batch is full.
    pub fn push(&mut self, mail: Located) -> Result<(), StoreError> {
        self.pending.push(mail);
        if self.pending.len() >= self.batch {
            self.flush()?;
        }
        Ok(())
    }

    /// Mails written so far.
    pub fn written(&self) -> usize {
        self.written
    }

    /// Write everything queued in one transaction.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let path = self.store.path().to_path_buf();
        let tx = self.store.conn.transaction().map_err(|e| sql(&path, e))?;
        for mail in &self.pending {
            insert(&tx, mail).map_err(|e| sql(&path, e))?;
        }
        tx.commit().map_err(|e| sql(&path, e))?;
        self.written += self.pending.len();
        self.pending.clear();
        Ok(())
    }
}

fn insert(tx: &rusqlite::Transaction<'_>, mail: &Located) -> rusqlite::Result<()> {
    let m = &mail.message;
    let files: Vec<String> = m.files.iter().map(|f| f.to_string()).collect();
    let minhash = MinHash::from_hashes(m.features.iter().copied()).map(|h| h.to_bytes());
    let features = (!m.features.is_empty()).then(|| crate::store::features_to_bytes(&m.features));
    let mut insert = tx.prepare_cached(
        "INSERT INTO messages (source_id, locator, message_id, in_reply_to, list, date, author, email, subject, title_norm, tags, version, number, total, kind, patch_id, minhash, added, removed, files, change_id, features)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
    )?;
    insert.execute(params![
        mail.source,
        mail.locator,
        m.message_id,
        m.in_reply_to,
        m.list,
        m.date.or(mail.fallback_date),
        m.author,
        m.email,
        m.subject.raw,
        normalize_subject(&m.subject.raw),
        m.subject.tags.join("|"),
        m.subject.version,
        m.subject.number.map(|n| n.0),
        m.subject.number.map(|n| n.1),
        m.kind.as_str(),
        m.patch_id.map(|p| p.0.to_vec()),
        minhash,
        m.added,
        m.removed,
        files.join("\n"),
        m.prose.change_id,
        features,
    ])?;
    let row = tx.last_insert_rowid();
    let mut paths =
        tx.prepare_cached("INSERT INTO posting_files (path, message) VALUES (?1, ?2)")?;
    for path in &files {
        paths.execute(params![path, row])?;
    }
    let mut refs =
        tx.prepare_cached("INSERT INTO refs (message, position, target) VALUES (?1, ?2, ?3)")?;
    for (i, target) in m.references.iter().enumerate() {
        refs.execute(params![row, i as i64, target])?;
    }
    let mut trailers =
        tx.prepare_cached("INSERT INTO trailers (message, name, value) VALUES (?1, ?2, ?3)")?;
    for t in &m.prose.trailers {
        trailers.execute(params![row, t.name, t.value])?;
    }
    let mut mentions =
        tx.prepare_cached("INSERT INTO mentions (message, target) VALUES (?1, ?2)")?;
    for target in &m.prose.mentions {
        mentions.execute(params![row, target])?;
    }
    if let Some(applied) = &m.prose.applied {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO applied (message, tree, commit_id, applier) VALUES (?1, ?2, ?3, ?4)",
        )?;
        if applied.commits.is_empty() {
            stmt.execute(params![row, applied.tree, None::<String>, applied.by])?;
        }
        for commit in &applied.commits {
            stmt.execute(params![row, applied.tree, commit, applied.by])?;
        }
    }
    Ok(())
}
