//! `kdelta report SPEC`: analyse the queue, apply the team's annotations and write the delta
//! report in every format (`report.html`, `.md`, `.mediawiki`, `.json`, `.csv`).

use crate::cmd::analyze::{analyse, outcome, upstream_info, Analysed, QueueArgs, UpstreamArgs};
use crate::Outcome;
use anyhow::Context;
use kdelta_annotations::Annotations;
use kdelta_patch::Patch;
use kdelta_report::model::Feature;
use kdelta_report::{
    attach_people, build_report, write_reports, Format, PatchPeople, People, Report, ReportMeta,
};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The annotations file used when `--annotations` is not given and it exists.
pub const DEFAULT_ANNOTATIONS: &str = "kdelta-annotations.toml";

/// The report formats to write (`report`, `compare` and `history` take them alike).
#[derive(clap::Args)]
pub struct FormatArgs {
    /// The formats to write, comma-separated: html, md, mediawiki, json, csv
    #[arg(
        long = "format",
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "html,md,mediawiki,json,csv",
        value_parser = parse_format
    )]
    pub formats: Vec<Format>,
    /// Link upstream commits: a URL with {commit} (`https://git.kernel.org/linus/{commit}`)
    #[arg(long, value_name = "TEMPLATE")]
    pub commit_url: Option<String>,
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::parse(name).map_err(|e| e.to_string())
}

/// Arguments of `kdelta report`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub queue: QueueArgs,
    #[command(flatten)]
    pub upstream: UpstreamArgs,
    /// An upstream source tree to judge against: a directory or a tarball (.tar.xz, .tar.gz)
    #[arg(long, value_name = "DIR|TARBALL")]
    pub tree: Option<PathBuf>,
    /// The annotations file [default: kdelta-annotations.toml, when it exists]
    #[arg(long, value_name = "FILE")]
    pub annotations: Option<PathBuf>,
    #[command(flatten)]
    pub formats: FormatArgs,
    /// The directory to write the reports into
    #[arg(short, long, value_name = "DIR", default_value = "kdelta-report")]
    pub output: PathBuf,
    /// The distribution's name in headings [default: the queue's directory or file name]
    #[arg(long)]
    pub name: Option<String>,
    /// The distribution's release in headings (`13.1`, `bookworm`)
    #[arg(long)]
    pub release: Option<String>,
    /// Print what was written, and the summary, as JSON
    #[arg(long)]
    pub json: bool,
}

/// A written report.
pub struct Generated {
    /// The queue and its verdicts.
    pub analysed: Analysed,
    /// The report model.
    pub report: Report,
    /// The files written.
    pub files: Vec<PathBuf>,
}

/// Analyse, build the report and write it.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let generated = generate(&args)?;
    print_summary(&generated.report, &generated.files, args.json)?;
    Ok(outcome(&generated.analysed.queue))
}

/// Analyse the queue, build the report with the annotations and write its formats.
pub fn generate(args: &Args) -> anyhow::Result<Generated> {
    let formats = &args.formats.formats;
    let annotations = load_annotations(args.annotations.as_deref())?;
    let analysed = analyse(&args.queue, &args.upstream, args.tree.as_deref())?;
    let mut report = make_report(args, &analysed, &annotations);
    let people = people(&analysed, &report.features)?;
    attach_people(&mut report, people);
    let files = write_reports(&report, &args.output, formats)?;
    Ok(Generated {
        analysed,
        report,
        files,
    })
}

