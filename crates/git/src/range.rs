//! `git rev-list --reverse --no-merges from..to`, in git's own order.
//!
//! git lists a range with `limit_list()` (revision.c): starting commits are sorted by
//! committer date, then commits are popped newest-first from a date-ordered list
//! (ties: first inserted, first popped), their parents inserted as they are seen, and
//! uninteresting-ness (reachable from `from`) propagated through every commit parsed so
//! far. The walk stops once everything queued is uninteresting, after five extra
//! commits of "slop" for clock skew. Commits that turn out to be uninteresting later
//! are dropped on output. This module replays that algorithm, so that the order and
//! even the clock-skew quirks are git's.

use crate::GitError;
use gix::objs::{commit::ref_iter::Token, FindExt};
use gix::ObjectId;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// git's `SLOP`: how many uninteresting commits to look at after the last interesting one.
const SLOP: u32 = 5;

/// Commits in `from..to` (reachable from `to`, not from `from`), merges left out, oldest
/// first: the order of `git rev-list --reverse --no-merges from..to`.
///
/// `from` and `to` are any revisions gitoxide can parse (`v1.0`, `HEAD~3`, a hex id...)
/// that peel to commits.
pub fn range_commits(
    repo: &gix::Repository,
    from: &str,
    to: &str,
) -> Result<Vec<ObjectId>, GitError> {
    let from = resolve_commit(repo, from)?;
    let to = resolve_commit(repo, to)?;
    let mut walk = Walk::new(repo);
    walk.run(from, to)
}

/// Resolve `rev` to the commit it peels to.
pub fn resolve_commit(repo: &gix::Repository, rev: &str) -> Result<ObjectId, GitError> {
    let id = repo.rev_parse_single(rev).map_err(|e| GitError::Resolve {
        rev: rev.to_string(),
        message: e.to_string(),
    })?;
    let object = id.object().map_err(|e| GitError::Resolve {
        rev: rev.to_string(),
        message: e.to_string(),
    })?;
    let commit = object.peel_to_commit().map_err(|e| GitError::NotACommit {
        rev: rev.to_string(),
        message: e.to_string(),
    })?;
    Ok(commit.id)
}

const SEEN: u8 = 1;
const UNINTERESTING: u8 = 2;
const QUEUED: u8 = 4;

/// What git's `struct commit` holds for the walk.
#[derive(Default)]
struct Node {
    flags: u8,
    /// `None` until the commit is parsed (git only knows parents of parsed commits).
    parents: Option<Vec<ObjectId>>,
    date: i64,
}

struct Walk<'r> {
    repo: &'r gix::Repository,
    nodes: HashMap<ObjectId, Node>,
    /// git's date-sorted `commit_list`: newest first, ties in insertion order.
    queue: BinaryHeap<(i64, Reverse<u64>, ObjectId)>,
    seq: u64,
    /// Number of queued commits that are not uninteresting.
    interesting_queued: usize,
    buf: Vec<u8>,
}

impl<'r> Walk<'r> {
    fn new(repo: &'r gix::Repository) -> Self {
        Walk {
            repo,
            nodes: HashMap::new(),
            queue: BinaryHeap::new(),
            seq: 0,
            interesting_queued: 0,
            buf: Vec::new(),
        }
    }

    fn run(&mut self, from: ObjectId, to: ObjectId) -> Result<Vec<ObjectId>, GitError> {
        // prepare_revision_walk(): the pending "^from" then "to", parsed, sorted by date.
        self.parse(from)?;
        self.node(from).flags |= UNINTERESTING;
        self.mark_parents_uninteresting(from);
        self.parse(to)?;
        for id in [from, to] {
            if self.node(id).flags & SEEN == 0 {
                self.node(id).flags |= SEEN;
                self.push(id);
            }
        }

        // limit_list()
        let mut slop = SLOP;
        let mut date = i64::MAX;
        let mut listed = Vec::new();
        while let Some(id) = self.pop() {
            let flags = self.node(id).flags;
            self.process_parents(id, flags & UNINTERESTING != 0)?;
            if self.node(id).flags & UNINTERESTING != 0 {
                self.mark_parents_uninteresting(id);
                slop = self.still_interesting(date, slop);
                if slop > 0 {
                    continue;
                }
                break;
            }
            date = self.node(id).date;
            listed.push(id);
        }

        // get_revision(): drop what became uninteresting, and merges; then --reverse.
        let mut out: Vec<ObjectId> = listed
            .into_iter()
            .filter(|id| {
                self.nodes.get(id).is_some_and(|n| {
                    n.flags & UNINTERESTING == 0 && n.parents.as_ref().is_some_and(|p| p.len() <= 1)
                })
            })
            .collect();
        out.reverse();
        Ok(out)
    }

