//! Running the cascade over a queue: one [`Verdict`] per patch, in queue order.

use crate::candidates::gather;
use crate::claims::{claims_of, ClaimKind};
use crate::lines::LineSet;
use crate::model::{Evidence, EvidenceKind, Status, Verdict};
use crate::tree::{QueueState, TargetTree};
use crate::upstream::History;
use crate::verdict::{decide, Findings};
use crate::{AnalysisError, AnalysisOptions};
use kdelta_queue::{Queue, QueueEntry};

/// What the queue is judged against: an index of upstream history, a target tree, or both.
pub struct Analyzer {
    /// The upstream history, when indexed.
    pub history: Option<History>,
    /// The target tree, when given.
    pub tree: Option<TargetTree>,
    /// Thresholds and limits.
    pub options: AnalysisOptions,
}

/// The verdicts of every patch of `queue`, in order; `progress(done, total)` after each.
pub fn analyze_queue(
    queue: &Queue,
    analyzer: &mut Analyzer,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Verdict>, AnalysisError> {
    let mut out = Vec::with_capacity(queue.entries.len());
    let mut state = QueueState::default();
    for (i, entry) in queue.entries.iter().enumerate() {
        out.push(analyze_in_queue(entry, analyzer, Some(&state))?);
        if let (Some(patch), Some(tree)) = (&entry.patch, &analyzer.tree) {
            state.apply(&entry.name, patch, tree);
        }
        progress(i + 1, queue.entries.len());
    }
    Ok(out)
}

/// The verdict of one queue entry, judged on its own (not on top of its queue's earlier
/// patches).
pub fn analyze_entry(
    entry: &QueueEntry,
    analyzer: &mut Analyzer,
) -> Result<Verdict, AnalysisError> {
    analyze_in_queue(entry, analyzer, None)
}

/// The verdict of one queue entry, with the queue's files as its earlier patches leave
/// them.
pub fn analyze_in_queue(
    entry: &QueueEntry,
    analyzer: &mut Analyzer,
    state: Option<&QueueState>,
) -> Result<Verdict, AnalysisError> {
    let Some(patch) = &entry.patch else {
        return Ok(unreadable(entry));
    };
    let mut claims = claims_of(&patch.header);
    if analyzer.options.hide_identity_headers {
        claims.retain(|c| !matches!(c.kind, ClaimKind::Commit(_) | ClaimKind::Release(_)));
    }
    let lines = LineSet::of_files(&patch.files);
    let candidates = match analyzer.history.as_mut() {
        Some(history) => gather(history, patch, &claims, &lines, &analyzer.options)?,
        None => Vec::new(),
    };
    let tree = analyzer.tree.as_ref().map(|t| t.facts(patch, state));
    let release = analyzer
        .options
        .release
        .clone()
        .or_else(|| analyzer.tree.as_ref().and_then(|t| t.release().cloned()));
    let findings = Findings {
        packaging_only: packaging_only(patch),
        name: &entry.name,
        subject: patch.header.subject.as_ref().map(|s| s.raw.clone()),
        claims,
        candidates,
        indexed: analyzer.history.is_some(),
        tree,
        has_diff: !patch.files.is_empty(),
        release,
    };
    Ok(decide(findings, analyzer.options.upstream_threshold))
}

/// Whether every file the patch changes is the distribution's packaging (a `debian/`
/// directory, an RPM spec, a `rpm/` or `packaging/` directory), not kernel source.
fn packaging_only(patch: &kdelta_patch::Patch) -> bool {
    let packaging = |path: &str| {
        path.starts_with("debian/")
            || path.starts_with("rpm/")
            || path.starts_with("packaging/")
            || path.ends_with(".spec")
            || path.ends_with(".spec.in")
    };
    !patch.files.is_empty()
        && patch
            .files
            .iter()
            .all(|f| f.path().is_some_and(|p| packaging(&p.to_string())))
}

fn unreadable(entry: &QueueEntry) -> Verdict {
    let why = entry
        .problems
        .first()
        .map(|p| p.message.clone())
        .unwrap_or_else(|| "the patch could not be read".into());
    Verdict {
        name: entry.name.clone(),
        subject: None,
        status: Status::Unknown,
        hypothesis: crate::model::Hypothesis::Needed,
        confidence: 0.0,
        scores: Vec::new(),
        commit: None,
        release: None,
        evidence: vec![Evidence::new(EvidenceKind::Unreadable, why)],
        candidates: Vec::new(),
        claims: Vec::new(),
        hunks: Vec::new(),
    }
}
