//! `kdelta index`: bring the index up to date with an upstream repository.
//!
//! Pipeline: a commit walker (new non-merge commits reachable from the refs, hiding the
//! tips of the last complete run, streamed as found) → N workers, each with its own repository handle and
//! diff state, computing [`CommitRecord`]s → one writer committing batches. Then first
//! releases are recomputed when tags or commits changed. When the refs' tips equal those
//! of the last complete run, nothing is walked at all.

use crate::facts::{incomplete_record, into_record, CommitVisitor};
use crate::store::{Store, Writer};
use crate::IndexError;
use crossbeam_channel::Sender;
use kdelta_git::pipeline::{
    fingerprints_parallel, Capturing, CommitSource, PipelineOptions, Prefetched,
};
use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

/// How to index.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Refs to index from; empty means HEAD and every tag.
    pub refs: Vec<String>,
    /// Glob over tag names that are releases (`v*`, `RELEASE-*`); `None`: the pattern the
    /// index was built with, or `v*` for a new index. The pattern is kept in the index.
    pub release_pattern: Option<String>,
    /// Worker threads.
    pub threads: usize,
    /// Commits per write transaction.
    pub batch: usize,
    /// Fingerprint again the commits whose blobs were missing (see
    /// [`IndexOutcome::incomplete`]), as their blobs may have been fetched since.
    pub retry_incomplete: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        IndexOptions {
            refs: Vec::new(),
            release_pattern: None,
            threads,
            batch: 2000,
            retry_incomplete: false,
        }
    }
}

/// What an index run did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct IndexOutcome {
    /// Whether the refs were unchanged and nothing was done.
    pub up_to_date: bool,
    /// Commits added by this run.
    pub new_commits: usize,
    /// Commits in the index after the run.
    pub total_commits: u64,
    /// Commits whose first release changed.
    pub releases_updated: usize,
    /// Commits of the index whose diff could not be read (blobs missing from a partial
    /// clone): stored without patch-id, files or fingerprint.
    pub incomplete: u64,
    /// Wall time in seconds.
    pub seconds: f64,
    /// The tags taken as releases (a glob), and whether it was detected from the tags
    /// (no pattern given and none recorded in the index).
    pub release_pattern: String,
    /// Whether [`IndexOutcome::release_pattern`] was detected.
    pub pattern_detected: bool,
    /// Commits indexed before the index stored patch-ids with renames detected: a patch
    /// made by `git format-patch` from one of them that renames files is not found by
    /// patch-id (rebuilding the index gives them one).
    pub without_renamed_ids: u64,
}

/// Progress reports from a run.
pub trait Progress {
    /// Fingerprinting starts; the walk that lists the commits to index runs alongside.
    fn start(&mut self);
    /// The walk is over: it found `total` commits to index.
    fn set_total(&mut self, total: usize);
    /// `done` of them are written.
    fn advance(&mut self, done: usize);
    /// The run is over.
    fn finish(&mut self);
    /// A step of the run ended, `at` after the run started (for timing; ignored by default).
    fn step(&mut self, _what: &str, _at: std::time::Duration) {}
}

/// A [`Progress`] that reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn start(&mut self) {}
    fn set_total(&mut self, _: usize) {}
    fn advance(&mut self, _: usize) {}
    fn finish(&mut self) {}
}

/// Check that `repo_path` is a git repository and that `refs` (HEAD and the tags when
/// empty) name commits in it, before anything is created for it.
pub fn check_upstream(repo_path: &Path, refs: &[String]) -> Result<(), IndexError> {
    let repo = gix::open(repo_path)
        .map_err(|e| IndexError::Git(format!("{}: {e}", repo_path.display())))?;
    resolve_tips(&repo, refs).map(|_| ())
}

