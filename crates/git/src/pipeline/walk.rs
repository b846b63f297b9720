//! The first stage of the pipeline: which commits to fingerprint, each with the two trees
//! to compare, reading every commit object once.
//!
//! Each commit's tree, parents and committer date are decoded once and remembered, so a
//! commit seen first as somebody's parent costs nothing when its own turn comes. For a
//! walk, commits come newest first by committer date (ties: first queued first), as
//! `git log` lists them; merges are skipped.

use crate::GitError;
use gix::objs::{commit::ref_iter::Token, FindExt};
use gix::ObjectId;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

/// The commits a pipeline fingerprints.
#[derive(Clone, Debug)]
pub enum CommitSource {
    /// These commits, in this order (merges included: they are compared with their first
    /// parent).
    List(Vec<ObjectId>),
    /// Every non-merge commit reachable from this one, newest first by committer date.
    NonMergesFrom(ObjectId),
    /// The commits received, in the order received, until the sender is dropped: another
    /// thread may still be listing them while the first are fingerprinted. Merges sent
    /// are compared with their first parent. Commits that thread read into `prefetched`
    /// are not read again.
    Stream {
        /// The commits.
        commits: crossbeam_channel::Receiver<ObjectId>,
        /// Commit bytes the sender's walk read already.
        prefetched: Option<super::prefetch::Prefetched>,
    },
}

/// One commit to fingerprint: the tree of its first parent (`None` for a root commit)
/// and its own, or why they could not be read.
pub(crate) type Trees = Result<(Option<ObjectId>, ObjectId), GitError>;

/// What is kept of a decoded commit.
struct Info {
    tree: ObjectId,
    parents: Vec<ObjectId>,
    date: i64,
    /// The object's data, kept from its decoding until the commit is emitted, when the
    /// reader keeps data (see [`KeepData`]).
    data: Option<Vec<u8>>,
}

/// Which commits' object data a [`CommitReader`] keeps for the consumer.
#[derive(Clone, Debug, Default)]
pub(crate) enum KeepData {
    /// None.
    #[default]
    None,
    /// Those of non-merge commits (a walk emits all of them).
    NonMerges,
    /// Those of the listed commits.
    Listed(HashSet<ObjectId>),
}

/// One commit to fingerprint, as the walker hands it on.
pub(crate) struct Job {
    pub commit: ObjectId,
    pub trees: Trees,
    /// The commit object's data, when the reader keeps it.
    pub data: Option<Vec<u8>>,
}

/// Decodes commits, once each.
pub(crate) struct CommitReader<'r> {
    repo: &'r gix::Repository,
    known: HashMap<ObjectId, Info>,
    buf: Vec<u8>,
    keep: KeepData,
    prefetched: Option<super::prefetch::Prefetched>,
}

impl<'r> CommitReader<'r> {
    pub fn new(repo: &'r gix::Repository, keep: KeepData) -> Self {
        CommitReader {
            repo,
            known: HashMap::new(),
            buf: Vec::new(),
            keep,
            prefetched: None,
        }
    }

    /// Take commit bytes from `prefetched` before reading them from the repository.
    pub fn with_prefetched(mut self, prefetched: Option<super::prefetch::Prefetched>) -> Self {
        self.prefetched = prefetched;
        self
    }

    fn info(&mut self, id: ObjectId) -> Result<&Info, GitError> {
        if !self.known.contains_key(&id) {
            let info = self.decode(id)?;
            self.known.insert(id, info);
        }
        self.known
            .get(&id)
            .ok_or_else(|| GitError::object(id, "commit", "vanished from the commit table"))
    }

    fn decode(&mut self, id: ObjectId) -> Result<Info, GitError> {
        let iter = match self.prefetched.as_ref().and_then(|p| p.take(&id)) {
            Some(data) => {
                self.buf = data;
                gix::objs::CommitRefIter::from_bytes(&self.buf, id.kind())
            }
            None => self
                .repo
                .objects
                .find_commit_iter(&id, &mut self.buf)
                .map_err(|e| GitError::object(id, "commit", e))?,
        };
        let mut info = Info {
            tree: ObjectId::null(id.kind()),
            parents: Vec::new(),
            date: 0,
            data: None,
        };
        for token in iter {
            match token.map_err(|e| GitError::object(id, "commit", e))? {
                Token::Tree { id } => info.tree = id,
                Token::Parent { id } => info.parents.push(id),
                Token::Committer { signature } => {
                    info.date = signature.seconds();
                    break;
                }
                _ => {}
            }
        }
        let keep = match &self.keep {
            KeepData::None => false,
            KeepData::NonMerges => info.parents.len() <= 1,
            KeepData::Listed(listed) => listed.contains(&id),
        };
        if keep {
            info.data = Some(self.buf.clone());
        }
        Ok(info)
    }

    /// The trees `commit` is compared with: its first parent's and its own.
    fn trees(&mut self, commit: ObjectId) -> Trees {
        let (tree, parent) = {
            let info = self.info(commit)?;
            (info.tree, info.parents.first().copied())
        };
        let parent_tree = match parent {
            Some(parent) => Some(self.info(parent)?.tree),
            None => None,
        };
        Ok((parent_tree, tree))
    }

    /// `commit` with its trees and, if kept, its data (handed over: the reader forgets it).
    pub fn job(&mut self, commit: ObjectId) -> Job {
        let trees = self.trees(commit);
        let data = self
            .known
            .get_mut(&commit)
            .and_then(|info| info.data.take());
        Job {
            commit,
            trees,
            data,
        }
    }

    /// Pass every non-merge commit reachable from `tip` to `emit`, newest first, with
    /// its trees; stops early if `emit` returns false.
    pub fn walk_non_merges(
        &mut self,
        tip: ObjectId,
        mut emit: impl FnMut(Job) -> bool,
    ) -> Result<(), GitError> {
        let mut queue = BinaryHeap::new();
        let mut seq = 0u64;
        let mut seen = std::collections::HashSet::new();
        seen.insert(tip);
        queue.push((self.info(tip)?.date, Reverse(seq), tip));
        while let Some((_, _, id)) = queue.pop() {
            let parents = self.info(id)?.parents.clone();
            for &parent in &parents {
                if seen.insert(parent) {
                    seq += 1;
                    queue.push((self.info(parent)?.date, Reverse(seq), parent));
                }
            }
            if parents.len() <= 1 && !emit(self.job(id)) {
                break;
            }
        }
        Ok(())
    }
}
