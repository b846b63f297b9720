//! Reading the archive index: postings by message-id, patch-id, subject and row, the
//! fingerprints of every patch, the replies in a posting's thread, and series.

use super::ArchiveStore;
use crate::message::Kind;
use crate::reply::{Applied, Trailer};
use kdelta_patch::PatchId;
use kdelta_upstream::minhash::MinHash;
use kdelta_upstream::StoreError;
use serde::Serialize;

/// One stored mail, as lookups return it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Posting {
    /// Its row.
    #[serde(skip)]
    pub row: i64,
    /// `Message-ID`.
    pub message_id: String,
    /// `In-Reply-To`.
    pub in_reply_to: Option<String>,
    /// The list.
    pub list: Option<String>,
    /// Seconds since the epoch.
    pub date: Option<i64>,
    /// `Name <email>`.
    pub author: String,
    /// The sender's address.
    #[serde(skip)]
    pub email: String,
    /// The subject as written.
    pub subject: String,
    /// The normalised title.
    #[serde(skip)]
    pub title_norm: String,
    /// The series version (1 when the subject names none).
    pub version: u32,
    /// `n/m` in its series.
    pub number: Option<(u32, u32)>,
    /// What the mail is.
    pub kind: Kind,
    /// Stable patch-id of its diff.
    #[serde(serialize_with = "hex_id")]
    pub patch_id: Option<PatchId>,
    /// The series it belongs to.
    #[serde(skip)]
    pub series: Option<i64>,
    /// Files touched.
    #[serde(skip)]
    pub files: Vec<String>,
    /// Lines its diff adds and removes.
    #[serde(skip)]
    pub changed: u32,
}

fn hex_id<S: serde::Serializer>(id: &Option<PatchId>, s: S) -> Result<S::Ok, S::Error> {
    match id {
        Some(id) => s.serialize_some(&id.to_hex()),
        None => s.serialize_none(),
    }
}

/// One series, as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesRow {
    /// Its row.
    #[serde(skip)]
    pub id: i64,
    /// The message-id of its first mail (cover letter or patch 1).
    pub root: String,
    /// Version.
    pub version: u32,
    /// Patches in it (1 for a single patch).
    pub total: u32,
    /// Who posted it.
    pub author: String,
    /// Title (of the cover letter, or of its first patch).
    pub title: String,
    /// When.
    pub date: Option<i64>,
    /// b4's change-id.
    pub change_id: Option<String>,
    /// The series this one is the next version of.
    #[serde(skip)]
    pub previous: Option<i64>,
}

/// A reply in a posting's thread that says something: a review trailer or "applied".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Response {
    /// `Message-ID`.
    pub message_id: String,
    /// Who wrote it.
    pub author: String,
    /// When.
    pub date: Option<i64>,
    /// Review trailers given.
    pub reviews: Vec<Trailer>,
    /// What it says was applied where.
    pub applied: Option<Applied>,
}

/// The mails below one in its thread (see [`ArchiveStore::thread`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Thread {
    /// Replies (distinct message-ids).
    pub replies: usize,
    /// The date of the newest mail of any kind.
    pub last: Option<i64>,
    /// The replies that review or say "applied", oldest first.
    pub responses: Vec<Response>,
}

const POSTING: &str = "SELECT id, message_id, in_reply_to, list, date, author, email, subject, title_norm, version, number, total, kind, patch_id, series, files, added + removed FROM messages";

fn posting(r: &rusqlite::Row<'_>) -> rusqlite::Result<Posting> {
    let number: Option<u32> = r.get(10)?;
    let total: Option<u32> = r.get(11)?;
    let patch_id: Option<Vec<u8>> = r.get(13)?;
    let files: String = r.get(15)?;
    Ok(Posting {
        row: r.get(0)?,
        message_id: r.get(1)?,
        in_reply_to: r.get(2)?,
        list: r.get(3)?,
        date: r.get(4)?,
        author: r.get(5)?,
        email: r.get(6)?,
        subject: r.get(7)?,
        title_norm: r.get(8)?,
        version: r.get::<_, Option<u32>>(9)?.unwrap_or(1),
        number: number.zip(total),
        kind: Kind::parse(&r.get::<_, String>(12)?),
        patch_id: patch_id
            .and_then(|b| <[u8; 20]>::try_from(b.as_slice()).ok())
            .map(PatchId),
        series: r.get(14)?,
        files: files.lines().map(str::to_string).collect(),
        changed: r.get(16)?,
    })
}

const SERIES: &str =
    "SELECT id, root, version, total, author, title, date, change_id, previous FROM series";

fn series_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SeriesRow> {
    Ok(SeriesRow {
        id: r.get(0)?,
        root: r.get(1)?,
        version: r.get(2)?,
        total: r.get(3)?,
        author: r.get(4)?,
        title: r.get(5)?,
        date: r.get(6)?,
        change_id: r.get(7)?,
        previous: r.get(8)?,
    })
}

