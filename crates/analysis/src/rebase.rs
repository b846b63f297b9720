//! The plan for moving a queue onto a new upstream release: one action per patch.
//!
//! The drops are read off the verdicts judged against the target, so that the plan and
//! the analysis cannot disagree: a patch the verdict calls upstream, obsolete or replaced
//! is dropped. The others are pushed onto the target in series order with GNU patch's
//! rules ([`push`]), and how their hunks went decides: kept as they are (every hunk
//! applies, at an offset or not), kept once refreshed (a hunk needs fuzz), in conflict (a
//! hunk fails: the analysis says why, its context changed, its code is gone, its change
//! is there already, its file moved), or blocked (every failing hunk needs lines an
//! earlier patch would have added, and that patch conflicts or is dropped).

pub mod push;

use crate::model::{HunkFate, HunkVerdict, Status, Verdict};
use crate::tree::TargetTree;
use crate::verdict::short;
use kdelta_patch::apply::{PatchOptions, Placed};
use kdelta_queue::Queue;
use push::{FilePush, Push, PushAs};
use serde::Serialize;
use std::collections::HashMap;

/// What to do with a patch at the rebase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Its change is upstream: drop it.
    DropUpstream,
    /// The code it changes is gone upstream: drop it.
    DropObsolete,
    /// Upstream likely has its own version of it: drop it, once a human has checked.
    DropReplaced,
    /// It applies exactly.
    Keep,
    /// It applies at an offset or with fuzz: keep it, refreshed.
    KeepRefreshed,
    /// A hunk does not apply: port it by hand.
    Conflict,
    /// It builds on an earlier patch that conflicts or is dropped.
    Blocked,
}

impl Action {
    /// Every action, in the order reports list them.
    pub const ALL: [Action; 7] = [
        Action::DropUpstream,
        Action::DropObsolete,
        Action::DropReplaced,
        Action::Keep,
        Action::KeepRefreshed,
        Action::Conflict,
        Action::Blocked,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::DropUpstream => "drop-upstream",
            Action::DropObsolete => "drop-obsolete",
            Action::DropReplaced => "drop-replaced",
            Action::Keep => "keep",
            Action::KeepRefreshed => "keep-refreshed",
            Action::Conflict => "conflict",
            Action::Blocked => "blocked",
        }
    }

    /// Whether the patch leaves the queue.
    pub fn drops(self) -> bool {
        matches!(
            self,
            Action::DropUpstream | Action::DropObsolete | Action::DropReplaced
        )
    }
}

/// One patch's step of the plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// The patch.
    pub name: String,
    /// What to do with it.
    pub action: Action,
    /// Why, in plain words: the commit and release, the hunks that fail and how, the
    /// patch it is blocked by.
    pub why: Vec<String>,
}

/// What counts as needing a refresh.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PlanOptions {
    /// A hunk that applies at an offset (no fuzz) makes the patch `keep-refreshed`, not
    /// `keep`. Off by default: `patch`, quilt, dpkg-source and rpm all apply such a patch
    /// without a word, and distributions do not refresh for offsets alone.
    pub refresh_offsets: bool,
}

/// A plan, with how each kept patch went when pushed (by entry; `None` for a dropped one).
pub struct Rebase {
    /// One step per entry, in queue order.
    pub steps: Vec<Step>,
    /// How each entry went when pushed.
    pub pushes: Vec<Option<Push>>,
}

/// The plan for moving `queue` onto `tree`, with its `verdicts` (in queue order) judged
/// against that tree: the drops from the verdicts, the rest pushed with `patch`'s rules.
pub fn plan_onto(
    queue: &Queue,
    verdicts: &[Verdict],
    tree: &TargetTree,
    patch: &PatchOptions,
    options: &PlanOptions,
) -> Rebase {
    let pushes = push::push_queue(queue, tree, &dropped(verdicts), patch);
    Rebase {
        steps: plan(verdicts, &pushes, options),
        pushes,
    }
}

/// How to push each verdict's patch: not at all when the plan drops it, its lines in the
/// target when upstream has it.
pub fn dropped(verdicts: &[Verdict]) -> Vec<PushAs> {
    verdicts
        .iter()
        .map(|v| match drop_action(v).map(|s| s.action) {
            None => PushAs::Apply,
            Some(Action::DropUpstream) => PushAs::InTarget,
            Some(_) => PushAs::Lost,
        })
        .collect()
}