/// Who can upstream each patch and each feature (all its patches together): MAINTAINERS
/// from the target tree, active authors from the index; nothing when neither is there.
fn people(analysed: &Analysed, features: &[Feature]) -> anyhow::Result<People> {
    use crate::cmd::maintainers::{files_of, maintainers_from, who, window};
    let Some(tree) = &analysed.analyzer.tree else {
        return Ok(People::default());
    };
    let Some(text) = tree.file("MAINTAINERS") else {
        return Ok(People::default());
    };
    let mailmap = tree.file(".mailmap");
    let maintainers = maintainers_from(
        &text,
        mailmap.as_deref().map(Vec::as_slice),
        tree.paths(),
        tree.describe(),
    );
    let history = &analysed.analyzer.history;
    let window = history
        .as_ref()
        .map(|h| window(h, analysed.at))
        .transpose()?;
    let ask = |name: &str, patches: &[&Patch]| -> anyhow::Result<PatchPeople> {
        let found = who(
            name,
            files_of(patches),
            patches,
            &maintainers,
            history,
            window,
            5,
        )?;
        let active = found
            .active_authors
            .iter()
            .map(|a| {
                let s = if a.commits == 1 { "" } else { "s" };
                format!("{} ({} commit{s})", a.author, a.commits)
            })
            .collect();
        Ok(PatchPeople {
            send_to: found.lines,
            active_upstream: active,
        })
    };
    let by_name: HashMap<&str, &Patch> = analysed
        .queue
        .entries
        .iter()
        .filter_map(|e| Some((e.name.as_str(), e.patch.as_ref()?)))
        .collect();
    let mut people = People::default();
    for (name, patch) in &by_name {
        people
            .patches
            .insert(name.to_string(), ask(name, &[*patch])?);
    }
    for feature in features {
        let patches: Vec<&Patch> = feature
            .patches
            .iter()
            .filter_map(|n| by_name.get(n.as_str()).copied())
            .collect();
        if !patches.is_empty() {
            people
                .features
                .insert(feature.name.clone(), ask(&feature.name, &patches)?);
        }
    }
    Ok(people)
}

/// The annotations of `--annotations`, or of the default file when it exists, or none.
pub fn load_annotations(path: Option<&Path>) -> anyhow::Result<Annotations> {
    let (path, required) = match path {
        Some(path) => (path, true),
        None => (Path::new(DEFAULT_ANNOTATIONS), false),
    };
    match kdelta_annotations::load(path)? {
        Some((_, annotations)) => Ok(annotations),
        None if required => anyhow::bail!("{}: no such annotations file", path.display()),
        None => Ok(Annotations::default()),
    }
}

fn make_report(args: &Args, analysed: &Analysed, annotations: &Annotations) -> Report {
    let upstream = upstream_info(&args.upstream, analysed.at, args.tree.as_deref());
    let meta = ReportMeta {
        distribution: args
            .name
            .clone()
            .unwrap_or_else(|| default_name(&analysed.queue.source)),
        release: args.release.clone(),
        upstream,
        commit_url: args.formats.commit_url.clone(),
        generated_at: Some(crate::clock::timestamp()),
    };
    build_report(&analysed.queue, &analysed.verdicts, annotations, meta)
}

/// A name for the distribution from the queue's source: its last path component.
pub fn default_name(source: &str) -> String {
    let path = source.split('@').next().unwrap_or(source);
    Path::new(path.trim_end_matches('/'))
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.to_string())
}

pub fn print_summary(report: &Report, files: &[PathBuf], json: bool) -> anyhow::Result<()> {
    let mut out = crate::term::stdout(json);
    if json {
        let value = serde_json::json!({
            "files": files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
            "summary": report.summary,
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        return Ok(out.flush()?);
    }
    let s = &report.summary;
    writeln!(out, "{}: {} patches", report.title(), s.total)?;
    for c in s.by_status.iter().filter(|c| c.count > 0) {
        writeln!(out, "{:>6}  {}", c.count, c.status)?;
    }
    let notes = [
        (s.to_drop.len(), "to drop at the next rebase"),
        (s.to_verify.len(), "to verify"),
        (s.overridden, "with a status set by hand"),
        (s.stale, "stale annotations"),
        (
            s.failed_claims.len(),
            "header claims that did not check out",
        ),
    ];
    for (n, what) in notes.into_iter().filter(|(n, _)| *n > 0) {
        writeln!(out, "{n:>6}  {what}")?;
    }
    for file in files {
        writeln!(out, "wrote {}", file.display())?;
    }
    out.flush().context("writing the summary")
}

#[cfg(test)]
mod tests {
    use super::default_name;

    #[test]
    fn names_from_sources() {
        assert_eq!(default_name("/data/kernel-source/"), "kernel-source");
        assert_eq!(default_name("/m/repo@openSUSE-13.1:patches.xen"), "repo");
        assert_eq!(default_name("linux_6.1.176-1.dsc"), "linux_6.1.176-1.dsc");
    }
}
