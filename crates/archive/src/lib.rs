//! kdelta-archive: what the mailing lists say about each patch.
//!
//! Archives of the lists (public-inbox v2 epochs and v1 inboxes, mbox files, Maildirs) are
//! read ([`source`]) and every mail is kept as facts ([`message`]) in an SQLite index
//! ([`store`]) beside the upstream one: ids and thread links, list, date, author, the
//! parsed subject, the stable patch-id and changed-line fingerprint of a patch's diff, its
//! review trailers, and the "applied" replies with the tree they name. [`index::update`]
//! brings the index up to date incrementally (the last commit per epoch; a rewritten epoch
//! is read again).
pub mod headers;
pub mod message;
pub mod mime;
pub mod reply;

pub use message::{parse_message, Kind, Message};
pub mod index;
pub mod matching;
pub mod series;
pub mod source;
pub mod status;
pub mod store;

pub use index::{update, IndexOptions, IndexOutcome};
pub use matching::{MatchKind, MatchOptions, Matcher, PostingMatch};
pub use status::{status_of, PostingStatus};
pub use store::{default_archive_path, ArchiveStore, Posting, Response, SeriesRow};

use std::path::{Path, PathBuf};

/// Why an archive could not be indexed or read.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The index failed.
    #[error(transparent)]
    Store(#[from] kdelta_upstream::StoreError),
    /// An archive could not be read.
    #[error("{}: {message}", path.display())]
    Read {
        /// The archive.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// A path is not an archive kdelta reads.
    #[error("{}: {message}", path.display())]
    NotAnArchive {
        /// The path.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

impl ArchiveError {
    /// A read failure at `path`.
    pub fn read(path: &Path, e: impl std::fmt::Display) -> ArchiveError {
        ArchiveError::Read {
            path: path.into(),
            message: e.to_string(),
        }
    }
}
