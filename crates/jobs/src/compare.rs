//! The compare job: several distributions' queues analysed against one upstream, their
//! patches clustered into equivalent changes, and the comparison model built.

use crate::upstream::{open_history, scan_tree, tree_source, upstream_info, UpstreamSpec};
use crate::{default_name, read_spec, run_analysis, JobError, Observer};
use kdelta_analysis::compare::{cluster_with_features, CompareOptions};
use kdelta_analysis::{AnalysisOptions, Analyzer, Verdict};
use kdelta_annotations::Annotations;
use kdelta_queue::Queue;
use kdelta_report::compare::{build_comparison, CompareQueue, Comparison};
use std::collections::HashMap;
use std::path::PathBuf;

/// What a comparison is made of.
#[derive(Clone, Debug, Default)]
pub struct CompareJob {
    /// The queue specs, one per distribution.
    pub specs: Vec<String>,
    /// The distributions' names, in the order of the specs.
    pub names: Vec<String>,
    /// Keep only patches whose name matches one of these globs (all queues).
    pub include: Vec<String>,
    /// Keep only patches that change a file matching one of these globs (all queues).
    pub touching: Vec<String>,
    /// The upstream repository.
    pub upstream: UpstreamSpec,
    /// An upstream source tree.
    pub tree: Option<PathBuf>,
    /// Link upstream commits: a URL with `{commit}`.
    pub commit_url: Option<String>,
    /// When the comparison is made, as it is shown.
    pub generated_at: Option<String>,
}

/// A comparison and the queues it was made from.
pub struct Compared {
    /// The queues, in the order of the specs.
    pub queues: Vec<Queue>,
    /// The comparison model.
    pub comparison: Comparison,
}

/// The names of `specs`: `given`, one per spec, or each queue's default, which must then
/// differ.
pub fn names(specs: &[String], given: &[String]) -> Result<Vec<String>, JobError> {
    if !given.is_empty() {
        if given.len() != specs.len() {
            return Err(JobError::Input(format!(
                "{} --name for {} SPECs: give one name per SPEC, in order",
                given.len(),
                specs.len()
            )));
        }
        return Ok(given.to_vec());
    }
    let names: Vec<String> = specs.iter().map(|s| default_name(s)).collect();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(JobError::Input(format!(
                "two queues would both be called {name:?}: give --name for each SPEC"
            )));
        }
    }
    Ok(names)
}

/// The features of each distribution's annotated patches (patch name → feature).
pub fn features_of(annotations: &Annotations) -> HashMap<String, String> {
    annotations
        .patches
        .iter()
        .filter_map(|(patch, a)| Some((patch.clone(), a.feature.clone()?)))
        .collect()
}

/// Analyse every queue, cluster (patches that several distributions put in a feature of
/// the same name are one change: `features`, one map per spec), build the comparison.
pub fn compare(
    job: &CompareJob,
    features: &[HashMap<String, String>],
    observer: &mut dyn Observer,
) -> Result<Compared, JobError> {
    let names = names(&job.specs, &job.names)?;
    let queues = job
        .specs
        .iter()
        .map(|spec| read_spec(spec, &job.include, &job.touching))
        .collect::<Result<Vec<Queue>, JobError>>()?;
    let (history, at) = open_history(&job.upstream, observer)?;
    let all: Vec<&Queue> = queues.iter().collect();
    let tree = match tree_source(job.tree.as_deref(), &job.upstream, at)? {
        Some(source) => Some(scan_tree(&source, &all, &job.upstream, observer)?),
        None => None,
    };
    let mut analyzer = Analyzer {
        history,
        tree,
        options: AnalysisOptions::default(),
        archive: None,
    };
    let verdicts = queues
        .iter()
        .map(|q| run_analysis(q, &mut analyzer, observer))
        .collect::<Result<Vec<Vec<Verdict>>, JobError>>()?;
    let pairs: Vec<(&Queue, &[Verdict])> = queues
        .iter()
        .zip(&verdicts)
        .map(|(q, v)| (q, v.as_slice()))
        .collect();
    let mut features = features.to_vec();
    features.resize(pairs.len(), HashMap::new());
    let clusters = cluster_with_features(&pairs, &features, &CompareOptions::default());
    let compare_queues: Vec<CompareQueue<'_>> = pairs
        .iter()
        .zip(names)
        .map(|((queue, verdicts), name)| CompareQueue {
            name,
            queue,
            verdicts,
        })
        .collect();
    let upstream = upstream_info(&job.upstream, at, job.tree.as_deref());
    let mut comparison = build_comparison(
        &compare_queues,
        &clusters,
        upstream,
        job.generated_at.clone(),
    );
    comparison.commit_url = job.commit_url.clone();
    drop(compare_queues);
    Ok(Compared { queues, comparison })
}
