//! `kdelta history SPEC@REV1 SPEC@REV2 …` (or one `REPO@BRANCH` with `--since/--until
//! --every`): a queue over several revisions, what each added, removed, renamed and refreshed,
//! where removed patches went, and the delta per status over time, in every report format.
//!
//! The work is shared across revisions: see [`kdelta_jobs::history`].

use crate::args::{FormatArgs, ReleaseArg, UpstreamArgs};
use crate::show::file_names;
use crate::Outcome;
use kdelta_jobs::history::{history, HistoryJob, Revisions};
use kdelta_report::history::{write_history, HistoryReport};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `kdelta history`.
#[derive(clap::Args)]
pub struct Args {
    /// The revisions, oldest first: queue SPECs (`REPO@REV[:SUBDIR]`, a .dsc…), or one
    /// `REPO@BRANCH[:SUBDIR]` with --since and --until
    #[arg(required = true)]
    specs: Vec<String>,
    /// With one REPO@BRANCH: the first date (YYYY-MM-DD)
    #[arg(long, requires = "until")]
    since: Option<String>,
    /// With one REPO@BRANCH: the last date (YYYY-MM-DD)
    #[arg(long, requires = "since")]
    until: Option<String>,
    /// The step between dates: month, week, or a number of days
    #[arg(long, default_value = "month")]
    every: String,
    /// Keep only patches whose name in the queue matches GLOB (repeatable)
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Keep only patches that change a file matching GLOB (repeatable)
    #[arg(long, value_name = "GLOB")]
    touching: Vec<String>,
    #[command(flatten)]
    upstream: UpstreamArgs,
    #[command(flatten)]
    release: ReleaseArg,
    /// An upstream source tree to judge every revision against: a directory or a tarball
    #[arg(long, value_name = "DIR|TARBALL")]
    tree: Option<PathBuf>,
    #[command(flatten)]
    formats: FormatArgs,
    /// The directory to write the history into
    #[arg(short, long, value_name = "DIR", default_value = "kdelta-history")]
    output: PathBuf,
    /// The distribution's name [default: the queue's]
    #[arg(long)]
    name: Option<String>,
    /// Print what was written, and the figures per revision, as JSON
    #[arg(long)]
    json: bool,
}

/// Read every revision, analyse, write the history.
pub fn run(mut args: Args) -> anyhow::Result<Outcome> {
    args.release.apply(&mut args.upstream);
    let job = HistoryJob {
        revisions: revisions(&args)?,
        include: args.include.clone(),
        touching: args.touching.clone(),
        upstream: args.upstream.spec(),
        tree: args.tree.clone(),
        name: args.name.clone(),
        commit_url: args.formats.commit_url.clone(),
        generated_at: Some(kdelta_jobs::clock::timestamp()),
    };
    let walked = history(&job, &mut args.upstream.observer())?;
    let files = write_history(&walked.report, &args.output, &args.formats.formats)?;
    print(&walked.report, &files, args.json)?;
    Ok(if walked.problems {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// The revisions: the SPECs as given, or one REPO@BRANCH at dates.
fn revisions(args: &Args) -> anyhow::Result<Revisions> {
    let (Some(since), Some(until)) = (&args.since, &args.until) else {
        return Ok(Revisions::Specs(args.specs.clone()));
    };
    anyhow::ensure!(
        args.specs.len() == 1,
        "--since and --until take one REPO@BRANCH, not {} SPECs",
        args.specs.len()
    );
    Ok(Revisions::Dated {
        spec: args.specs[0].clone(),
        since: since.clone(),
        until: until.clone(),
        every: args.every.clone(),
    })
}

fn print(report: &HistoryReport, files: &[PathBuf], json: bool) -> anyhow::Result<()> {
    let mut out = crate::term::stdout(json);
    if json {
        let value = serde_json::json!({
            "files": file_names(files),
            "steps": report.steps.iter().map(|s| serde_json::json!({
                "label": s.label, "patches": s.patches, "by_status": s.by_status,
                "added": s.added.len(), "removed": s.removed.len(),
                "renamed": s.renamed.len(), "refreshed": s.refreshed.len(),
                "disabled": s.disabled.len(), "reenabled": s.reenabled.len(),
            })).collect::<Vec<_>>(),
            "work": report.work,
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        return Ok(out.flush()?);
    }
    writeln!(
        out,
        "{:<14} {:>7} {:>6} {:>7} {:>7} {:>7} {:>8} {:>8}   by status",
        "revision", "patches", "added", "removed", "renamed", "refresh", "disabled", "enabled"
    )?;
    for s in &report.steps {
        let statuses: Vec<String> = s
            .by_status
            .iter()
            .filter(|t| t.count > 0)
            .map(|t| format!("{} {}", t.count, t.status))
            .collect();
        writeln!(
            out,
            "{:<14} {:>7} {:>6} {:>7} {:>7} {:>7} {:>8} {:>8}   {}",
            s.label,
            s.patches,
            s.added.len(),
            s.removed.len(),
            s.renamed.len(),
            s.refreshed.len(),
            s.disabled.len(),
            s.reenabled.len(),
            statuses.join(", ")
        )?;
    }
    writeln!(
        out,
        "\n{} patch contents analysed, {} entries reused",
        report.work.analysed, report.work.reused
    )?;
    for file in files {
        writeln!(out, "wrote {}", file.display())?;
    }
    Ok(out.flush()?)
}
