//! `kdelta eval SPEC --upstream GIT`: precision and recall of finding, with the headers
//! hidden, the upstream commits that the queue's headers name. `kdelta eval SPEC --tree T
//! [--later SPEC]`: against a release tree alone, how many patches the distribution
//! dropped or recorded as upstream are called droppable, and how many it still carries
//! are (wrongly) called droppable.

use crate::args::{QueueArgs, ReleaseArg, UpstreamArgs};
use crate::Outcome;
use kdelta_analysis::eval::evaluate;
use kdelta_analysis::{AnalysisOptions, Analyzer};
use kdelta_jobs::read_spec;
use kdelta_jobs::upstream::{open_history, scan_tree};
use std::io::Write;

/// Arguments of `kdelta eval`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    queue: QueueArgs,
    #[command(flatten)]
    upstream: UpstreamArgs,
    #[command(flatten)]
    release: ReleaseArg,
    /// The score from which a candidate makes a patch upstream
    #[arg(long, value_name = "SCORE")]
    threshold: Option<f64>,
    /// Do not look commits up by subject either: measure the diff stages alone
    #[arg(long)]
    content_only: bool,
    /// Evaluate against this release tree alone (a directory or tarball), with headers and history hidden
    #[arg(long, value_name = "DIR|TARBALL")]
    tree: Option<std::path::PathBuf>,
    /// A later queue of the same distribution: what it still carries is still needed, what it dropped is droppable
    #[arg(long, value_name = "SPEC")]
    later: Option<String>,
    /// Labels by hand, a tab-separated file `patch<TAB>group` (upstream, replaced, needs-effort, gone) with a header line
    #[arg(long, value_name = "TSV")]
    labels: Option<std::path::PathBuf>,
    /// With --tree: keep the headers that name commits and releases (measure the whole verdict)
    #[arg(long)]
    headers: bool,
    /// Measure finding postings instead, against labels by hand: a tab-separated file with
    /// columns queue, patch, message_id (needs --archive and --label-queue)
    #[arg(long, value_name = "TSV", requires_all = ["label_queue", "archive"])]
    posting_labels: Option<std::path::PathBuf>,
    /// The rows of --posting-labels to use: those whose queue column is NAME
    #[arg(long, value_name = "NAME")]
    label_queue: Option<String>,
    /// With --posting-labels: match by changed lines alone, as if the patch's subject had
    /// been rewritten and its diff refreshed (no patch-ids, no subjects)
    #[arg(long, requires = "posting_labels")]
    lines_only: bool,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
}

