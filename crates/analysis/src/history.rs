//! Across releases: how a queue changed from one revision to the next (patches added,
//! removed, renamed, refreshed), where each removed patch went (upstream, replaced upstream,
//! obsolete, or simply dropped), and how the delta splits by status at each revision.
//!
//! Work is shared across revisions: a patch is analysed once per distinct content
//! ([`VerdictCache`], keyed by [`content_key`]) and, against a tree, per distinct tree facts
//! (its queue context included), whatever its name and however many revisions carry it.

use crate::analyze::{analyze_entry, judge_in_order, verdict_of, Analyzer};
use crate::model::{Status, Verdict};
use crate::AnalysisError;
use kdelta_patch::Patch;
use kdelta_queue::{Queue, QueueEntry};
use serde::Serialize;
use sha1::{Digest, Sha1};
use std::collections::{HashMap, HashSet};

/// What identifies a patch's content across revisions: a SHA-1 over its header and diff as
/// parsed (the file's own line numbers of a refreshed patch change it; its name does not).
pub fn content_key(patch: &Patch) -> String {
    json_sha1(patch)
}

/// A SHA-1 of `value` as JSON, hex.
fn json_sha1<T: Serialize + ?Sized>(value: &T) -> String {
    let mut hasher = Sha1::new();
    if let Ok(bytes) = serde_json::to_vec(value) {
        hasher.update(&bytes);
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Verdicts by content, so that unchanged patches are analysed once over all revisions.
#[derive(Default)]
pub struct VerdictCache {
    /// By content key (and, against a tree, the tree facts' key): the verdict.
    known: HashMap<String, Verdict>,
    /// Entries analysed.
    pub analysed: usize,
    /// Entries answered from the cache.
    pub reused: usize,
}

impl VerdictCache {
    /// What history needs of every patch of one revision. With a tree, each patch is
    /// judged on top of the revision's earlier patches (as `kdelta analyze` judges a
    /// queue), and a verdict is shared across revisions when the patch's content and what
    /// the tree says of it there (its queue context included) are alike; without one, per
    /// content alone.
    pub fn revision(
        &mut self,
        queue: &Queue,
        analyzer: &mut Analyzer,
    ) -> Result<Vec<Carried>, AnalysisError> {
        if analyzer.tree.is_none() {
            return queue
                .entries
                .iter()
                .map(|entry| {
                    let Some(patch) = &entry.patch else {
                        self.analysed += 1;
                        return Ok(Carried::of(entry, None, analyze_entry(entry, analyzer)?));
                    };
                    let key = content_key(patch);
                    let verdict =
                        self.verdict(key.clone(), entry, || analyze_entry(entry, analyzer))?;
                    Ok(Carried::of(entry, Some(key), verdict))
                })
                .collect();
        }
        let mut keys: Vec<Option<String>> = Vec::new();
        let verdicts = judge_in_order(
            queue,
            analyzer,
            &mut |_, _| {},
            &mut |entry, analyzer, facts| {
                let Some(patch) = &entry.patch else {
                    keys.push(None);
                    self.analysed += 1;
                    return verdict_of(entry, analyzer, facts);
                };
                let content = content_key(patch);
                let key = format!("{content}:{}", json_sha1(&facts));
                keys.push(Some(content));
                self.verdict(key, entry, || verdict_of(entry, analyzer, facts))
            },
        )?;
        Ok(queue
            .entries
            .iter()
            .zip(verdicts)
            .zip(keys)
            .map(|((entry, verdict), key)| Carried::of(entry, key, verdict))
            .collect())
    }

    /// The verdict kept under `key` (named as `entry`), or else `judge`'s, kept under it.
    fn verdict(
        &mut self,
        key: String,
        entry: &QueueEntry,
        judge: impl FnOnce() -> Result<Verdict, AnalysisError>,
    ) -> Result<Verdict, AnalysisError> {
        if let Some(verdict) = self.known.get(&key) {
            self.reused += 1;
            let mut verdict = verdict.clone();
            verdict.name = entry.name.clone();
            return Ok(verdict);
        }
        self.analysed += 1;
        let verdict = judge()?;
        self.known.insert(key, verdict.clone());
        Ok(verdict)
    }
}

/// What history needs of one revision's patch.
#[derive(Clone, Debug)]
pub struct Carried {
    /// Its name in the queue.
    pub name: String,
    /// Its content key (`None` when the file is missing).
    pub key: Option<String>,
    /// Its stable patch-id, to recognise a renamed patch.
    pub patch_id: Option<String>,
    /// Its verdict.
    pub verdict: Verdict,
}

impl Carried {
    /// `entry` with its content key and verdict, and its stable patch-id.
    fn of(entry: &QueueEntry, key: Option<String>, verdict: Verdict) -> Carried {
        Carried {
            name: entry.name.clone(),
            key,
            patch_id: entry
                .patch
                .as_ref()
                .and_then(|p| p.patch_id())
                .map(|id| id.to_string()),
            verdict,
        }
    }
}

/// Where a removed patch went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fate {
    /// The same change is upstream.
    Upstream,
    /// Upstream solved it differently.
    Replaced,
    /// The code it changed is gone upstream.
    Obsolete,
    /// Dropped without being upstream.
    Dropped,
}

/// A patch the next revision no longer carries.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Removal {
    /// Its name.
    pub name: String,
    /// Where it went.
    pub fate: Fate,
    /// The upstream commit, when upstream.
    pub commit: Option<String>,
    /// Its first release, when known.
    pub release: Option<String>,
}

