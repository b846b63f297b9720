//! `analyse`: a queue read from its spec and judged against the upstream repository and/or
//! tree, with a verdict for every patch.

use crate::observe::steps;
use crate::upstream::{open_history, scan_tree, tree_source, UpstreamSpec};
use crate::{read_spec, JobError, Observer, Task};
use kdelta_analysis::{analyze_queue, Analyzer, Verdict};
use kdelta_queue::Queue;
use std::path::Path;
use std::time::Instant;

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

/// The queue a job reads: its spec and the globs of patch names to keep.
#[derive(Clone, Debug, Default)]
pub struct QueueSource {
    /// The queue spec (`DIR`, `FILE`, `REPO@REV[:SUBDIR]`…).
    pub spec: String,
    /// Keep only patches whose name matches one of these globs (all when empty).
    pub include: Vec<String>,
}

impl QueueSource {
    /// Read the queue.
    pub fn read(&self) -> Result<Queue, JobError> {
        read_spec(&self.spec, &self.include, &[])
    }
}

/// Read the queue and analyse it against the upstream repository and/or tree.
pub fn analyse(
    queue: &QueueSource,
    upstream: &UpstreamSpec,
    tree: Option<&Path>,
    observer: &mut dyn Observer,
) -> Result<Analysed, JobError> {
    let started = Instant::now();
    let queue = queue.read()?;
    observer.step("queue", started.elapsed());
    let (history, at) = open_history(upstream, observer)?;
    observer.step("upstream history", started.elapsed());
    let tree = match tree_source(tree, upstream, at)? {
        Some(source) => Some(scan_tree(&source, &[&queue], upstream, observer)?),
        None => None,
    };
    observer.step("tree", started.elapsed());
    if history.is_none() && tree.is_none() {
        observer.warning("no --upstream and no --tree: only the headers can be judged");
    }
    let mut analyzer = Analyzer {
        history,
        tree,
        options: upstream.options(),
        archive: upstream.open_archive()?,
    };
    let verdicts = run_analysis(&queue, &mut analyzer, observer)?;
    if let Some(tree) = &analyzer.tree {
        steps(observer, &tree.timings());
    }
    observer.step("analysis", started.elapsed());
    Ok(Analysed {
        queue,
        verdicts,
        at,
        analyzer,
    })
}

/// Judge every patch of `queue`, telling `observer` how far it is.
pub fn run_analysis(
    queue: &Queue,
    analyzer: &mut Analyzer,
    observer: &mut dyn Observer,
) -> Result<Vec<Verdict>, JobError> {
    observer.begin(Task::Analysing, Some(queue.entries.len()));
    let verdicts = analyze_queue(queue, analyzer, &mut |done, _| observer.advance(done));
    observer.end();
    Ok(verdicts?)
}
