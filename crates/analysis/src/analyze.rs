//! Running the cascade over a queue: one [`Verdict`] per patch, in queue order.

use crate::candidates::gather;
use crate::claims::{claims_of, ClaimKind};
use crate::lines::LineSet;
use crate::model::{Evidence, EvidenceKind, Hypothesis, Status, Verdict};
use crate::tree::{QueueState, TargetTree, TreeFacts};
use crate::upstream::History;
use crate::verdict::{decide, Findings};
use crate::{AnalysisError, AnalysisOptions};
use kdelta_queue::{Queue, QueueEntry};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What the queue is judged against: an index of upstream history, a target tree, or both.
pub struct Analyzer {
    /// The upstream history, when indexed.
    pub history: Option<History>,
    /// The target tree, when given.
    pub tree: Option<TargetTree>,
    /// Thresholds and limits.
    pub options: AnalysisOptions,
    /// The mailing-list archive index, when given.
    pub archive: Option<crate::postings::Archive>,
}

/// The verdicts of every patch of `queue`, in order; `progress(done, total)` as they
/// come. Each patch is judged against the tree on top of the queue's earlier patches: the
/// tree facts of all patches are gathered first (on two threads), then the verdicts in
/// queue order, each knowing what became of the patches before it.
pub fn analyze_queue(
    queue: &Queue,
    analyzer: &mut Analyzer,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Verdict>, AnalysisError> {
    judge_in_order(queue, analyzer, progress, &mut verdict_of)
}

/// How a patch is judged, given what the tree says of it (with what became of the
/// patches it builds on filled in): [`verdict_of`], or a cache in front of it.
pub type Judge<'j> =
    dyn FnMut(&QueueEntry, &mut Analyzer, Option<TreeFacts>) -> Result<Verdict, AnalysisError> + 'j;

/// The verdicts of `queue` in order, each patch judged by `judge` on top of the queue's
/// earlier patches: the tree facts of all are gathered first, then each verdict in queue
/// order, knowing what became of the patches before it; `progress(done, total)` as they
/// come.
pub fn judge_in_order(
    queue: &Queue,
    analyzer: &mut Analyzer,
    progress: &mut dyn FnMut(usize, usize),
    judge: &mut Judge<'_>,
) -> Result<Vec<Verdict>, AnalysisError> {
    let total = queue.entries.len();
    let facts = match &analyzer.tree {
        Some(tree) => {
            let facts = tree_facts(queue, tree, progress);
            // A cache that cannot be written only costs the next run time.
            let _ = tree.remember();
            facts
        }
        None => vec![None; total],
    };
    let mut judged: HashMap<&str, Hypothesis> = HashMap::new();
    let mut out = Vec::with_capacity(total);
    for (i, (entry, mut facts)) in queue.entries.iter().zip(facts).enumerate() {
        if let Some(f) = facts.as_mut() {
            for (name, h) in &mut f.builds_on {
                *h = judged.get(name.as_str()).copied();
            }
        }
        let verdict = judge(entry, analyzer, facts)?;
        judged.insert(&entry.name, verdict.hypothesis);
        out.push(verdict);
        if analyzer.tree.is_none() {
            progress(i + 1, total);
        }
    }
    Ok(out)
}

/// Threads that gather tree facts.
const THREADS: usize = 2;

/// The tree facts of every patch of `queue`, each on top of the patches before it.
fn tree_facts(
    queue: &Queue,
    tree: &TargetTree,
    progress: &mut dyn FnMut(usize, usize),
) -> Vec<Option<TreeFacts>> {
    let started = std::time::Instant::now();
    let views = QueueState::views(queue, tree);
    tree.record_step("the queue's own files followed", started);
    let total = queue.entries.len();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let work = || {
        let mut found = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(entry) = queue.entries.get(i) else {
                break;
            };
            let facts = entry.patch.as_ref().map(|p| tree.facts(p, views.get(i)));
            found.push((i, facts));
            done.fetch_add(1, Ordering::Relaxed);
        }
        found
    };
    let mut all = vec![None; total];
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..THREADS).map(|_| scope.spawn(work)).collect();
        // This thread works too, and tells the progress.
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(entry) = queue.entries.get(i) else {
                break;
            };
            all[i] = entry.patch.as_ref().map(|p| tree.facts(p, views.get(i)));
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress(n, total);
        }
        for helper in helpers {
            // A helper that panicked leaves its patches without tree facts; the verdicts
            // then say so (nothing to judge by) rather than the run failing.
            if let Ok(found) = helper.join() {
                for (i, facts) in found {
                    if let Some(slot) = all.get_mut(i) {
                        *slot = facts;
                    }
                }
            }
        }
    });
    progress(total, total);
    tree.record_step(format!("tree facts of {total} patches"), started);
    all
}

