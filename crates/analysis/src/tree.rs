//! The tree stages: how a patch stands against a target tree (a release tarball, a
//! directory or the upstream revision judged against), hunk by hunk, wherever its code
//! went, and whether what it provides exists upstream.
//!
//! The tree is read once into a [`TreeIndex`] (cached by tree id, so a second run reads no
//! tree at all): paths, the words every file holds, the names every file defines. Then,
//! for each patch:
//!
//! - [`locate`]: each hunk is looked for at its own path, on top of the queue's earlier
//!   patches, and, when not found there, in the files that define the functions it
//!   changes, files of the same name and files holding its rarest words: present, present
//!   modulo whitespace, applies, conflicts (its code is there, changed) or gone;
//! - [`names`]: the names it introduces (functions, macros, Kconfig symbols, module
//!   parameters, sysfs attributes, key strings) found upstream, how specifically;
//! - [`judge`]: all that weighed as evidence for each hypothesis.
//!
//! [`QueueState`] keeps the queue's own files as its earlier patches leave them.

mod anchored;
mod files;
mod fuzzy;
mod holders;
pub mod judge;
pub mod locate;
mod memo;
pub mod names;
mod queue;
mod registered;
mod renamed;

#[cfg(test)]
mod tests;

pub use queue::{QueueState, QueueView};

use crate::model::HunkVerdict;
use crate::AnalysisError;
use files::FileCache;
use kdelta_patch::apply::Target;
use kdelta_patch::{ChangeKind, FileDiff, Patch, Version};
use kdelta_queue::Queue;
use kdelta_upstream::tree::{open, TreeIndex, TreeSource};
use std::path::Path;
use std::sync::Arc;

/// Files of the tree every report reads, for who-can-upstream-it answers.
pub const PEOPLE_FILES: [&str; 2] = ["MAINTAINERS", ".mailmap"];

/// The target tree, indexed, with the files patches need read on demand.
pub struct TargetTree {
    index: TreeIndex,
    files: FileCache,
    release: Option<Version>,
    /// Facts of patches judged before against this very tree, when its index is cached.
    memo: Option<memo::Memo>,
    /// When the steps of the analyses on it ended (see [`TargetTree::timings`]).
    timings: std::sync::Mutex<kdelta_upstream::Timings>,
}

/// What the target tree says about one patch.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, Default)]
pub struct TreeFacts {
    /// The tree, for messages.
    pub tree: String,
    /// The tree's release, when known.
    pub release: Option<Version>,
    /// Each hunk of the patch's text files.
    pub hunks: Vec<HunkVerdict>,
    /// Each text file of the patch.
    pub files: Vec<locate::FileFact>,
    /// The names the patch introduces, looked up.
    pub names: Vec<names::NameFact>,
    /// Functions the patch changes, and those of them defined and mentioned nowhere.
    pub functions: (usize, Vec<String>),
    /// The queue's earlier patches whose code this one changes, and what the analysis made
    /// of each.
    pub builds_on: Vec<(String, Option<crate::model::Hypothesis>)>,
}

impl TargetTree {
    /// Index `source` (or load its index from `cache`).
    pub fn open(source: &TreeSource, cache: Option<&Path>) -> Result<TargetTree, AnalysisError> {
        let index = open(source, cache)?;
        let named = match source {
            TreeSource::Tarball(path) | TreeSource::Dir(path) => path
                .file_name()
                .and_then(|n| Version::parse(&n.to_string_lossy())),
            TreeSource::Git { .. } => None,
        };
        let release = index.release().cloned().or(named);
        let memo = index
            .cache_slot()
            .map(|(dir, key)| memo::Memo::open(dir, key));
        Ok(TargetTree {
            index,
            files: FileCache::default(),
            release,
            memo,
            timings: Default::default(),
        })
    }

    /// The steps of the analyses run on this tree so far, each with when it ended
    /// (counted from the start of its analysis).
    pub fn timings(&self) -> kdelta_upstream::Timings {
        self.timings.lock().map(|t| t.clone()).unwrap_or_default()
    }