/// The plan: for each verdict (in queue order), the action its status gives when it
/// drops the patch, else the one how its patch went when the queue was pushed onto the
/// target (`pushes`, by entry, from [`push::push_queue`] with [`dropped`]).
pub fn plan(verdicts: &[Verdict], pushes: &[Option<Push>], options: &PlanOptions) -> Vec<Step> {
    let mut actions: HashMap<&str, Action> = HashMap::new();
    let mut out = Vec::with_capacity(verdicts.len());
    for (i, v) in verdicts.iter().enumerate() {
        let step = match drop_action(v) {
            Some(step) => step,
            None => match pushes.get(i).and_then(Option::as_ref) {
                Some(push) => pushed(v, push, &actions, options),
                None => Step {
                    name: v.name.clone(),
                    action: Action::Keep,
                    why: vec!["no text to apply".to_string()],
                },
            },
        };
        actions.insert(v.name.as_str(), step.action);
        out.push(step);
    }
    out
}

fn drop_action(v: &Verdict) -> Option<Step> {
    let (action, why) = match v.status {
        Status::Upstream => (Action::DropUpstream, vec![upstream_why(v)]),
        Status::Obsolete => (Action::DropObsolete, first_evidence(v)),
        Status::ReplacementLikely => (Action::DropReplaced, replaced_why(v)),
        _ => return None,
    };
    Some(Step {
        name: v.name.clone(),
        action,
        why,
    })
}

/// The step of a kept patch, from how it applied.
fn pushed(
    v: &Verdict,
    push: &Push,
    actions: &HashMap<&str, Action>,
    options: &PlanOptions,
) -> Step {
    let step = |action, why| Step {
        name: v.name.clone(),
        action,
        why,
    };
    let (mut own, mut blocked) = (Vec::new(), Vec::new());
    for file in &push.files {
        for (n, placed) in file.hunks.iter().enumerate() {
            let line = match *placed {
                Placed::Failed { line } => line,
                Placed::Applied { line, fuzz, .. } if fuzz > 0 => {
                    own.extend(fuzzed_onto_its_change(v, file, n, line, fuzz));
                    continue;
                }
                Placed::Applied { .. } => continue,
            };
            match file.blocked_by.get(&n) {
                Some(by) => blocked.push(format!(
                    "{} hunk {}: needs lines of {by}, which is {}",
                    file.path,
                    n + 1,
                    actions
                        .get(by.as_str())
                        .map_or("not applied", |a| a.as_str())
                )),
                None => own.push(failure(v, file, n, line)),
            }
        }
    }
    if !own.is_empty() {
        own.extend(blocked);
        own.extend(same_subject(v));
        return step(Action::Conflict, own);
    }
    if !blocked.is_empty() {
        return step(Action::Blocked, blocked);
    }
    let (mut fuzzed, mut moved) = (Vec::new(), Vec::new());
    for file in &push.files {
        for (n, placed) in file.hunks.iter().enumerate() {
            let Placed::Applied { line, offset, fuzz } = *placed else {
                continue;
            };
            let at = format!("{} hunk {} applies at line {line}", file.path, n + 1);
            if fuzz > 0 {
                fuzzed.push(format!("{at} with fuzz {fuzz} (offset {offset:+})"));
            } else if offset != 0 {
                moved.push(format!("{at} (offset {offset:+})"));
            }
        }
    }
    if !fuzzed.is_empty() || (options.refresh_offsets && !moved.is_empty()) {
        fuzzed.extend(moved);
        return step(Action::KeepRefreshed, fuzzed);
    }
    step(Action::Keep, moved)
}

/// For a conflict: the target's commit with the patch's subject, when the analysis found
/// one whose lines differ too much to call the patch upstream (upstream's own, later version
/// of it, often): port nothing before comparing.
fn same_subject(v: &Verdict) -> Option<String> {
    let c = v
        .candidates
        .iter()
        .find(|c| c.in_target && c.reasons.iter().any(|r| r == "subject"))?;
    let release = c
        .release
        .as_deref()
        .map(|r| format!(", first in {r}"))
        .unwrap_or_default();
    Some(format!(
        "upstream commit {} \"{}\" has the same subject ({:.0}% of the changed lines alike{release}): it may be upstream's version of this patch; compare before porting",
        short(&c.commit),
        c.subject,
        c.similarity * 100.0
    ))
}

