//! The upstream a queue is judged against: the repository's index (brought up to date on
//! the way) and history at a revision, and the source tree, with the checks that the tree is
//! the one the patches were made for.

use crate::observe::{steps, IndexProgress};
use crate::{JobError, Observer, Task};
use kdelta_analysis::tree::TargetTree;
use kdelta_analysis::{AnalysisOptions, History};
use kdelta_patch::Version;
use kdelta_queue::Queue;
use kdelta_upstream::tree::TreeSource;
use kdelta_upstream::{default_index_path, update_index, IndexOptions, Store};
use std::path::{Path, PathBuf};

/// Where the upstream is and how to use it.
#[derive(Clone, Debug, Default)]
pub struct UpstreamSpec {
    /// The upstream git repository.
    pub repository: Option<PathBuf>,
    /// The index file; default: one per upstream in the user's cache directory.
    pub index: Option<PathBuf>,
    /// The revision to judge against; default: HEAD.
    pub at: Option<String>,
    /// Tags matching this glob are releases (when indexing on the way).
    pub release_pattern: Option<String>,
    /// Use the index as it is, without bringing it up to date first.
    pub no_update: bool,
    /// The release judged against, when the tree does not say.
    pub target_release: Option<Version>,
    /// Read the tree without keeping its index in the cache.
    pub no_tree_cache: bool,
    /// The mailing-list archive index (`kdelta archive index`) to find postings in.
    pub archive: Option<PathBuf>,
    /// How postings are matched (`kdelta eval` turns stages off to measure the others).
    pub posting_match: kdelta_archive::MatchOptions,
    /// Link postings: a URL with `%s` for the Message-ID (`https://lore.kernel.org/r/%s`).
    pub archive_url: Option<String>,
}

impl UpstreamSpec {
    /// The analysis options this upstream sets.
    pub fn options(&self) -> AnalysisOptions {
        AnalysisOptions {
            release: self.target_release.clone(),
            ..AnalysisOptions::default()
        }
    }

    /// The archive index to find each patch's postings in, when one is given.
    pub fn open_archive(&self) -> Result<Option<kdelta_analysis::Archive>, JobError> {
        let Some(path) = &self.archive else {
            return Ok(None);
        };
        let store = kdelta_archive::ArchiveStore::open_for_reading(path)?;
        let lists = store.lists()?;
        Ok(Some(kdelta_analysis::Archive {
            matcher: kdelta_archive::Matcher::new(store, self.posting_match),
            now: crate::clock::now(),
            lists,
        }))
    }

    /// The index file: given, or the default one for the repository.
    pub fn index_path(&self) -> Option<PathBuf> {
        let repository = self.repository.as_ref()?;
        Some(
            self.index
                .clone()
                .unwrap_or_else(|| default_index_path(repository)),
        )
    }
}

/// Index the upstream (incrementally) and open its history at `spec.at`; `None` without a
/// repository.
pub fn open_history(
    spec: &UpstreamSpec,
    observer: &mut dyn Observer,
) -> Result<(Option<History>, Option<gix::ObjectId>), JobError> {
    let (Some(upstream), Some(path)) = (&spec.repository, spec.index_path()) else {
        return Ok((None, None));
    };
    if !spec.no_update {
        let mut store = Store::open_for_writing(&path)?;
        let options = IndexOptions {
            release_pattern: spec.release_pattern.clone(),
            ..IndexOptions::default()
        };
        update_index(
            upstream,
            &mut store,
            &options,
            &mut IndexProgress(observer, crate::Task::Indexing),
        )?;
    }
    let store = Store::open_for_reading(&path)?;
    let repo =
        gix::open(upstream).map_err(|e| JobError::Git(format!("{}: {e}", upstream.display())))?;
    let at = resolve(&repo, spec.at.as_deref().unwrap_or("HEAD"), upstream)?;
    let history = History::new(store, Some((repo, at)))?;
    Ok((Some(history), Some(at)))
}

/// The commit `rev` names in `repo`.
fn resolve(repo: &gix::Repository, rev: &str, path: &Path) -> Result<gix::ObjectId, JobError> {
    let path = path.display();
    let id = repo
        .rev_parse_single(rev)
        .map_err(|e| JobError::Git(format!("{path}: unknown revision {rev:?}: {e}")))?;
    let commit = id
        .object()
        .map_err(|e| JobError::Git(format!("{path}: {rev:?}: {e}")))?
        .peel_to_commit()
        .map_err(|e| JobError::Git(format!("{path}: {rev:?} is not a commit: {e}")))?;
    Ok(commit.id)
}

/// The tree to judge against: `tree`, else the upstream repository's tree at `at`.
pub fn tree_source(
    tree: Option<&Path>,
    spec: &UpstreamSpec,
    at: Option<gix::ObjectId>,
) -> Result<Option<TreeSource>, JobError> {
    Ok(match (tree, &spec.repository, at) {
        (Some(path), _, _) => Some(TreeSource::detect(path)?),
        (None, Some(repo), Some(at)) => Some(TreeSource::Git {
            repo: repo.clone(),
            rev: at.to_string(),
        }),
        _ => None,
    })
}

/// Read the tree once (or load its cached index), and make sure it is a tree the patches
/// of `queues` were made for: one that has at least one of the files they change.
pub fn scan_tree(
    source: &TreeSource,
    queues: &[&Queue],
    spec: &UpstreamSpec,
    observer: &mut dyn Observer,
) -> Result<TargetTree, JobError> {
    observer.begin(Task::ReadingTree(source.describe()), None);
    let cache =
        (!spec.no_tree_cache).then(|| kdelta_upstream::tree::cache_dir_for(spec.index.as_deref()));
    let opened = TargetTree::open(source, cache.as_deref());
    observer.end();
    let mut tree = opened?;
    if let Some(note) = tree.index().cache_note() {
        observer.warning(&format!("tree cache: {note}"));
    }
    steps(observer, tree.index().timings());
    if let Some(release) = &spec.target_release {
        tree.set_release(release.clone());
    }
    if tree.index().is_empty() {
        return Err(JobError::Input(format!(
            "{}: the tree has no files",
            source.describe()
        )));
    }
    let (present, changed) = tree.shared_files(queues.iter().copied());
    if changed > 0 && present == 0 {
        return Err(JobError::Input(format!(
            "{}: the tree has none of the {changed} files the patches change: is it the tree they were made for?",
            source.describe()
        )));
    }
    Ok(tree)
}

/// What a report was judged against: the upstream repository at the revision (`v6.12
/// (0123456789ab)`), and the tree.
pub fn upstream_info(
    spec: &UpstreamSpec,
    at: Option<gix::ObjectId>,
    tree: Option<&Path>,
) -> kdelta_report::model::Upstream {
    kdelta_report::model::Upstream {
        repository: spec.repository.as_ref().map(|p| p.display().to_string()),
        at: at.map(|id| {
            let rev = spec.at.as_deref().unwrap_or("HEAD");
            format!("{rev} ({})", id.to_hex_with_len(12))
        }),
        tree: tree.map(|p| p.display().to_string()),
    }
}
