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
pub mod minhash;
pub mod record;
pub mod release;
pub mod store;

pub use index::{update_index, IndexOptions, IndexOutcome, Progress, Silent};
pub use record::{normalize_subject, CommitRecord};
pub use store::{default_index_path, Lookup, Store, StoreError, StoredCommit};

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

/// Compare version-like names: digit runs by value (`v3.9` < `v3.10`, `-rc2` < `-rc10`).
pub fn version_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let dx = x.iter().take_while(|b| b.is_ascii_digit()).count();
                let dy = y.iter().take_while(|b| b.is_ascii_digit()).count();
                let (nx, ny) = (trim_zeros(&x[..dx]), trim_zeros(&y[..dy]));
                let ord = nx.len().cmp(&ny.len()).then(nx.cmp(ny));
                if ord.is_ne() {
                    return ord;
                }
                (x, y) = (&x[dx..], &y[dy..]);
            }
            (Some(p), Some(q)) if p != q => return p.cmp(q),
            _ => (x, y) = (&x[1..], &y[1..]),
        }
    }
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let first = s.iter().position(|&b| b != b'0').unwrap_or(s.len());
    &s[first..]
}
