//! `kdelta lint`'s rules: each distribution's conventions for the headers of the patches it
//! carries, written from the convention's own documentation, checked on a queue as read.
//! Pure: a [`Queue`] in, [`Finding`]s out; the front ends print them (text, JSON, SARIF).
//!
//! A finding names its rule (`suse/patch-mainline-missing`), its severity, the patch file
//! and line, what is wrong, and a fix when one is mechanical.

pub mod convention;
pub mod finding;
pub mod fix;
mod rules;
pub mod sarif;
pub mod semantic;

pub use convention::Convention;
pub use finding::{Finding, Fix, RuleId, SetField, Severity};

use kdelta_analysis::Verdict;
use kdelta_queue::Queue;

/// Lint `queue` by `conventions` (every patch by each), plus the queue's own problems
/// (a series entry without its file, a patch file no series names). Findings come in queue
/// order, each patch's by line.
pub fn lint(queue: &Queue, conventions: &[Convention]) -> Vec<Finding> {
    lint_judged(queue, &[], conventions)
}

/// Lint `queue` as [`lint`] does, and check its headers' claims against `verdicts` (one per
/// entry, in queue order, as the analysis gives them; none: the header rules only).
pub fn lint_judged(
    queue: &Queue,
    verdicts: &[Verdict],
    conventions: &[Convention],
) -> Vec<Finding> {
    let mut out = rules::queue_findings(queue);
    for (i, entry) in queue.entries.iter().enumerate() {
        let Some(patch) = &entry.patch else {
            continue;
        };
        let mut found = Vec::new();
        for convention in conventions {
            found.extend(convention.check(&entry.name, patch));
        }
        if let Some(verdict) = verdicts.get(i).filter(|v| v.name == entry.name) {
            semantic::complete_fixes(&mut found, patch, verdict);
            found.extend(semantic::check(&entry.name, patch, verdict, conventions));
        }
        found.sort_by_key(|f| f.line);
        out.extend(found);
    }
    out
}
