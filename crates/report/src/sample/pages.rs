//! Hand-built comparison and history reports for tests and for looking at their renderers:
//! three distributions, with a shared change upstream, a common delta of two changes (one of
//! them hostile text), and changes each carries alone; four revisions of one queue in which
//! patches are added, go upstream, are dropped, renamed, refreshed, disabled and re-enabled.

use super::{hostile, BLK_MQ_COMMIT, COMMIT_URL};
use crate::compare::{ClusterRow, CompareSummary, Comparison, Distribution, MemberCell};
use crate::history::{HistoryReport, Work};
use crate::model::{StatusCount, Upstream};
use kdelta_analysis::compare::Link;
use kdelta_analysis::history::{Fate, Removal, Step, Tally};
use kdelta_analysis::Status;

fn upstream() -> Upstream {
    Upstream {
        repository: Some("linux.git".into()),
        at: Some("v6.12".into()),
        tree: None,
    }
}

fn member(name: &str, status: Status) -> MemberCell {
    MemberCell {
        name: name.into(),
        status,
    }
}

fn cluster(id: usize, title: &str, status: Status, carriers: Vec<Vec<MemberCell>>) -> ClusterRow {
    let carried = carriers.iter().filter(|c| !c.is_empty()).count();
    ClusterRow {
        id,
        title: title.into(),
        status,
        commit: None,
        release: None,
        common: carried >= 2 && status != Status::Upstream,
        links: Vec::new(),
        carriers,
    }
}

/// Three distributions (the third's name hostile) and six changes: one upstream that all carry,
/// two in the common delta, three carried alone.
pub fn sample_comparison() -> Comparison {
    let names = ["openSUSE", "Debian", &hostile("distro")];
    let mut upstreamed = cluster(
        1,
        "blk-mq: fix a hang",
        Status::Upstream,
        vec![
            vec![member("patches.fixes/blk-mq-hang", Status::Upstream)],
            vec![member("bugfix/all/blk-mq-hang.patch", Status::Upstream)],
            vec![member("0001-blk-mq.patch", Status::Upstream)],
        ],
    );
    upstreamed.commit = Some(BLK_MQ_COMMIT.into());
    upstreamed.release = Some("v6.8".into());
    upstreamed.links = vec![Link::SameCommit(BLK_MQ_COMMIT.into())];
    let mut netfront = cluster(
        2,
        "xen-netfront: multi-queue",
        Status::InProgress,
        vec![
            vec![member("patches.xen/netfront-mq", Status::InProgress)],
            Vec::new(),
            vec![member("0002-netfront.patch", Status::NeedsWork)],
        ],
    );
    netfront.links = vec![Link::SimilarLines(82)];
    let mut evil = cluster(
        3,
        &hostile("subject"),
        Status::NeedsWork,
        vec![
            vec![member(&hostile("name"), Status::NeedsWork)],
            vec![member("debian/evil.patch", Status::NeedsWork)],
            Vec::new(),
        ],
    );
    evil.links = vec![Link::SameFeature(hostile("feature"))];
    let clusters = vec![
        upstreamed,
        netfront,
        evil,
        cluster(
            4,
            "xen: balloon tweak",
            Status::DownstreamOnly,
            vec![
                vec![member("patches.xen/balloon", Status::DownstreamOnly)],
                Vec::new(),
                Vec::new(),
            ],
        ),
        cluster(
            5,
            "kbuild: Debian ABI",
            Status::NeedsWork,
            vec![
                Vec::new(),
                vec![member("debian/abi.patch", Status::NeedsWork)],
                Vec::new(),
            ],
        ),
        cluster(
            6,
            "gone file",
            Status::Obsolete,
            vec![
                Vec::new(),
                Vec::new(),
                vec![member("0003-gone.patch", Status::Obsolete)],
            ],
        ),
    ];
    let distributions = names
        .iter()
        .enumerate()
        .map(|(d, name)| distribution(d, name, &clusters))
        .collect();
    Comparison {
        schema_version: crate::SCHEMA_VERSION,
        generator: "kdelta 0.1.0".into(),
        generated_at: None,
        upstream: upstream(),
        commit_url: Some(COMMIT_URL.into()),
        distributions,
        summary: CompareSummary {
            clusters: clusters.len(),
            shared: clusters.iter().filter(|r| r.carried_by() >= 2).count(),
            common: clusters.iter().filter(|r| r.common).count(),
            unique: 3,
        },
        clusters,
    }
}

