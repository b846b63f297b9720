//! `kdelta eval --tree`: how well the verdicts tell droppable patches from still-needed
//! ones against a release tree, with every header that names an upstream commit or release
//! hidden (and no history).
//!
//! Labels come from the distribution itself:
//! - **droppable**: a patch whose headers record an upstream commit (`Git-commit:`,
//!   `commit … upstream`, `Origin:`…) with no release claim above the target's, or one a
//!   later queue of the same distribution (`--later`) no longer carries;
//! - **still needed**: a patch the later queue still carries (same name, subject or
//!   patch-id), unless its own headers claim a release at or below the target's (the later
//!   queue is older than the target).
//!
//! A patch is *called droppable* when its status is upstream, replacement-likely or
//! obsolete: each tells a maintainer to drop it (or check, then drop it).

use crate::analyze::analyze_queue;
use crate::claims::{claims_of, ClaimKind, IDENTITY};
use crate::model::Status;
use crate::{AnalysisError, Analyzer};
use kdelta_patch::{PatchId, Version};
use kdelta_queue::{Queue, QueueEntry};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// What a patch is, by the distribution's own record or by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Label {
    /// Its headers record an upstream commit.
    Recorded,
    /// The later queue no longer carries it.
    Dropped,
    /// The later queue still carries it.
    Carried,
    /// Labelled by hand: upstream as it is or evolved.
    Upstream,
    /// Labelled by hand: upstream has the functionality in another form.
    Replaced,
    /// Labelled by hand: upstream lacks it; someone must do the upstream work.
    NeedsEffort,
    /// Labelled by hand: the code it changes is gone upstream, nothing replaces it.
    Gone,
}

impl Label {
    /// Whether the label says the patch can be dropped.
    pub fn droppable(self) -> bool {
        !matches!(self, Label::Carried | Label::NeedsEffort)
    }

    /// The label a hand-labelled file gives (`upstream`, `replaced`, `needs-effort`,
    /// `gone`).
    pub fn parse(text: &str) -> Option<Label> {
        Some(match text {
            "upstream" => Label::Upstream,
            "replaced" => Label::Replaced,
            "needs-effort" => Label::NeedsEffort,
            "gone" => Label::Gone,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Label::Recorded => "recorded",
            Label::Dropped => "dropped",
            Label::Carried => "carried",
            Label::Upstream => "upstream",
            Label::Replaced => "replaced",
            Label::NeedsEffort => "needs-effort",
            Label::Gone => "gone",
        }
    }
}

/// Labels given by hand: patch name → label, from a tab-separated file whose first line is
/// a header (`patch<TAB>group<TAB>…`).
pub fn read_labels(
    path: &std::path::Path,
) -> Result<std::collections::HashMap<String, Label>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(name), Some(group)) = (fields.next(), fields.next()) else {
            return Err(format!(
                "{}:{}: expected patch<TAB>group",
                path.display(),
                i + 1
            ));
        };
        let label = Label::parse(group.trim()).ok_or_else(|| {
            format!(
                "{}:{}: unknown group {group:?} (upstream, replaced, needs-effort, gone)",
                path.display(),
                i + 1
            )
        })?;
        out.insert(name.trim().to_string(), label);
    }
    Ok(out)
}

/// One labelled patch and what the analysis called it.
#[derive(Clone, Debug, Serialize)]
pub struct Case {
    /// The patch.
    pub name: String,
    /// Its label.
    pub label: Label,
    /// The status given.
    pub status: Status,
    /// With what confidence.
    pub confidence: f64,
    /// The support of the hypothesis behind it, before calibration.
    pub support: f64,
    /// The first piece of evidence, as printed.
    pub why: String,
}

/// The figures of a tree-mode evaluation.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TreeEvalReport {
    /// Patches in the queue.
    pub patches: usize,
    /// The release judged against.
    pub release: Option<String>,
    /// Statuses of all patches.
    pub statuses: BTreeMap<String, usize>,
    /// Patches labelled droppable (recorded upstream commit, or dropped later).
    pub droppable: usize,
    /// Of those, called droppable.
    pub droppable_found: usize,
    /// droppable_found / droppable.
    pub droppable_recall: f64,
    /// The same, for the patches with a recorded upstream commit only.
    pub recorded: (usize, usize),
    /// The same, for the patches the later queue dropped only.
    pub dropped: (usize, usize),
    /// Statuses given to the droppable ones.
    pub droppable_statuses: BTreeMap<String, usize>,
    /// Patches the later queue still carries (or labelled as needing upstream effort).
    pub carried: usize,
    /// Of those, called droppable: the costly mistake.
    pub carried_called_droppable: usize,
    /// carried_called_droppable / carried.
    pub carried_error_rate: f64,
    /// Per confidence band (0.0–0.2, …): labelled cases, and how many the status got right.
    pub calibration: Vec<(String, usize, usize)>,
    /// Whether the headers that name commits or releases were hidden.
    pub headers_hidden: bool,
    /// Per label, the statuses given.
    pub by_label: BTreeMap<String, BTreeMap<String, usize>>,
    /// Every labelled case.
    pub cases: Vec<Case>,
}

/// What a later queue of the same distribution carries: names, subjects, patch-ids.
#[derive(Default)]
pub struct Carried {
    names: HashSet<String>,
    subjects: HashSet<String>,
    ids: HashSet<PatchId>,
}

impl Carried {
    /// The patches of `later`.
    pub fn of(later: &Queue) -> Carried {
        let mut c = Carried::default();
        for e in &later.entries {
            c.names.insert(base_name(&e.name).to_string());
            if let Some(p) = &e.patch {
                if let Some(s) = p.header.subject.as_ref().filter(|s| s.title.len() >= 12) {
                    c.subjects.insert(norm(&s.title));
                }
                c.ids.extend(p.patch_id());
            }
        }
        c
    }

