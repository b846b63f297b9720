//! `kdelta compare SPEC…`: several distributions' queues analysed against one upstream, their
//! patches clustered into equivalent changes, and the common delta written in every report
//! format (`compare.html`, `.md`, `.mediawiki`, `.json`, `.csv`).

use crate::args::{FormatArgs, ReleaseArg, UpstreamArgs};
use crate::show::{file_names, outcome_of};
use crate::Outcome;
use kdelta_jobs::compare::{compare, features_of, CompareJob};
use kdelta_jobs::report::load_annotations;
use kdelta_report::compare::{write_comparison, Comparison};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

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
    release: ReleaseArg,
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
    let job = CompareJob {
        specs: args.specs.clone(),
        names: args.names.clone(),
        include: args.include.clone(),
        touching: args.touching.clone(),
        upstream: args.upstream.spec(),
        tree: args.tree.clone(),
        commit_url: args.formats.commit_url.clone(),
        generated_at: Some(kdelta_jobs::clock::timestamp()),
    };
    let names = kdelta_jobs::compare::names(&job.specs, &job.names)?;
    let features = features(&args.annotations, &names)?;
    let mut observer = args.upstream.observer();
    let compared = compare(&job, &features, &mut observer)?;
    let files = write_comparison(&compared.comparison, &args.output, &args.formats.formats)?;
    print(&compared.comparison, &files, args.json)?;
    Ok(outcome_of(&compared.queues))
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
        features[q] = features_of(&load_annotations(Some(Path::new(file)))?);
    }
    Ok(features)
}

fn print(c: &Comparison, files: &[PathBuf], json: bool) -> anyhow::Result<()> {
    let mut out = crate::term::stdout(json);
    if json {
        let value = serde_json::json!({
            "files": file_names(files),
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
