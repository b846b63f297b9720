//! `kdelta history SPEC@REV1 SPEC@REV2 …` (or one `REPO@BRANCH` with `--since/--until
//! --every`): a queue over several revisions, what each added, removed, renamed and refreshed,
//! where removed patches went, and the delta per status over time, in every report format.
//!
//! Work is shared: the upstream tree is indexed once (or its cached index loaded); each
//! revision's patches are judged on top of that revision's earlier patches, as `kdelta
//! analyze` judges a queue, and a verdict is reused across revisions when the patch's content
//! and what the tree says of it there are alike (tree facts are kept beside the tree's index).

use crate::cmd::analyze::{
    open_history, read_spec, scan_tree, tree_source, upstream_info, UpstreamArgs,
};
use crate::cmd::report::{default_name, FormatArgs};
use crate::Outcome;
use anyhow::Context;
use kdelta_analysis::history::{step, Carried, Snapshot, Step, VerdictCache};
use kdelta_analysis::Analyzer;
use kdelta_report::history::{write_history, HistoryReport, Work};
use std::io::{IsTerminal, Write};
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
    release: crate::cmd::analyze::ReleaseArg,
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

/// A revision to read: its label and its queue SPEC.
struct Revision {
    label: String,
    spec: String,
}

/// Read every revision, analyse, write the history.
pub fn run(mut args: Args) -> anyhow::Result<Outcome> {
    args.release.apply(&mut args.upstream);
    let formats = &args.formats.formats;
    let revisions = revisions(&args)?;
    let (history, at) = open_history(&args.upstream)?;
    let show = !args.upstream.quiet && std::io::stderr().is_terminal();
    let tree = match tree_source(args.tree.as_deref(), &args.upstream, at)? {
        Some(source) => Some(scan_tree(&source, &[], &args.upstream, show)?),
        None => None,
    };
    let mut analyzer = Analyzer {
        history,
        tree,
        options: args.upstream.options(),
    };
    let (steps, work, problems) = walk(&revisions, &args, &mut analyzer, show)?;
    if let Some(tree) = &analyzer.tree {
        // A cache that cannot be written only costs the next run time.
        let _ = tree.remember();
    }
    let upstream = upstream_info(&args.upstream, at, args.tree.as_deref());
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| default_name(&args.specs[0]));
    let mut report =
        HistoryReport::new(name, upstream, steps, work, Some(crate::clock::timestamp()));
    report.commit_url = args.formats.commit_url.clone();
    let files = write_history(&report, &args.output, formats)?;
    print(&report, &files, args.json)?;
    Ok(if problems {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// The revisions: the SPECs as given, or one per date step of a REPO@BRANCH.
fn revisions(args: &Args) -> anyhow::Result<Vec<Revision>> {
    let (Some(since), Some(until)) = (&args.since, &args.until) else {
        return Ok(args
            .specs
            .iter()
            .map(|spec| Revision {
                label: label(spec),
                spec: spec.clone(),
            })
            .collect());
    };
    anyhow::ensure!(
        args.specs.len() == 1,
        "--since and --until take one REPO@BRANCH, not {} SPECs",
        args.specs.len()
    );
    let spec = &args.specs[0];
    let dates = crate::clock::dates(since, until, &args.every)?;
    Ok(dates
        .into_iter()
        .map(|date| Revision {
            spec: dated(spec, &date),
            label: date,
        })
        .collect())
}

/// `REPO@REV[:SUBDIR]` at `date`: `REPO@REV@{date}[:SUBDIR]`.
fn dated(spec: &str, date: &str) -> String {
    let at = spec.rfind('@').unwrap_or(spec.len());
    match spec[at..].find(':') {
        Some(colon) => {
            let split = at + colon;
            format!("{}@{{{date}}}{}", &spec[..split], &spec[split..])
        }
        None => format!("{spec}@{{{date}}}"),
    }
}

/// A short label for a SPEC: its revision part, or the SPEC.
fn label(spec: &str) -> String {
    match spec.rsplit_once('@') {
        Some((_, rev)) if !rev.is_empty() => rev.to_string(),
        _ => spec.to_string(),
    }
}

/// Second pass: analyse each revision (each distinct content once) and compare it with the
/// one before.
fn walk(
    revisions: &[Revision],
    args: &Args,
    analyzer: &mut Analyzer,
    show: bool,
) -> anyhow::Result<(Vec<Step>, Work, bool)> {
    let bar = bar(show, revisions.len(), "analysing revisions");
    let mut cache = VerdictCache::default();
    let mut previous: Option<Snapshot> = None;
    let mut steps = Vec::new();
    let mut problems = false;
    for revision in revisions {
        let queue = read_spec(&revision.spec, &args.include, &args.touching)
            .with_context(|| format!("reading {}", revision.spec))?;
        let wrong: Vec<String> = queue
            .findings()
            .filter(|(severity, _)| *severity == kdelta_queue::Severity::Error)
            .map(|(_, finding)| finding)
            .collect();
        if let Some(first) = wrong.first() {
            problems = true;
            // Said as it is found: the exit code alone would not tell which revision or why.
            bar.suspend(|| {
                crate::term::say!(
                    "kdelta: {}: {} problem(s) in the queue, the first: {first}",
                    revision.label,
                    wrong.len()
                )
            });
        }
        let carried: Vec<Carried> = cache.revision(&queue, analyzer)?;
        let mut now = Snapshot {
            carried,
            disabled: queue.disabled.clone(),
            held: Vec::new(),
        };
        steps.push(step(revision.label.clone(), previous.as_ref(), &mut now));
        previous = Some(now);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let work = Work {
        analysed: cache.analysed,
        reused: cache.reused,
    };
    Ok((steps, work, problems))
}

fn bar(show: bool, len: usize, message: &'static str) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} {msg} [{bar:40}] {pos}/{len} revisions, ETA {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar.set_message(message);
    bar
}

fn print(report: &HistoryReport, files: &[PathBuf], json: bool) -> anyhow::Result<()> {
    let mut out = crate::term::stdout(json);
    if json {
        let value = serde_json::json!({
            "files": files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
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

#[cfg(test)]
mod tests {
    use super::{dated, label};

    #[test]
    fn specs_at_dates_and_labels() {
        assert_eq!(dated("/r@master", "2014-06-01"), "/r@master@{2014-06-01}");
        assert_eq!(
            dated("/r@master:sub", "2014-06-01"),
            "/r@master@{2014-06-01}:sub"
        );
        assert_eq!(label("/r@v3.14"), "v3.14");
        assert_eq!(label("linux_6.1.dsc"), "linux_6.1.dsc");
    }
}
