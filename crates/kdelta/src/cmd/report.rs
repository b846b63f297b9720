//! `kdelta report SPEC`: analyse the queue, apply the team's annotations and write the delta
//! report in every format (`report.html`, `.md`, `.mediawiki`, `.json`, `.csv`).

use crate::args::{FormatArgs, QueueArgs, UpstreamArgs};
use crate::show::{outcome, report_summary};
use crate::Outcome;
use kdelta_jobs::report::{load_annotations, make_report, ReportJob};
use kdelta_report::write_reports;
use std::path::PathBuf;

/// Arguments of `kdelta report`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub queue: QueueArgs,
    #[command(flatten)]
    pub upstream: UpstreamArgs,
    /// An upstream source tree to judge against: a directory or a tarball (.tar.xz, .tar.gz)
    #[arg(long, value_name = "DIR|TARBALL")]
    pub tree: Option<PathBuf>,
    /// The annotations file [default: kdelta-annotations.toml, when it exists]
    #[arg(long, value_name = "FILE")]
    pub annotations: Option<PathBuf>,
    #[command(flatten)]
    pub formats: FormatArgs,
    /// The directory to write the reports into
    #[arg(short, long, value_name = "DIR", default_value = "kdelta-report")]
    pub output: PathBuf,
    /// The distribution's name in headings [default: the queue's directory or file name]
    #[arg(long)]
    pub name: Option<String>,
    /// The distribution's release in headings (`13.1`, `bookworm`)
    #[arg(long)]
    pub release: Option<String>,
    /// Print what was written, and the summary, as JSON
    #[arg(long)]
    pub json: bool,
}

/// Analyse, build the report and write it.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let annotations = load_annotations(args.annotations.as_deref())?;
    let job = ReportJob {
        queue: args.queue.source(),
        upstream: args.upstream.spec(),
        tree: args.tree.clone(),
        name: args.name.clone(),
        release: args.release.clone(),
        commit_url: args.formats.commit_url.clone(),
        generated_at: Some(kdelta_jobs::clock::timestamp()),
    };
    let made = make_report(&job, &annotations, &mut args.upstream.observer())?;
    let files = write_reports(&made.report, &args.output, &args.formats.formats)?;
    report_summary(&made.report, &files, args.json)?;
    Ok(outcome(&made.analysed.queue))
}