/// Update `store` from the repository at `repo_path`.
pub fn update_index(
    repo_path: &Path,
    store: &mut Store,
    options: &IndexOptions,
    progress: &mut dyn Progress,
) -> Result<IndexOutcome, IndexError> {
    let started = Instant::now();
    if options.retry_incomplete {
        store.forget_incomplete()?;
    }
    let repo = gix::open(repo_path)
        .map_err(|e| IndexError::Git(format!("{}: {e}", repo_path.display())))?;
    let tips = resolve_tips(&repo, &options.refs)?;
    let (pattern, detected) = match &options.release_pattern {
        Some(p) => (p.clone(), false),
        None => match store.meta("release-pattern")? {
            Some(p) => (p, false),
            None => (detect_release_pattern(&repo), true),
        },
    };
    let signature = tips_signature(&tips, &pattern);
    let releases_known = store.meta("release-tags")?.is_some();
    if releases_known && store.meta("tips")?.as_deref() == Some(signature.as_str()) {
        let total_commits = store.commit_count()?;
        let seconds = started.elapsed().as_secs_f64();
        return Ok(IndexOutcome {
            up_to_date: true,
            total_commits,
            incomplete: store.incomplete_count()?,
            without_renamed_ids: store.without_renamed_ids()?,
            seconds,
            release_pattern: pattern,
            pattern_detected: detected,
            ..IndexOutcome::default()
        });
    }
    let walk = NewCommits {
        hidden: previous_tips(store)?,
        known: store.known_oids()?,
        tips,
    };
    progress.start();
    let new_commits = compute_and_write(repo_path, &repo, store, walk, options, progress)?;
    progress.step("fingerprint and write", started.elapsed());
    let releases_updated =
        crate::release::update_releases(store, &repo, &pattern, new_commits > 0)?;
    progress.step("releases", started.elapsed());
    store.set_meta("release-pattern", &pattern)?;
    store.set_meta("tips", &signature)?;
    progress.finish();
    let total_commits = store.commit_count()?;
    Ok(IndexOutcome {
        up_to_date: false,
        new_commits,
        total_commits,
        releases_updated,
        incomplete: store.incomplete_count()?,
        without_renamed_ids: store.without_renamed_ids()?,
        seconds: started.elapsed().as_secs_f64(),
        release_pattern: pattern,
        pattern_detected: detected,
    })
}

/// The common release tag schemes, as globs, and what a tag of each looks like after its
/// prefix: `vX.Y` (Linux), `RELEASE-X.Y.Z` (Xen), `X.Y`.
const SCHEMES: [(&str, &str); 3] = [("v*", "v"), ("RELEASE-*", "RELEASE-"), ("[0-9]*", "")];

/// The scheme most of the repository's release tags follow (a prefix, then numbers
/// separated by dots); `v*` when no tag follows any.
fn detect_release_pattern(repo: &gix::Repository) -> String {
    let names: Vec<String> = repo
        .references()
        .ok()
        .and_then(|r| {
            r.tags().ok().map(|tags| {
                tags.filter_map(Result::ok)
                    .map(|t| t.name().shorten().to_string())
                    .collect()
            })
        })
        .unwrap_or_default();
    pick_scheme(names.iter().map(String::as_str))
}

