//! Clustering on small hand-built queues: each kind of link, queues kept apart when nothing
//! links them, and the order of clusters.

use super::*;
use crate::model::Status;
use kdelta_queue::{LayoutKind, QueueEntry};

fn diff(path: &str, added: &[&str]) -> String {
    let mut text = format!(
        "--- a/{path}\n+++ b/{path}\n@@ -1,1 +1,{} @@\n ctx\n",
        added.len() + 1
    );
    for line in added {
        text.push_str(&format!("+{line}\n"));
    }
    text
}

fn entry(position: usize, name: &str, subject: &str, body: &str) -> QueueEntry {
    crate::testing::entry(position, name, &format!("Subject: {subject}\n\n{body}"))
}

fn verdict(name: &str, subject: &str, commit: Option<&str>) -> Verdict {
    Verdict {
        name: name.into(),
        subject: Some(subject.into()),
        status: if commit.is_some() {
            Status::Upstream
        } else {
            Status::NeedsWork
        },
        hypothesis: crate::model::Hypothesis::Needed,
        confidence: 0.5,
        scores: Vec::new(),
        commit: commit.map(str::to_string),
        release: None,
        evidence: Vec::new(),
        candidates: Vec::new(),
        claims: Vec::new(),
        hunks: Vec::new(),
        posted: None,
    }
}

/// A queue of (name, subject, diff, commit).
fn queue(patches: &[(&str, &str, String, Option<&str>)]) -> (Queue, Vec<Verdict>) {
    let entries = patches
        .iter()
        .enumerate()
        .map(|(i, (name, subject, body, _))| entry(i + 1, name, subject, body))
        .collect();
    let verdicts = patches
        .iter()
        .map(|(name, subject, _, commit)| verdict(name, subject, *commit))
        .collect();
    let queue = Queue {
        source: "q".into(),
        layout: LayoutKind::Folder,
        entries,
        disabled: Vec::new(),
        problems: Vec::new(),
    };
    (queue, verdicts)
}

fn members(c: &Cluster) -> Vec<(usize, usize)> {
    c.members.iter().map(|m| (m.queue, m.entry)).collect()
}

#[test]
fn each_kind_of_link_joins_patches_of_different_queues() {
    let long: Vec<String> = (0..12)
        .map(|i| format!("line {i} of the balloon fix"))
        .collect();
    let long: Vec<&str> = long.iter().map(String::as_str).collect();
    let mut nearly = long.clone();
    nearly[11] = "a different last line";
    let (a, va) = queue(&[
        (
            "a/commit.patch",
            "x: one",
            diff("x.c", &["one"]),
            Some("c0ffee"),
        ),
        (
            "a/same.patch",
            "y: same id",
            diff("y.c", &["same", "change"]),
            None,
        ),
        ("a/similar.patch", "balloon: fix", diff("b.c", &long), None),
        (
            "a/subject.patch",
            "net: do the thing",
            diff("n.c", &["alpha", "beta", "gamma"]),
            None,
        ),
        ("a/alone.patch", "z: only here", diff("z.c", &["z"]), None),
    ]);
    let (b, vb) = queue(&[
        (
            "b/other-name.patch",
            "x: backport",
            diff("q.c", &["q"]),
            Some("c0ffee"),
        ),
        (
            "b/same-id.diff",
            "y: renamed",
            diff("y.c", &["same", "change"]),
            None,
        ),
        (
            "b/similar.diff",
            "balloon: a fix",
            diff("b.c", &nearly),
            None,
        ),
        (
            "b/subject.diff",
            "[PATCH] net: do the thing",
            diff("n.c", &["alpha", "delta", "eps"]),
            None,
        ),
    ]);
    let clusters = cluster(&[(&a, &va), (&b, &vb)], &CompareOptions::default());
    // The facts kept beside an analysis, read back, cluster the same.
    let kept: Vec<Vec<PatchFacts>> = [(&a, &va), (&b, &vb)]
        .iter()
        .map(|(q, v)| {
            let text = serde_json::to_string(&patch_facts(q, v)).expect("json");
            serde_json::from_str(&text).expect("read back")
        })
        .collect();
    let kept: Vec<&[PatchFacts]> = kept.iter().map(Vec::as_slice).collect();
    assert_eq!(
        cluster_facts(&kept, &[], &CompareOptions::default()),
        clusters
    );
    let shared: Vec<&Cluster> = clusters.iter().filter(|c| c.queues().len() == 2).collect();
    assert_eq!(shared.len(), 4, "{clusters:#?}");
    assert_eq!(members(shared[0]), [(0, 0), (1, 0)]);
    assert!(matches!(shared[0].links[0], Link::SameCommit(_)));
    assert!(
        matches!(shared[1].links[0], Link::SamePatchId(_)),
        "{:?}",
        shared[1]
    );
    assert!(
        matches!(shared[2].links[0], Link::SimilarLines(p) if p >= 60),
        "{:?}",
        shared[2]
    );
    assert!(matches!(&shared[3].links[0], Link::SameSubject(s) if s.contains("do the thing")));
    let alone = clusters.last().expect("clusters");
    assert_eq!(members(alone), [(0, 4)]);
    assert!(alone.links.is_empty());
}