    /// Record that step `what` of an analysis started at `started` ends now.
    pub(crate) fn record_step(&self, what: impl Into<String>, started: std::time::Instant) {
        if let Ok(mut timings) = self.timings.lock() {
            timings.since(what, started);
        }
    }

    /// The tree's index.
    pub fn index(&self) -> &TreeIndex {
        &self.index
    }

    /// What the tree is, for messages.
    pub fn describe(&self) -> &str {
        self.index.describe()
    }

    /// The tree's release: from its Makefile, else its file name, unless set.
    pub fn release(&self) -> Option<&Version> {
        self.release.as_ref()
    }

    /// Say which release the tree is (`--release`).
    pub fn set_release(&mut self, release: Version) {
        self.release = Some(release);
    }

    /// Every file path of the tree.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.index.paths()
    }

    /// The bytes of `path`, if the tree has that file.
    pub fn file(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        self.files.bytes(&self.index, path)
    }

    /// `path` indexed for hunk checks (exact, or ignoring whitespace).
    pub(crate) fn target(&self, path: &str, whitespace: bool) -> Option<Arc<Target<'static>>> {
        self.files.target(&self.index, path, whitespace)
    }

    /// How many of the files the queues change (not create) the tree has, by path or by
    /// file name (files move), of how many.
    pub fn shared_files<'q>(&self, queues: impl IntoIterator<Item = &'q Queue>) -> (usize, usize) {
        let mut seen = std::collections::HashSet::new();
        for queue in queues {
            for patch in queue.entries.iter().filter_map(|e| e.patch.as_ref()) {
                for file in text_files(patch).filter(|f| f.change != ChangeKind::Added) {
                    seen.insert(path_of(file));
                }
            }
        }
        let present = seen
            .iter()
            .filter(|p| {
                self.index.path_id(p).is_some() || !self.index.files_named(file_name(p)).is_empty()
            })
            .count();
        (present, seen.len())
    }

    /// The facts of one patch, with the queue's files as its earlier patches left them.
    /// What the analysis made of those patches is for the caller to fill in
    /// ([`TreeFacts::builds_on`]).
    pub fn facts(&self, patch: &Patch, queue: Option<&QueueView>) -> TreeFacts {
        let Some(memo) = &self.memo else {
            return self.find_facts(patch, queue);
        };
        let key = memo::Memo::key(patch, queue);
        if let Some(mut known) = memo.get(&key) {
            // The release may have been given since (`--release`).
            known.release = self.release.clone();
            return known;
        }
        let facts = self.find_facts(patch, queue);
        memo.put(key, &facts);
        facts
    }

    /// Keep what was found about the patches beside the tree's cached index, so that the
    /// next run need not judge unchanged patches against the tree again. A cache that
    /// cannot be written only costs that time.
    pub fn remember(&self) -> std::io::Result<()> {
        self.memo.as_ref().map_or(Ok(()), memo::Memo::save)
    }

    fn find_facts(&self, patch: &Patch, queue: Option<&QueueView>) -> TreeFacts {
        let located = locate::locate(self, patch, queue);
        TreeFacts {
            tree: self.describe().to_string(),
            release: self.release.clone(),
            hunks: located.hunks,
            files: located.files,
            names: names::provided(self, patch),
            functions: names::gone_functions(self, patch),
            builds_on: located.builds_on.into_iter().map(|b| (b, None)).collect(),
        }
    }
}

/// The text files of a patch (not binary, with a path).
pub(crate) fn text_files(patch: &Patch) -> impl Iterator<Item = &FileDiff> {
    patch.files.iter().filter(|f| is_text(f))
}

/// Whether a file diff is text with a path: what the tree stages judge.
pub(crate) fn is_text(file: &FileDiff) -> bool {
    !file.binary && file.path().is_some()
}

/// A file diff's path.
pub(crate) fn path_of(file: &FileDiff) -> String {
    file.path().map(|p| p.to_string()).unwrap_or_default()
}

/// The last component of a path.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
