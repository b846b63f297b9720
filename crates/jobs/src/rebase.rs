//! The rebased queue written out (`kdelta rebase -o DIR`): the plan's drops commented out
//! in the queue's own series, each `keep-refreshed` patch rewritten where its hunks went
//! (headers kept), each conflicting or blocked patch kept as it was with a `.rej`-style
//! note of the hunks that failed and why, and every other patch copied.

pub mod base;
mod blame;
pub mod decisions;

pub use blame::explain;

use crate::JobError;
use kdelta_analysis::rebase::push::{FilePush, Push};
use kdelta_analysis::rebase::{Action, Rebase, Step};
use kdelta_patch::apply::Placed;
use kdelta_patch::refresh::{render, rewrite};
use kdelta_patch::{Hunk, Patch};
use kdelta_queue::write::{one_line, write_queue, Change, Written};
use kdelta_queue::{Queue, QueueFiles, QueueSpec};
use kdelta_report::rebase::{render_rebase, RebaseReport};
use kdelta_report::Format;
use std::path::Path;

/// The plan as a report: `queue` moved onto `upstream`, hunks placed by `rules`.
pub fn plan_report(
    queue: &Queue,
    upstream: kdelta_report::model::Upstream,
    rules: &str,
    steps: &[Step],
) -> RebaseReport {
    RebaseReport {
        schema_version: kdelta_report::SCHEMA_VERSION,
        generator: format!("kdelta {}", env!("CARGO_PKG_VERSION")),
        generated_at: Some(crate::clock::timestamp()),
        queue: queue.source.clone(),
        upstream,
        rules: rules.to_string(),
        steps: steps.to_vec(),
    }
}

/// The report in every format, as `plan.EXT` files.
pub fn plan_files(report: &RebaseReport) -> Result<Vec<(String, Vec<u8>)>, JobError> {
    Format::ALL
        .iter()
        .map(|&f| {
            Ok((
                format!("plan.{}", f.name()),
                render_rebase(report, f)?.into_bytes(),
            ))
        })
        .collect()
}

/// Write the queue `spec` names (read as `queue`) as `rebase` leaves it, into `out`, with
/// `extra` files (the plan's reports) at its top.
pub fn write_rebased(
    spec: &str,
    queue: &Queue,
    rebase: &Rebase,
    extra: &[(String, Vec<u8>)],
    out: &Path,
) -> Result<Written, JobError> {
    let spec = QueueSpec::parse(spec)?;
    let files = QueueFiles::open(&spec)?.ok_or_else(|| {
        JobError::Input(format!(
            "{}: an mbox, a single patch or a git range has no series to write (-o)",
            queue.source
        ))
    })?;
    let mut changes = Vec::with_capacity(queue.entries.len());
    for (i, entry) in queue.entries.iter().enumerate() {
        let step = rebase.steps.get(i);
        let push = rebase.pushes.get(i).and_then(Option::as_ref);
        let change = match (step, push, &entry.patch) {
            (Some(step), _, _) if step.action.drops() => Change::Drop(reason(step)),
            (Some(step), Some(push), Some(patch)) if step.action == Action::KeepRefreshed => {
                match files.patch(&entry.name)? {
                    Some(text) => refreshed(&text, patch, push, step),
                    None => Change::Same,
                }
            }
            (Some(step), Some(push), Some(patch))
                if matches!(step.action, Action::Conflict | Action::Blocked) =>
            {
                Change::Noted(note(step, push, patch))
            }
            _ => Change::Same,
        };
        changes.push(change);
    }
    Ok(write_queue(&files, queue, &changes, extra, out)?)
}

/// The reason beside a dropped patch's series line.
fn reason(step: &Step) -> String {
    match step.why.first() {
        Some(why) => format!("{}: {why}", step.action.as_str()),
        None => step.action.as_str().to_string(),
    }
}

/// The patch rewritten with its hunks as they applied; when the rewrite does not read
/// back as those hunks (the patch's text is not plain), the patch as it was, with a note.
fn refreshed(text: &[u8], patch: &Patch, push: &Push, step: &Step) -> Change {
    let mut replaced: Vec<Option<Vec<Hunk>>> = vec![None; patch.files.len()];
    for file in &push.files {
        if let Some(slot) = replaced.get_mut(file.diff) {
            *slot = Some(file.as_applied.iter().flatten().cloned().collect());
        }
    }
    let bytes = rewrite(text, &patch.files, &replaced);
    let again = Patch::parse(&bytes, &Default::default());
    let same = again.files.len() == patch.files.len()
        && again.files.iter().zip(&replaced).all(|(f, want)| {
            want.as_ref().is_none_or(|w| {
                let w = kdelta_patch::refresh::merged(w);
                f.hunks.len() == w.len() && f.hunks.iter().zip(&w).all(|(a, b)| a.lines == b.lines)
            })
        });
    if same {
        Change::Bytes(bytes)
    } else {
        let mut note = header(step);
        note.extend_from_slice(
            b"# kdelta could not rewrite this patch's text: refresh it by hand\n",
        );
        Change::Noted(note)
    }
}

/// A `.rej`-style note: why, then each failed hunk as the patch has it.
fn note(step: &Step, push: &Push, patch: &Patch) -> Vec<u8> {
    let mut out = header(step);
    for file in &push.files {
        let Some(diff) = patch.files.get(file.diff) else {
            continue;
        };
        let failed: Vec<Hunk> = failed_hunks(file, &diff.hunks);
        if failed.is_empty() {
            continue;
        }
        let old = diff.old_path.as_ref().map(|p| format!("a/{p}"));
        let new = diff.new_path.as_ref().map(|p| format!("b/{p}"));
        out.extend_from_slice(
            format!(
                "--- {}\n+++ {}\n",
                old.as_deref().unwrap_or("/dev/null"),
                new.as_deref().unwrap_or("/dev/null")
            )
            .as_bytes(),
        );
        out.extend_from_slice(&render(&failed));
    }
    out
}

fn failed_hunks(file: &FilePush, hunks: &[Hunk]) -> Vec<Hunk> {
    file.hunks
        .iter()
        .zip(hunks)
        .filter(|(placed, _)| matches!(placed, Placed::Failed { .. }))
        .map(|(_, h)| h.clone())
        .collect()
}

/// `# kdelta rebase: ACTION` and each reason, as comment lines.
fn header(step: &Step) -> Vec<u8> {
    let mut out = format!("# kdelta rebase: {}\n", step.action.as_str()).into_bytes();
    for why in &step.why {
        out.extend_from_slice(format!("# {}\n", one_line(why)).as_bytes());
    }
    out
}