impl ArchiveStore {
    fn postings_where(
        &self,
        filter: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<Posting>, StoreError> {
        let sql = format!("{POSTING} WHERE {filter} ORDER BY date, id");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.sql(e))?;
        let rows = stmt.query_map(params, posting).map_err(|e| self.sql(e))?;
        let mut out: Vec<Posting> = Vec::new();
        for row in rows {
            let p = row.map_err(|e| self.sql(e))?;
            // A mail cross-posted to several lists is one posting.
            if !out.iter().any(|o| o.message_id == p.message_id) {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// The mail with this message-id.
    pub fn by_message_id(&self, id: &str) -> Result<Vec<Posting>, StoreError> {
        self.postings_where("message_id = ?1", [id])
    }

    /// Patch mails with this stable patch-id.
    pub fn by_patch_id(&self, id: &PatchId) -> Result<Vec<Posting>, StoreError> {
        self.postings_where("patch_id = ?1", [id.0.to_vec()])
    }

    /// Patch mails with this normalised title.
    pub fn by_title(&self, title_norm: &str) -> Result<Vec<Posting>, StoreError> {
        self.postings_where(
            "title_norm = ?1 AND kind IN ('patch', 'cover')",
            [title_norm],
        )
    }

    /// The mail at a row.
    pub fn posting(&self, row: i64) -> Result<Option<Posting>, StoreError> {
        Ok(self.postings_where("id = ?1", [row])?.into_iter().next())
    }

    /// The mails of a series, in order.
    pub fn series_mails(&self, series: i64) -> Result<Vec<Posting>, StoreError> {
        let mut mails = self.postings_where("series = ?1", [series])?;
        mails.sort_by_key(|p| (p.number.map_or(0, |n| n.0), p.date));
        Ok(mails)
    }

    /// The fingerprint of every patch mail's changed lines, by row.
    pub fn minhashes(&self) -> Result<Vec<(i64, MinHash)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, minhash FROM messages WHERE kind = 'patch' AND minhash IS NOT NULL",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, bytes) = row.map_err(|e| self.sql(e))?;
            if let Some(h) = MinHash::from_bytes(&bytes) {
                out.push((id, h));
            }
        }
        Ok(out)
    }

    /// The fingerprint of one mail.
    pub fn minhash(&self, row: i64) -> Result<Option<MinHash>, StoreError> {
        use rusqlite::OptionalExtension;
        let bytes: Option<Option<Vec<u8>>> = self
            .conn
            .query_row("SELECT minhash FROM messages WHERE id = ?1", [row], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sql(e))?;
        Ok(bytes.flatten().and_then(|b| MinHash::from_bytes(&b)))
    }

    /// The changed lines of one mail (see [`crate::store::features_to_bytes`]).
    pub fn features(&self, row: i64) -> Result<Vec<u32>, StoreError> {
        use rusqlite::OptionalExtension;
        let bytes: Option<Option<Vec<u8>>> = self
            .conn
            .prepare_cached("SELECT features FROM messages WHERE id = ?1")
            .and_then(|mut s| s.query_row([row], |r| r.get(0)).optional())
            .map_err(|e| self.sql(e))?;
        Ok(bytes
            .flatten()
            .map(|b| super::features_from_bytes(&b))
            .unwrap_or_default())
    }

    /// The newest patch mails touching `path`, at most `limit`, newest first.
    pub fn rows_touching(&self, path: &str, limit: usize) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT f.message FROM posting_files f JOIN messages m ON m.id = f.message
                 WHERE f.path = ?1 AND m.kind = 'patch' ORDER BY m.date DESC LIMIT ?2",
            )
            .map_err(|e| self.sql(e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(rusqlite::params![path, limit], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// The series stored under `id`.
    pub fn series(&self, id: i64) -> Result<Option<SeriesRow>, StoreError> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(&format!("{SERIES} WHERE id = ?1"), [id], series_row)
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// The series that are the next version of `id`.
    pub fn next_versions(&self, id: i64) -> Result<Vec<SeriesRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SERIES} WHERE previous = ?1 ORDER BY date, id"))
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([id], series_row).map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// The thread below `message_id`: how many replies it has, the newest mail in it (of
    /// any kind), and the replies that review or say "applied", oldest first.
    pub fn thread(&self, message_id: &str) -> Result<Thread, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT m.id, m.message_id, m.author, m.date, m.kind = 'reply' FROM messages m
                 WHERE m.in_reply_to = ?1 OR m.id IN (SELECT message FROM refs WHERE target = ?1)
                 ORDER BY m.date, m.id",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([message_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        let mut thread = Thread {
            replies: 0,
            last: rows.iter().filter_map(|r| r.3).max(),
            responses: Vec::new(),
        };
        let mut seen = std::collections::HashSet::new();
        for (row, id, author, date, _) in rows.into_iter().filter(|r| r.4) {
            if !seen.insert(id.clone()) {
                continue;
            }
            thread.replies += 1;
            let reviews: Vec<Trailer> = self
                .trailers(row)?
                .into_iter()
                .filter(Trailer::is_review)
                .collect();
            let applied = self.applied(row)?;
            if !reviews.is_empty() || applied.is_some() {
                thread.responses.push(Response {
                    message_id: id,
                    author,
                    date,
                    reviews,
                    applied,
                });
            }
        }
        Ok(thread)
    }

    /// The trailers of a mail, in order.
    pub fn trailers(&self, row: i64) -> Result<Vec<Trailer>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, value FROM trailers WHERE message = ?1 ORDER BY rowid")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([row], |r| {
                Ok(Trailer {
                    name: r.get(0)?,
                    value: r.get(1)?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    fn applied(&self, row: i64) -> Result<Option<Applied>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT tree, commit_id, applier FROM applied WHERE message = ?1 ORDER BY rowid",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([row], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        let Some((tree, _, by)) = rows.first().cloned() else {
            return Ok(None);
        };
        Ok(Some(Applied {
            tree,
            commits: rows.into_iter().filter_map(|(_, c, _)| c).collect(),
            by,
        }))
    }
}
