//! The comparison report: several distributions' queues side by side, their patches
//! clustered into equivalent changes ([`kdelta_analysis::compare`]), the common delta (changes
//! two or more distributions carry that are not upstream) and what each carries alone;
//! rendered as HTML, Markdown, MediaWiki, JSON and CSV like the delta report.

mod build;
mod html;
mod render;
#[cfg(test)]
mod tests;

pub use build::{build_comparison, build_comparison_of, ComparePatch, CompareQueue, CompareSide};
pub use render::{render_comparison, write_comparison};

use crate::model::{StatusCount, Upstream};
use kdelta_analysis::compare::Link;
use kdelta_analysis::Status;
use serde::Serialize;

/// A whole comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The JSON schema version ([`crate::SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The tool that wrote it.
    pub generator: String,
    /// When, or `None` for reproducible output.
    pub generated_at: Option<String>,
    /// What the queues were judged against.
    pub upstream: Upstream,
    /// The commit-URL template (`https://git.kernel.org/linus/{commit}`), when one was given.
    pub commit_url: Option<String>,
    /// The distributions, in the order given.
    pub distributions: Vec<Distribution>,
    /// Every cluster: shared ones first (most distributions first), then by first patch.
    pub clusters: Vec<ClusterRow>,
    /// Counts.
    pub summary: CompareSummary,
}

/// One distribution's queue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Distribution {
    /// Its name (`--name`, or the queue's).
    pub name: String,
    /// The queue as read.
    pub queue: String,
    /// Patches in it.
    pub patches: usize,
    /// Patches per status.
    pub by_status: Vec<StatusCount>,
    /// Clusters only this distribution carries that are not upstream.
    pub unique: usize,
}

/// One change, and who carries it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterRow {
    /// 1-based number.
    pub id: usize,
    /// A subject for the change (its first patch's).
    pub title: String,
    /// The most advanced status among its patches (upstream before the rest).
    pub status: Status,
    /// The upstream commit, when one of its patches is upstream.
    pub commit: Option<String>,
    /// Its first release.
    pub release: Option<String>,
    /// Carried by two or more distributions and not upstream: the common delta.
    pub common: bool,
    /// What joined its patches.
    pub links: Vec<Link>,
    /// Per distribution (same order as `distributions`), its patches in the cluster.
    pub carriers: Vec<Vec<MemberCell>>,
}

/// A patch of a cluster.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemberCell {
    /// The patch's name in its queue.
    pub name: String,
    /// Its status there.
    pub status: Status,
}

/// Counts over the comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareSummary {
    /// Clusters (distinct changes) over all queues.
    pub clusters: usize,
    /// Clusters carried by two or more distributions.
    pub shared: usize,
    /// Of those, not upstream: the common delta.
    pub common: usize,
    /// Clusters one distribution carries alone, not upstream.
    pub unique: usize,
}

impl Distribution {
    /// Its patches that are not upstream.
    pub fn not_upstream(&self) -> usize {
        let upstream = self
            .by_status
            .iter()
            .find(|s| s.status == Status::Upstream)
            .map_or(0, |s| s.count);
        self.patches - upstream
    }
}

impl ClusterRow {
    /// How many distributions carry it.
    pub fn carried_by(&self) -> usize {
        self.carriers.iter().filter(|c| !c.is_empty()).count()
    }
}
