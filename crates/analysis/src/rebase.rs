//! The plan for moving a queue onto a new upstream release: one action per patch, read
//! off the verdicts judged against the target (so the plan and the analysis cannot
//! disagree). A patch the verdict calls upstream, obsolete or replaced is dropped; the
//! others are kept as they are, kept once refreshed (a hunk applies at an offset or with
//! fuzz), in conflict (a hunk's code changed, is gone, moved to another file or is already
//! there), or blocked (it builds on the code of an earlier patch that conflicts or is
//! dropped for being obsolete or replaced).

use crate::model::{HunkFate, HunkVerdict, Status, Verdict};
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

/// The plan for `verdicts`, in queue order (the verdicts must be in queue order).
pub fn plan(verdicts: &[Verdict]) -> Vec<Step> {
    // Per file, the earlier patches touching it that cannot give later ones their code.
    let mut unusable: HashMap<&str, &str> = HashMap::new();
    let mut out = Vec::with_capacity(verdicts.len());
    for v in verdicts {
        let step = step(v, &unusable);
        if matches!(
            step.action,
            Action::Conflict | Action::Blocked | Action::DropObsolete | Action::DropReplaced
        ) {
            for h in &v.hunks {
                unusable.entry(h.file.as_str()).or_insert(v.name.as_str());
            }
        }
        out.push(step);
    }
    out
}

fn step(v: &Verdict, unusable: &HashMap<&str, &str>) -> Step {
    let step = |action, why| Step {
        name: v.name.clone(),
        action,
        why,
    };
    match v.status {
        Status::Upstream => return step(Action::DropUpstream, vec![upstream_why(v)]),
        Status::Obsolete => return step(Action::DropObsolete, first_evidence(v)),
        Status::ReplacementLikely => return step(Action::DropReplaced, first_evidence(v)),
        _ => {}
    }
    let blockers: Vec<String> = v
        .hunks
        .iter()
        .filter(|h| h.fate == HunkFate::AppliesOnQueue)
        .filter_map(|h| unusable.get(h.file.as_str()).map(|by| (h, by)))
        .map(|(h, by)| {
            format!(
                "{} hunk {} builds on {by}, which will not apply",
                h.file, h.hunk
            )
        })
        .collect();
    if !blockers.is_empty() {
        return step(Action::Blocked, blockers);
    }
    let failing: Vec<String> = v.hunks.iter().filter_map(failure).collect();
    if !failing.is_empty() {
        return step(Action::Conflict, failing);
    }
    let moved: Vec<String> = v
        .hunks
        .iter()
        .filter(|h| applies(h) && h.at.as_deref().map(path_of) != Some(h.file.as_str()))
        .map(|h| {
            let at = h.at.as_deref().unwrap_or("?");
            format!(
                "{} hunk {}: the file moved; it applies at {at}",
                h.file, h.hunk
            )
        })
        .collect();
    if !moved.is_empty() {
        return step(Action::Conflict, moved);
    }
    let refreshed: Vec<String> = v
        .hunks
        .iter()
        .filter(|h| applies(h) && (h.offset != 0 || h.fuzz != 0))
        .map(|h| {
            format!(
                "{} hunk {}: offset {}, fuzz {}",
                h.file, h.hunk, h.offset, h.fuzz
            )
        })
        .collect();
    if refreshed.is_empty() {
        step(Action::Keep, Vec::new())
    } else {
        step(Action::KeepRefreshed, refreshed)
    }
}

fn applies(h: &HunkVerdict) -> bool {
    matches!(h.fate, HunkFate::Applies | HunkFate::AppliesOnQueue)
}

/// Why a hunk will not apply, when it will not.
fn failure(h: &HunkVerdict) -> Option<String> {
    let why = match h.fate {
        HunkFate::Conflicts => "its context changed".to_string(),
        HunkFate::Gone => "its code is gone from the target".to_string(),
        HunkFate::Ambiguous => "both its old and its new code are there".to_string(),
        HunkFate::Present | HunkFate::PresentModuloWhitespace => {
            "its change is already there (drop the hunk)".to_string()
        }
        HunkFate::PresentRenamed | HunkFate::PresentChanged => {
            "its change is there in another form (drop the hunk)".to_string()
        }
        HunkFate::Applies | HunkFate::AppliesOnQueue | HunkFate::NewFile => return None,
    };
    let at =
        h.at.as_deref()
            .map(|a| format!(" (at {a})"))
            .unwrap_or_default();
    Some(format!("{} hunk {}: {why}{at}", h.file, h.hunk))
}

/// `path` of `path:line`.
fn path_of(at: &str) -> &str {
    match at.rsplit_once(':') {
        Some((path, line)) if line.bytes().all(|b| b.is_ascii_digit()) => path,
        _ => at,
    }
}

fn upstream_why(v: &Verdict) -> String {
    match (&v.commit, &v.release) {
        (Some(c), Some(r)) => format!("upstream as {} in {r}", &c[..c.len().min(12)]),
        (Some(c), None) => format!("upstream as {}", &c[..c.len().min(12)]),
        _ => first_evidence(v)
            .into_iter()
            .next()
            .unwrap_or_else(|| "its change is in the target".to_string()),
    }
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
