//! kdelta-upstream: the upstream history index.
//!
//! Every non-merge upstream commit is fingerprinted once and kept in an SQLite index
//! ([`store`]): its metadata, normalised subject, touched files, stable patch-id (equal to
//! `git patch-id --stable` with rename detection off), the references in its message, a
//! MinHash of its changed lines ([`minhash`]) and the first release that contains it
//! ([`release`]). [`index::update_index`] brings the index up to date incrementally;
//! [`store::Store::lookup`] answers queries.

pub mod facts;
pub mod index;
pub mod lsh;
pub mod minhash;
pub mod record;
pub mod release;
pub mod store;
#[cfg(test)]
mod testing;
pub mod text;
pub mod timing;
pub mod tree;

pub use index::{check_upstream, update_index, IndexOptions, IndexOutcome, Progress, Silent};
pub use record::{normalize_subject, CommitRecord};
pub use store::{default_index_path, Lookup, Ranked, Store, StoreError, StoredCommit};
pub use timing::Timings;
pub use tree::{TreeError, TreeFiles, TreeIndex, TreeSource};

/// Why indexing failed.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The index store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The repository could not be read.
    #[error("{0}")]
    Git(String),
    /// The request makes no sense.
    #[error("{0}")]
    Usage(String),
}

pub use kdelta_patch::natural_cmp as version_cmp;