    fn carries(&self, entry: &QueueEntry) -> bool {
        if self.names.contains(base_name(&entry.name)) {
            return true;
        }
        let Some(p) = &entry.patch else { return false };
        p.header
            .subject
            .as_ref()
            .is_some_and(|s| s.title.len() >= 12 && self.subjects.contains(&norm(&s.title)))
            || p.patch_id().is_some_and(|id| self.ids.contains(&id))
    }
}

fn base_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

fn norm(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The label of `entry` against `target`, given what the later queue carries.
pub fn label(
    entry: &QueueEntry,
    later: Option<&Carried>,
    target: Option<&Version>,
) -> Option<Label> {
    let patch = entry.patch.as_ref()?;
    let claims = claims_of(&patch.header);
    let released = claims.iter().find_map(|c| match &c.kind {
        ClaimKind::Release(r) => Version::parse(r),
        _ => None,
    });
    let at_or_below = match (&released, target) {
        (Some(r), Some(t)) => Some(r <= t),
        _ => None,
    };
    // A format-patch `From <sha>` line names the commit in whatever tree the patch was
    // exported from, not necessarily upstream: only headers that say "upstream" record one.
    let recorded = patch
        .header
        .refs
        .iter()
        .any(|r| IDENTITY.contains(&r.kind) && r.commit.is_some())
        && at_or_below != Some(false);
    let carried = later.map(|l| l.carries(entry));
    match carried {
        Some(true) if at_or_below == Some(true) && recorded => Some(Label::Recorded),
        Some(true) => Some(Label::Carried),
        _ if recorded => Some(Label::Recorded),
        Some(false) => Some(Label::Dropped),
        None => None,
    }
}

/// Evaluate `queue` against the analyzer's tree, headers naming commits or releases
/// hidden; `later` is a later queue of the same distribution.
pub fn evaluate_tree(
    queue: &Queue,
    later: Option<&Queue>,
    analyzer: &mut Analyzer,
) -> Result<TreeEvalReport, AnalysisError> {
    evaluate_tree_with(queue, later, None, true, analyzer)
}

/// [`evaluate_tree`], with hand-made `labels` (which win over the derived ones) and the
/// headers hidden or not.
pub fn evaluate_tree_with(
    queue: &Queue,
    later: Option<&Queue>,
    labels: Option<&std::collections::HashMap<String, Label>>,
    hide_headers: bool,
    analyzer: &mut Analyzer,
) -> Result<TreeEvalReport, AnalysisError> {
    let target = analyzer
        .options
        .release
        .clone()
        .or_else(|| analyzer.tree.as_ref().and_then(|t| t.release().cloned()));
    let carried = later.map(Carried::of);
    let hide = analyzer.options.hide_identity_headers;
    analyzer.options.hide_identity_headers = hide_headers;
    let mut report = TreeEvalReport {
        patches: queue.entries.len(),
        release: target.as_ref().map(Version::to_string),
        headers_hidden: hide_headers,
        ..TreeEvalReport::default()
    };
    let verdicts = analyze_queue(queue, analyzer, &mut |_, _| {});
    analyzer.options.hide_identity_headers = hide;
    for (entry, verdict) in queue.entries.iter().zip(verdicts?) {
        *report
            .statuses
            .entry(verdict.status.to_string())
            .or_default() += 1;
        let given = labels.and_then(|l| l.get(&entry.name).copied());
        if let Some(label) = given.or_else(|| label(entry, carried.as_ref(), target.as_ref())) {
            report.cases.push(Case {
                name: entry.name.clone(),
                label,
                status: verdict.status,
                confidence: verdict.confidence,
                support: crate::verdict::support_of(verdict.hypothesis, &verdict.scores),
                why: verdict
                    .evidence
                    .first()
                    .map(|e| e.detail.clone())
                    .unwrap_or_default(),
            });
        }
    }

    tally(&mut report);
    Ok(report)
}

/// Whether a status tells the maintainer to drop the patch.
pub fn called_droppable(status: Status) -> bool {
    matches!(
        status,
        Status::Upstream | Status::ReplacementLikely | Status::Obsolete
    )
}

fn tally(report: &mut TreeEvalReport) {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let mut bands = vec![(0usize, 0usize); 5];
    for case in &report.cases {
        let called = called_droppable(case.status);
        *report
            .by_label
            .entry(case.label.name().to_string())
            .or_default()
            .entry(case.status.to_string())
            .or_default() += 1;
        match case.label {
            Label::Carried | Label::NeedsEffort => {
                report.carried += 1;
                report.carried_called_droppable += usize::from(called);
            }
            label => {
                report.droppable += 1;
                report.droppable_found += usize::from(called);
                *report
                    .droppable_statuses
                    .entry(case.status.to_string())
                    .or_default() += 1;
                let part = match label {
                    Label::Recorded => Some(&mut report.recorded),
                    Label::Dropped => Some(&mut report.dropped),
                    _ => None,
                };
                if let Some(part) = part {
                    part.0 += 1;
                    part.1 += usize::from(called);
                }
            }
        }
        let band = ((case.confidence * 5.0) as usize).min(4);
        bands[band].0 += 1;
        bands[band].1 += usize::from(called == case.label.droppable());
    }
    report.droppable_recall = ratio(report.droppable_found, report.droppable);
    report.carried_error_rate = ratio(report.carried_called_droppable, report.carried);
    report.calibration = bands
        .into_iter()
        .enumerate()
        .map(|(i, (n, right))| {
            (
                format!("{:.1}-{:.1}", i as f64 / 5.0, (i + 1) as f64 / 5.0),
                n,
                right,
            )
        })
        .collect();
}
