//! First release of every commit: the earliest release tag (by the tagged commit's date)
//! whose history holds it — what `git describe --contains` answers for mainline — for all
//! commits in one pass over the history.
//!
//! Tags are taken in ascending order; a breadth-first walk from each tag visits only
//! commits no earlier tag reached (an earlier tag's commits stop the walk, since their
//! ancestors belong to that tag or an earlier one), so the whole pass reads each commit once.

use crate::store::ReleaseState;
use crate::store::{Store, StoreError};
use crate::IndexError;
use gix::prelude::FindExt;
use rusqlite::OptionalExtension;
use std::collections::{HashMap, HashSet, VecDeque};

/// A release tag: its short name, the commit it peels to, and that commit's time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseTag {
    /// `v3.14`, `RELEASE-4.17.0`.
    pub name: String,
    /// The commit.
    pub commit: gix::ObjectId,
    /// The commit's committer time.
    pub time: i64,
}

/// The tags whose short name matches `pattern` (a glob: `v*`, `RELEASE-*`), oldest first.
pub fn release_tags(repo: &gix::Repository, pattern: &str) -> Result<Vec<ReleaseTag>, IndexError> {
    let glob = globset::Glob::new(pattern)
        .map_err(|e| IndexError::Usage(format!("bad --release-pattern {pattern:?}: {e}")))?;
    let matcher = glob.compile_matcher();
    let git = |e: &dyn std::fmt::Display| IndexError::Git(e.to_string());
    let mut tags = Vec::new();
    let refs = repo.references().map_err(|e| git(&e))?;
    for reference in refs.tags().map_err(|e| git(&e))? {
        let mut reference = reference.map_err(|e| git(&e))?;
        let name = reference.name().shorten().to_string();
        if !matcher.is_match(&name) {
            continue;
        }
        let Ok(commit) = reference.peel_to_commit() else {
            continue;
        };
        let time = commit.time().map(|t| t.seconds).unwrap_or(0);
        tags.push(ReleaseTag {
            name,
            commit: commit.id,
            time,
        });
    }
    tags.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then_with(|| crate::version_cmp(&a.name, &b.name))
    });
    Ok(tags)
}

/// The first release of every commit reachable from some tag.
pub fn first_releases(
    repo: &gix::Repository,
    tags: &[ReleaseTag],
) -> Result<HashMap<gix::ObjectId, u32>, IndexError> {
    let mut owner: HashMap<gix::ObjectId, u32> = HashMap::new();
    let mut queue = VecDeque::new();
    let mut buf = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        if owner.contains_key(&tag.commit) {
            continue;
        }
        owner.insert(tag.commit, i);
        queue.push_back(tag.commit);
        while let Some(id) = queue.pop_front() {
            let commit = repo
                .objects
                .find_commit_iter(&id, &mut buf)
                .map_err(|e| IndexError::Git(format!("{id}: {e}")))?;
            for parent in commit.parent_ids() {
                if let std::collections::hash_map::Entry::Vacant(slot) = owner.entry(parent) {
                    slot.insert(i);
                    queue.push_back(parent);
                }
            }
        }
    }
    Ok(owner)
}

/// Bring first releases up to date: after new tags or commits (or with `force`), writing
/// only changed rows. Returns how many commits got a new release value.
///
/// When the release tags of the last run are still the oldest tags, in the same order (the
/// usual case: nothing removed, new releases are newer), a commit that has a release keeps
/// it, and so do its ancestors; only commits without one can change. The pass then walks
/// from each tag only through commits without a release ([`incremental_releases`]), which
/// costs the new commits, not the history. Otherwise every commit is recomputed.
pub fn update_releases(
    store: &mut Store,
    repo: &gix::Repository,
    pattern: &str,
    force: bool,
) -> Result<usize, IndexError> {
    let tags = release_tags(repo, pattern)?;
    // One key for whatever pattern: the release column holds one pattern's data, so a
    // change of pattern must recompute it all (the pattern line differs).
    let signature: String = std::iter::once(format!("pattern {pattern}\n"))
        .chain(tags.iter().map(|t| format!("{} {}\n", t.name, t.commit)))
        .collect();
    let key = "release-tags";
    let previous = store.meta(key)?;
    if !force && previous.as_deref() == Some(signature.as_str()) {
        return Ok(0);
    }
    let changed = match previous {
        Some(previous) if signature.starts_with(&previous) => {
            incremental_releases(store, repo, &tags)?
        }
        _ => {
            let owner = first_releases(repo, &tags)?;
            store.set_releases(|oid| owner.get(oid).map(|&i| tags[i as usize].name.as_str()))?
        }
    };
    store.set_meta(key, &signature)?;
    Ok(changed)
}

