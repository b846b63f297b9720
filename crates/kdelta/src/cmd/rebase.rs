//! `kdelta rebase SPEC --onto TREE`: the plan for moving a queue onto a new upstream
//! release, one action per patch (drop, keep, refresh, conflict, blocked) with the reasons,
//! the drops read off the verdicts against that release's tree, the rest from pushing the
//! queue onto it with GNU patch's rules.

use crate::args::JudgeArgs;
use crate::show::outcome;
use crate::Outcome;
use kdelta_analysis::rebase::{plan_onto, Action, PlanOptions, Step};
use kdelta_jobs::Analysed;
use kdelta_patch::apply::PatchOptions;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `kdelta rebase`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    judge: JudgeArgs,
    /// The upstream release to move onto: its source tree, a directory or a tarball, or
    /// with --upstream a revision of that repository (a tag, a commit)
    #[arg(long, value_name = "DIR|TARBALL|REV")]
    onto: PathBuf,
    /// The upstream revision the queue applies to now (with --upstream): each conflict then
    /// names the commits of BASE..TARGET that changed the lines its failing hunks expect.
    /// Default: the tag naming the version the queue's .dsc or RPM spec is packaged for
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// Allow no fuzz, as quilt, dpkg-source and rpm do: a hunk that needs fuzz fails
    /// (by default GNU patch's fuzz 2 is allowed, and such a patch is keep-refreshed)
    #[arg(long)]
    no_fuzz: bool,
    /// Call a patch whose hunks apply at an offset keep-refreshed, not keep
    #[arg(long)]
    refresh_offsets: bool,
    /// Write the rebased queue into DIR (a new or empty directory), in the queue's own
    /// format and paths: dropped patches commented out in the series with the reason,
    /// keep-refreshed patches rewritten where their hunks now go, conflicting and blocked
    /// ones kept with a NAME.rej note of the hunks that fail; and the plan as plan.html,
    /// plan.md, plan.mediawiki, plan.json and plan.csv
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: Option<PathBuf>,
    /// The team's annotations: a status override (where written for the patch as it is)
    /// decides before the plan is made, and the owner takes a conflict
    /// [default: kdelta-annotations.toml, when it exists]
    #[arg(long, value_name = "FILE")]
    annotations: Option<PathBuf>,
    /// Print the plan as JSON: one object per patch, in queue order
    #[arg(long)]
    json: bool,
}

/// Plan the rebase and print it.
pub fn run(mut args: Args) -> anyhow::Result<Outcome> {
    if args.base.is_some() && args.judge.upstream.upstream.is_none() {
        anyhow::bail!("--base names a revision of the upstream: give --upstream GIT");
    }
    let annotations = kdelta_jobs::report::load_annotations(args.annotations.as_deref())?;
    let target = onto_revision(&mut args)?;
    let tree_path = target.is_none().then_some(args.onto.as_path());
    let Analysed {
        queue,
        mut verdicts,
        analyzer,
        at,
    } = args.judge.analyse(tree_path)?;
    let decisions = kdelta_jobs::rebase::decisions::apply(&queue, &mut verdicts, &annotations);
    let tree = analyzer
        .tree
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("no target tree to push the queue onto"))?;
    let patch = PatchOptions {
        max_fuzz: if args.no_fuzz { 0 } else { 2 },
        ignore_whitespace: false,
    };
    let options = PlanOptions {
        refresh_offsets: args.refresh_offsets,
    };
    let mut rebase = plan_onto(&queue, &verdicts, tree, &patch, &options);
    let base = args.base.clone().or_else(|| {
        let repo = args.judge.upstream.upstream.as_ref()?;
        let spec = args.judge.queue.source().spec;
        let version = kdelta_jobs::rebase::base::queue_version(&spec)?;
        let tag = kdelta_jobs::rebase::base::release_tag(repo, &version)?;
        eprintln!(
            "kdelta: the queue is packaged for {}: base {}",
            crate::term::clean(&version),
            crate::term::clean(&tag)
        );
        Some(tag)
    });
    if let (Some(base), Some(repo)) = (&base, &args.judge.upstream.upstream) {
        let end = target.as_deref().or(args.judge.upstream.at.as_deref());
        let end = end.ok_or_else(|| {
            anyhow::anyhow!("--base needs the target as a revision: --onto REV, or --at REV")
        })?;
        let patches: Vec<_> = queue.entries.iter().map(|e| e.patch.as_ref()).collect();
        kdelta_jobs::rebase::explain(repo, base, end, &patches, &rebase.pushes, &mut rebase.steps)?;
    }
    kdelta_jobs::rebase::decisions::annotate(&mut rebase.steps, &decisions);
    if let Some(dir) = &args.output {
        let upstream =
            kdelta_jobs::upstream::upstream_info(&args.judge.upstream.spec(), at, tree_path);
        let rules = if args.no_fuzz {
            "GNU patch's rules without fuzz"
        } else {
            "GNU patch's rules, fuzz up to 2"
        };
        let report = kdelta_jobs::rebase::plan_report(&queue, upstream, rules, &rebase.steps);
        let written = kdelta_jobs::rebase::write_rebased(
            &args.judge.queue.source().spec,
            &queue,
            &rebase,
            &kdelta_jobs::rebase::plan_files(&report)?,
            dir,
        )?;
        eprintln!(
            "kdelta: wrote {}: {} patches ({} refreshed, {} with a note), {} series lines commented out",
            crate::term::clean(&dir.display().to_string()),
            written.patches,
            written.rewritten,
            written.notes,
            written.dropped
        );
    }
    let steps = rebase.steps;
    let mut out = crate::term::stdout(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &steps)?;
        writeln!(out)?;
    } else {
        write_plan(&mut out, &steps)?;
    }
    out.flush()?;
    Ok(outcome(&queue))
}

/// The target as a revision of the upstream: `--onto` when it names no file and an
/// upstream is given (it is then what the analysis judges against, `--at`); `None` when
/// `--onto` is a tree on disk.
fn onto_revision(args: &mut Args) -> anyhow::Result<Option<String>> {
    if args.onto.exists() {
        return Ok(None);
    }
    if args.judge.upstream.upstream.is_none() {
        anyhow::bail!(
            "{}: no such tree or tarball (a revision needs --upstream)",
            args.onto.display()
        );
    }
    let rev = args.onto.to_string_lossy().into_owned();
    args.judge.upstream.at = Some(rev.clone());
    Ok(Some(rev))
}

/// One line per patch (its reasons indented below it), then the count of each action.
fn write_plan(out: &mut impl Write, steps: &[Step]) -> std::io::Result<()> {
    for (i, step) in steps.iter().enumerate() {
        writeln!(
            out,
            "{:>4}  {:<14}  {}",
            i + 1,
            step.action.as_str(),
            crate::term::clean(&step.name)
        )?;
        for why in &step.why {
            writeln!(out, "{:>22}{}", "", crate::term::clean(why))?;
        }
    }
    writeln!(out)?;
    for action in Action::ALL {
        let n = steps.iter().filter(|s| s.action == action).count();
        if n > 0 {
            writeln!(out, "{n:>6}  {}", action.as_str())?;
        }
    }
    Ok(())
}
