//! `kdelta analyze SPEC`: a verdict with evidence for every patch of a queue, against an
//! upstream repository (indexed on the way) and/or an upstream source tree.

use crate::cmd::index::Bar;
use crate::timing::phase;
use crate::Outcome;
use anyhow::Context;
use kdelta_analysis::tree::TargetTree;
use kdelta_analysis::{analyze_queue, AnalysisOptions, Analyzer, History, Status, Verdict};
use kdelta_queue::{read_queue, Filters, Queue, QueueSpec};
use kdelta_upstream::tree::TreeSource;
use kdelta_upstream::{default_index_path, update_index, IndexOptions, Store};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Arguments of `kdelta analyze`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    queue: QueueArgs,
    #[command(flatten)]
    upstream: UpstreamArgs,
    #[command(flatten)]
    release: ReleaseArg,
    /// An upstream source tree to judge against: a directory or a tarball (.tar.xz, .tar.gz)
    #[arg(long, value_name = "DIR|TARBALL")]
    tree: Option<PathBuf>,
    /// Print a JSON array, one object per patch, in queue order
    #[arg(long)]
    json: bool,
}

/// The queue options `analyze` and `eval` share.
#[derive(clap::Args)]
pub struct QueueArgs {
    /// The queue: DIR, FILE (.dsc, .debian.tar.xz, mbox, patch, .spec), REPO@REV[:SUBDIR] or REPO@A..B
    spec: String,
    /// Keep only patches whose name in the queue matches GLOB (repeatable)
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
}

impl QueueArgs {
    /// Read the queue.
    pub fn read(&self) -> anyhow::Result<Queue> {
        read_spec(&self.spec, &self.include, &[])
    }
}

/// Read the queue `spec`, keeping the patches whose names match one of `include` and that
/// touch a file matching one of `touching` (all when empty).
pub fn read_spec(spec: &str, include: &[String], touching: &[String]) -> anyhow::Result<Queue> {
    let spec = QueueSpec::parse(spec)?;
    let filters = Filters {
        include: include.to_vec(),
        touching: touching.to_vec(),
    };
    Ok(read_queue(&spec, &filters)?)
}

/// The upstream repository options `analyze` and `eval` share.
#[derive(clap::Args)]
pub struct UpstreamArgs {
    /// The upstream git repository; indexed (or brought up to date) on the way
    #[arg(long, value_name = "GIT")]
    pub upstream: Option<PathBuf>,
    /// The index file; default: one per upstream in the user's cache directory
    #[arg(long, value_name = "PATH")]
    pub index: Option<PathBuf>,
    /// The upstream revision to judge against; default: the upstream HEAD
    #[arg(long, value_name = "REF")]
    pub at: Option<String>,
    /// Tags whose name matches GLOB are releases (when indexing on the way); default: the index's pattern, or v*
    #[arg(long, value_name = "GLOB")]
    pub release_pattern: Option<String>,
    /// Use the index as it is, without bringing it up to date first
    #[arg(long)]
    pub no_update: bool,
    /// No progress bars
    #[arg(long, short)]
    pub quiet: bool,
    /// The release judged against, when the tree's Makefile and name do not say (v6.12, 4.17);
    /// also `--release` outside `kdelta report`
    #[arg(long, value_name = "VERSION", value_parser = parse_release)]
    pub target_release: Option<kdelta_patch::Version>,
    /// Read the tree without keeping its index in the cache (beside --index, or the user's cache directory)
    #[arg(long)]
    pub no_tree_cache: bool,
}

/// `--release VERSION`: the release judged against, for the commands where `--release` does
/// not name the distribution's release (it does in `kdelta report`).
#[derive(clap::Args)]
pub struct ReleaseArg {
    /// The release judged against, when the tree's Makefile and name do not say (v6.12, 4.17)
    #[arg(long, value_name = "VERSION", value_parser = parse_release)]
    release: Option<kdelta_patch::Version>,
}

impl ReleaseArg {
    /// Put the release into `upstream`, unless `--target-release` gave one.
    pub fn apply(&self, upstream: &mut UpstreamArgs) {
        if upstream.target_release.is_none() {
            upstream.target_release = self.release.clone();
        }
    }
}