    fn node(&mut self, id: ObjectId) -> &mut Node {
        self.nodes.entry(id).or_default()
    }

    /// Read parents and committer date of `id`, once.
    fn parse(&mut self, id: ObjectId) -> Result<(), GitError> {
        if self.nodes.get(&id).is_some_and(|n| n.parents.is_some()) {
            return Ok(());
        }
        let iter = self
            .repo
            .objects
            .find_commit_iter(&id, &mut self.buf)
            .map_err(|e| GitError::object(id, "commit", e))?;
        let mut parents = Vec::new();
        let mut date = 0;
        for token in iter {
            match token.map_err(|e| GitError::object(id, "commit", e))? {
                Token::Parent { id } => parents.push(id),
                Token::Committer { signature } => {
                    date = signature.seconds();
                    break;
                }
                _ => {}
            }
        }
        let node = self.node(id);
        node.parents = Some(parents);
        node.date = date;
        Ok(())
    }

    /// `commit_list_insert_by_date()`.
    fn push(&mut self, id: ObjectId) {
        let node = self.nodes.entry(id).or_default();
        node.flags |= QUEUED;
        if node.flags & UNINTERESTING == 0 {
            self.interesting_queued += 1;
        }
        let date = node.date;
        self.seq += 1;
        self.queue.push((date, Reverse(self.seq), id));
    }

    fn pop(&mut self) -> Option<ObjectId> {
        let (_, _, id) = self.queue.pop()?;
        let node = self.node(id);
        node.flags &= !QUEUED;
        if node.flags & UNINTERESTING == 0 {
            self.interesting_queued = self.interesting_queued.saturating_sub(1);
        }
        Some(id)
    }

    fn set_uninteresting(&mut self, id: ObjectId) -> bool {
        let node = self.node(id);
        if node.flags & UNINTERESTING != 0 {
            return false;
        }
        node.flags |= UNINTERESTING;
        if node.flags & QUEUED != 0 {
            self.interesting_queued = self.interesting_queued.saturating_sub(1);
        }
        true
    }

    /// `process_parents()` without the options git needs for other walks.
    fn process_parents(&mut self, id: ObjectId, uninteresting: bool) -> Result<(), GitError> {
        let parents = self.node(id).parents.clone().unwrap_or_default();
        for parent in parents {
            if uninteresting {
                self.set_uninteresting(parent);
            }
            self.parse(parent)?;
            if uninteresting {
                self.mark_parents_uninteresting(parent);
            }
            if self.node(parent).flags & SEEN == 0 {
                self.node(parent).flags |= SEEN;
                self.push(parent);
            }
        }
        Ok(())
    }

    /// `mark_parents_uninteresting()`: through every parsed commit below `id`.
    fn mark_parents_uninteresting(&mut self, id: ObjectId) {
        let mut pending: Vec<ObjectId> = self.node(id).parents.clone().unwrap_or_default();
        while let Some(commit) = pending.pop() {
            if !self.set_uninteresting(commit) {
                continue;
            }
            if let Some(parents) = &self.node(commit).parents {
                pending.extend(parents.iter().copied());
            }
        }
    }

    /// `still_interesting()`: the new slop; 0 ends the walk.
    fn still_interesting(&self, date: i64, slop: u32) -> u32 {
        let Some((head_date, _, _)) = self.queue.peek() else {
            return 0;
        };
        if date <= *head_date || self.interesting_queued > 0 {
            return SLOP;
        }
        slop - 1
    }
}
