//! The report job: analyse a queue, then build the report model with the team's annotations
//! and who can upstream each patch and feature. Writing its files is the front end's choice.

use crate::analyse::{analyse, QueueSource};
use crate::people::{maintainers_from, window, Directory};
use crate::upstream::{upstream_info, UpstreamSpec};
use crate::{default_name, Analysed, JobError, Observer};
use kdelta_annotations::Annotations;
use kdelta_patch::Patch;
use kdelta_report::model::Feature;
use kdelta_report::{attach_people, build_report, PatchPeople, People, Report, ReportMeta};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The annotations file used when none is named and it exists.
pub const DEFAULT_ANNOTATIONS: &str = "kdelta-annotations.toml";

/// Active upstream authors named per patch in a report.
const AUTHORS_PER_PATCH: usize = 5;

/// What a report is made of.
#[derive(Clone, Debug, Default)]
pub struct ReportJob {
    /// The queue.
    pub queue: QueueSource,
    /// The upstream repository.
    pub upstream: UpstreamSpec,
    /// An upstream source tree (directory or tarball).
    pub tree: Option<PathBuf>,
    /// The distribution's name in headings; default: the queue's.
    pub name: Option<String>,
    /// The distribution's release in headings.
    pub release: Option<String>,
    /// Link upstream commits: a URL with `{commit}`.
    pub commit_url: Option<String>,
    /// When the report is made, as it is shown.
    pub generated_at: Option<String>,
}

/// A report and the analysis it comes from.
pub struct Made {
    /// The queue and its verdicts.
    pub analysed: Analysed,
    /// The report model.
    pub report: Report,
}

impl Made {
    /// What clustering knows of each patch (kept beside a report, so that queues analysed
    /// at different times and places can be clustered).
    pub fn facts(&self) -> Vec<kdelta_analysis::compare::PatchFacts> {
        kdelta_analysis::compare::patch_facts(&self.analysed.queue, &self.analysed.verdicts)
    }
}

/// Analyse the queue and build the report with `annotations` and the people.
pub fn make_report(
    job: &ReportJob,
    annotations: &Annotations,
    observer: &mut dyn Observer,
) -> Result<Made, JobError> {
    let analysed = analyse(&job.queue, &job.upstream, job.tree.as_deref(), observer)?;
    let upstream = upstream_info(&job.upstream, analysed.at, job.tree.as_deref());
    let meta = ReportMeta {
        distribution: job
            .name
            .clone()
            .unwrap_or_else(|| default_name(&analysed.queue.source)),
        release: job.release.clone(),
        upstream,
        commit_url: job.commit_url.clone(),
        archive_url: job.upstream.archive_url.clone(),
        generated_at: job.generated_at.clone(),
    };
    let mut report = build_report(&analysed.queue, &analysed.verdicts, annotations, meta);
    let people = people(&analysed, &report.features, observer)?;
    attach_people(&mut report, people);
    Ok(Made { analysed, report })
}

/// The annotations of `path`, or of the default file when it exists, or none.
pub fn load_annotations(path: Option<&Path>) -> Result<Annotations, JobError> {
    let (path, required) = match path {
        Some(path) => (path, true),
        None => (Path::new(DEFAULT_ANNOTATIONS), false),
    };
    match kdelta_annotations::load(path)? {
        Some((_, annotations)) => Ok(annotations),
        None if required => Err(JobError::Input(format!(
            "{}: no such annotations file",
            path.display()
        ))),
        None => Ok(Annotations::default()),
    }
}

/// Who can upstream each patch and each feature (all its patches together): MAINTAINERS
/// from the target tree, active authors from the index; nothing when neither is there.
fn people(
    analysed: &Analysed,
    features: &[Feature],
    observer: &mut dyn Observer,
) -> Result<People, JobError> {
    let Some(tree) = &analysed.analyzer.tree else {
        return Ok(People::default());
    };
    let Some(text) = tree.file("MAINTAINERS") else {
        return Ok(People::default());
    };
    let mailmap = tree.file(".mailmap");
    let history = &analysed.analyzer.history;
    let directory = Directory {
        maintainers: maintainers_from(
            &text,
            mailmap.as_deref().map(Vec::as_slice),
            tree.paths(),
            tree.describe(),
            observer,
        ),
        history,
        window: history
            .as_ref()
            .map(|h| window(h, analysed.at))
            .transpose()?,
        authors: AUTHORS_PER_PATCH,
    };
    let ask = |name: &str, patches: &[&Patch]| -> Result<PatchPeople, JobError> {
        let found = directory.who(name, patches)?;
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