pub(crate) fn parse_release(text: &str) -> Result<kdelta_patch::Version, String> {
    kdelta_patch::Version::parse(text)
        .ok_or_else(|| format!("{text:?} is not a release (expected e.g. v6.12, 6.12.107, 4.17)"))
}

impl UpstreamArgs {
    /// The analysis options these arguments set.
    pub fn options(&self) -> AnalysisOptions {
        AnalysisOptions {
            release: self.target_release.clone(),
            ..AnalysisOptions::default()
        }
    }
}

/// A queue and its verdicts, and what they were judged against.
pub struct Analysed {
    /// The queue.
    pub queue: Queue,
    /// One verdict per entry, in queue order.
    pub verdicts: Vec<Verdict>,
    /// The upstream revision judged against, when there was an upstream repository.
    pub at: Option<gix::ObjectId>,
    /// The upstream history and tree the queue was judged against.
    pub analyzer: Analyzer,
}

/// Read the queue and analyse it against the upstream repository and/or tree.
pub fn analyse(
    queue: &QueueArgs,
    upstream: &UpstreamArgs,
    tree: Option<&Path>,
) -> anyhow::Result<Analysed> {
    let started = std::time::Instant::now();
    let queue = queue.read()?;
    phase("queue", started);
    let (history, at) = open_history(upstream)?;
    phase("upstream history", started);
    let show = !upstream.quiet && std::io::stderr().is_terminal();
    let tree = match tree_source(tree, upstream, at)? {
        Some(source) => Some(scan_tree(&source, &[&queue], upstream, show)?),
        None => None,
    };
    if let Some(tree) = &tree {
        crate::timing::steps(tree.index().timings());
    }
    phase("tree", started);
    if history.is_none() && tree.is_none() {
        crate::term::say!(
            "kdelta: warning: no --upstream and no --tree: only the headers can be judged"
        );
    }
    let mut analyzer = Analyzer {
        history,
        tree,
        options: upstream.options(),
    };
    let verdicts = run_with_bar(&queue, &mut analyzer, show)?;
    if let Some(tree) = &analyzer.tree {
        crate::timing::steps(&tree.timings());
    }
    phase("analysis", started);
    Ok(Analysed {
        queue,
        verdicts,
        at,
        analyzer,
    })
}

/// The tree to judge against: `--tree`, else the upstream repository's tree at `at`.
pub fn tree_source(
    tree: Option<&Path>,
    upstream: &UpstreamArgs,
    at: Option<gix::ObjectId>,
) -> anyhow::Result<Option<TreeSource>> {
    Ok(match (tree, &upstream.upstream, at) {
        (Some(path), _, _) => Some(TreeSource::detect(path)?),
        (None, Some(repo), Some(at)) => Some(TreeSource::Git {
            repo: repo.clone(),
            rev: at.to_string(),
        }),
        _ => None,
    })
}

/// The exit outcome of a run over `queue`: problems when any patch or the series has errors.
pub fn outcome(queue: &Queue) -> Outcome {
    outcome_of(std::slice::from_ref(queue))
}

/// Print the problems of `queues`; problems if any has errors.
pub fn outcome_of(queues: &[Queue]) -> Outcome {
    queues.iter().for_each(crate::cmd::queue::report_problems);
    if queues.iter().any(Queue::has_errors) {
        Outcome::Problems
    } else {
        Outcome::Clean
    }
}

/// What a report was judged against: the upstream repository at the revision (`v6.12
/// (0123456789ab)`), and the tree.
pub fn upstream_info(
    args: &UpstreamArgs,
    at: Option<gix::ObjectId>,
    tree: Option<&Path>,
) -> kdelta_report::model::Upstream {
    kdelta_report::model::Upstream {
        repository: args.upstream.as_ref().map(|p| p.display().to_string()),
        at: at.map(|id| {
            let rev = args.at.as_deref().unwrap_or("HEAD");
            format!("{rev} ({})", id.to_hex_with_len(12))
        }),
        tree: tree.map(|p| p.display().to_string()),
    }
}

