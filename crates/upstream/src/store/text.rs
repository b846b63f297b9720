//! Ranking commits by text: BM25 over the subject, message body and the words each
//! commit's diff brings in (the `commit_text` FTS5 table, schema version 4).

use super::{Store, StoreError};

/// Relative weights of the subject, body and words columns in the BM25 score: a subject
/// says what a change is about in few words; the names a diff brings in are specific.
const WEIGHTS: (f64, f64, f64) = (4.0, 1.0, 2.0);

/// At most this many terms make a query.
pub const MAX_TERMS: usize = 16;

/// A term found in more than one commit in this many is too common to rank by.
pub const COMMON: u64 = 20;

/// An index of fewer commits than this has no term too common.
const SMALL: u64 = 1000;

/// A commit ranked by text.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    /// The commit's row.
    pub row: i64,
    /// Its BM25 score (higher is better; not comparable across queries).
    pub score: f64,
    /// The words its diff brings in.
    pub words: Vec<String>,
}

impl Store {
    /// Whether the index keeps the commits' text (an index written before schema version
    /// 4, opened for reading, does not).
    pub fn has_text(&self) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'commit_text'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| self.sql(e))
    }

    /// The `limit` commits best matching any of `terms` (lower-case tokens), best first.
    /// Only the [`MAX_TERMS`] rarest terms count, and none found in more than one commit
    /// in [`COMMON`] (in an index of a thousand commits or more): they weigh next to
    /// nothing in BM25 and cost the most to look up.
    pub fn rank_by_text(&self, terms: &[String], limit: usize) -> Result<Vec<Ranked>, StoreError> {
        let Some(query) = self.rare_terms(terms)? else {
            return Ok(Vec::new());
        };
        let (s, b, w) = WEIGHTS;
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT rowid, bm25(commit_text, {s}, {b}, {w}, 0.0) AS r, kept FROM commit_text
                 WHERE commit_text MATCH ?1 ORDER BY r LIMIT ?2"
            ))
            .map_err(|e| self.sql(e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(rusqlite::params![query.as_str(), limit], |r| {
                Ok(Ranked {
                    row: r.get(0)?,
                    score: -r.get::<_, f64>(1)?,
                    words: r
                        .get::<_, String>(2)?
                        .split(' ')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect(),
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }
}

impl Store {
    /// In how many commits `term` (a lower-case token) occurs, subject, body or words.
    pub fn text_doc_count(&self, term: &str) -> Result<u64, StoreError> {
        use rusqlite::OptionalExtension;
        if let Some(&n) = self.text_docs.borrow().get(term) {
            return Ok(n);
        }
        let docs: Option<i64> = self
            .conn
            .prepare_cached("SELECT doc FROM commit_text_vocab WHERE term = ?1")
            .and_then(|mut s| s.query_row([term], |r| r.get(0)).optional())
            .map_err(|e| self.sql(e))?;
        let n = docs.and_then(|d| u64::try_from(d).ok()).unwrap_or(0);
        self.text_docs.borrow_mut().insert(term.to_string(), n);
        Ok(n)
    }

    /// How many commits have text.
    pub fn text_total(&self) -> Result<u64, StoreError> {
        if let Some(&n) = self.text_total.get() {
            return Ok(n);
        }
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM commit_text", [], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        Ok(*self
            .text_total
            .get_or_init(|| u64::try_from(n).unwrap_or(0)))
    }

    /// The FTS5 query of the rarest of `terms` that occur at all, or `None`.
    fn rare_terms(&self, terms: &[String]) -> Result<Option<String>, StoreError> {
        let total = self.text_total()?;
        let mut counted = Vec::with_capacity(terms.len());
        for term in terms {
            let d = self.text_doc_count(term)?;
            if d > 0 && (total < SMALL || d.saturating_mul(COMMON) <= total) {
                counted.push((d, term.as_str()));
            }
        }
        counted.sort();
        Ok(crate::text::any_of(
            counted.into_iter().take(MAX_TERMS).map(|(_, t)| t),
        ))
    }
}
