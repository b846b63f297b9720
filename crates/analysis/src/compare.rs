//! Across distributions: the patches of several queues clustered into classes of equivalent
//! changes, so that the delta several distributions share can be upstreamed together.
//!
//! Two patches are linked when they name or are found as the same upstream commit, have the
//! same stable patch-id, change similar lines (compared only between patches sharing a file
//! or a subject, never all pairs), or have the same normalised subject confirmed by a shared
//! file or by some similar lines. Clusters
//! are the connected components of those links (union-find), each with the reasons that
//! joined it.

use crate::lines::LineSet;
use crate::model::Verdict;
use kdelta_queue::Queue;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};

/// How the clustering decides.
#[derive(Clone, Debug)]
pub struct CompareOptions {
    /// Changed-line similarity at or above which two patches are the same change.
    pub similar: f64,
    /// Similarity that confirms two patches with the same subject.
    pub subject_confirm: f64,
    /// A file changed by more patches than this does not pair them up (Makefiles, Kconfig).
    pub max_per_file: usize,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            similar: 0.6,
            subject_confirm: 0.2,
            max_per_file: 60,
        }
    }
}

/// Why two patches are in one cluster.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "detail")]
pub enum Link {
    /// Both are (or name) this upstream commit.
    SameCommit(String),
    /// Both have this stable patch-id.
    SamePatchId(String),
    /// Their changed lines are this similar (percent).
    SimilarLines(u32),
    /// Same normalised subject, and they change a file in common.
    SameSubject(String),
    /// The distributions' annotations put both in this feature.
    SameFeature(String),
}

/// One patch of one queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Member {
    /// Which queue (index into the queues compared).
    pub queue: usize,
    /// Which entry of that queue (index into its entries).
    pub entry: usize,
}

/// Patches of one or more queues that make the same change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cluster {
    /// The patches, by queue then queue order.
    pub members: Vec<Member>,
    /// What joined them (empty for a single patch).
    pub links: Vec<Link>,
}

impl Cluster {
    /// The queues with a patch in the cluster.
    pub fn queues(&self) -> BTreeSet<usize> {
        self.members.iter().map(|m| m.queue).collect()
    }
}

/// What the clustering knows of one patch, apart from its queue: kept beside an analysis
/// (a server's snapshot), so that queues analysed at different times can be clustered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatchFacts {
    /// The patch's name in its queue.
    pub name: String,
    /// The upstream commit it is or names.
    pub commit: Option<String>,
    /// Its stable patch-id.
    pub patch_id: Option<String>,
    /// Its normalised subject.
    pub subject: Option<String>,
    /// The files it changes.
    pub files: Vec<String>,
    /// Its changed lines.
    pub lines: LineSet,
}

/// One patch as the clustering sees it: where it is, its facts, its feature.
struct Facts<'f> {
    member: Member,
    facts: &'f PatchFacts,
    feature: Option<&'f str>,
}

/// Cluster the patches of `queues` (each with its verdicts, in entry order).
pub fn cluster(queues: &[(&Queue, &[Verdict])], options: &CompareOptions) -> Vec<Cluster> {
    cluster_with_features(queues, &[], options)
}

/// [`cluster`], also joining patches of different queues that the distributions' annotations
/// put in the same feature: `features[q]` maps queue `q`'s patch names to feature names.
pub fn cluster_with_features(
    queues: &[(&Queue, &[Verdict])],
    features: &[HashMap<String, String>],
    options: &CompareOptions,
) -> Vec<Cluster> {
    let facts: Vec<Vec<PatchFacts>> = queues
        .iter()
        .map(|(queue, verdicts)| patch_facts(queue, verdicts))
        .collect();
    let facts: Vec<&[PatchFacts]> = facts.iter().map(Vec::as_slice).collect();
    cluster_facts(&facts, features, options)
}

