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
use std::collections::{BinaryHeap, HashMap};

/// The commits a pipeline fingerprints.
#[derive(Clone, Debug)]
pub enum CommitSource {
    /// These commits, in this order (merges included: they are compared with their first
    /// parent).
    List(Vec<ObjectId>),
    /// Every non-merge commit reachable from this one, newest first by committer date.
    NonMergesFrom(ObjectId),
}

/// One commit to fingerprint: the tree of its first parent (`None` for a root commit)
/// and its own, or why they could not be read.
pub(crate) type Trees = Result<(Option<ObjectId>, ObjectId), GitError>;

/// What is kept of a decoded commit.
struct Info {
    tree: ObjectId,
    parents: Vec<ObjectId>,
    date: i64,
}

/// Decodes commits, once each.
pub(crate) struct CommitReader<'r> {
    repo: &'r gix::Repository,
    known: HashMap<ObjectId, Info>,
    buf: Vec<u8>,
}

impl<'r> CommitReader<'r> {
    pub fn new(repo: &'r gix::Repository) -> Self {
        CommitReader {
            repo,
            known: HashMap::new(),
            buf: Vec::new(),
        }
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
        let iter = self
            .repo
            .objects
            .find_commit_iter(&id, &mut self.buf)
            .map_err(|e| GitError::object(id, "commit", e))?;
        let mut info = Info {
            tree: ObjectId::null(id.kind()),
            parents: Vec::new(),
            date: 0,
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
        Ok(info)
    }

    /// The trees `commit` is compared with: its first parent's and its own.
    pub fn trees(&mut self, commit: ObjectId) -> Trees {
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

    /// Pass every non-merge commit reachable from `tip` to `emit`, newest first, with
    /// its trees; stops early if `emit` returns false.
    pub fn walk_non_merges(
        &mut self,
        tip: ObjectId,
        mut emit: impl FnMut(ObjectId, Trees) -> bool,
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
            if parents.len() <= 1 && !emit(id, self.trees(id)) {
                break;
            }
        }
        Ok(())
    }
}
