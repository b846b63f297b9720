//! The plan: drops follow the verdict's status, the rest how the patch went when pushed.

use super::push::{FilePush, Push, PushAs};
use super::{dropped, plan, Action, PlanOptions};
use crate::model::{Evidence, EvidenceKind, HunkFate, HunkVerdict, Hypothesis, Status, Verdict};
use kdelta_patch::apply::Placed;
use std::collections::HashMap;

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

fn hunk(file: &str, fate: HunkFate, at: Option<&str>) -> HunkVerdict {
    HunkVerdict {
        at: at.map(str::to_string),
        ..HunkVerdict::with_fate(file, 1, fate)
    }
}

fn applied(line: usize, offset: isize, fuzz: usize) -> Placed {
    Placed::Applied { line, offset, fuzz }
}

fn push(path: &str, hunks: Vec<Placed>) -> Option<Push> {
    Some(Push {
        files: vec![FilePush {
            path: path.into(),
            diff: 0,
            missing: false,
            hunks,
            blocked_by: HashMap::new(),
            as_applied: Vec::new(),
            functions: Vec::new(),
        }],
    })
}

#[test]
fn drops_follow_the_verdict_and_are_not_pushed() {
    let mut up = verdict(
        "up",
        Status::Upstream,
        vec![hunk("a.c", HunkFate::Present, Some("a.c:3"))],
    );
    up.commit = Some("0123456789abcdef0123".into());
    up.release = Some("v6.13".into());
    let verdicts = [
        up,
        verdict(
            "gone",
            Status::Obsolete,
            vec![hunk("b.c", HunkFate::Gone, None)],
        ),
        {
            let mut replaced = verdict("replaced", Status::ReplacementLikely, Vec::new());
            replaced.commit = Some("fedcba9876543210fedc".into());
            replaced
        },
        verdict("kept", Status::NeedsWork, Vec::new()),
    ];
    assert_eq!(
        dropped(&verdicts),
        [PushAs::InTarget, PushAs::Lost, PushAs::Lost, PushAs::Apply]
    );
    let pushes = [None, None, None, push("a.c", vec![applied(3, 0, 0)])];
    let steps = plan(&verdicts, &pushes, &PlanOptions::default());
    let got: Vec<Action> = steps.iter().map(|s| s.action).collect();
    assert_eq!(
        got,
        [
            Action::DropUpstream,
            Action::DropObsolete,
            Action::DropReplaced,
            Action::Keep
        ]
    );
    assert_eq!(steps[0].why, ["upstream as 0123456789ab in v6.13"]);
    assert_eq!(steps[1].why, ["the fact behind it"]);
    assert_eq!(
        steps[2].why,
        [
            "the fact behind it",
            "to verify against upstream commit fedcba987654"
        ]
    );
}

#[test]
fn offsets_keep_fuzz_refreshes_a_failed_hunk_conflicts() {
    let verdicts: Vec<Verdict> = ["exact", "offset", "fuzz", "failed"]
        .iter()
        .map(|n| {
            verdict(
                n,
                Status::NeedsWork,
                vec![hunk("a.c", HunkFate::Conflicts, Some("a.c:80"))],
            )
        })
        .collect();
    let pushes = [
        push("a.c", vec![applied(3, 0, 0)]),
        push("a.c", vec![applied(3, 0, 0), applied(40, 30, 0)]),
        push("a.c", vec![applied(5, 2, 1)]),
        push("a.c", vec![applied(5, 0, 0), Placed::Failed { line: 77 }]),
    ];
    let steps = plan(&verdicts, &pushes, &PlanOptions::default());
    let got: Vec<Action> = steps.iter().map(|s| s.action).collect();
    assert_eq!(
        got,
        [
            Action::Keep,
            Action::Keep,
            Action::KeepRefreshed,
            Action::Conflict
        ]
    );
    assert!(steps[0].why.is_empty());
    assert_eq!(steps[1].why, ["a.c hunk 2 applies at line 40 (offset +30)"]);
    assert_eq!(
        steps[2].why,
        ["a.c hunk 1 applies at line 5 with fuzz 1 (offset +2)"]
    );
    assert_eq!(
        steps[3].why,
        ["a.c hunk 2: FAILED at line 77: its lines are not there on top of the earlier patches"]
    );
    let strict = PlanOptions {
        refresh_offsets: true,
    };
    assert_eq!(
        plan(&verdicts, &pushes, &strict)[1].action,
        Action::KeepRefreshed
    );
}