/// Analyse the queue and print the verdicts.
pub fn run(mut args: Args) -> anyhow::Result<Outcome> {
    args.release.apply(&mut args.upstream);
    let Analysed {
        queue, verdicts, ..
    } = analyse(&args.queue, &args.upstream, args.tree.as_deref())?;
    let mut out = crate::term::stdout(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &verdicts)?;
        writeln!(out)?;
    } else {
        write_table(&mut out, &verdicts)?;
    }
    out.flush()?;
    Ok(outcome(&queue))
}

/// Index the upstream (incrementally) and open its history at `--at`; `None` without
/// `--upstream`.
pub fn open_history(
    args: &UpstreamArgs,
) -> anyhow::Result<(Option<History>, Option<gix::ObjectId>)> {
    let Some(upstream) = &args.upstream else {
        return Ok((None, None));
    };
    let path = args
        .index
        .clone()
        .unwrap_or_else(|| default_index_path(upstream));
    if !args.no_update {
        let mut store = Store::open_for_writing(&path)?;
        let options = IndexOptions {
            release_pattern: args.release_pattern.clone(),
            ..IndexOptions::default()
        };
        let show = !args.quiet && std::io::stderr().is_terminal();
        update_index(upstream, &mut store, &options, &mut Bar::new(show))?;
    }
    let store = Store::open_for_reading(&path)?;
    let repo = gix::open(upstream).with_context(|| format!("{}", upstream.display()))?;
    let at = resolve(&repo, args.at.as_deref().unwrap_or("HEAD"), upstream)?;
    let history = History::new(store, Some((repo, at)))?;
    Ok((Some(history), Some(at)))
}

fn resolve(repo: &gix::Repository, rev: &str, path: &Path) -> anyhow::Result<gix::ObjectId> {
    let id = repo
        .rev_parse_single(rev)
        .with_context(|| format!("{}: unknown revision {rev:?}", path.display()))?;
    let commit = id
        .object()?
        .peel_to_commit()
        .with_context(|| format!("{}: {rev:?} is not a commit", path.display()))?;
    Ok(commit.id)
}

/// Read the tree once (or load its cached index), and make sure it is a tree the patches
/// of `queues` were made for: one that has at least one of the files they change.
pub fn scan_tree(
    source: &TreeSource,
    queues: &[&Queue],
    upstream: &UpstreamArgs,
    show: bool,
) -> anyhow::Result<TargetTree> {
    let spinner = show.then(|| {
        let s = indicatif::ProgressBar::new_spinner();
        s.set_message(format!("reading the upstream tree {}", source.describe()));
        s.enable_steady_tick(std::time::Duration::from_millis(120));
        s
    });
    let cache = (!upstream.no_tree_cache)
        .then(|| kdelta_upstream::tree::cache_dir_for(upstream.index.as_deref()));
    let mut tree = TargetTree::open(source, cache.as_deref())?;
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    if let Some(note) = tree.index().cache_note() {
        crate::term::say!("kdelta: warning: tree cache: {note}");
    }
    if let Some(release) = &upstream.target_release {
        tree.set_release(release.clone());
    }
    if tree.index().is_empty() {
        anyhow::bail!("{}: the tree has no files", source.describe());
    }
    let (present, changed) = tree.shared_files(queues.iter().copied());
    if changed > 0 && present == 0 {
        anyhow::bail!(
            "{}: the tree has none of the {changed} files the patches change: is it the tree they were made for?",
            source.describe()
        );
    }
    Ok(tree)
}

/// Analyse with a progress bar on a terminal.
pub fn run_with_bar(
    queue: &Queue,
    analyzer: &mut Analyzer,
    show: bool,
) -> anyhow::Result<Vec<Verdict>> {
    let bar = show.then(|| {
        let bar = indicatif::ProgressBar::new(queue.entries.len() as u64);
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} analysing [{bar:40}] {pos}/{len} patches, {per_sec}, ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style.progress_chars("=> "));
        bar
    });
    let verdicts = analyze_queue(queue, analyzer, &mut |done, _| {
        if let Some(bar) = &bar {
            bar.set_position(done as u64);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(verdicts)
}

/// A readable table: one line per patch, then the count of each status.
pub fn write_table(out: &mut impl Write, verdicts: &[Verdict]) -> std::io::Result<()> {
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
