//! The history report: a queue over several revisions (releases, or monthly over a packaging
//! repository), with what each revision added, removed, renamed and refreshed, where removed
//! patches went, and the delta's size per status over time (an inline SVG chart in HTML, the
//! figures in JSON and CSV).

mod html;
mod render;
#[cfg(test)]
mod tests;

pub use render::{render_history, write_history};

use crate::model::Upstream;
use kdelta_analysis::history::Step;
use serde::Serialize;

/// A whole history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryReport {
    /// The JSON schema version ([`crate::SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The tool that wrote it.
    pub generator: String,
    /// When, or `None` for reproducible output.
    pub generated_at: Option<String>,
    /// The distribution.
    pub distribution: String,
    /// What every revision was judged against.
    pub upstream: Upstream,
    /// The commit-URL template (`https://git.kernel.org/linus/{commit}`), when one was given.
    pub commit_url: Option<String>,
    /// The revisions, oldest first.
    pub steps: Vec<Step>,
    /// Patch contents analysed, and patch entries answered from earlier revisions.
    pub work: Work,
}

/// How much analysis the revisions shared.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Work {
    /// Entries analysed (distinct contents).
    pub analysed: usize,
    /// Entries whose content an earlier revision had: not analysed again.
    pub reused: usize,
}

impl HistoryReport {
    /// Build the report of `steps`.
    pub fn new(
        distribution: String,
        upstream: Upstream,
        steps: Vec<Step>,
        work: Work,
        generated_at: Option<String>,
    ) -> HistoryReport {
        HistoryReport {
            schema_version: crate::SCHEMA_VERSION,
            generator: format!("kdelta {}", env!("CARGO_PKG_VERSION")),
            generated_at,
            distribution,
            upstream,
            commit_url: None,
            steps,
            work,
        }
    }
}