/// Evaluate and print the figures.
pub fn run(mut args: Args) -> anyhow::Result<Outcome> {
    args.release.apply(&mut args.upstream);
    if let Some(labels) = &args.posting_labels {
        return run_postings(&args, labels);
    }
    if args.tree.is_some() {
        return run_tree(args);
    }
    if args.upstream.upstream.is_none() {
        anyhow::bail!("kdelta eval needs --upstream GIT or --tree DIR|TARBALL");
    }
    let queue = args.queue.read()?;
    let (history, _) = open_history(&args.upstream.spec(), &mut args.upstream.observer())?;
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
        archive: None,
    };
    let report = evaluate(&queue, &mut analyzer)?;
    let mut out = crate::term::stdout(args.json);
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
        if let Some(d) = &report.described {
            writeln!(
                out,
                "ranked by description and names: named commit first in {}/{}, in the first ten in {}/{}; from the diff alone: {}/{}, {}/{}",
                d.first, d.cases, d.top10, d.cases, d.first_diff_only, d.cases, d.top10_diff_only, d.cases
            )?;
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

/// The postings evaluation: the archive's best posting per patch, header links hidden,
/// against the labels.
fn run_postings(args: &Args, labels: &std::path::Path) -> anyhow::Result<Outcome> {
    use kdelta_analysis::eval::postings::{evaluate_postings, read_posting_labels};
    let queue = args.queue.read()?;
    let label_queue = args.label_queue.as_deref().unwrap_or_default();
    let labels = read_posting_labels(labels, label_queue).map_err(anyhow::Error::msg)?;
    let mut spec = args.upstream.spec();
    spec.posting_match = kdelta_archive::MatchOptions {
        headers: false,
        exact: !args.lines_only,
        ..kdelta_archive::MatchOptions::default()
    };
    let archive = spec
        .open_archive()?
        .ok_or_else(|| anyhow::anyhow!("--posting-labels needs --archive"))?;
    let eval = evaluate_postings(&queue, &archive.matcher, &labels)?;
    let mut out = crate::term::stdout(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &eval)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "patches: {}, with labelled postings: {}",
            eval.patches, eval.labelled
        )?;
        writeln!(
            out,
            "answered: {}, correct: {}",
            eval.answered, eval.correct
        )?;
        writeln!(
            out,
            "precision {:.3}  recall {:.3}",
            eval.precision, eval.recall
        )?;
        for (kind, (right, wrong)) in &eval.by_kind {
            writeln!(out, "{right:>6} right {wrong:>4} wrong  found by {kind}")?;
        }
        for miss in &eval.misses {
            let found = miss.found.as_deref().unwrap_or("nothing");
            let how = miss.kind.as_deref().unwrap_or("-");
            let what = if miss.labelled { "miss" } else { "wrong" };
            writeln!(out, "{what}: {}: found {found} ({how})", miss.name)?;
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

/// The tree-mode evaluation.
fn run_tree(args: Args) -> anyhow::Result<Outcome> {
    use kdelta_analysis::eval::tree::{evaluate_tree_with, read_labels};
    use kdelta_upstream::tree::TreeSource;
    let queue = args.queue.read()?;
    let later = args
        .later
        .as_deref()
        .map(|spec| read_spec(spec, &[], &[]))
        .transpose()?;
    let path = args.tree.as_deref().unwrap_or(std::path::Path::new("."));
    let source = TreeSource::detect(path)?;
    let spec = args.upstream.spec();
    let tree = scan_tree(&source, &[&queue], &spec, &mut args.upstream.observer())?;
    let mut analyzer = Analyzer {
        history: None,
        tree: Some(tree),
        options: spec.options(),
        archive: None,
    };
    let labels = args
        .labels
        .as_deref()
        .map(read_labels)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let report = evaluate_tree_with(
        &queue,
        later.as_ref(),
        labels.as_ref(),
        !args.headers,
        &mut analyzer,
    )?;
    let mut out = crate::term::stdout(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(Outcome::Clean);
    }
    writeln!(
        out,
        "patches: {}, judged against {}, headers naming commits and releases {}",
        report.patches,
        report.release.as_deref().unwrap_or("an unknown release"),
        if report.headers_hidden {
            "hidden"
        } else {
            "kept"
        }
    )?;
    writeln!(
        out,
        "droppable recall {:.3} ({} of {}; recorded upstream {}/{}, dropped later {}/{})",
        report.droppable_recall,
        report.droppable_found,
        report.droppable,
        report.recorded.1,
        report.recorded.0,
        report.dropped.1,
        report.dropped.0
    )?;
    writeln!(
        out,
        "still carried, called droppable: {} of {} ({:.1} %)",
        report.carried_called_droppable,
        report.carried,
        100.0 * report.carried_error_rate
    )?;
    for (status, n) in &report.statuses {
        writeln!(out, "{n:>6}  {status}")?;
    }
    for (label, statuses) in &report.by_label {
        let parts: Vec<String> = statuses.iter().map(|(s, n)| format!("{s} {n}")).collect();
        writeln!(out, "labelled {label}: {}", parts.join(", "))?;
    }
    for (band, n, right) in &report.calibration {
        writeln!(out, "confidence {band}: {right} of {n} right")?;
    }
    for case in report.cases.iter().filter(|c| {
        c.label == kdelta_analysis::eval::tree::Label::Carried
            && kdelta_analysis::eval::tree::called_droppable(c.status)
    }) {
        writeln!(
            out,
            "carried but called {}: {}: {}",
            case.status, case.name, case.why
        )?;
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
