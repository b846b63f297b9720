//! The delta report: one model ([`Report`]) built from the analysis, the queue and the
//! annotations ([`build_report`]), rendered as HTML, Markdown, MediaWiki, JSON and CSV
//! ([`render()`], [`write_reports`]). Every renderer escapes what patches say.

pub mod build;
pub mod compare;
pub mod escape;
pub mod history;
pub mod model;
pub mod rebase;
pub mod render;
#[cfg(any(test, feature = "sample"))]
pub mod sample;

pub use build::{
    attach_people, build_report, fingerprints, recount, PatchPeople, People, ReportMeta,
};
pub use model::{Report, SCHEMA_VERSION};
pub use render::{render, write_atomically, write_reports, Format};

use std::path::{Path, PathBuf};

/// What can go wrong making a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file or directory could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The model could not be serialised.
    #[error("serialising the report: {0}")]
    Json(serde_json::Error),
    /// `--format` named no known format.
    #[error("unknown report format {0:?}: expected html, md, mediawiki, json or csv")]
    UnknownFormat(String),
}

impl ReportError {
    fn io(path: &Path, source: std::io::Error) -> ReportError {
        ReportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