#[test]
fn a_conflict_says_why_from_the_analysis() {
    let verdicts = [
        verdict(
            "changed",
            Status::NeedsWork,
            vec![hunk("a.c", HunkFate::Conflicts, Some("a.c:80"))],
        ),
        verdict(
            "there",
            Status::NeedsWork,
            vec![hunk("a.c", HunkFate::Present, Some("a.c:7"))],
        ),
        verdict(
            "moved",
            Status::NeedsWork,
            vec![hunk("old/e.c", HunkFate::Applies, Some("new/e.c:12"))],
        ),
    ];
    let mut moved = push("old/e.c", vec![Placed::Failed { line: 12 }]);
    if let Some(p) = moved.as_mut() {
        p.files[0].missing = true;
    }
    let pushes = [
        push("a.c", vec![Placed::Failed { line: 80 }]),
        push("a.c", vec![Placed::Failed { line: 7 }]),
        moved,
    ];
    let steps = plan(&verdicts, &pushes, &PlanOptions::default());
    assert!(steps.iter().all(|s| s.action == Action::Conflict));
    assert_eq!(
        steps[0].why,
        ["a.c hunk 1: FAILED at line 80: its context changed (at a.c:80)"]
    );
    assert!(
        steps[1].why[0].contains("already there"),
        "{:?}",
        steps[1].why
    );
    assert_eq!(
        steps[2].why,
        ["old/e.c hunk 1: the file is gone; the hunk applies elsewhere (at new/e.c:12)"]
    );
}

#[test]
fn a_patch_whose_failed_hunks_all_need_an_earlier_patch_is_blocked() {
    let verdicts = [
        verdict("first", Status::NeedsWork, Vec::new()),
        verdict("second", Status::NeedsWork, Vec::new()),
        verdict("third", Status::NeedsWork, Vec::new()),
    ];
    let blocked = |hunks: Vec<Placed>, by: &[(usize, &str)]| {
        let mut p = push("a.c", hunks);
        if let Some(p) = p.as_mut() {
            p.files[0].blocked_by = by.iter().map(|(n, b)| (*n, b.to_string())).collect();
        }
        p
    };
    let pushes = [
        push("a.c", vec![Placed::Failed { line: 3 }]),
        blocked(vec![Placed::Failed { line: 4 }], &[(0, "first")]),
        blocked(
            vec![Placed::Failed { line: 4 }, Placed::Failed { line: 9 }],
            &[(0, "first")],
        ),
    ];
    let steps = plan(&verdicts, &pushes, &PlanOptions::default());
    let got: Vec<Action> = steps.iter().map(|s| s.action).collect();
    assert_eq!(got, [Action::Conflict, Action::Blocked, Action::Conflict]);
    assert_eq!(
        steps[1].why,
        ["a.c hunk 1: needs lines of first, which is conflict"]
    );
    assert_eq!(
        steps[2].why.len(),
        2,
        "its own failure, then the blocked one"
    );
}

#[test]
fn a_hunk_only_fuzz_places_while_its_change_is_there_conflicts() {
    let verdicts = [verdict(
        "revert",
        Status::NeedsWork,
        vec![hunk("core.c", HunkFate::Ambiguous, Some("core.c:1328"))],
    )];
    let pushes = [push("core.c", vec![applied(1220, -108, 2)])];
    let steps = plan(&verdicts, &pushes, &PlanOptions::default());
    assert_eq!(steps[0].action, Action::Conflict);
    assert_eq!(
        steps[0].why,
        ["core.c hunk 1: applies only with fuzz 2, at line 1220, but its change is already there (at core.c:1328)"]
    );
}

#[test]
fn a_conflict_names_the_target_s_commit_with_the_same_subject() {
    let mut v = verdict(
        "hwp",
        Status::NeedsWork,
        vec![hunk(
            "cpufreq.c",
            HunkFate::Conflicts,
            Some("cpufreq.c:627"),
        )],
    );
    v.candidates = vec![crate::model::Candidate {
        commit: "99c4570f8209c8e1d6ac5f7b6a9a0e1b2c3d4e5f".into(),
        subject: "cpufreq: Add Hardware P-State (HWP) driver".into(),
        release: Some("RELEASE-4.18.0".into()),
        score: 0.66,
        similarity: 0.39,
        reasons: vec!["subject".into(), "same-files".into()],
        in_target: true,
        names: Vec::new(),
    }];
    let steps = plan(
        &[v],
        &[push("cpufreq.c", vec![Placed::Failed { line: 643 }])],
        &PlanOptions::default(),
    );
    assert_eq!(steps[0].action, Action::Conflict);
    assert_eq!(
        steps[0].why.last().map(String::as_str),
        Some("upstream commit 99c4570f8209 \"cpufreq: Add Hardware P-State (HWP) driver\" has the same subject (39% of the changed lines alike, first in RELEASE-4.18.0): it may be upstream's version of this patch; compare before porting")
    );
}

#[test]
fn a_failed_hunk_names_its_function() {
    let verdicts = [verdict(
        "changed",
        Status::NeedsWork,
        vec![hunk("a.c", HunkFate::Conflicts, Some("a.c:80"))],
    )];
    let mut p = push("a.c", vec![Placed::Failed { line: 80 }]);
    if let Some(p) = p.as_mut() {
        p.files[0].functions = vec!["static int a_open(struct a *a)".into()];
    }
    let steps = plan(&verdicts, &[p], &PlanOptions::default());
    assert_eq!(
        steps[0].why,
        ["a.c hunk 1: FAILED at line 80: its context changed (at a.c:80), in `static int a_open(struct a *a)`"]
    );
}
