//! The plan read off verdicts: drops follow the status, the others the hunks.

use super::{plan, Action};
use crate::model::{Evidence, EvidenceKind, HunkFate, HunkVerdict, Hypothesis, Status, Verdict};

fn verdict(name: &str, status: Status, hunks: Vec<HunkVerdict>) -> Verdict {
    Verdict {
        name: name.into(),
        subject: None,
        status,
        hypothesis: Hypothesis::Needed,
        confidence: 0.8,
        scores: Vec::new(),
        commit: None,
        release: None,
        evidence: vec![Evidence::new(EvidenceKind::FilesGone, "the fact behind it")],
        candidates: Vec::new(),
        claims: Vec::new(),
        hunks,
        posted: None,
    }
}

fn hunk(file: &str, fate: HunkFate, at: Option<&str>, offset: isize, fuzz: usize) -> HunkVerdict {
    HunkVerdict {
        file: file.into(),
        hunk: 1,
        fate,
        at: at.map(str::to_string),
        offset,
        fuzz,
        weight: 1.0,
        lines_present: None,
        old_code_kept: false,
        renamed: Vec::new(),
        alike: None,
    }
}

fn actions(verdicts: &[Verdict]) -> Vec<Action> {
    plan(verdicts).into_iter().map(|s| s.action).collect()
}

#[test]
fn drops_follow_the_verdict() {
    let mut up = verdict(
        "up",
        Status::Upstream,
        vec![hunk("a.c", HunkFate::Present, Some("a.c:3"), 0, 0)],
    );
    up.commit = Some("0123456789abcdef0123".into());
    up.release = Some("v6.13".into());
    let steps = plan(&[
        up,
        verdict(
            "gone",
            Status::Obsolete,
            vec![hunk("b.c", HunkFate::Gone, None, 0, 0)],
        ),
        verdict("replaced", Status::ReplacementLikely, Vec::new()),
    ]);
    let got: Vec<Action> = steps.iter().map(|s| s.action).collect();
    assert_eq!(
        got,
        [
            Action::DropUpstream,
            Action::DropObsolete,
            Action::DropReplaced
        ]
    );
    assert_eq!(steps[0].why, ["upstream as 0123456789ab in v6.13"]);
    assert_eq!(steps[1].why, ["the fact behind it"]);
}

#[test]
fn needed_patches_keep_refresh_or_conflict_by_their_hunks() {
    let exact = verdict(
        "exact",
        Status::DownstreamOnly,
        vec![
            hunk("a.c", HunkFate::Applies, Some("a.c:10"), 0, 0),
            hunk("new.c", HunkFate::NewFile, Some("new.c"), 0, 0),
        ],
    );
    let offset = verdict(
        "offset",
        Status::NeedsWork,
        vec![hunk("a.c", HunkFate::Applies, Some("a.c:40"), 30, 0)],
    );
    let fuzz = verdict(
        "fuzz",
        Status::InProgress,
        vec![hunk("c.c", HunkFate::Applies, Some("c.c:5"), 0, 1)],
    );
    let changed = verdict(
        "changed",
        Status::NeedsWork,
        vec![
            hunk("d.c", HunkFate::Applies, Some("d.c:5"), 0, 0),
            hunk("d.c", HunkFate::Conflicts, Some("d.c:80"), 0, 0),
        ],
    );
    let moved = verdict(
        "moved",
        Status::NeedsWork,
        vec![hunk("old/e.c", HunkFate::Applies, Some("new/e.c:12"), 0, 0)],
    );
    let partly = verdict(
        "partly",
        Status::NeedsWork,
        vec![hunk("f.c", HunkFate::Present, Some("f.c:7"), 0, 0)],
    );
    let steps = plan(&[exact, offset, fuzz, changed, moved, partly]);
    let got: Vec<Action> = steps.iter().map(|s| s.action).collect();
    assert_eq!(
        got,
        [
            Action::Keep,
            Action::KeepRefreshed,
            Action::KeepRefreshed,
            Action::Conflict,
            Action::Conflict,
            Action::Conflict
        ]
    );
    assert!(steps[0].why.is_empty());
    assert_eq!(steps[1].why, ["a.c hunk 1: offset 30, fuzz 0"]);
    assert_eq!(
        steps[3].why,
        ["d.c hunk 1: its context changed (at d.c:80)"]
    );
    assert_eq!(
        steps[4].why,
        ["old/e.c hunk 1: the file moved; it applies at new/e.c:12"]
    );
    assert!(
        steps[5].why[0].contains("already there"),
        "{:?}",
        steps[5].why
    );
}

#[test]
fn a_patch_building_on_one_that_will_not_apply_is_blocked() {
    let conflict = verdict(
        "first",
        Status::NeedsWork,
        vec![hunk("a.c", HunkFate::Conflicts, Some("a.c:3"), 0, 0)],
    );
    let on_it = verdict(
        "second",
        Status::NeedsWork,
        vec![hunk("a.c", HunkFate::AppliesOnQueue, Some("a.c:9"), 0, 0)],
    );
    let elsewhere = verdict(
        "third",
        Status::NeedsWork,
        vec![hunk("b.c", HunkFate::AppliesOnQueue, Some("b.c:9"), 0, 0)],
    );
    let steps = plan(&[conflict, on_it, elsewhere]);
    let got: Vec<Action> = steps.iter().map(|s| s.action).collect();
    assert_eq!(got, [Action::Conflict, Action::Blocked, Action::Keep]);
    assert_eq!(
        steps[1].why,
        ["a.c hunk 1 builds on first, which will not apply"]
    );

    // An earlier patch dropped because upstream has it leaves its code in the target.
    let upstream = verdict(
        "first",
        Status::Upstream,
        vec![hunk("a.c", HunkFate::Present, Some("a.c:3"), 0, 0)],
    );
    let on_it = verdict(
        "second",
        Status::NeedsWork,
        vec![hunk("a.c", HunkFate::AppliesOnQueue, Some("a.c:9"), 0, 0)],
    );
    assert_eq!(
        actions(&[upstream, on_it]),
        [Action::DropUpstream, Action::Keep]
    );
}

#[test]
fn a_blocked_patch_blocks_those_building_on_it() {
    let steps = actions(&[
        verdict(
            "a",
            Status::NeedsWork,
            vec![hunk("x.c", HunkFate::Gone, None, 0, 0)],
        ),
        verdict(
            "b",
            Status::NeedsWork,
            vec![
                hunk("x.c", HunkFate::AppliesOnQueue, Some("x.c:2"), 0, 0),
                hunk("y.c", HunkFate::Applies, Some("y.c:1"), 0, 0),
            ],
        ),
        verdict(
            "c",
            Status::NeedsWork,
            vec![hunk("y.c", HunkFate::AppliesOnQueue, Some("y.c:4"), 0, 0)],
        ),
    ]);
    assert_eq!(steps, [Action::Conflict, Action::Blocked, Action::Blocked]);
}
