//! What several subcommands print alike: a queue's problems and the exit outcome they make,
//! the verdicts table, a report's summary.

use crate::Outcome;
use kdelta_analysis::{Status, Verdict};
use kdelta_queue::{Queue, Severity};
use kdelta_report::Report;
use std::io::Write;
use std::path::PathBuf;

/// Print every problem of `queue`, located by file and line, on stderr.
pub fn report_problems(queue: &Queue) {
    for (severity, finding) in queue.findings() {
        let level = if severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        crate::term::say!("{level}: {finding}");
    }
}

/// The exit outcome of a run over `queue`: problems when any patch or the series has errors.
pub fn outcome(queue: &Queue) -> Outcome {
    outcome_of(std::slice::from_ref(queue))
}

/// Print the problems of `queues`; problems if any has errors.
pub fn outcome_of(queues: &[Queue]) -> Outcome {
    queues.iter().for_each(report_problems);
    if queues.iter().any(Queue::has_errors) {
        Outcome::Problems
    } else {
        Outcome::Clean
    }
}

/// A readable table: one line per patch, then the count of each status.
pub fn write_verdicts(out: &mut impl Write, verdicts: &[Verdict]) -> std::io::Result<()> {
    // Names as the terminal shows them (control characters escaped), to size the column.
    let names: Vec<_> = verdicts
        .iter()
        .map(|v| crate::term::clean(&v.name))
        .collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 60);
    writeln!(
        out,
        "{:<width$}  {:<18}  conf  {:<12}  {:<14}  why",
        "name", "status", "commit", "release"
    )?;
    for (v, name) in verdicts.iter().zip(&names) {
        let why = v.evidence.first().map(|e| e.detail.as_str()).unwrap_or("");
        writeln!(
            out,
            "{:<width$}  {:<18}  {:.2}  {:<12}  {:<14}  {}",
            name,
            v.status.as_str(),
            v.confidence,
            v.commit
                .as_deref()
                .map(|c| &c[..c.len().min(12)])
                .unwrap_or("-"),
            v.release.as_deref().unwrap_or("-"),
            why
        )?;
    }
    writeln!(out)?;
    for status in Status::ALL {
        let n = verdicts.iter().filter(|v| v.status == status).count();
        if n > 0 {
            writeln!(out, "{:>6}  {}", n, status.as_str())?;
        }
    }
    Ok(())
}

/// The files written, as JSON strings.
pub fn file_names(files: &[PathBuf]) -> Vec<String> {
    files.iter().map(|f| f.display().to_string()).collect()
}

/// A report's summary (and the files written), as a table or JSON.
pub fn report_summary(report: &Report, files: &[PathBuf], json: bool) -> anyhow::Result<()> {
    let mut out = crate::term::stdout(json);
    if json {
        let value = serde_json::json!({
            "files": file_names(files),
            "summary": report.summary,
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        return Ok(out.flush()?);
    }
    let s = &report.summary;
    writeln!(out, "{}: {} patches", report.title(), s.total)?;
    for c in s.by_status.iter().filter(|c| c.count > 0) {
        writeln!(out, "{:>6}  {}", c.count, c.status)?;
    }
    let notes = [
        (s.to_drop.len(), "to drop at the next rebase"),
        (s.to_verify.len(), "to verify"),
        (s.overridden, "with a status set by hand"),
        (s.stale, "stale annotations"),
        (
            s.failed_claims.len(),
            "header claims that did not check out",
        ),
    ];
    for (n, what) in notes.into_iter().filter(|(n, _)| *n > 0) {
        writeln!(out, "{n:>6}  {what}")?;
    }
    for file in files {
        writeln!(out, "wrote {}", file.display())?;
    }
    Ok(out.flush()?)
}
