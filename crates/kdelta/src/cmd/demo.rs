//! `kdelta demo`: write the built-in demo (a queue, an upstream git repository with releases
//! and MAINTAINERS, annotations), then analyse the queue and write its report, as
//! `kdelta report DIR/queue --upstream DIR/upstream.git --annotations DIR/annotations.toml
//! -o DIR` would.

use crate::cmd::analyze::{outcome, write_table};
use crate::cmd::report::{generate, print_summary};
use crate::Outcome;
use anyhow::Context;
use std::ffi::OsString;
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

/// The command line of `kdelta report`, to run it exactly as typed.
#[derive(clap::Parser)]
#[command(name = "kdelta report")]
struct ReportLine {
    #[command(flatten)]
    args: super::report::Args,
}

/// Write the demo and run `kdelta report` on it.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let demo = crate::demo::write_demo(&args.output)
        .with_context(|| format!("writing the demo to {}", args.output.display()))?;
    let index = args.output.join("upstream-index.sqlite");
    let line: Vec<OsString> = vec![
        "kdelta report".into(),
        demo.queue.clone().into(),
        "--upstream".into(),
        demo.upstream.clone().into(),
        "--index".into(),
        index.into(),
        "--release-pattern".into(),
        "v*".into(),
        "--annotations".into(),
        demo.annotations.clone().into(),
        "--name".into(),
        "Demo Linux".into(),
        "--release".into(),
        "1.0".into(),
        "-o".into(),
        args.output.clone().into(),
        "--quiet".into(),
    ];
    crate::term::say!(
        "kdelta: demo queue in {}, upstream repository in {}, annotations in {}",
        demo.queue.display(),
        demo.upstream.display(),
        demo.annotations.display()
    );
    crate::term::say!(
        "kdelta: running {}",
        line.iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let line = <ReportLine as clap::Parser>::try_parse_from(line)
        .context("building the kdelta report command line")?;
    let generated = generate(&line.args)?;
    let mut out = crate::term::stdout(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &generated.report)?;
        writeln!(out)?;
        out.flush()?;
    } else {
        write_table(&mut out, &generated.analysed.verdicts)?;
        writeln!(out)?;
        out.flush()?;
        drop(out);
        print_summary(&generated.report, &generated.files, false)?;
        let html = args.output.join("report.html");
        crate::term::say!("kdelta: open {} in a browser", html.display());
    }
    Ok(outcome(&generated.analysed.queue))
}