/// A hunk that only fuzz placed, while the analysis finds its change already in the file:
/// `patch` would apply it a second time, somewhere else.
fn fuzzed_onto_its_change(
    v: &Verdict,
    file: &FilePush,
    n: usize,
    line: usize,
    fuzz: usize,
) -> Option<String> {
    let h = fate_of(v, &file.path, n)?;
    let there = matches!(
        h.fate,
        HunkFate::Present | HunkFate::PresentModuloWhitespace | HunkFate::Ambiguous
    );
    there.then(|| {
        format!(
            "{} hunk {}: applies only with fuzz {fuzz}, at line {line}, but its change is already there{}",
            file.path,
            n + 1,
            h.at.as_deref().map(|a| format!(" (at {a})")).unwrap_or_default()
        )
    })
}

/// What the analysis found of hunk `n` (from 0) of the patch's file `path`.
fn fate_of<'v>(v: &'v Verdict, path: &str, n: usize) -> Option<&'v HunkVerdict> {
    v.hunks.iter().find(|h| h.file == path && h.hunk == n + 1)
}

/// Why hunk `n` of `file` failed, from what the analysis found of it.
fn failure(v: &Verdict, file: &FilePush, n: usize, line: usize) -> String {
    let head = format!("{} hunk {}", file.path, n + 1);
    let fate = fate_of(v, &file.path, n);
    let at = |h: &HunkVerdict| {
        h.at.as_deref()
            .map(|a| format!(" (at {a})"))
            .unwrap_or_default()
    };
    if file.missing {
        return match fate.filter(|h| applies(h)) {
            Some(h) => format!(
                "{head}: the file is gone; the hunk applies elsewhere{}",
                at(h)
            ),
            None => format!("{head}: no such file in the target"),
        };
    }
    let fuzz = fate.map_or(0, |h| h.fuzz);
    let why = match fate.map(|h| h.fate) {
        Some(HunkFate::Conflicts) => "its context changed".to_string(),
        Some(HunkFate::Gone) => "its code is gone from the file".to_string(),
        Some(HunkFate::Ambiguous) => "both its old and its new code are there".to_string(),
        Some(HunkFate::Present | HunkFate::PresentModuloWhitespace) => {
            "its change is already there (drop the hunk)".to_string()
        }
        Some(HunkFate::PresentRenamed | HunkFate::PresentChanged) => {
            "its change is there in another form (drop the hunk)".to_string()
        }
        Some(HunkFate::Applies | HunkFate::AppliesOnQueue) if fuzz > 0 => {
            format!("its context changed; it applies only with fuzz {fuzz}")
        }
        Some(HunkFate::Applies | HunkFate::AppliesOnQueue | HunkFate::NewFile) | None => {
            "its lines are not there on top of the earlier patches".to_string()
        }
    };
    let function = file
        .functions
        .get(n)
        .map(|f| f.trim())
        .filter(|f| !f.is_empty())
        .map(|f| format!(", in `{f}`"))
        .unwrap_or_default();
    format!(
        "{head}: FAILED at line {line}: {why}{}{function}",
        fate.map(at).unwrap_or_default()
    )
}

fn applies(h: &HunkVerdict) -> bool {
    matches!(h.fate, HunkFate::Applies | HunkFate::AppliesOnQueue)
}

fn upstream_why(v: &Verdict) -> String {
    match (&v.commit, &v.release) {
        (Some(c), Some(r)) => format!("upstream as {} in {r}", short(c)),
        (Some(c), None) => format!("upstream as {}", short(c)),
        _ => first_evidence(v)
            .into_iter()
            .next()
            .unwrap_or_else(|| "its change is in the target".to_string()),
    }
}

/// Why a patch is likely replaced, and the commit to check it against.
fn replaced_why(v: &Verdict) -> Vec<String> {
    let mut why = first_evidence(v);
    if let Some(c) = &v.commit {
        let release = v
            .release
            .as_deref()
            .map(|r| format!(" (first in {r})"))
            .unwrap_or_default();
        why.push(format!(
            "to verify against upstream commit {}{release}",
            short(c)
        ));
    }
    why
}

fn first_evidence(v: &Verdict) -> Vec<String> {
    v.evidence
        .iter()
        .take(1)
        .map(|e| e.detail.clone())
        .collect()
}

#[cfg(test)]
mod tests;
