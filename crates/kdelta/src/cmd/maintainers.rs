//! `kdelta maintainers SPEC [PATCH]`: who can upstream each patch (and each annotated
//! feature): the maintainers, reviewers and lists of the files it touches, as the upstream
//! `MAINTAINERS` says (what `scripts/get_maintainer.pl` answers), the upstream authors most
//! active on those files in the 24 months before the target revision (from the index), and
//! the patch's own author and signers.

use crate::args::{QueueArgs, UpstreamArgs};
use crate::Outcome;
use anyhow::Context;
use kdelta_jobs::find_patch;
use kdelta_jobs::people::{read_maintainers, window, Directory, Who};
use kdelta_jobs::report::load_annotations;
use kdelta_jobs::upstream::{open_history, tree_source};
use kdelta_patch::Patch;
use kdelta_queue::QueueEntry;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `kdelta maintainers`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    queue: QueueArgs,
    /// One patch: its name in the queue or a unique suffix of it [default: every patch]
    patch: Option<String>,
    #[command(flatten)]
    upstream: UpstreamArgs,
    /// The upstream source tree whose MAINTAINERS to read: a directory or a tarball
    /// [default: the upstream repository at --at]
    #[arg(long, value_name = "DIR|TARBALL")]
    tree: Option<PathBuf>,
    /// The team's annotations: also answer for each feature (all its patches' files)
    #[arg(long, value_name = "FILE")]
    annotations: Option<PathBuf>,
    /// Active upstream authors listed per patch
    #[arg(long, default_value_t = 5, value_name = "N")]
    authors: usize,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

/// Answer for the patches (and features) of the queue.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let queue = args.queue.read()?;
    let entries: Vec<&QueueEntry> = match &args.patch {
        Some(wanted) => vec![find_patch(&queue, wanted)?],
        None => queue.entries.iter().collect(),
    };
    let spec = args.upstream.spec();
    let mut observer = args.upstream.observer();
    let (history, at) = open_history(&spec, &mut observer)?;
    let source = tree_source(args.tree.as_deref(), &spec, at)?.context(
        "MAINTAINERS comes from the upstream tree: give --tree DIR|TARBALL or --upstream GIT",
    )?;
    let directory = Directory {
        maintainers: read_maintainers(&source, &mut observer)?,
        history: &history,
        window: history.as_ref().map(|h| window(h, at)).transpose()?,
        authors: args.authors,
    };
    let mut out = Vec::new();
    for entry in &entries {
        if let Some(patch) = &entry.patch {
            out.push(directory.who(&entry.name, &[patch])?);
        }
    }
    let features = match &args.annotations {
        Some(path) => features(path, &entries, &directory)?,
        None => Vec::new(),
    };
    print(&out, &features, args.json)?;
    Ok(Outcome::Clean)
}

/// Who can upstream each feature of the annotations at `path`: all its patches together.
fn features(
    path: &std::path::Path,
    entries: &[&QueueEntry],
    directory: &Directory<'_>,
) -> anyhow::Result<Vec<Who>> {
    let annotations = load_annotations(Some(path))?;
    let mut by_feature: BTreeMap<String, Vec<&Patch>> = BTreeMap::new();
    for entry in entries {
        let feature = annotations
            .patches
            .get(&entry.name)
            .and_then(|a| a.feature.clone());
        if let (Some(feature), Some(patch)) = (feature, &entry.patch) {
            by_feature.entry(feature).or_default().push(patch);
        }
    }
    Ok(by_feature
        .into_iter()
        .map(|(feature, patches)| directory.who(&feature, &patches))
        .collect::<Result<_, _>>()?)
}

fn print(patches: &[Who], features: &[Who], json: bool) -> anyhow::Result<()> {
    let mut out = crate::term::stdout(json);
    if json {
        let value = serde_json::json!({ "patches": patches, "features": features });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        return Ok(out.flush()?);
    }
    for (title, group) in [("", patches), ("feature ", features)] {
        for w in group {
            writeln!(out, "{title}{} ({} files)", w.name, w.files.len())?;
            for line in &w.lines {
                writeln!(out, "    {line}")?;
            }
            if !w.active_authors.is_empty() {
                let active: Vec<String> = w
                    .active_authors
                    .iter()
                    .map(|a| format!("{} ({})", a.author, a.commits))
                    .collect();
                writeln!(out, "  active upstream: {}", active.join(", "))?;
            }
            if !w.patch_people.is_empty() {
                let people: Vec<String> = w
                    .patch_people
                    .iter()
                    .map(|p| format!("{} ({})", p.who, p.role))
                    .collect();
                writeln!(out, "  the patch names: {}", people.join(", "))?;
            }
            writeln!(out)?;
        }
    }
    Ok(out.flush()?)
}
