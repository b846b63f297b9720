//! `kdelta maintainers SPEC [PATCH]`: who can upstream each patch (and each annotated
//! feature): the maintainers, reviewers and lists of the files it touches, as the upstream
//! `MAINTAINERS` says (what `scripts/get_maintainer.pl` answers), the upstream authors most
//! active on those files in the 24 months before the target revision (from the index), and
//! the patch's own author and signers.

use crate::cmd::analyze::{open_history, tree_source, QueueArgs, UpstreamArgs};
use crate::Outcome;
use anyhow::Context;
use kdelta_analysis::people::{active_authors, patch_people, ActiveAuthor, PatchPerson, TWO_YEARS};
use kdelta_analysis::History;
use kdelta_maintainers::{Answer, Maintainers};
use kdelta_patch::Patch;
use kdelta_queue::QueueEntry;
use kdelta_upstream::tree::read_files;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
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

/// Who can upstream one patch or feature.
#[derive(Serialize)]
pub struct Who {
    /// The patch's name, or the feature's.
    pub name: String,
    /// The files it touches.
    pub files: Vec<String>,
    /// What MAINTAINERS says, as get_maintainer.pl would.
    pub maintainers: Answer,
    /// get_maintainer.pl's output lines.
    pub lines: Vec<String>,
    /// Upstream authors most active on the files in the 24 months before the target.
    pub active_authors: Vec<ActiveAuthor>,
    /// The patch's own author and signers (for a feature: of all its patches).
    pub patch_people: Vec<PatchPerson>,
}

/// Answer for the patches (and features) of the queue.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let queue = args.queue.read()?;
    let entries: Vec<&QueueEntry> = match &args.patch {
        Some(wanted) => vec![crate::cmd::annotate::find_patch(&queue, wanted)?],
        None => queue.entries.iter().collect(),
    };
    let (history, at) = open_history(&args.upstream)?;
    let source = tree_source(args.tree.as_deref(), &args.upstream, at)?.context(
        "MAINTAINERS comes from the upstream tree: give --tree DIR|TARBALL or --upstream GIT",
    )?;
    let maintainers = read_maintainers(&source)?;
    let window = history.as_ref().map(|h| window(h, at)).transpose()?;
    let mut out = Vec::new();
    for entry in &entries {
        let Some(patch) = &entry.patch else { continue };
        let files = files(patch);
        out.push(who(
            &entry.name,
            files,
            &[patch],
            &maintainers,
            &history,
            window,
            args.authors,
        )?);
    }
    let features = match &args.annotations {
        Some(path) => features(path, &entries, &maintainers, &history, window, &args)?,
        None => Vec::new(),
    };
    print(&out, &features, args.json)?;
    Ok(Outcome::Clean)
}

/// MAINTAINERS (with the tree's .mailmap and directories) from the upstream tree.
fn read_maintainers(source: &kdelta_upstream::tree::TreeSource) -> anyhow::Result<Maintainers> {
    let found = read_files(source, &|p: &str| p == "MAINTAINERS" || p == ".mailmap")?;
    let text = found
        .files
        .get("MAINTAINERS")
        .with_context(|| format!("{}: no MAINTAINERS file", found.describe))?;
    let mailmap = found.files.get(".mailmap").map(Vec::as_slice);
    let paths = found.paths.iter().map(String::as_str);
    Ok(maintainers_from(text, mailmap, paths, &found.describe))
}

/// The maintainers of a tree from its MAINTAINERS and .mailmap texts and its file paths
/// (which settle which patterns name directories).
pub fn maintainers_from<'p>(
    text: &[u8],
    mailmap: Option<&[u8]>,
    paths: impl Iterator<Item = &'p str>,
    describe: &str,
) -> Maintainers {
    let (mut maintainers, problems) = Maintainers::parse(&String::from_utf8_lossy(text));
    for p in problems.iter().take(5) {
        crate::term::say!("kdelta: warning: {describe}: MAINTAINERS: {p}");
    }
    if let Some(mailmap) = mailmap {
        let mailmap = kdelta_maintainers::Mailmap::parse(&String::from_utf8_lossy(mailmap));
        maintainers = maintainers.with_mailmap(mailmap);
    }
    let dirs: HashSet<&str> = paths
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect();
    maintainers.resolve_directories(|p| dirs.contains(p.trim_end_matches('/')));
    maintainers
}

/// The 24 months before the target revision (or before the newest indexed commit).
pub fn window(history: &History, at: Option<gix::ObjectId>) -> anyhow::Result<(i64, i64)> {
    let store = history.store();
    let until = match at {
        Some(id) => store
            .lookup(&kdelta_upstream::Lookup::Commit(id.to_string()))?
            .first()
            .map(|c| c.author_time),
        None => None,
    }
    .unwrap_or(i64::MAX);
    Ok((until.saturating_sub(TWO_YEARS), until))
}

pub fn files(patch: &Patch) -> Vec<String> {
    files_of(&[patch])
}

/// The files `patches` touch together, sorted, each once.
pub fn files_of(patches: &[&Patch]) -> Vec<String> {
    let mut files: Vec<String> = patches
        .iter()
        .flat_map(|p| &p.files)
        .filter_map(|f| f.new_path.as_ref().or(f.old_path.as_ref()))
        .map(|p| p.to_string())
        .collect();
    files.sort();
    files.dedup();
    files
}

/// The patch as get_maintainer.pl reads one: description (for `K:` keywords) and diff.
fn patch_text(patch: &Patch) -> String {
    let subject = patch.header.subject.as_ref().map_or("", |s| s.raw.as_str());
    format!(
        "Subject: {subject}\n\n{}\n---\n{}",
        patch.header.description,
        String::from_utf8_lossy(&kdelta_patch::diff::git_text(&patch.files))
    )
}

pub fn who(
    name: &str,
    files: Vec<String>,
    patches: &[&Patch],
    maintainers: &Maintainers,
    history: &Option<History>,
    window: Option<(i64, i64)>,
    authors: usize,
) -> anyhow::Result<Who> {
    let texts: Vec<String> = patches.iter().map(|p| patch_text(p)).collect();
    let answer = maintainers.answer(&kdelta_maintainers::Query::patches(
        texts.iter().map(String::as_str),
    ));
    let active = match (history, window) {
        (Some(h), Some((since, until))) => {
            active_authors(h.store(), &files, since, until, authors)?
        }
        _ => Vec::new(),
    };
    let mut people: Vec<PatchPerson> = Vec::new();
    for p in patches {
        for person in patch_people(p) {
            if !people.iter().any(|q| q.who == person.who) {
                people.push(person);
            }
        }
    }
    Ok(Who {
        name: name.to_string(),
        files,
        lines: answer.lines(),
        maintainers: answer,
        active_authors: active,
        patch_people: people,
    })
}

fn features(
    path: &std::path::Path,
    entries: &[&QueueEntry],
    maintainers: &Maintainers,
    history: &Option<History>,
    window: Option<(i64, i64)>,
    args: &Args,
) -> anyhow::Result<Vec<Who>> {
    let annotations = crate::cmd::report::load_annotations(Some(path))?;
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
    by_feature
        .into_iter()
        .map(|(feature, patches)| {
            who(
                &feature,
                files_of(&patches),
                &patches,
                maintainers,
                history,
                window,
                args.authors,
            )
        })
        .collect()
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
