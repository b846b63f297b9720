//! `kdelta demo`: write the built-in demo (a queue, an upstream git repository with releases
//! and MAINTAINERS, annotations), then analyse the queue and write its report, as
//! `kdelta report DIR/queue --upstream DIR/upstream.git --annotations DIR/annotations.toml
//! -o DIR` would.

use crate::show::{outcome, report_summary, write_verdicts};
use crate::Outcome;
use anyhow::Context;
use kdelta_jobs::analyse::QueueSource;
use kdelta_jobs::report::{load_annotations, make_report, ReportJob};
use kdelta_jobs::UpstreamSpec;
use kdelta_report::{write_reports, Format};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `kdelta demo`.
#[derive(clap::Args)]
pub struct Args {
    /// Where to write the demo and its report
    #[arg(short, long, value_name = "DIR", default_value = "kdelta-demo")]
    output: PathBuf,
    /// Print the report model as JSON instead of the table
    #[arg(long)]
    json: bool,
}

/// Write the demo and report on it as `kdelta report` would.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let demo = kdelta_demo::write_demo(&args.output)
        .with_context(|| format!("writing the demo to {}", args.output.display()))?;
    let index = args.output.join("upstream-index.sqlite");
    let job = ReportJob {
        queue: QueueSource {
            spec: demo.queue.display().to_string(),
            include: Vec::new(),
        },
        upstream: UpstreamSpec {
            repository: Some(demo.upstream.clone()),
            index: Some(index.clone()),
            release_pattern: Some("v*".into()),
            ..UpstreamSpec::default()
        },
        name: Some("Demo Linux".into()),
        release: Some("1.0".into()),
        generated_at: Some(kdelta_jobs::clock::timestamp()),
        ..ReportJob::default()
    };
    crate::term::say!(
        "kdelta: demo queue in {}, upstream repository in {}, annotations in {}",
        demo.queue.display(),
        demo.upstream.display(),
        demo.annotations.display()
    );
    crate::term::say!(
        "kdelta: running kdelta report {} --upstream {} --index {} --release-pattern 'v*' \
         --annotations {} --name 'Demo Linux' --release 1.0 -o {} --quiet",
        demo.queue.display(),
        demo.upstream.display(),
        index.display(),
        demo.annotations.display(),
        args.output.display()
    );
    let annotations = load_annotations(Some(&demo.annotations))?;
    let made = make_report(&job, &annotations, &mut crate::observe::Shown::new(true))?;
    let files = write_reports(&made.report, &args.output, &Format::ALL)?;
    let mut out = crate::term::stdout(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &made.report)?;
        writeln!(out)?;
        out.flush()?;
    } else {
        write_verdicts(&mut out, &made.analysed.verdicts)?;
        writeln!(out)?;
        out.flush()?;
        drop(out);
        report_summary(&made.report, &files, false)?;
        let html = args.output.join("report.html");
        crate::term::say!("kdelta: open {} in a browser", html.display());
    }
    Ok(outcome(&made.analysed.queue))
}
