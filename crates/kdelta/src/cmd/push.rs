//! `kdelta push URL SPEC|report.json`: send a distribution's report to a `kdelta serve` that
//! cannot read the queue itself. Given a queue, it is analysed here (as `kdelta report` does)
//! and sent with what the common delta needs of each patch; given a report's JSON, that report
//! is sent alone. The API token comes from `--token-file`, `KDELTA_TOKEN`, or `--token`.

use crate::args::ReportArgs;
use crate::Outcome;
use anyhow::Context;
use kdelta_jobs::analyse::QueueSource;
use kdelta_jobs::push::{push, Pushed};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `kdelta push`.
#[derive(clap::Args)]
pub struct Args {
    /// The distribution on the server: http(s)://HOST/distributions/NAME
    pub url: String,
    /// The queue to analyse (any SPEC `kdelta report` reads), or a report's JSON (`report.json`)
    pub spec: String,
    /// Keep only patches whose name in the queue matches GLOB (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// An API token of a maintainer of the distribution (visible to other users of this
    /// machine: prefer --token-file or KDELTA_TOKEN)
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// A file holding the API token
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Link upstream commits: a URL with {commit}
    #[arg(long, value_name = "TEMPLATE")]
    pub commit_url: Option<String>,
    /// Print the server's answer as JSON
    #[arg(long)]
    pub json: bool,
}

/// Make (or read) the report and push it.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let token = token(&args)?;
    let pushed = if is_report(&args.spec) {
        let text = std::fs::read_to_string(&args.spec)
            .with_context(|| format!("reading {}", args.spec))?;
        let report = kdelta_report::render::json::parse(&text)
            .with_context(|| format!("{} is not a kdelta report's JSON", args.spec))?;
        Pushed {
            report,
            facts: None,
        }
    } else {
        analyse(&args)?
    };
    let taken = push(&args.url, &token, &pushed)?;
    let mut out = crate::term::stdout(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &taken)?;
        writeln!(out)?;
    } else {
        let how = if taken.clustered {
            "in the common delta"
        } else {
            "shown alone: a report without its queue's facts is not in the common delta"
        };
        writeln!(
            out,
            "pushed {} patches to {}: snapshot {} ({how})",
            taken.patches, taken.distribution, taken.snapshot
        )?;
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

/// Whether `spec` is a report's JSON rather than a queue.
fn is_report(spec: &str) -> bool {
    spec.ends_with(".json") && Path::new(spec).is_file()
}

/// Analyse the queue as `kdelta report` does: the report and the patches' facts.
fn analyse(args: &Args) -> anyhow::Result<Pushed> {
    let queue = QueueSource {
        spec: args.spec.clone(),
        include: args.include.clone(),
    };
    let made = args.report.make(queue, args.commit_url.clone())?;
    let facts = made.facts();
    Ok(Pushed {
        report: made.report,
        facts: Some(facts),
    })
}

/// The API token: from `--token-file`, else `KDELTA_TOKEN`, else `--token`.
fn token(args: &Args) -> anyhow::Result<String> {
    let token = match (&args.token_file, std::env::var("KDELTA_TOKEN")) {
        (Some(file), _) => {
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
        }
        (None, Ok(token)) if !token.trim().is_empty() => token,
        _ => args.token.clone().context(
            "no API token: give --token-file FILE, KDELTA_TOKEN, or --token (a maintainer's, \
             from `kdelta serve token create`)",
        )?,
    };
    let token = token.trim().to_string();
    anyhow::ensure!(
        !token.is_empty() && token.chars().all(|c| c.is_ascii_graphic()),
        "the API token is empty or has spaces or control characters"
    );
    Ok(token)
}
