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
            confidence: 0.5,
            commit: (status == Status::Upstream).then(|| "c0ffee".to_string()),
            release: (status == Status::Upstream).then(|| "v4.2".to_string()),
            evidence: Vec::new(),
            candidates: Vec::new(),
            claims: Vec::new(),
        },
    }
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
    let first = step("r1".into(), None, &before);
    assert_eq!(first.patches, 5);
    assert!(first.added.is_empty() && first.removed.is_empty());
    let s = step("r2".into(), Some(&before), &now);
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
