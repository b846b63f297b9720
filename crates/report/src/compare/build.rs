//! Building the [`Comparison`] from queues, their verdicts and the clusters.

use super::{ClusterRow, CompareSummary, Comparison, Distribution, MemberCell};
use crate::model::{StatusCount, Upstream};
use crate::SCHEMA_VERSION;
use kdelta_analysis::compare::Cluster;
use kdelta_analysis::{Status, Verdict};
use kdelta_queue::Queue;

/// One distribution's queue and its verdicts (one per entry).
pub struct CompareQueue<'a> {
    /// The distribution's name.
    pub name: String,
    /// The queue.
    pub queue: &'a Queue,
    /// Its verdicts.
    pub verdicts: &'a [Verdict],
}

/// What a comparison needs of one patch: from a verdict, or from a stored report.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparePatch {
    /// Its name in its queue.
    pub name: String,
    /// Its status.
    pub status: Status,
    /// Its subject.
    pub subject: Option<String>,
    /// The upstream commit it is.
    pub commit: Option<String>,
    /// That commit's first release.
    pub release: Option<String>,
}

/// One distribution of a comparison: its name, its queue as read, its patches in the order
/// the clusters' members count them.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareSide {
    /// The distribution's name.
    pub name: String,
    /// The queue as read.
    pub queue: String,
    /// Its patches.
    pub patches: Vec<ComparePatch>,
}

impl CompareSide {
    /// The side of a queue and its verdicts (one per entry).
    pub fn of(q: &CompareQueue<'_>) -> CompareSide {
        CompareSide {
            name: q.name.clone(),
            queue: q.queue.source.clone(),
            patches: q
                .queue
                .entries
                .iter()
                .zip(q.verdicts)
                .map(|(e, v)| ComparePatch {
                    name: e.name.clone(),
                    status: v.status,
                    subject: v.subject.clone(),
                    commit: v.commit.clone(),
                    release: v.release.clone(),
                })
                .collect(),
        }
    }
}

/// Build the comparison of `queues` whose patches were clustered into `clusters`.
pub fn build_comparison(
    queues: &[CompareQueue<'_>],
    clusters: &[Cluster],
    upstream: Upstream,
    generated_at: Option<String>,
) -> Comparison {
    let sides: Vec<CompareSide> = queues.iter().map(CompareSide::of).collect();
    build_comparison_of(&sides, clusters, upstream, generated_at)
}

/// [`build_comparison`] from each distribution's [`CompareSide`].
pub fn build_comparison_of(
    queues: &[CompareSide],
    clusters: &[Cluster],
    upstream: Upstream,
    generated_at: Option<String>,
) -> Comparison {
    let rows: Vec<ClusterRow> = clusters
        .iter()
        .enumerate()
        .map(|(i, c)| row(i + 1, c, queues))
        .collect();
    let distributions = queues
        .iter()
        .enumerate()
        .map(|(q, cq)| distribution(q, cq, &rows))
        .collect();
    let summary = CompareSummary {
        clusters: rows.len(),
        shared: rows.iter().filter(|r| r.carried_by() >= 2).count(),
        common: rows.iter().filter(|r| r.common).count(),
        unique: rows.iter().filter(|r| unique(r)).count(),
    };
    Comparison {
        schema_version: SCHEMA_VERSION,
        generator: format!("kdelta {}", env!("CARGO_PKG_VERSION")),
        generated_at,
        upstream,
        commit_url: None,
        distributions,
        clusters: rows,
        summary,
    }
}

fn row(id: usize, cluster: &Cluster, queues: &[CompareSide]) -> ClusterRow {
    let mut carriers = vec![Vec::new(); queues.len()];
    let mut verdicts = Vec::new();
    for m in &cluster.members {
        let Some(verdict) = queues[m.queue].patches.get(m.entry) else {
            continue;
        };
        carriers[m.queue].push(MemberCell {
            name: verdict.name.clone(),
            status: verdict.status,
        });
        verdicts.push(verdict);
    }
    // Status::ALL is ordered from "upstream" on: the smallest is the most advanced.
    let status = verdicts
        .iter()
        .map(|v| v.status)
        .min()
        .unwrap_or(Status::Unknown);
    let upstream = verdicts.iter().find(|v| v.commit.is_some());
    let title = verdicts
        .iter()
        .find_map(|v| v.subject.clone())
        .or_else(|| verdicts.first().map(|v| v.name.clone()))
        .unwrap_or_default();
    let carried_by = carriers.iter().filter(|c| !c.is_empty()).count();
    ClusterRow {
        id,
        title,
        status,
        commit: upstream.and_then(|v| v.commit.clone()),
        release: upstream.and_then(|v| v.release.clone()),
        common: carried_by >= 2 && status != Status::Upstream,
        links: cluster.links.clone(),
        carriers,
    }
}

fn unique(row: &ClusterRow) -> bool {
    row.carried_by() == 1 && row.status != Status::Upstream
}

fn distribution(q: usize, side: &CompareSide, rows: &[ClusterRow]) -> Distribution {
    Distribution {
        name: side.name.clone(),
        queue: side.queue.clone(),
        patches: side.patches.len(),
        by_status: Status::ALL
            .into_iter()
            .map(|status| StatusCount {
                status,
                count: side.patches.iter().filter(|v| v.status == status).count(),
            })
            .collect(),
        unique: rows
            .iter()
            .filter(|r| unique(r) && !r.carriers[q].is_empty())
            .count(),
    }
}
