//! Patch-ids of many commits on several threads.
//!
//! Three stages joined by bounded channels:
//!
//! 1. a walker lists the commits (a given list, or a walk of history) and reads the
//!    two trees of each, every commit object once, and sends chunks of consecutive
//!    commits (neighbours in history share trees and blobs);
//! 2. N workers, each with its own repository handle and [`PatchIdWorker`] but sharing
//!    caches of decoded blobs and delta bases, turn chunks into batches of results;
//! 3. the calling thread puts the batches back in the walker's order and hands each
//!    result to the consumer.

mod caches;
pub(crate) mod linediff;
mod prefetch;
mod reorder;
pub(crate) mod stable;
mod walk;

pub(crate) use caches::Blob;
pub use caches::{CacheSizes, SharedCaches};
pub use prefetch::{Capturing, Prefetched};
pub use walk::CommitSource;

use crate::patchid::{ChangedLines, CommitDiffFacts, NoLines, PatchIdWorker};
use crate::GitError;
use crossbeam_channel::{bounded, Receiver, Sender};
use gix::ObjectId;
use reorder::Reorder;
use std::path::Path;
use walk::{CommitReader, Job, KeepData};

/// Commits handed to a worker at a time.
pub const DEFAULT_CHUNK: usize = 32;

/// How to run the pipeline.
#[derive(Clone, Copy, Debug)]
pub struct PipelineOptions {
    /// Worker threads (at least one is used).
    pub threads: usize,
    /// Commits per chunk handed to a worker.
    pub chunk: usize,
    /// Sizes of the caches the workers share.
    pub caches: CacheSizes,
}

impl PipelineOptions {
    /// `threads` workers, default chunk and cache sizes.
    pub fn with_threads(threads: usize) -> PipelineOptions {
        PipelineOptions {
            threads,
            chunk: DEFAULT_CHUNK,
            caches: CacheSizes::default(),
        }
    }
}

/// One commit's result.
pub type FactsResult<S = ()> = Result<CommitDiffFacts<S>, GitError>;

/// Commits for a worker: the index of the first, and each commit with its trees.
type Chunk = (usize, Vec<Job>);
/// A worker's results for a chunk: the index of its first commit, and each result.
type Batch<S> = (usize, Vec<(ObjectId, FactsResult<S>)>);

/// Compute the [`CommitDiffFacts`] (stable patch-id, changed paths, line counts) of every
/// commit of `commits` in the repository at `repo_path` on `threads` threads, and pass
/// them to `on_result` on the calling thread, in the order of `commits`.
pub fn patch_ids_parallel(
    repo_path: impl AsRef<Path>,
    commits: Vec<ObjectId>,
    threads: usize,
    on_result: impl FnMut(ObjectId, FactsResult),
) -> Result<(), GitError> {
    fingerprints_parallel(
        repo_path,
        CommitSource::List(commits),
        PipelineOptions::with_threads(threads),
        || NoLines,
        on_result,
    )
}