/// Give a release to the indexed commits without one that a tag now contains: walk from
/// each tag, oldest first, stopping at commits that have a release (their ancestors have
/// one too) or that an earlier tag of this pass reached.
pub fn incremental_releases(
    store: &mut Store,
    repo: &gix::Repository,
    tags: &[ReleaseTag],
) -> Result<usize, IndexError> {
    let mut reached: HashSet<gix::ObjectId> = HashSet::new();
    let mut assigned: Vec<(gix::ObjectId, u32)> = Vec::new();
    let mut queue = VecDeque::new();
    let mut buf = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        if !reached.insert(tag.commit) {
            continue;
        }
        queue.push_back(tag.commit);
        while let Some(id) = queue.pop_front() {
            match store.release_state(&id)? {
                ReleaseState::Released => continue,
                ReleaseState::Unreleased => assigned.push((id, i)),
                ReleaseState::NotIndexed => {}
            }
            let commit = repo
                .objects
                .find_commit_iter(&id, &mut buf)
                .map_err(|e| IndexError::Git(format!("{id}: {e}")))?;
            for parent in commit.parent_ids() {
                if reached.insert(parent) {
                    queue.push_back(parent);
                }
            }
        }
    }
    let changed = assigned.len();
    store.assign_releases(
        assigned
            .iter()
            .map(|(oid, i)| (oid, tags[*i as usize].name.as_str())),
    )?;
    Ok(changed)
}

impl Store {
    /// Whether the commit `oid` is indexed, and if so whether it has a release.
    pub fn release_state(&self, oid: &gix::ObjectId) -> Result<ReleaseState, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT release IS NOT NULL FROM commits WHERE oid = ?1")
            .map_err(|e| self.sql(e))?;
        let found: Option<bool> = stmt
            .query_row([oid.as_bytes()], |r| r.get(0))
            .optional()
            .map_err(|e| self.sql(e))?;
        Ok(match found {
            None => ReleaseState::NotIndexed,
            Some(true) => ReleaseState::Released,
            Some(false) => ReleaseState::Unreleased,
        })
    }

    /// Set the release of each commit given, in one transaction.
    pub fn assign_releases<'a>(
        &mut self,
        releases: impl Iterator<Item = (&'a gix::ObjectId, &'a str)>,
    ) -> Result<(), StoreError> {
        let path = self.path().to_path_buf();
        let sql = |e| StoreError::Sql {
            path: path.clone(),
            source: e,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        {
            let mut update = tx
                .prepare("UPDATE commits SET release = ?1 WHERE oid = ?2")
                .map_err(sql)?;
            for (oid, release) in releases {
                update
                    .execute(rusqlite::params![release, oid.as_bytes()])
                    .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// Set every commit's release to `release_of(oid)`, touching only rows that change.
    pub fn set_releases<'a>(
        &mut self,
        release_of: impl Fn(&gix::ObjectId) -> Option<&'a str>,
    ) -> Result<usize, StoreError> {
        let path = self.path().to_path_buf();
        let sql = |e| StoreError::Sql {
            path: path.clone(),
            source: e,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut changed = 0;
        {
            let mut select = tx
                .prepare("SELECT id, oid, release FROM commits")
                .map_err(sql)?;
            let mut update = tx
                .prepare("UPDATE commits SET release = ?1 WHERE id = ?2")
                .map_err(sql)?;
            let rows = select
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                    ))
                })
                .map_err(sql)?;
            let rows: Vec<_> = rows.collect::<Result<_, _>>().map_err(sql)?;
            for (id, oid, old) in rows {
                let Ok(oid) = gix::ObjectId::try_from(oid.as_slice()) else {
                    continue;
                };
                let new = release_of(&oid);
                if new != old.as_deref() {
                    update.execute(rusqlite::params![new, id]).map_err(sql)?;
                    changed += 1;
                }
            }
        }
        tx.commit().map_err(sql)?;
        Ok(changed)
    }
}
