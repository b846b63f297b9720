//! The archive index's SQLite schema, tracked by `PRAGMA user_version`.
//!
//! Layout (version 1):
//! - `sources`: one row per archive read (an epoch, a v1 inbox, an mbox file, a Maildir):
//!   its canonical path, kind, and `state`, what the last run read up to (the tip commit of
//!   an epoch, the size and modification time of an mbox).
//! - `messages`: one row per mail and source. `locator` says where it is in its source (the
//!   commit of an epoch, the byte offset in an mbox, the file of a Maildir). `title_norm` is
//!   the subject normalised as the upstream index normalises commit subjects; `tags` the
//!   `[…]` brackets joined by `|`; `patch_id` the 20-byte stable patch-id of the diff;
//!   `minhash` the fingerprint of its changed lines and `features` the lines themselves
//!   (their feature hashes' low 32 bits, sorted, little-endian), for an exact comparison;
//!   `files` the paths it touches, one per line (also in `posting_files`, by path). `series` is the series it belongs to (see [`crate::series`]).
//! - `refs`: each mail's `References`, oldest first (`position` from 0).
//! - `trailers`: review and other trailers of each mail, in order.
//! - `applied`: what an "applied" reply names: the tree, and one row per commit it names.
//! - `mentions`: message-ids a mail links to (earlier versions of a series, mostly).
//! - `series`: the series found: the root mail, version, total, author, title, date,
//!   change-id, and `previous`, the series it is the next version of.
//! - `meta`: key/value facts.
//!
//! Version 2 adds `applied.applier`, who applied a patch when a bot's reply names them.
//! Mails read before it are forgotten and every source is read again.

/// Every migration, in order; migration `i` moves the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[V1, V2];

const V1: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT ''
);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL,
    locator TEXT NOT NULL,
    message_id TEXT NOT NULL,
    in_reply_to TEXT,
    list TEXT,
    date INTEGER,
    author TEXT NOT NULL,
    email TEXT NOT NULL,
    subject TEXT NOT NULL,
    title_norm TEXT NOT NULL,
    tags TEXT NOT NULL,
    version INTEGER,
    number INTEGER,
    total INTEGER,
    kind TEXT NOT NULL,
    patch_id BLOB,
    minhash BLOB,
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    files TEXT NOT NULL,
    change_id TEXT,
    series INTEGER,
    features BLOB
);
CREATE INDEX messages_source ON messages (source_id);
CREATE INDEX messages_message_id ON messages (message_id);
CREATE INDEX messages_in_reply_to ON messages (in_reply_to);
CREATE INDEX messages_patch_id ON messages (patch_id) WHERE patch_id IS NOT NULL;
CREATE INDEX messages_title ON messages (title_norm);
CREATE INDEX messages_series ON messages (series);
CREATE TABLE posting_files (path TEXT NOT NULL, message INTEGER NOT NULL);
CREATE INDEX posting_files_path ON posting_files (path);
CREATE TABLE refs (message INTEGER NOT NULL, position INTEGER NOT NULL, target TEXT NOT NULL);
CREATE INDEX refs_message ON refs (message);
CREATE INDEX refs_target ON refs (target);
CREATE TABLE trailers (message INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX trailers_message ON trailers (message);
CREATE TABLE applied (message INTEGER NOT NULL, tree TEXT, commit_id TEXT);
CREATE INDEX applied_message ON applied (message);
CREATE TABLE mentions (message INTEGER NOT NULL, target TEXT NOT NULL);
CREATE INDEX mentions_message ON mentions (message);
CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    root TEXT NOT NULL,
    version INTEGER NOT NULL,
    total INTEGER NOT NULL,
    author TEXT NOT NULL,
    email TEXT NOT NULL,
    title TEXT NOT NULL,
    date INTEGER,
    change_id TEXT,
    previous INTEGER
);
";

const V2: &str = "
ALTER TABLE applied ADD COLUMN applier TEXT;
DELETE FROM refs;
DELETE FROM trailers;
DELETE FROM applied;
DELETE FROM mentions;
DELETE FROM posting_files;
DELETE FROM series;
DELETE FROM messages;
UPDATE sources SET state = '';
";
