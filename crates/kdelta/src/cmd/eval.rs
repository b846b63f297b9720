//! `kdelta eval SPEC --upstream GIT`: precision and recall of finding, with the headers
//! hidden, the upstream commits that the queue's headers name.

use crate::cmd::analyze::{open_history, QueueArgs, UpstreamArgs};
use crate::Outcome;
use kdelta_analysis::eval::evaluate;
use kdelta_analysis::{AnalysisOptions, Analyzer};
use std::io::Write;

/// Arguments of `kdelta eval`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    queue: QueueArgs,
    #[command(flatten)]
    upstream: UpstreamArgs,
    /// The score from which a candidate makes a patch upstream
    #[arg(long, value_name = "SCORE")]
    threshold: Option<f64>,
    /// Do not look commits up by subject either: measure the diff stages alone
    #[arg(long)]
    content_only: bool,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
}

/// Evaluate and print the figures.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if args.upstream.upstream.is_none() {
        anyhow::bail!("kdelta eval needs --upstream GIT");
    }
    let queue = args.queue.read()?;
    let (history, _) = open_history(&args.upstream)?;
    let mut options = AnalysisOptions {
        use_subject: !args.content_only,
        ..AnalysisOptions::default()
    };
    if let Some(t) = args.threshold {
        options.upstream_threshold = t;
    }
    let mut analyzer = Analyzer {
        history,
        tree: None,
        options,
    };
    let report = evaluate(&queue, &mut analyzer)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(out, "patches: {}", report.patches)?;
        writeln!(
            out,
            "cases (headers name a commit the index confirms): {}",
            report.cases
        )?;
        writeln!(
            out,
            "answered: {}, correct: {} ({} an identical copy)",
            report.answered, report.correct, report.equivalent
        )?;
        writeln!(
            out,
            "precision {:.3}  recall {:.3}  F1 {:.3}",
            report.precision, report.recall, report.f1
        )?;
        for (status, n) in &report.statuses {
            writeln!(out, "{n:>6}  {status}")?;
        }
        for (reason, n) in &report.found_by {
            writeln!(out, "{n:>6}  found by {reason}")?;
        }
        let w = &report.wrong_scores;
        if let Some(max) = w.last() {
            let at = |q: f64| w[((w.len() - 1) as f64 * q) as usize];
            writeln!(
                out,
                "best wrong candidate per case: median {:.2}, 90th percentile {:.2}, max {max:.2}",
                at(0.5),
                at(0.9)
            )?;
        }
        for miss in &report.misses {
            writeln!(
                out,
                "miss: {}: named {}, found {}, {} (best score {})",
                miss.name,
                &miss.named[..12.min(miss.named.len())],
                miss.found.as_deref().unwrap_or("nothing"),
                miss.status,
                miss.best_score
                    .map(|s| format!("{s:.2}"))
                    .unwrap_or_else(|| "-".into())
            )?;
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
