//! The upstream side of the analysis: the history index (with its similarity index), and —
//! when the repository is at hand — the commits' exact diffs and their ancestry at the
//! revision judged against (`--at`).

use crate::lines::LineSet;
use crate::AnalysisError;
use kdelta_patch::{ParseOptions, Patch, PatchId};
use kdelta_upstream::lsh::LshIndex;
use kdelta_upstream::{Lookup, Ranked, Store, StoredCommit};
use std::collections::{HashMap, HashSet};

/// Buckets shared by more commits than this are too common to retrieve candidates by.
const MAX_BUCKET: usize = 200;

/// The upstream history: index, similarity index, and optionally the repository.
pub struct History {
    store: Store,
    lsh: LshIndex,
    repo: Option<Repo>,
    /// Whether the index keeps the commits' text (format 4 and later).
    text: bool,
}

/// The repository, the revision judged against, and what was learnt about its commits.
struct Repo {
    repo: gix::Repository,
    at: gix::ObjectId,
    formatter: kdelta_git::PatchFormatter,
    /// Every commit in the history of `at`, read on first need (one walk, not one
    /// merge-base search per candidate).
    reachable: Option<HashSet<gix::ObjectId>>,
    lines: HashMap<gix::ObjectId, LineSet>,
}

impl History {
    /// The history of `store`; with `repo`, candidates are checked against revision `at`
    /// (an ancestor of it, or not) and their exact diffs compared.
    pub fn new(
        store: Store,
        repo: Option<(gix::Repository, gix::ObjectId)>,
    ) -> Result<History, AnalysisError> {
        let lsh = LshIndex::build(store.minhashes()?);
        let repo = repo.map(|(repo, at)| Repo {
            formatter: kdelta_git::PatchFormatter::new(&repo),
            repo,
            at,
            reachable: None,
            lines: HashMap::new(),
        });
        let text = store.has_text()?;
        Ok(History {
            store,
            lsh,
            repo,
            text,
        })
    }

    /// The index.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The commits whose id starts with `prefix`.
    pub fn by_commit(&self, prefix: &str) -> Result<Vec<StoredCommit>, AnalysisError> {
        Ok(self.store.lookup(&Lookup::Commit(prefix.to_string()))?)
    }

    /// The commits `commit` (a stored commit) says it was cherry-picked or backported from.
    pub fn picked_from(&self, commit: &StoredCommit) -> Result<Vec<StoredCommit>, AnalysisError> {
        let mut out = Vec::new();
        for id in self.store.picked_from(commit.row)? {
            if id.len() >= 7 {
                out.extend(self.by_commit(&id)?);
            }
        }
        Ok(out)
    }

    /// The commits with this stable patch-id.
    pub fn by_patch_id(&self, id: PatchId) -> Result<Vec<StoredCommit>, AnalysisError> {
        Ok(self.store.lookup(&Lookup::PatchId(id))?)
    }

    /// The commits with this subject, normalised.
    pub fn by_subject(&self, subject: &str) -> Result<Vec<StoredCommit>, AnalysisError> {
        Ok(self.store.lookup(&Lookup::Subject(subject.to_string()))?)
    }

    /// Commits whose changed lines may be similar, most similar bands first, at most `limit`.
    pub fn similar(
        &self,
        lines: &LineSet,
        limit: usize,
    ) -> Result<Vec<StoredCommit>, AnalysisError> {
        let Some(minhash) = lines.minhash() else {
            return Ok(Vec::new());
        };
        let rows: Vec<i64> = self
            .lsh
            .candidates(&minhash, MAX_BUCKET)
            .into_iter()
            .take(limit)
            .map(|(row, _)| row)
            .collect();
        Ok(self.store.commits_by_rows(&rows)?)
    }

    /// The `limit` commits best described by `terms`, best first, each with its rank
    /// facts; none when the index keeps no text (written before format 4).
    pub fn described(
        &self,
        terms: &[String],
        limit: usize,
    ) -> Result<Vec<(StoredCommit, Ranked)>, AnalysisError> {
        if !self.text {
            return Ok(Vec::new());
        }
        let ranked = self.store.rank_by_text(terms, limit)?;
        let rows: Vec<i64> = ranked.iter().map(|r| r.row).collect();
        let commits = self.store.commits_by_rows(&rows)?;
        Ok(commits
            .into_iter()
            .filter_map(|c| {
                let r = ranked.iter().find(|r| r.row == c.row)?.clone();
                Some((c, r))
            })
            .collect())
    }

    /// Whether `name` is rare enough in the index's text to tell one change from another:
    /// found in at most 20 commits, or one in 5,000 for a large history.
    pub fn is_rare_name(&self, name: &str) -> Result<bool, AnalysisError> {
        if !self.text {
            return Ok(false);
        }
        let limit = (self.store.text_total()? / 5000).max(20);
        Ok(self.store.text_doc_count(&name.to_ascii_lowercase())? <= limit)
    }

    /// Whether the index keeps the commits' text, to rank them by description.
    pub fn has_text(&self) -> bool {
        self.text
    }

    /// The newest `limit` commits touching `path`.
    pub fn touching(&self, path: &str, limit: usize) -> Result<Vec<StoredCommit>, AnalysisError> {
        let rows = self.store.rows_touching(path, limit)?;
        Ok(self.store.commits_by_rows(&rows)?)
    }

    /// Whether `commit` is in the history of the revision judged against; `None` without
    /// the repository (the index holds what its refs reach).
    pub fn in_target(&mut self, commit: &str) -> Option<bool> {
        let repo = self.repo.as_mut()?;
        let id = gix::ObjectId::from_hex(commit.as_bytes()).ok()?;
        if repo.reachable.is_none() {
            repo.reachable = Some(reachable_from(&repo.repo, repo.at));
        }
        repo.reachable.as_ref().map(|set| set.contains(&id))
    }

    /// The exact changed lines of `commit`, when the repository is at hand.
    pub fn lines_of(&mut self, commit: &str) -> Option<&LineSet> {
        let repo = self.repo.as_mut()?;
        let id = gix::ObjectId::from_hex(commit.as_bytes()).ok()?;
        if !repo.lines.contains_key(&id) {
            let text = repo.formatter.format(id).ok()?.text;
            let patch = Patch::parse(&text, &ParseOptions::default());
            repo.lines.insert(id, LineSet::of_files(&patch.files));
        }
        repo.lines.get(&id)
    }
}

/// Every commit reachable from `at` (empty if the walk fails: nothing is then in target).
fn reachable_from(repo: &gix::Repository, at: gix::ObjectId) -> HashSet<gix::ObjectId> {
    let Ok(walk) = repo.rev_walk([at]).all() else {
        return HashSet::new();
    };
    walk.filter_map(Result::ok).map(|info| info.id).collect()
}
