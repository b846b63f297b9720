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

/// Build the comparison of `queues` whose patches were clustered into `clusters`.
pub fn build_comparison(
    queues: &[CompareQueue<'_>],
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

fn row(id: usize, cluster: &Cluster, queues: &[CompareQueue<'_>]) -> ClusterRow {
    let mut carriers = vec![Vec::new(); queues.len()];
    let mut verdicts = Vec::new();
    for m in &cluster.members {
        let verdict = &queues[m.queue].verdicts[m.entry];
        carriers[m.queue].push(MemberCell {
            name: queues[m.queue].queue.entries[m.entry].name.clone(),
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
        .or_else(|| {
            cluster
                .members
                .first()
                .map(|m| queues[m.queue].queue.entries[m.entry].name.clone())
        })
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

fn distribution(q: usize, cq: &CompareQueue<'_>, rows: &[ClusterRow]) -> Distribution {
    Distribution {
        name: cq.name.clone(),
        queue: cq.queue.source.clone(),
        patches: cq.queue.entries.len(),
        by_status: Status::ALL
            .into_iter()
            .map(|status| StatusCount {
                status,
                count: cq.verdicts.iter().filter(|v| v.status == status).count(),
            })
            .collect(),
        unique: rows
            .iter()
            .filter(|r| unique(r) && !r.carriers[q].is_empty())
            .count(),
    }
}