/// [`detect_release_pattern`] over tag names.
fn pick_scheme<'a>(names: impl Iterator<Item = &'a str> + Clone) -> String {
    // A release proper: digits and dots after the prefix (not `-rc1`, `-branched`).
    let follows = |prefix: &str, name: &str| {
        name.strip_prefix(prefix).is_some_and(|rest| {
            rest.contains('.')
                && rest
                    .split('.')
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    SCHEMES
        .iter()
        .map(|(glob, prefix)| (names.clone().filter(|n| follows(prefix, n)).count(), *glob))
        .filter(|(count, _)| *count > 0)
        .max_by_key(|(count, _)| *count)
        .map_or_else(|| "v*".to_string(), |(_, glob)| glob.to_string())
}

/// The commits the refs point to (HEAD and all tags by default), peeled, deduplicated.
fn resolve_tips(repo: &gix::Repository, refs: &[String]) -> Result<Vec<gix::ObjectId>, IndexError> {
    let mut tips = Vec::new();
    if refs.is_empty() {
        if let Ok(head) = repo.head_commit() {
            tips.push(head.id);
        }
        let git = |e: &dyn std::fmt::Display| IndexError::Git(e.to_string());
        let platform = repo.references().map_err(|e| git(&e))?;
        for reference in platform.tags().map_err(|e| git(&e))? {
            let mut reference = reference.map_err(|e| git(&e))?;
            if let Ok(commit) = reference.peel_to_commit() {
                tips.push(commit.id);
            }
        }
    } else {
        let missing = |name: &str| {
            IndexError::Git(format!(
                "{name}: no such revision in {}",
                repo.path().display()
            ))
        };
        for name in refs {
            let id = repo
                .rev_parse_single(name.as_str())
                .map_err(|_| missing(name))?;
            let commit = id
                .object()
                .map_err(|e| IndexError::Git(e.to_string()))?
                .peel_to_commit();
            tips.push(
                commit
                    .map_err(|e| IndexError::Git(format!("{name}: {e}")))?
                    .id,
            );
        }
    }
    tips.sort();
    tips.dedup();
    if tips.is_empty() {
        return Err(IndexError::Usage(
            "no commits to index (no HEAD and no tags)".into(),
        ));
    }
    Ok(tips)
}

fn tips_signature(tips: &[gix::ObjectId], pattern: &str) -> String {
    let mut s = format!("release-pattern {pattern}\n");
    for t in tips {
        s.push_str(&t.to_string());
        s.push('\n');
    }
    s
}

/// The tips of the last complete run, to hide from the walk (their history is indexed).
fn previous_tips(store: &Store) -> Result<Vec<gix::ObjectId>, IndexError> {
    let Some(text) = store.meta("tips")? else {
        return Ok(Vec::new());
    };
    Ok(text
        .lines()
        .filter_map(|l| gix::ObjectId::from_hex(l.as_bytes()).ok())
        .collect())
}

/// What to walk: the new non-merge commits reachable from `tips`, hiding the history of the
/// last complete run's tips and skipping commits already indexed (by an interrupted run).
struct NewCommits {
    tips: Vec<gix::ObjectId>,
    hidden: Vec<gix::ObjectId>,
    known: HashSet<gix::ObjectId>,
}

impl NewCommits {
    /// Send each new commit to `out`, newest first by commit date (the order in which the
    /// pipeline's caches serve neighbours best: packs store newer versions whole), keeping
    /// the commit objects the walk reads in `prefetched` for the pipeline; returns how many
    /// were sent.
    fn send(
        self,
        repo: &gix::Repository,
        out: Sender<gix::ObjectId>,
        prefetched: Prefetched,
    ) -> Result<usize, IndexError> {
        use gix::traverse::commit::simple::{CommitTimeOrder, Sorting};
        let git = |e: &dyn std::fmt::Display| IndexError::Git(e.to_string());
        let find = Capturing::new(repo.objects.clone(), prefetched);
        let walk = gix::traverse::commit::Simple::new(self.tips.iter().copied(), find)
            .commit_graph(repo.commit_graph_if_enabled().ok().flatten())
            .hide(self.hidden.iter().copied())
            .and_then(|w| w.sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst)))
            .map_err(|e| git(&e))?;
        let mut sent = 0;
        for info in walk {
            let info = info.map_err(|e| git(&e))?;
            if info.parent_ids.len() <= 1 && !self.known.contains(&info.id) {
                if out.send(info.id).is_err() {
                    break;
                }
                sent += 1;
            }
        }
        Ok(sent)
    }
}

/// A walking thread lists the new commits into the `kdelta_git` pipeline as it finds them
/// (the fingerprinting starts at once); the pipeline computes each commit's diff facts,
/// MinHash, metadata and message references on its workers; this thread writes records in
/// batches and tells `progress` the total once the walk is over.
fn compute_and_write(
    repo_path: &Path,
    repo: &gix::Repository,
    store: &mut Store,
    walk: NewCommits,
    options: &IndexOptions,
    progress: &mut dyn Progress,
) -> Result<usize, IndexError> {
    let pipeline = PipelineOptions::with_threads(options.threads.clamp(1, 64));
    let mut writer = Writer::new(store, options.batch);
    let mut failure: Option<IndexError> = None;
    let mut done = 0usize;
    let shared = repo.clone().into_sync();
    let (commits, source) = crossbeam_channel::unbounded();
    let prefetched = Prefetched::default();
    let walker_prefetched = prefetched.clone();
    let (total_tx, total) = crossbeam_channel::bounded(1);
    let walked = std::thread::scope(|scope| {
        let walker_repo = shared.clone();
        let walker = scope.spawn(move || {
            let sent = walk.send(&walker_repo.to_thread_local(), commits, walker_prefetched);
            if let Ok(n) = &sent {
                let _ = total_tx.send(*n);
            }
            sent
        });
        let make_visitor = || CommitVisitor::new(&shared);
        let source = CommitSource::Stream {
            commits: source,
            prefetched: Some(prefetched),
        };
        let result =
            fingerprints_parallel(repo_path, source, pipeline, make_visitor, |oid, facts| {
                if failure.is_some() {
                    return;
                }
                let record = match facts {
                    Ok(facts) => into_record(oid, facts),
                    // A partial clone lacks some blobs: keep what the commit says.
                    Err(e) if e.is_missing() => incomplete_record(repo, oid, e.to_string()),
                    Err(e) => Err(IndexError::Git(e.to_string())),
                };
                if let Err(e) = record.and_then(|r| writer.push(r).map_err(IndexError::from)) {
                    failure = Some(e);
                    return;
                }
                done += 1;
                if done.is_multiple_of(256) {
                    if let Ok(n) = total.try_recv() {
                        progress.set_total(n);
                    }
                    progress.advance(done);
                }
            });
        let walked = walker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        result.map_err(|e| IndexError::Git(e.to_string()))?;
        walked
    });
    writer.flush()?;
    if let Some(e) = failure {
        return Err(e);
    }
    walked?;
    progress.advance(done);
    Ok(writer.written())
}

#[cfg(test)]
mod tests;