/// The verdict of one queue entry, judged on its own (not on top of its queue's earlier
/// patches).
pub fn analyze_entry(
    entry: &QueueEntry,
    analyzer: &mut Analyzer,
) -> Result<Verdict, AnalysisError> {
    let facts = match (&analyzer.tree, &entry.patch) {
        (Some(tree), Some(patch)) => Some(tree.facts(patch, None)),
        _ => None,
    };
    verdict_of(entry, analyzer, facts)
}

/// The verdict of one queue entry, given what the tree says about it.
pub fn verdict_of(
    entry: &QueueEntry,
    analyzer: &mut Analyzer,
    tree: Option<TreeFacts>,
) -> Result<Verdict, AnalysisError> {
    let Some(patch) = &entry.patch else {
        return Ok(unreadable(entry));
    };
    if let Some(cut) = patch.files.iter().find(|f| f.truncated) {
        return Ok(cut_short(entry, patch, cut));
    }
    let mut claims = claims_of(&patch.header);
    if analyzer.options.hide_identity_headers {
        claims.retain(|c| !matches!(c.kind, ClaimKind::Commit(_) | ClaimKind::Release(_)));
    }
    let lines = LineSet::of_files(&patch.files);
    let found = match &analyzer.archive {
        Some(archive) => Some(crate::postings::find(archive, patch)?),
        None => None,
    };
    if let (Some(found), Some(history)) = (&found, &analyzer.history) {
        claims.extend(crate::postings::link_claims(history, &found.linkable)?);
    }
    let posted = found.and_then(|f| f.posted);
    let archived =
        crate::postings::needed_status(posted.as_ref(), analyzer.archive.as_ref(), &claims);
    let candidates = match analyzer.history.as_mut() {
        Some(history) => gather(history, patch, &claims, &lines, &analyzer.options)?,
        None => Vec::new(),
    };
    let release = analyzer
        .options
        .release
        .clone()
        .or_else(|| analyzer.tree.as_ref().and_then(|t| t.release().cloned()));
    let raw_claims = claims.clone();
    let findings = Findings {
        packaging_only: packaging_only(patch),
        name: &entry.name,
        subject: patch.header.subject.as_ref().map(|s| s.raw.clone()),
        author: patch.header.author.as_ref().map(|a| a.to_string()),
        date: patch
            .header
            .date
            .as_ref()
            .and_then(|d| kdelta_archive::message::parse_date(&d.to_string())),
        candidates,
        indexed: analyzer.history.is_some(),
        tree,
        has_diff: !patch.files.is_empty(),
        release,
        archived: archived.clone(),
        claims,
    };
    let mut verdict = decide(findings, analyzer.options.upstream_threshold);
    crate::postings::check_claims(
        &mut verdict,
        &raw_claims,
        posted.as_ref(),
        archived.as_ref(),
    );
    verdict.posted = posted;
    Ok(verdict)
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

/// A patch with a hunk cut short is not judged: what it would change is unknown.
fn cut_short(
    entry: &QueueEntry,
    patch: &kdelta_patch::Patch,
    file: &kdelta_patch::FileDiff,
) -> Verdict {
    // The parser's word for the short hunk, to quote (the first hunk problem in the file).
    let problem = patch
        .problems
        .iter()
        .find(|p| p.line >= file.line && p.message.contains("hunk"))
        .map(|p| format!(" (line {}: {})", p.line, p.message))
        .unwrap_or_default();
    let path = file.path().map(|p| p.to_string()).unwrap_or_default();
    let why = format!("the patch is cut short in its diff of {path}{problem}: it cannot be judged until it is whole");
    Verdict {
        subject: patch.header.subject.as_ref().map(|s| s.raw.clone()),
        evidence: vec![Evidence::new(EvidenceKind::Unreadable, why)],
        ..unreadable(entry)
    }
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
        posted: None,
    }
}