#[test]
fn a_moved_file_or_a_refreshed_patch_with_its_subject_still_joins() {
    let lines = [
        "pinmux = <&pmx_sata0>;",
        "pinctrl-names = \"default\";",
        "status = \"okay\";",
    ];
    let (a, va) = queue(&[
        (
            "a/dts.patch",
            "ARM: dts: fix pinmux",
            diff("arch/arm/boot/dts/t.dtsi", &lines),
            None,
        ),
        (
            "a/kbuild.patch",
            "kbuild: use arch lds",
            diff("Makefile.modfinal", &["-T $(LDS) -o $@;\\"]),
            None,
        ),
    ]);
    let (b, vb) = queue(&[
        (
            "b/dts.patch",
            "ARM: dts: fix pinmux",
            diff("arch/arm/boot/dts/m/t.dtsi", &lines),
            None,
        ),
        (
            "b/kbuild.patch",
            "kbuild: use arch lds",
            diff("Makefile.modfinal", &["-T $(LDS) -o $@"]),
            None,
        ),
    ]);
    let clusters = cluster(&[(&a, &va), (&b, &vb)], &CompareOptions::default());
    assert_eq!(clusters.len(), 2, "{clusters:#?}");
    assert!(
        matches!(clusters[0].links[0], Link::SimilarLines(100)),
        "{:?}",
        clusters[0]
    );
    assert!(
        matches!(clusters[1].links[0], Link::SameSubject(_)),
        "{:?}",
        clusters[1]
    );
}

#[test]
fn a_feature_two_distributions_annotate_joins_its_patches() {
    let (a, va) = queue(&[
        (
            "a/ring1.patch",
            "blkback: rings",
            diff("back.c", &["one"]),
            None,
        ),
        (
            "a/ring2.patch",
            "blkfront: rings",
            diff("front.c", &["two"]),
            None,
        ),
        ("a/other.patch", "other", diff("o.c", &["o"]), None),
    ]);
    let (b, vb) = queue(&[(
        "b/rings.patch",
        "xen: multi-page rings",
        diff("x.c", &["x"]),
        None,
    )]);
    let features = [
        [
            ("a/ring1.patch", "rings"),
            ("a/ring2.patch", "rings"),
            ("a/other.patch", "solo"),
        ]
        .map(|(p, f)| (p.to_string(), f.to_string()))
        .into_iter()
        .collect(),
        [("b/rings.patch".to_string(), "rings".to_string())]
            .into_iter()
            .collect(),
    ];
    let clusters = cluster_with_features(
        &[(&a, &va), (&b, &vb)],
        &features,
        &CompareOptions::default(),
    );
    assert_eq!(
        members(&clusters[0]),
        [(0, 0), (0, 1), (1, 0)],
        "{clusters:#?}"
    );
    assert_eq!(clusters[0].links, [Link::SameFeature("rings".into())]);
    assert_eq!(
        clusters.len(),
        2,
        "a feature of one distribution joins nothing"
    );
}

#[test]
fn unrelated_changes_to_one_file_stay_apart() {
    let (a, va) = queue(&[(
        "a/1.patch",
        "f: one",
        diff("f.c", &["one thing", "two"]),
        None,
    )]);
    let (b, vb) = queue(&[(
        "b/1.patch",
        "f: other",
        diff("f.c", &["other", "stuff"]),
        None,
    )]);
    let clusters = cluster(&[(&a, &va), (&b, &vb)], &CompareOptions::default());
    assert_eq!(clusters.len(), 2, "{clusters:#?}");
}

#[test]
fn a_file_every_patch_touches_does_not_pair_them() {
    let options = CompareOptions {
        max_per_file: 1,
        ..CompareOptions::default()
    };
    let same = diff("Makefile", &["obj-y += same.o"]);
    let (a, va) = queue(&[(
        "a/1.patch",
        "m: a",
        same.clone() + &diff("a.c", &["a"]),
        None,
    )]);
    let (b, vb) = queue(&[("b/1.patch", "m: b", same + &diff("b.c", &["b"]), None)]);
    // The patch-ids differ (a.c vs b.c) and Makefile pairs nothing: two clusters.
    assert_eq!(cluster(&[(&a, &va), (&b, &vb)], &options).len(), 2);
}
