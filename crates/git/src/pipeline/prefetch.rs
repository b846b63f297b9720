//! Commit objects read by another walk, handed over to the pipeline's walker so that each
//! commit is inflated once: a [`Capturing`] object finder given to a rev-walk keeps the
//! bytes of every commit it reads in a [`Prefetched`] store (up to a byte budget), and the
//! pipeline takes them from there instead of reading the commit again.

use gix::ObjectId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Commit bytes read ahead, shared between the walk that reads them and the pipeline.
#[derive(Clone, Default)]
pub struct Prefetched {
    inner: Arc<Mutex<Store>>,
}

#[derive(Default)]
struct Store {
    commits: HashMap<ObjectId, Vec<u8>>,
    bytes: usize,
    taken: usize,
    put: usize,
}

/// Bytes of commit objects kept at most: past it, the pipeline reads commits itself. All of
/// xen.git's commits fit in 64 MB; on a larger history the walk runs ahead of the workers and
/// a larger budget would only hold memory longer.
const BUDGET: usize = 64 << 20;

impl std::fmt::Debug for Prefetched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let store = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("Prefetched")
            .field("commits", &store.commits.len())
            .field("bytes", &store.bytes)
            .field("put", &store.put)
            .field("taken", &store.taken)
            .finish()
    }
}

impl Prefetched {
    /// Keep `data`, the object bytes of commit `id`, unless the budget is spent.
    fn put(&self, id: ObjectId, data: &[u8]) {
        let mut store = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if store.bytes + data.len() <= BUDGET && !store.commits.contains_key(&id) {
            store.bytes += data.len();
            store.commits.insert(id, data.to_vec());
            store.put += 1;
        }
    }

    /// The bytes of commit `id`, if read ahead (they are handed over, not kept).
    pub(crate) fn take(&self, id: &ObjectId) -> Option<Vec<u8>> {
        let mut store = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let data = store.commits.remove(id)?;
        store.bytes -= data.len();
        store.taken += 1;
        Some(data)
    }
}

/// An object finder that keeps the bytes of every commit it finds in a [`Prefetched`].
pub struct Capturing<F> {
    find: F,
    into: Prefetched,
}

impl<F> Capturing<F> {
    /// Find objects with `find`, keeping commits in `into`.
    pub fn new(find: F, into: Prefetched) -> Capturing<F> {
        Capturing { find, into }
    }
}

impl<F: gix::objs::Find> gix::objs::Find for Capturing<F> {
    fn try_find<'a>(
        &self,
        id: &gix::oid,
        buffer: &'a mut Vec<u8>,
    ) -> gix::Result<Option<gix::objs::Data<'a>>> {
        let found = self.find.try_find(id, buffer)?;
        if let Some(data) = &found {
            if data.kind == gix::objs::Kind::Commit {
                self.into.put(id.to_owned(), data.data);
            }
        }
        Ok(found)
    }
}
