//! kdelta-analysis: for every patch of a queue, where it stands against upstream
//! (upstream, replaced, in progress, needs work, downstream only, obsolete), with the
//! evidence a kernel maintainer needs to trust or overrule the verdict.
//!
//! The cascade runs from cheap to expensive and stops where the answer is certain:
//! header references verified in the index, equal patch-id, equal normalised subject
//! confirmed by the changed lines, similar changed lines retrieved through the index's
//! similarity buckets ([`candidates`]); then the target tree — hunks already applied or
//! still applying, files and functions gone, names the patch introduces present upstream
//! ([`tree`]); the headers' claims are checked against all that ([`verdict`]).
//! [`eval`] measures how well the content stages recover the commits headers name.

pub mod analyze;
pub mod calibration;
pub mod candidates;
pub mod claims;
pub mod compare;
pub mod described;
pub mod eval;
pub mod history;
pub mod lines;
pub mod model;
pub mod people;
pub mod postings;
pub mod rebase;
pub mod tree;
pub mod upstream;
pub mod verdict;

pub use analyze::{analyze_queue, Analyzer};

/// Helpers for the crate's tests.
#[cfg(test)]
pub(crate) mod testing {
    use kdelta_queue::{LayoutKind, Queue, QueueEntry};

    /// A queue of `(name, text)` patches, in order.
    pub(crate) fn queue<S: AsRef<str>>(patches: &[(&str, S)]) -> Queue {
        Queue {
            source: "test".into(),
            layout: LayoutKind::Folder,
            entries: patches
                .iter()
                .enumerate()
                .map(|(i, (name, text))| entry(i + 1, name, text.as_ref()))
                .collect(),
            disabled: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// A queue entry at `position` named `name`, its patch parsed from `text`.
    pub(crate) fn entry(position: usize, name: &str, text: &str) -> QueueEntry {
        QueueEntry::parsed(position, name, text.as_bytes())
    }
}
pub use model::{
    Candidate, Claim, ClaimCheck, ClaimIssue, Evidence, EvidenceKind, HunkFate, HunkVerdict,
    Hypothesis, Status, UnknownStatus, Verdict,
};
pub use postings::{Archive, Posted};
pub use upstream::History;

/// Thresholds and limits of the cascade (defaults calibrated with `kdelta eval`, see
/// docs/ACCURACY.md).
#[derive(Clone, Debug)]
pub struct AnalysisOptions {
    /// Score from which the best candidate in the target makes a patch `upstream`.
    pub upstream_threshold: f64,
    /// Candidates retrieved through the similarity index per patch.
    pub retrieve: usize,
    /// Newest commits per touched file considered.
    pub per_file: usize,
    /// Candidates compared exactly (their diff rendered from the repository).
    pub exact: usize,
    /// Weakest score a candidate found by similarity alone needs to be listed.
    pub keep: f64,
    /// Ignore the headers that name upstream commits or releases (for `kdelta eval`).
    pub hide_identity_headers: bool,
    /// Look commits up by subject (off to measure the diff stages alone).
    pub use_subject: bool,
    /// The release judged against, when the tree does not say (`--release`).
    pub release: Option<kdelta_patch::Version>,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            upstream_threshold: 0.6,
            retrieve: 20,
            per_file: 30,
            exact: 5,
            keep: 0.25,
            hide_identity_headers: false,
            use_subject: true,
            release: None,
        }
    }
}

/// Why the analysis could not run.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// The index failed.
    #[error(transparent)]
    Store(#[from] kdelta_upstream::StoreError),
    /// The upstream tree could not be read.
    #[error(transparent)]
    Tree(#[from] kdelta_upstream::tree::TreeError),
}