fn distribution(d: usize, name: &str, clusters: &[ClusterRow]) -> Distribution {
    let members: Vec<&MemberCell> = clusters.iter().flat_map(|c| &c.carriers[d]).collect();
    let by_status = Status::ALL
        .iter()
        .map(|&status| StatusCount {
            status,
            count: members.iter().filter(|m| m.status == status).count(),
        })
        .collect();
    Distribution {
        name: name.into(),
        queue: format!("queue-{d}"),
        patches: members.len(),
        by_status,
        unique: clusters
            .iter()
            .filter(|c| c.carried_by() == 1 && !c.carriers[d].is_empty())
            .filter(|c| c.status != Status::Upstream)
            .count(),
    }
}

fn step(label: &str, counts: &[(Status, usize)]) -> Step {
    Step {
        label: label.into(),
        patches: counts.iter().map(|c| c.1).sum(),
        by_status: Status::ALL
            .iter()
            .map(|&status| Tally {
                status,
                count: counts.iter().find(|c| c.0 == status).map_or(0, |c| c.1),
            })
            .collect(),
        ..Step::default()
    }
}

/// Four revisions of one queue; the third adds a patch whose name is hostile.
pub fn sample_history() -> HistoryReport {
    let mut first = step("v1", &[(Status::NeedsWork, 3), (Status::Upstream, 1)]);
    first.added = vec![
        "a.patch".into(),
        "b.patch".into(),
        "c.patch".into(),
        "d.patch".into(),
    ];
    let mut second = step("v2", &[(Status::NeedsWork, 3)]);
    second.removed = vec![Removal {
        name: "d.patch".into(),
        fate: Fate::Upstream,
        commit: Some(BLK_MQ_COMMIT.into()),
        release: Some("v6.8".into()),
    }];
    second.renamed = vec![("c.patch".into(), "c2.patch".into())];
    second.refreshed = vec!["a.patch".into()];
    second.disabled = vec!["b.patch".into()];
    let mut third = step("v3", &[(Status::NeedsWork, 3), (Status::Obsolete, 1)]);
    third.added = vec![hostile("patch")];
    third.reenabled = vec!["b.patch".into()];
    let mut fourth = step("v4", &[(Status::NeedsWork, 3)]);
    fourth.removed = vec![Removal {
        name: "a.patch".into(),
        fate: Fate::Dropped,
        commit: None,
        release: None,
    }];
    let mut report = HistoryReport::new(
        "openSUSE".into(),
        upstream(),
        vec![first, second, third, fourth],
        Work {
            analysed: 6,
            reused: 9,
        },
        None,
    );
    report.commit_url = Some(COMMIT_URL.into());
    report
}

/// A plan of five patches, one per kind of action, one named and explained with hostile text.
pub fn sample_rebase() -> crate::rebase::RebaseReport {
    use kdelta_analysis::rebase::{Action, Step as PlanStep};
    let step = |name: &str, action, why: &[&str]| PlanStep {
        name: name.into(),
        action,
        why: why.iter().map(|w| w.to_string()).collect(),
    };
    crate::rebase::RebaseReport {
        schema_version: crate::SCHEMA_VERSION,
        generator: "kdelta 0.1.0".into(),
        generated_at: None,
        queue: "debian/patches".into(),
        upstream: Upstream {
            repository: None,
            at: None,
            tree: Some("linux-6.12.107".into()),
        },
        rules: "GNU patch's rules, fuzz up to 2".into(),
        steps: vec![
            step("keep.patch", Action::Keep, &[]),
            step(
                "upstream.patch",
                Action::DropUpstream,
                &["upstream as 0123456789ab in v6.13"],
            ),
            step(
                "refresh.patch",
                Action::KeepRefreshed,
                &["src/io.c hunk 1 applies at line 12 with fuzz 1 (offset +11)"],
            ),
            step(&hostile("patch"), Action::Conflict, &[&hostile("why")]),
            step(
                "blocked.patch",
                Action::Blocked,
                &["src/io.c hunk 1: needs lines of conflict.patch, which is conflict"],
            ),
        ],
    }
}