/// [`patch_ids_parallel`] for any [`CommitSource`], with options and a [`ChangedLines`]
/// visitor per worker (made by `make_visitor`) whose per-commit summary travels with each
/// result. Results come in the source's order; an error of the walk itself (an unreadable
/// commit of the history) ends the run and is returned after the results before it.
pub fn fingerprints_parallel<V, F, R>(
    repo_path: impl AsRef<Path>,
    source: CommitSource,
    options: PipelineOptions,
    make_visitor: F,
    mut on_result: R,
) -> Result<(), GitError>
where
    V: ChangedLines,
    F: Fn() -> V + Sync,
    R: FnMut(ObjectId, FactsResult<V::Summary>),
{
    let path = repo_path.as_ref();
    let repo = gix::ThreadSafeRepository::open_opts(path, gix::open::Options::isolated()).map_err(
        |e| GitError::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        },
    )?;
    let threads = options.threads.max(1);
    let chunk = options.chunk.max(1);
    let (chunk_tx, chunk_rx) = bounded::<Chunk>(threads * 2);
    let (batch_tx, batch_rx) = bounded::<Batch<V::Summary>>(threads * 2);
    let caches = SharedCaches::new(options.caches);
    std::thread::scope(|scope| {
        let repo = &repo;
        let keep = V::WANTS_COMMIT_DATA;
        let walker =
            scope.spawn(move || walk(&repo.to_thread_local(), source, keep, chunk, chunk_tx));
        for _ in 0..threads {
            let (chunks, batches) = (chunk_rx.clone(), batch_tx.clone());
            let (make_visitor, caches) = (&make_visitor, &caches);
            scope.spawn(move || {
                let worker = PatchIdWorker::with_caches(repo.to_thread_local(), caches);
                work(worker, make_visitor(), chunks, batches)
            });
        }
        drop(batch_tx);
        deliver(batch_rx, &mut on_result);
        walker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Stage 1: list the commits of `source` with their trees, in chunks for the workers.
fn walk(
    repo: &gix::Repository,
    source: CommitSource,
    keep_data: bool,
    chunk: usize,
    chunks: Sender<Chunk>,
) -> Result<(), GitError> {
    let keep = match (&source, keep_data) {
        (_, false) => KeepData::None,
        (CommitSource::List(commits), true) => KeepData::Listed(commits.iter().copied().collect()),
        // A stream's commits are not known in advance; non-merges are kept, and what is kept
        // of a first parent never sent is bounded by the boundary of the walk.
        (CommitSource::NonMergesFrom(_) | CommitSource::Stream { .. }, true) => KeepData::NonMerges,
    };
    let prefetched = match &source {
        CommitSource::Stream { prefetched, .. } => prefetched.clone(),
        _ => None,
    };
    let mut reader = CommitReader::new(repo, keep).with_prefetched(prefetched);
    let mut chunker = Chunker {
        size: chunk,
        next: 0,
        pending: Vec::with_capacity(chunk),
        chunks,
    };
    let walked = match source {
        CommitSource::List(commits) => {
            for commit in commits {
                if !chunker.add(reader.job(commit)) {
                    break;
                }
            }
            Ok(())
        }
        CommitSource::NonMergesFrom(tip) => reader.walk_non_merges(tip, |job| chunker.add(job)),
        CommitSource::Stream { commits, .. } => {
            for commit in commits {
                if !chunker.add(reader.job(commit)) {
                    break;
                }
            }
            Ok(())
        }
    };
    chunker.flush();
    walked
}

/// Collects commits into chunks and sends them to the workers.
struct Chunker {
    size: usize,
    /// Index of the first commit of `pending`.
    next: usize,
    pending: Vec<Job>,
    chunks: Sender<Chunk>,
}

impl Chunker {
    /// Add a commit; false once the workers are gone.
    fn add(&mut self, job: Job) -> bool {
        self.pending.push(job);
        self.pending.len() < self.size || self.flush()
    }

    /// Send the pending commits, if any; false once the workers are gone.
    fn flush(&mut self) -> bool {
        if self.pending.is_empty() {
            return true;
        }
        let full = std::mem::replace(&mut self.pending, Vec::with_capacity(self.size));
        let start = self.next;
        self.next += full.len();
        self.chunks.send((start, full)).is_ok()
    }
}

/// Stage 2: compute the results of each chunk received and send them as one batch.
fn work<V: ChangedLines>(
    mut worker: PatchIdWorker,
    mut visitor: V,
    chunks: Receiver<Chunk>,
    batches: Sender<Batch<V::Summary>>,
) {
    for (start, jobs) in chunks {
        let results = jobs
            .into_iter()
            .map(
                |Job {
                     commit,
                     trees,
                     data,
                 }| {
                    visitor.begin(commit, data.as_deref());
                    let facts = match trees {
                        Ok((old, new)) => worker.tree_fingerprint_with(old, new, &mut visitor),
                        Err(e) => Err(e),
                    };
                    (commit, facts)
                },
            )
            .collect();
        if batches.send((start, results)).is_err() {
            return;
        }
    }
}

/// Stage 3: put the batches back in order and hand each result to `on_result`.
fn deliver<S>(batches: Receiver<Batch<S>>, on_result: &mut impl FnMut(ObjectId, FactsResult<S>)) {
    let mut reorder = Reorder::new();
    for (start, results) in batches {
        reorder.push(start, results, |_, (commit, result)| {
            on_result(commit, result)
        });
    }
}
