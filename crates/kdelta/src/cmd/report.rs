//! `kdelta report SPEC`: analyse the queue, apply the team's annotations and write the delta
//! report in every format (`report.html`, `.md`, `.mediawiki`, `.json`, `.csv`).

use crate::args::{FormatArgs, QueueArgs, ReportArgs};
use crate::show::{outcome, report_summary};
use crate::Outcome;
use kdelta_report::write_reports;
use std::path::PathBuf;

/// Arguments of `kdelta report`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub queue: QueueArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub formats: FormatArgs,
    /// The directory to write the reports into
    #[arg(short, long, value_name = "DIR", default_value = "kdelta-report")]
    pub output: PathBuf,
    /// Print what was written, and the summary, as JSON
    #[arg(long)]
    pub json: bool,
}

/// Analyse, build the report and write it.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let made = args
        .report
        .make(args.queue.source(), args.formats.commit_url.clone())?;
    let files = write_reports(&made.report, &args.output, &args.formats.formats)?;
    report_summary(&made.report, &files, args.json)?;
    Ok(outcome(&made.analysed.queue))
}
