//! The index's SQLite schema and its migrations, tracked by `PRAGMA user_version`.
//!
//! Layout (version 1):
//! - `commits`: one row per indexed non-merge commit. `oid` is the 20-byte id, `parents`
//!   the parents' ids concatenated, `patch_id` the 20-byte stable patch-id (NULL for an
//!   empty diff), `minhash` the fingerprint of the changed lines (see [`crate::minhash`]:
//!   little-endian `u32`s), `release` the first release tag containing the commit (NULL
//!   while no release tag contains it).
//! - `paths` / `files`: the paths each commit touches, paths interned.
//! - `refs`: upstream references found in the message (`kind`, `commit`, `release`, `url`).
//! - `tags`: the release tags already used for `release`, so that new tags update it.
//! - `meta`: key/value facts, e.g. the ref tips of the last complete run.
//!
//! Version 2 changed how changed lines are hashed for the MinHash; its migration empties
//! the index, so that the next run fingerprints every commit again.
//!
//! Version 4 adds `commit_text`, an FTS5 table (row id = `commits.id`) of each commit's
//! subject, message body and the words its diff brings in (see [`crate::text`]), which
//! upstream commits are ranked by (BM25). The table is contentless: only the words are
//! kept (`kept`) to be read back, the text is indexed but not stored. `commit_text_vocab`
//! tells in how many commits each term occurs, to rank by the rarest terms only. Its migration empties the index as version 2's
//! did: the text of commits indexed before cannot be had without reading them again.
//!
//! Version 5 adds `renamed_ids`: for a commit that renames files, the stable patch-id of its
//! diff with renames detected, as `git show` and `git format-patch` print it (`commits.patch_id`
//! is without, as `git log -p --no-renames`). A patch matches a commit by either. Its
//! migration keeps the index: the commits already in it have no renamed id, and
//! `meta('renamed-ids-after')` records the last of them, so that `kdelta index` can say so.

//!
//! Version 6 adds `link_ids`: the message-ids that archive links in each commit's message
//! name (`Link: https://lore.kernel.org/r/<id>`, `patch.msgid.link/<id>`), so that a posting
//! finds the commit that merged it. The migration only creates the table; the first writer
//! fills it from the `refs` already stored (`meta('link-ids')` says it has).

/// Every migration, in order; migration `i` moves the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6];

const V1: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE commits (
    id INTEGER PRIMARY KEY,
    oid BLOB NOT NULL UNIQUE,
    parents BLOB NOT NULL,
    author TEXT NOT NULL,
    author_time INTEGER NOT NULL,
    commit_time INTEGER NOT NULL,
    subject TEXT NOT NULL,
    subject_norm TEXT NOT NULL,
    patch_id BLOB,
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    minhash BLOB,
    release TEXT
);
CREATE INDEX commits_patch_id ON commits (patch_id);
CREATE INDEX commits_subject_norm ON commits (subject_norm);
CREATE INDEX commits_release_null ON commits (id) WHERE release IS NULL;
CREATE TABLE paths (id INTEGER PRIMARY KEY, path BLOB NOT NULL UNIQUE);
CREATE TABLE files (commit_id INTEGER NOT NULL, path_id INTEGER NOT NULL, PRIMARY KEY (commit_id, path_id)) WITHOUT ROWID;
CREATE INDEX files_path ON files (path_id);
CREATE TABLE refs (
    commit_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    target_commit TEXT,
    release TEXT,
    url TEXT,
    text TEXT NOT NULL
);
CREATE INDEX refs_commit ON refs (commit_id);
CREATE INDEX refs_target ON refs (target_commit);
CREATE TABLE tags (name TEXT PRIMARY KEY, oid BLOB NOT NULL, time INTEGER NOT NULL);
";

const V2: &str = "
DELETE FROM files;
DELETE FROM refs;
DELETE FROM paths;
DELETE FROM commits;
DELETE FROM tags;
DELETE FROM meta WHERE key = 'tips';
";

/// Commits whose diff could not be read (blobs missing from a partial clone), and why.
const V3: &str = "
CREATE TABLE IF NOT EXISTS incomplete (commit_id INTEGER PRIMARY KEY, reason TEXT NOT NULL);
DELETE FROM incomplete WHERE commit_id NOT IN (SELECT id FROM commits);
";

/// The commits' text, for ranking by description and names (BM25).
const V4: &str = "
DELETE FROM files;
DELETE FROM refs;
DELETE FROM paths;
DELETE FROM incomplete;
DELETE FROM commits;
DELETE FROM tags;
DELETE FROM meta WHERE key IN ('tips', 'release-tags');
DROP TABLE IF EXISTS commit_text;
DROP TABLE IF EXISTS commit_text_content;
CREATE VIRTUAL TABLE commit_text USING fts5(subject, body, words, kept UNINDEXED, content = '', contentless_delete = 1, contentless_unindexed = 1, tokenize = \"ascii tokenchars '_'\");
CREATE VIRTUAL TABLE IF NOT EXISTS commit_text_vocab USING fts5vocab(commit_text, row);
";

/// Patch-ids with renames detected, for the commits that rename files.
const V5: &str = "
CREATE TABLE IF NOT EXISTS renamed_ids (commit_id INTEGER PRIMARY KEY, patch_id BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS renamed_ids_patch_id ON renamed_ids (patch_id);
INSERT OR IGNORE INTO meta (key, value) SELECT 'renamed-ids-after', CAST(MAX(id) AS TEXT) FROM commits HAVING COUNT(*) > 0;
";

/// Message-ids named by archive links in commit messages.
const V6: &str = "
CREATE TABLE IF NOT EXISTS link_ids (message_id TEXT NOT NULL, commit_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS link_ids_message ON link_ids (message_id);
";
