//! Where a posting stands: its series, every version of it and the latest, the replies
//! in the latest version's thread, the reviews given and an "applied" reply.

use crate::store::{ArchiveStore, Posting, Response, SeriesRow};
use kdelta_upstream::StoreError;
use serde::Serialize;

/// What the lists say about one posting.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PostingStatus {
    /// The mail found.
    pub posting: Posting,
    /// Every version of its series, oldest first (empty when it belongs to none).
    pub versions: Vec<SeriesRow>,
    /// Replies in the latest version's thread.
    pub replies: usize,
    /// Replies with review trailers, oldest first.
    pub reviews: Vec<Response>,
    /// The reply saying the latest version was applied, and where.
    pub applied: Option<Response>,
    /// The newest mail of the latest version's thread (or of its posting).
    pub last_activity: Option<i64>,
}

impl PostingStatus {
    /// The latest version of the series.
    pub fn latest(&self) -> Option<&SeriesRow> {
        self.versions.last()
    }
}

/// Follow a posting's series through its versions and read the latest one's thread.
pub fn status_of(store: &ArchiveStore, posting: Posting) -> Result<PostingStatus, StoreError> {
    let versions = match posting.series {
        Some(id) => versions_of(store, id)?,
        None => Vec::new(),
    };
    let root = versions
        .last()
        .map_or(posting.message_id.clone(), |s| s.root.clone());
    let thread = store.thread(&root)?;
    let applied = thread
        .responses
        .iter()
        .rev()
        .find(|r| r.applied.is_some())
        .cloned();
    let reviews: Vec<Response> = thread
        .responses
        .into_iter()
        .filter(|r| !r.reviews.is_empty())
        .collect();
    let last_activity = thread
        .last
        .into_iter()
        .chain(versions.last().and_then(|s| s.date))
        .chain(posting.date)
        .max();
    Ok(PostingStatus {
        posting,
        versions,
        replies: thread.replies,
        reviews,
        applied,
        last_activity,
    })
}

/// The versions of the series `id`: back through `previous`, then forward through the
/// newest next version, oldest first. Bounded, so that a cycle cannot loop.
fn versions_of(store: &ArchiveStore, id: i64) -> Result<Vec<SeriesRow>, StoreError> {
    let mut chain = Vec::new();
    let mut at = store.series(id)?;
    while let Some(s) = at {
        if chain.len() > 64 || chain.iter().any(|c: &SeriesRow| c.id == s.id) {
            break;
        }
        at = match s.previous {
            Some(p) => store.series(p)?,
            None => None,
        };
        chain.push(s);
    }
    chain.reverse();
    let mut last = chain.last().map(|s| s.id);
    while let Some(current) = last {
        let next = store
            .next_versions(current)?
            .into_iter()
            .max_by_key(|s| (s.version, s.date));
        match next {
            Some(n) if chain.len() <= 64 && !chain.iter().any(|c| c.id == n.id) => {
                last = Some(n.id);
                chain.push(n);
            }
            _ => last = None,
        }
    }
    Ok(chain)
}
