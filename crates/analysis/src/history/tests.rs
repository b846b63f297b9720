//! Steps between revisions on hand-made patch lists.

use super::*;

fn carried(name: &str, key: &str, patch_id: &str, status: Status) -> Carried {
    Carried {
        name: name.into(),
        key: Some(key.into()),
        patch_id: Some(patch_id.into()),
        verdict: Verdict {
            name: name.into(),
            subject: None,
            status,
            hypothesis: crate::model::Hypothesis::Needed,
            confidence: 0.5,
            scores: Vec::new(),
            commit: (status == Status::Upstream).then(|| "c0ffee".to_string()),
            release: (status == Status::Upstream).then(|| "v4.2".to_string()),
            evidence: Vec::new(),
            candidates: Vec::new(),
            claims: Vec::new(),
            hunks: Vec::new(),
            posted: None,
        },
    }
}

fn snapshot(carried: Vec<Carried>, disabled: &[&str]) -> Snapshot {
    Snapshot {
        carried,
        disabled: disabled.iter().map(|d| d.to_string()).collect(),
        held: Vec::new(),
    }
}

#[test]
fn patches_commented_out_for_a_rebase_are_disabled_not_removed() {
    let all = || {
        vec![
            carried("a", "k1", "p1", Status::NeedsWork),
            carried("b", "k2", "p2", Status::Obsolete),
        ]
    };
    let r1 = snapshot(all(), &[]);
    let mut r2 = snapshot(vec![carried("b", "k2", "p2", Status::Obsolete)], &["a"]);
    let mut r3 = snapshot(all(), &[]);
    let s2 = step("r2".into(), Some(&r1), &mut r2);
    assert_eq!(
        (s2.disabled.clone(), s2.removed.len()),
        (vec!["a".to_string()], 0)
    );
    let s3 = step("r3".into(), Some(&r2), &mut r3);
    assert_eq!(
        (s3.reenabled.clone(), s3.added.len()),
        (vec!["a".to_string()], 0)
    );
    // Disabled, then dropped while disabled: removed, with the fate it had when carried.
    let mut r4 = snapshot(vec![carried("b", "k2", "p2", Status::Obsolete)], &[]);
    let s4 = step("r4".into(), Some(&r2), &mut r4);
    assert_eq!(s4.removed.len(), 1);
    assert_eq!(
        (s4.removed[0].name.as_str(), s4.removed[0].fate),
        ("a", Fate::Dropped)
    );
}

#[test]
fn added_removed_renamed_refreshed_and_fates() {
    let before = vec![
        carried("a", "k1", "p1", Status::NeedsWork),
        carried("b", "k2", "p2", Status::Upstream),
        carried("c", "k3", "p3", Status::Obsolete),
        carried("d", "k4", "p4", Status::NeedsWork),
        carried("e", "k5", "p5", Status::DownstreamOnly),
    ];
    let now = vec![
        carried("a", "k1-refreshed", "p1", Status::NeedsWork),
        carried("d2", "k4b", "p4", Status::NeedsWork),
        carried("f", "k6", "p6", Status::InProgress),
    ];
    let mut before = snapshot(before, &[]);
    let mut now = snapshot(now, &[]);
    let first = step("r1".into(), None, &mut before);
    assert_eq!(first.patches, 5);
    assert!(first.added.is_empty() && first.removed.is_empty());
    let s = step("r2".into(), Some(&before), &mut now);
    assert_eq!(s.refreshed, ["a"]);
    assert_eq!(s.renamed, [("d".to_string(), "d2".to_string())]);
    assert_eq!(s.added, ["f"]);
    let fates: Vec<(&str, Fate)> = s
        .removed
        .iter()
        .map(|r| (r.name.as_str(), r.fate))
        .collect();
    assert_eq!(
        fates,
        [
            ("b", Fate::Upstream),
            ("c", Fate::Obsolete),
            ("e", Fate::Dropped)
        ]
    );
    assert_eq!(s.removed[0].release.as_deref(), Some("v4.2"));
    let needs_work = s.by_status.iter().find(|t| t.status == Status::NeedsWork);
    assert_eq!(needs_work.map(|t| t.count), Some(2));
}

use crate::testing::queue as queue_of;

const CREATE: &str = "Subject: add the widget driver\n\n--- /dev/null\n+++ b/drivers/misc/widget.c\n@@ -0,0 +1,5 @@\n+static int widget_probe(struct device *dev)\n+{\n+\tdev_info(dev, \"widget found\\n\");\n+\treturn widget_setup_hardware(dev);\n+}\n";
const ON_TOP: &str = "Subject: widget: say more\n\n--- a/drivers/misc/widget.c\n+++ b/drivers/misc/widget.c\n@@ -1,5 +1,6 @@\n static int widget_probe(struct device *dev)\n {\n \tdev_info(dev, \"widget found\\n\");\n+\tdev_info(dev, \"widget revision %d\\n\", widget_revision(dev));\n \treturn widget_setup_hardware(dev);\n }\n";

#[test]
fn with_a_tree_each_revision_is_judged_on_top_of_its_earlier_patches() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("drivers/misc")).expect("mkdir");
    std::fs::write(
        tmp.path().join("drivers/misc/other.c"),
        "int other(void)\n{\n\treturn 0;\n}\n",
    )
    .expect("write");
    let source = kdelta_upstream::tree::TreeSource::Dir(tmp.path().into());
    let mut analyzer = crate::Analyzer {
        history: None,
        tree: Some(crate::tree::TargetTree::open(&source, None).expect("tree")),
        options: crate::AnalysisOptions::default(),
        archive: None,
    };
    let mut cache = VerdictCache::default();
    // r1: the patch on top of the driver; r2: the same patch alone.
    let r1 = cache
        .revision(
            &queue_of(&[("create", CREATE), ("on-top", ON_TOP)]),
            &mut analyzer,
        )
        .expect("r1");
    let r2 = cache
        .revision(&queue_of(&[("on-top", ON_TOP)]), &mut analyzer)
        .expect("r2");
    let on_top = &r1[1].verdict;
    assert_eq!(on_top.status, Status::NeedsWork, "{on_top:#?}");
    assert_eq!(on_top.hunks[0].fate, crate::model::HunkFate::AppliesOnQueue);
    assert_eq!(r1[1].key, r2[0].key, "the same content");
    assert_ne!(
        r2[0].verdict.hunks[0].fate,
        crate::model::HunkFate::AppliesOnQueue,
        "alone, nothing brings its file"
    );
    assert_eq!((cache.analysed, cache.reused), (3, 0), "contexts differ");
    let again = cache
        .revision(
            &queue_of(&[("create", CREATE), ("on-top", ON_TOP)]),
            &mut analyzer,
        )
        .expect("r3");
    assert_eq!(again[1].verdict.status, on_top.status);
    assert_eq!(
        (cache.analysed, cache.reused),
        (3, 2),
        "same contents, same contexts"
    );
}