/// How many patches have a status at one revision.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tally {
    /// The status.
    pub status: Status,
    /// Patches.
    pub count: usize,
}

/// One revision, and what changed since the one before.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Step {
    /// The revision as given (`REPO@master@{2014-06-01}`) or labelled.
    pub label: String,
    /// Patches carried.
    pub patches: usize,
    /// Patches per status, every status.
    pub by_status: Vec<Tally>,
    /// Patches new in this revision.
    pub added: Vec<String>,
    /// Patches of the previous revision gone from this one.
    pub removed: Vec<Removal>,
    /// Patches renamed (`from`, `to`) with the same change.
    pub renamed: Vec<(String, String)>,
    /// Patches kept under their name whose content changed.
    pub refreshed: Vec<String>,
    /// Patches of the previous revision commented out in this one's series (disabled, as
    /// during a rebase), not removed.
    pub disabled: Vec<String>,
    /// Patches disabled in the previous revision and carried again in this one.
    pub reenabled: Vec<String>,
}

/// One revision as history compares it: the patches carried and those disabled.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// The patches carried, with their verdicts.
    pub carried: Vec<Carried>,
    /// The patches the series names on commented-out lines.
    pub disabled: Vec<String>,
    /// The disabled patches as they were when last carried (filled by [`step`]), so that
    /// one dropped while disabled still counts as removed.
    pub held: Vec<Carried>,
}

/// Compare revision `now` with the one before (`None` for the first); fills `now.held`.
pub fn step(label: String, before: Option<&Snapshot>, now: &mut Snapshot) -> Step {
    let by_status = Status::ALL
        .into_iter()
        .map(|status| Tally {
            status,
            count: now
                .carried
                .iter()
                .filter(|c| c.verdict.status == status)
                .count(),
        })
        .collect();
    let mut step = Step {
        label,
        patches: now.carried.len(),
        by_status,
        added: Vec::new(),
        removed: Vec::new(),
        renamed: Vec::new(),
        refreshed: Vec::new(),
        disabled: Vec::new(),
        reenabled: Vec::new(),
    };
    let Some(before) = before else {
        return step;
    };
    let old: HashMap<&str, &Carried> = before
        .carried
        .iter()
        .map(|c| (c.name.as_str(), c))
        .collect();
    let new: HashSet<&str> = now.carried.iter().map(|c| c.name.as_str()).collect();
    let mut gone: Vec<&Carried> = Vec::new();
    let mut held = Vec::new();
    for c in &before.carried {
        if new.contains(c.name.as_str()) {
            continue;
        }
        if now.disabled.contains(&c.name) {
            step.disabled.push(c.name.clone());
            held.push(c.clone());
        } else {
            gone.push(c);
        }
    }
    for c in &before.held {
        if now.disabled.contains(&c.name) {
            held.push(c.clone());
        } else if !new.contains(c.name.as_str()) {
            gone.push(c);
        }
    }
    for c in &now.carried {
        match old.get(c.name.as_str()) {
            Some(o) if o.key != c.key => step.refreshed.push(c.name.clone()),
            Some(_) => {}
            None if before.disabled.contains(&c.name) => step.reenabled.push(c.name.clone()),
            None => match gone
                .iter()
                .position(|g| g.patch_id.is_some() && g.patch_id == c.patch_id)
            {
                Some(i) => step
                    .renamed
                    .push((gone.remove(i).name.clone(), c.name.clone())),
                None => step.added.push(c.name.clone()),
            },
        }
    }
    step.removed = gone.into_iter().map(removal).collect();
    now.held = held;
    step
}

fn removal(c: &Carried) -> Removal {
    let fate = match c.verdict.status {
        Status::Upstream => Fate::Upstream,
        Status::ReplacementLikely => Fate::Replaced,
        Status::Obsolete => Fate::Obsolete,
        _ => Fate::Dropped,
    };
    Removal {
        name: c.name.clone(),
        fate,
        commit: c.verdict.commit.clone(),
        release: c.verdict.release.clone(),
    }
}

#[cfg(test)]
mod tests;
