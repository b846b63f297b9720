//! The history job: a queue over several revisions, what each added, removed, renamed and
//! refreshed, where removed patches went, and the delta per status over time.
//!
//! Work is shared: the upstream tree is indexed once (or its cached index loaded); each
//! revision's patches are judged on top of that revision's earlier patches, and a verdict is
//! reused across revisions when the patch's content and what the tree says of it there are
//! alike (tree facts are kept beside the tree's index).

use crate::upstream::{open_history, scan_tree, tree_source, upstream_info, UpstreamSpec};
use crate::{clock, default_name, read_spec, JobError, Observer, Task};
use kdelta_analysis::history::{step, Carried, Snapshot, Step, VerdictCache};
use kdelta_analysis::Analyzer;
use kdelta_queue::Severity;
use kdelta_report::history::{HistoryReport, Work};
use std::path::PathBuf;

/// The revisions to read: the specs as given, or one `REPO@BRANCH` at dates.
#[derive(Clone, Debug)]
pub enum Revisions {
    /// Queue specs, oldest first.
    Specs(Vec<String>),
    /// One `REPO@BRANCH[:SUBDIR]` from `since` to `until` (`YYYY-MM-DD`) `every` month,
    /// week or number of days.
    Dated {
        /// The spec.
        spec: String,
        /// The first date.
        since: String,
        /// The last date.
        until: String,
        /// The step: `month`, `week` or a number of days.
        every: String,
    },
}

/// What a history is made of.
#[derive(Clone, Debug)]
pub struct HistoryJob {
    /// The revisions.
    pub revisions: Revisions,
    /// Keep only patches whose name matches one of these globs.
    pub include: Vec<String>,
    /// Keep only patches that change a file matching one of these globs.
    pub touching: Vec<String>,
    /// The upstream repository.
    pub upstream: UpstreamSpec,
    /// An upstream source tree to judge every revision against.
    pub tree: Option<PathBuf>,
    /// The distribution's name; default: the queue's.
    pub name: Option<String>,
    /// Link upstream commits: a URL with `{commit}`.
    pub commit_url: Option<String>,
    /// When the history is made, as it is shown.
    pub generated_at: Option<String>,
}

/// A history, and whether some revision's queue had problems.
pub struct Walked {
    /// The history model.
    pub report: HistoryReport,
    /// Whether a revision's queue had errors (each was told to the observer).
    pub problems: bool,
}

/// A revision to read: its label and its queue spec.
struct Revision {
    label: String,
    spec: String,
}

/// Read every revision, analyse, build the history.
pub fn history(job: &HistoryJob, observer: &mut dyn Observer) -> Result<Walked, JobError> {
    let revisions = revisions(&job.revisions)?;
    let (history, at) = open_history(&job.upstream, observer)?;
    let tree = match tree_source(job.tree.as_deref(), &job.upstream, at)? {
        Some(source) => Some(scan_tree(&source, &[], &job.upstream, observer)?),
        None => None,
    };
    let mut analyzer = Analyzer {
        history,
        tree,
        options: job.upstream.options(),
        archive: None,
    };
    let (steps, work, problems) = walk(&revisions, job, &mut analyzer, observer)?;
    if let Some(tree) = &analyzer.tree {
        // A cache that cannot be written only costs the next run time.
        let _ = tree.remember();
    }
    let upstream = upstream_info(&job.upstream, at, job.tree.as_deref());
    let first = revisions.first().map_or("", |r| r.spec.as_str());
    let name = job.name.clone().unwrap_or_else(|| default_name(first));
    let mut report = HistoryReport::new(name, upstream, steps, work, job.generated_at.clone());
    report.commit_url = job.commit_url.clone();
    Ok(Walked { report, problems })
}

/// The revisions: the specs as given, or one per date step of a REPO@BRANCH.
fn revisions(revisions: &Revisions) -> Result<Vec<Revision>, JobError> {
    match revisions {
        Revisions::Specs(specs) => Ok(specs
            .iter()
            .map(|spec| Revision {
                label: label(spec),
                spec: spec.clone(),
            })
            .collect()),
        Revisions::Dated {
            spec,
            since,
            until,
            every,
        } => Ok(clock::dates(since, until, every)?
            .into_iter()
            .map(|date| Revision {
                spec: dated(spec, &date),
                label: date,
            })
            .collect()),
    }
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

/// A short label for a spec: its revision part, or the spec.
fn label(spec: &str) -> String {
    match spec.rsplit_once('@') {
        Some((_, rev)) if !rev.is_empty() => rev.to_string(),
        _ => spec.to_string(),
    }
}

/// Analyse each revision (each distinct content once) and compare it with the one before.
fn walk(
    revisions: &[Revision],
    job: &HistoryJob,
    analyzer: &mut Analyzer,
    observer: &mut dyn Observer,
) -> Result<(Vec<Step>, Work, bool), JobError> {
    observer.begin(Task::Revisions, Some(revisions.len()));
    let mut cache = VerdictCache::default();
    let mut previous: Option<Snapshot> = None;
    let mut steps = Vec::new();
    let mut problems = false;
    for (done, revision) in revisions.iter().enumerate() {
        let queue = read_spec(&revision.spec, &job.include, &job.touching)
            .map_err(|e| e.within(format!("reading {}", revision.spec)))?;
        let wrong: Vec<String> = queue
            .findings()
            .filter(|(severity, _)| *severity == Severity::Error)
            .map(|(_, finding)| finding)
            .collect();
        if let Some(first) = wrong.first() {
            problems = true;
            // Said as it is found: the exit code alone would not tell which revision or why.
            observer.warning(&format!(
                "{}: {} problem(s) in the queue, the first: {first}",
                revision.label,
                wrong.len()
            ));
        }
        let carried: Vec<Carried> = cache.revision(&queue, analyzer)?;
        let mut now = Snapshot {
            carried,
            disabled: queue.disabled.clone(),
            held: Vec::new(),
        };
        steps.push(step(revision.label.clone(), previous.as_ref(), &mut now));
        previous = Some(now);
        observer.advance(done + 1);
    }
    observer.end();
    let work = Work {
        analysed: cache.analysed,
        reused: cache.reused,
    };
    Ok((steps, work, problems))
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
