//! The annotations of a queue as typed values: per patch and per feature, each with the line
//! of the file it was written on.

use crate::fingerprint::Fingerprint;
use kdelta_analysis::Status;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every annotation of an annotations file, keyed by patch name (as the queue names it) and
/// by feature name.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Annotations {
    /// `[patches."NAME"]` tables.
    pub patches: BTreeMap<String, PatchAnnotation>,
    /// `[features.NAME]` tables.
    pub features: BTreeMap<String, FeatureAnnotation>,
}

/// The human decisions about one patch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PatchAnnotation {
    /// The status that overrides the analysis (always with a [`reason`](Self::reason)).
    pub status: Option<Status>,
    /// Why the status is overridden, or why it is not.
    pub reason: Option<String>,
    /// The feature the patch belongs to (a key of [`Annotations::features`], usually).
    pub feature: Option<String>,
    /// Who works on upstreaming it.
    pub owner: Option<String>,
    /// Free notes, in order.
    pub notes: Vec<String>,
    /// Links: list postings, bugs.
    pub links: Vec<String>,
    /// Who checked the annotation against the patch, and when.
    pub verified: Option<Verified>,
    /// The patch content the annotation was written for.
    pub fingerprint: Option<Fingerprint>,
    /// The changes made to the annotation, oldest first.
    pub history: Vec<HistoryEntry>,
    /// The 1-based line of its table header (or key) in the file.
    pub line: usize,
}

/// What several patches together provide.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FeatureAnnotation {
    /// What the feature is.
    pub note: Option<String>,
    /// Who works on upstreaming it.
    pub owner: Option<String>,
    /// Links: list postings, bugs.
    pub links: Vec<String>,
    /// The 1-based line of its table header (or key) in the file.
    pub line: usize,
}

/// Who verified an annotation, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    /// Who.
    pub by: String,
    /// When, `YYYY-MM-DD`.
    pub on: String,
}

/// One change made to an annotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When, `YYYY-MM-DD`.
    pub on: String,
    /// Who.
    pub by: String,
    /// What changed, in plain words.
    pub change: String,
}

impl Annotations {
    /// Parse an annotations file; `source` is the file name errors are reported with.
    pub fn parse(text: &str, source: &str) -> Result<Annotations, crate::AnnotationError> {
        crate::parse::parse(text, source)
    }

    /// Who owns the patch `annotation` is about: its own owner, else its feature's.
    pub fn owner_of(&self, annotation: &PatchAnnotation) -> Option<String> {
        annotation.owner.clone().or_else(|| {
            annotation
                .feature
                .as_ref()
                .and_then(|f| self.features.get(f))
                .and_then(|f| f.owner.clone())
        })
    }
}
