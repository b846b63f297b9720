//! `kdelta compare SPEC…`: several distributions' queues analysed against one upstream, their
//! patches clustered into equivalent changes, and the common delta written in every report
//! format (`compare.html`, `.md`, `.mediawiki`, `.json`, `.csv`).

use crate::cmd::analyze::{
    open_history, outcome_of, read_spec, run_with_bar, scan_tree, tree_source, upstream_info,
    UpstreamArgs,
};
use crate::cmd::report::{default_name, FormatArgs};
use crate::Outcome;
use kdelta_analysis::compare::{cluster_with_features, CompareOptions};
use kdelta_analysis::{AnalysisOptions, Analyzer, Verdict};
use kdelta_queue::Queue;
use kdelta_report::compare::{build_comparison, write_comparison, CompareQueue, Comparison};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Arguments of `kdelta compare`.
#[derive(clap::Args)]
pub struct Args {
    /// The queues, one per distribution (each as `kdelta analyze` takes it)
    #[arg(required = true, num_args = 2..)]
    specs: Vec<String>,
    /// The distributions' names, in the order of the SPECs (repeatable)
    #[arg(long = "name", value_name = "NAME")]
    names: Vec<String>,
    /// Keep only patches whose name in the queue matches GLOB (repeatable, all queues)
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Keep only patches that change a file matching GLOB (repeatable, all queues)
    #[arg(long, value_name = "GLOB")]
    touching: Vec<String>,
    #[command(flatten)]
    upstream: UpstreamArgs,
    #[command(flatten)]
    release: crate::cmd::analyze::ReleaseArg,
    /// An upstream source tree to judge against: a directory or a tarball
    #[arg(long, value_name = "DIR|TARBALL")]
    tree: Option<PathBuf>,
    /// A distribution's annotations (NAME as given by --name): patches several
    /// distributions put in a feature of the same name are one change (repeatable)
    #[arg(long, value_name = "NAME=FILE")]
    annotations: Vec<String>,
    #[command(flatten)]
    formats: FormatArgs,
    /// The directory to write the comparison into
    #[arg(short, long, value_name = "DIR", default_value = "kdelta-compare")]
    output: PathBuf,
    /// Print what was written and the summary as JSON
    #[arg(long)]
    json: bool,
}

/// Analyse every queue, cluster, write, print the common delta.
pub fn run(mut args: Args) -> anyhow::Result<Outcome> {
    args.release.apply(&mut args.upstream);
    let formats = &args.formats.formats;
    let names = names(&args)?;
    let queues = args
        .specs
        .iter()
        .map(|spec| read_spec(spec, &args.include, &args.touching))
        .collect::<anyhow::Result<Vec<Queue>>>()?;
    let (history, at) = open_history(&args.upstream)?;
    let show = !args.upstream.quiet && std::io::stderr().is_terminal();
    let all: Vec<&Queue> = queues.iter().collect();
    let tree = match tree_source(args.tree.as_deref(), &args.upstream, at)? {
        Some(source) => Some(scan_tree(&source, &all, &args.upstream, show)?),
        None => None,
    };
    let mut analyzer = Analyzer {
        history,
        tree,
        options: AnalysisOptions::default(),
    };
    let verdicts = queues
        .iter()
        .map(|q| run_with_bar(q, &mut analyzer, show))
        .collect::<anyhow::Result<Vec<Vec<Verdict>>>>()?;
    let pairs: Vec<(&Queue, &[Verdict])> = queues
        .iter()
        .zip(&verdicts)
        .map(|(q, v)| (q, v.as_slice()))
        .collect();
    let features = features(&args.annotations, &names)?;
    let clusters = cluster_with_features(&pairs, &features, &CompareOptions::default());
    let compare_queues: Vec<CompareQueue<'_>> = pairs
        .iter()
        .zip(names.clone())
        .map(|((queue, verdicts), name)| CompareQueue {
            name,
            queue,
            verdicts,
        })
        .collect();
    let upstream = upstream_info(&args.upstream, at, args.tree.as_deref());
    let mut comparison = build_comparison(
        &compare_queues,
        &clusters,
        upstream,
        Some(crate::clock::timestamp()),
    );
    comparison.commit_url = args.formats.commit_url.clone();
    let files = write_comparison(&comparison, &args.output, formats)?;
    print(&comparison, &files, args.json)?;
    Ok(outcome_of(&queues))
}

/// Per distribution (in SPEC order), its annotated patches' features.
fn features(
    annotations: &[String],
    names: &[String],
) -> anyhow::Result<Vec<HashMap<String, String>>> {
    let mut features = vec![HashMap::new(); names.len()];
    for given in annotations {
        let (name, file) = given
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("--annotations {given:?}: expected NAME=FILE"))?;
        let q = names.iter().position(|n| n == name).ok_or_else(|| {
            anyhow::anyhow!("--annotations {given:?}: no distribution is called {name:?}")
        })?;
        let loaded = crate::cmd::report::load_annotations(Some(std::path::Path::new(file)))?;
        features[q] = loaded
            .patches
            .into_iter()
            .filter_map(|(patch, a)| Some((patch, a.feature?)))
            .collect();
    }
    Ok(features)
}

/// The names: `--name` for each SPEC, or each queue's default, which must then differ.
fn names(args: &Args) -> anyhow::Result<Vec<String>> {
    if !args.names.is_empty() {
        anyhow::ensure!(
            args.names.len() == args.specs.len(),
            "{} --name for {} SPECs: give one name per SPEC, in order",
            args.names.len(),
            args.specs.len()
        );
        return Ok(args.names.clone());
    }
    let names: Vec<String> = args.specs.iter().map(|s| default_name(s)).collect();
    for (i, name) in names.iter().enumerate() {
        anyhow::ensure!(
            !names[..i].contains(name),
            "two queues would both be called {name:?}: give --name for each SPEC"
        );
    }
    Ok(names)
}

fn print(c: &Comparison, files: &[PathBuf], json: bool) -> anyhow::Result<()> {
    let mut out = crate::term::stdout(json);
    if json {
        let value = serde_json::json!({
            "files": files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
            "summary": c.summary,
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        return Ok(out.flush()?);
    }
    let s = &c.summary;
    writeln!(
        out,
        "{} changes; {} shared by two or more distributions; common delta {}; alone {}",
        s.clusters, s.shared, s.common, s.unique
    )?;
    for d in &c.distributions {
        writeln!(
            out,
            "{:>6}  patches of {} ({} alone)",
            d.patches, d.name, d.unique
        )?;
    }
    writeln!(out)?;
    for row in c.clusters.iter().filter(|r| r.common) {
        let carriers: Vec<String> = c
            .distributions
            .iter()
            .zip(&row.carriers)
            .filter(|(_, members)| !members.is_empty())
            .map(|(d, members)| {
                let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
                format!("{}: {}", d.name, names.join(", "))
            })
            .collect();
        writeln!(
            out,
            "#{:<4} {:<18} {}",
            row.id,
            row.status.as_str(),
            row.title
        )?;
        writeln!(out, "      {}", carriers.join(" | "))?;
    }
    for file in files {
        writeln!(out, "wrote {}", file.display())?;
    }
    Ok(out.flush()?)
}