/// [`cluster_with_features`] from each queue's [`patch_facts`] (in entry order).
pub fn cluster_facts(
    queues: &[&[PatchFacts]],
    features: &[HashMap<String, String>],
    options: &CompareOptions,
) -> Vec<Cluster> {
    let mut facts = Vec::new();
    for (q, patches) in queues.iter().enumerate() {
        for (e, patch) in patches.iter().enumerate() {
            facts.push(Facts {
                member: Member { queue: q, entry: e },
                facts: patch,
                feature: features
                    .get(q)
                    .and_then(|m| m.get(&patch.name))
                    .map(String::as_str),
            });
        }
    }
    let mut sets = UnionFind::new(facts.len());
    let mut edges: Vec<(usize, Link)> = Vec::new();
    let mut link = |a: usize, b: usize, why: Link, sets: &mut UnionFind| {
        if a != b {
            sets.union(a, b);
            edges.push((a, why));
        }
    };
    // A feature several distributions annotate joins all its patches, in every queue.
    let mut by_feature: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in facts.iter().enumerate() {
        if let Some(feature) = f.feature {
            by_feature.entry(feature).or_default().push(i);
        }
    }
    let mut features: Vec<(&str, Vec<usize>)> = by_feature.into_iter().collect();
    features.sort();
    for (feature, patches) in features {
        let queues: HashSet<usize> = patches.iter().map(|&i| facts[i].member.queue).collect();
        if queues.len() >= 2 {
            for &i in &patches[1..] {
                link(
                    i,
                    patches[0],
                    Link::SameFeature(feature.to_string()),
                    &mut sets,
                );
            }
        }
    }
    for key in [Key::Commit, Key::PatchId] {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, f) in facts.iter().enumerate() {
            let value = match key {
                Key::Commit => f.facts.commit.as_deref(),
                Key::PatchId => f.facts.patch_id.as_deref(),
            };
            if let Some(v) = value {
                let j = *first.entry(v).or_insert(i);
                let why = match key {
                    Key::Commit => Link::SameCommit(v.to_string()),
                    Key::PatchId => Link::SamePatchId(v.to_string()),
                };
                link(i, j, why, &mut sets);
            }
        }
    }
    for pair in candidate_pairs(&facts, options.max_per_file) {
        let (a, b) = (pair.a, pair.b);
        let (fa, fb) = (facts[a].facts, facts[b].facts);
        let same_subject = fa.subject.is_some() && fa.subject == fb.subject;
        if pair.similarity >= options.similar {
            let percent = (pair.similarity * 100.0).round() as u32;
            link(a, b, Link::SimilarLines(percent), &mut sets);
        } else if same_subject && (pair.share_a_file || pair.similarity >= options.subject_confirm)
        {
            let subject = fa.subject.clone().unwrap_or_default();
            link(a, b, Link::SameSubject(subject), &mut sets);
        }
    }
    assemble(&facts, &mut sets, edges)
}

#[derive(Clone, Copy)]
enum Key {
    Commit,
    PatchId,
}

/// What the clustering knows of each patch of `queue` (with its verdicts, in entry order).
pub fn patch_facts(queue: &Queue, verdicts: &[Verdict]) -> Vec<PatchFacts> {
    queue
        .entries
        .iter()
        .zip(verdicts)
        .map(|(entry, verdict)| {
            let patch = entry.patch.as_ref();
            let files = patch
                .map(|p| {
                    p.files
                        .iter()
                        .filter_map(|f| f.new_path.as_ref().or(f.old_path.as_ref()))
                        .map(|p| p.to_string())
                        .collect()
                })
                .unwrap_or_default();
            PatchFacts {
                name: entry.name.clone(),
                commit: verdict.commit.clone(),
                patch_id: patch.and_then(|p| p.patch_id()).map(|id| id.to_string()),
                subject: verdict
                    .subject
                    .as_deref()
                    .map(kdelta_upstream::record::normalize_subject)
                    .filter(|s| !s.is_empty()),
                files,
                lines: patch
                    .map(|p| LineSet::of_files(&p.files))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Two patches of different queues worth comparing, and how alike their lines are.
struct Pair {
    a: usize,
    b: usize,
    share_a_file: bool,
    similarity: f64,
}

/// The pairs worth comparing: patches of different queues that change a file in common
/// (files changed by more than `max_per_file` patches do not pair), or that have the same
/// normalised subject (a patch whose file moved keeps its subject).
fn candidate_pairs(facts: &[Facts], max_per_file: usize) -> Vec<Pair> {
    let mut by_file: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_subject: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in facts.iter().enumerate() {
        for file in &f.facts.files {
            by_file.entry(file.as_str()).or_default().push(i);
        }
        if let Some(subject) = &f.facts.subject {
            by_subject.entry(subject.as_str()).or_default().push(i);
        }
    }
    let mut seen = HashSet::new();
    let mut pairs = Vec::new();
    for (groups, share_a_file) in [(by_file, true), (by_subject, false)] {
        let mut keys: Vec<&&str> = groups.keys().collect();
        keys.sort();
        for key in keys {
            let patches = &groups[*key];
            if patches.len() > max_per_file {
                continue;
            }
            for (k, &a) in patches.iter().enumerate() {
                for &b in &patches[k + 1..] {
                    if facts[a].member.queue != facts[b].member.queue && seen.insert((a, b)) {
                        pairs.push(Pair {
                            a,
                            b,
                            share_a_file,
                            similarity: facts[a].facts.lines.similarity(&facts[b].facts.lines),
                        });
                    }
                }
            }
        }
    }
    pairs
}

fn assemble(facts: &[Facts], sets: &mut UnionFind, edges: Vec<(usize, Link)>) -> Vec<Cluster> {
    let mut index: HashMap<usize, usize> = HashMap::new();
    let mut clusters: Vec<Cluster> = Vec::new();
    for (i, f) in facts.iter().enumerate() {
        let root = sets.find(i);
        let c = *index.entry(root).or_insert_with(|| {
            clusters.push(Cluster {
                members: Vec::new(),
                links: Vec::new(),
            });
            clusters.len() - 1
        });
        clusters[c].members.push(f.member);
    }
    for (a, why) in edges {
        let c = index[&sets.find(a)];
        if !clusters[c].links.contains(&why) {
            clusters[c].links.push(why);
        }
    }
    for c in &mut clusters {
        c.members.sort();
        c.links.sort();
    }
    clusters.sort_by_key(|c| (std::cmp::Reverse(c.queues().len()), c.members[0]));
    clusters
}

/// Disjoint sets with path halving.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests;
