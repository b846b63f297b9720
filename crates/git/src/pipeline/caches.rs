//! Caches shared by the workers of a pipeline.
//!
//! * The pack cache holds decoded pack entries by pack offset; gitoxide consults it for
//!   every link of a delta chain, so an older version of a file is one delta away from
//!   the newer version decoded just before, whichever worker decoded that one.
//! * The blob cache holds decoded blobs by id, already split into lines (or just marked
//!   binary): a commit's old blob is usually the new blob of the commit that touched the
//!   file before, so about half of all blob reads are served from it, without copying.
//!
//! Both are memory-capped LRU maps behind a mutex, held only to look up or insert an
//! `Arc`; copying data happens outside the lock.

use crate::pipeline::linediff::Text;
use crate::render::is_binary;
use clru::{CLruCache, CLruCacheConfig, WeightScale};
use gix::odb::pack::cache::DecodeEntry;
use gix::ObjectId;
use std::collections::hash_map::RandomState;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard};

/// Bookkeeping bytes counted for each cache entry besides its data.
const ENTRY_OVERHEAD: usize = 64;

/// A blob as the patch-id needs it: binary, or text split into lines.
#[derive(Debug)]
pub(crate) struct Blob {
    /// git would call it binary: only its id matters, its text is not kept.
    pub binary: bool,
    /// The lines (empty for a binary blob).
    pub text: Text,
}

impl Blob {
    /// A binary blob (its content is not kept).
    fn binary() -> Blob {
        Blob {
            binary: true,
            text: Text::default(),
        }
    }

    /// The blob of `data`, text or binary as git decides.
    pub fn new(data: Vec<u8>) -> Blob {
        if is_binary(&data) {
            Blob::binary()
        } else {
            Blob {
                binary: false,
                text: Text::new(data),
            }
        }
    }
}

/// A cache entry: its memory weight, and the buffer it gives back when evicted.
trait Weighed {
    fn weight(&self) -> usize;
    fn into_buffer(self) -> Vec<u8>;
}

impl Weighed for Blob {
    fn weight(&self) -> usize {
        self.text.weight() + ENTRY_OVERHEAD
    }
    fn into_buffer(self) -> Vec<u8> {
        self.text.data
    }
}

/// A decoded pack entry.
struct PackEntry {
    data: Vec<u8>,
    kind: gix::objs::Kind,
    compressed_size: usize,
}

impl Weighed for PackEntry {
    fn weight(&self) -> usize {
        self.data.capacity() + ENTRY_OVERHEAD
    }
    fn into_buffer(self) -> Vec<u8> {
        self.data
    }
}

struct ByWeight;

impl<K, V: Weighed> WeightScale<K, Arc<V>> for ByWeight {
    fn weight(&self, _key: &K, value: &Arc<V>) -> usize {
        value.weight()
    }
}

/// How many evicted buffers are kept for reuse.
const SPARE_BUFFERS: usize = 8;

/// The state behind the mutex: the LRU map (evicted by hand, to recycle buffers).
struct Lru<K, V: Weighed> {
    map: CLruCache<K, Arc<V>, RandomState, ByWeight>,
    capacity: usize,
    spare: Vec<Vec<u8>>,
}

/// A memory-capped LRU map shared between threads.
struct Shared<K, V: Weighed>(Arc<Mutex<Lru<K, V>>>);

impl<K, V: Weighed> Clone for Shared<K, V> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<K: Eq + std::hash::Hash, V: Weighed> Shared<K, V> {
    fn new(bytes: usize) -> Self {
        let config = CLruCacheConfig::new(NonZeroUsize::MAX).with_scale(ByWeight);
        Shared(Arc::new(Mutex::new(Lru {
            map: CLruCache::with_config(config),
            capacity: bytes,
            spare: Vec::new(),
        })))
    }

    fn lock(&self) -> MutexGuard<'_, Lru<K, V>> {
        // A worker that panicked while holding the lock left a consistent map behind.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn get(&self, key: &K) -> Option<Arc<V>> {
        self.lock().map.get(key).cloned()
    }

    /// A buffer holding a copy of `data`, recycled from an evicted entry if one fits
    /// (the smallest whose capacity is at most half as large again as needed).
    fn buffer_with(&self, data: &[u8]) -> Vec<u8> {
        let (need, limit) = (data.len(), 2 * data.len() + 4096);
        let recycled = {
            let mut lru = self.lock();
            let best = lru
                .spare
                .iter()
                .enumerate()
                .filter(|(_, b)| (need..=limit).contains(&b.capacity()))
                .min_by_key(|(_, b)| b.capacity())
                .map(|(at, _)| at);
            best.map(|at| lru.spare.swap_remove(at))
        };
        let mut buffer = recycled.unwrap_or_else(|| Vec::with_capacity(need));
        buffer.clear();
        buffer.extend_from_slice(data);
        buffer
    }

    fn put(&self, key: K, value: Arc<V>) {
        let weight = value.weight();
        let mut lru = self.lock();
        if weight > lru.capacity {
            return;
        }
        while lru.map.weight() + weight > lru.capacity {
            let Some((_, evicted)) = lru.map.pop_back() else {
                break;
            };
            if let Ok(evicted) = Arc::try_unwrap(evicted) {
                if lru.spare.len() < SPARE_BUFFERS {
                    lru.spare.push(evicted.into_buffer());
                }
            }
        }
        // Cannot fail: the map's own capacity is unbounded.
        let _ = lru.map.put_with_weight(key, value);
    }
}

/// Sizes of the caches shared by the workers of a pipeline.
#[derive(Clone, Copy, Debug)]
pub struct CacheSizes {
    /// Bytes of decoded pack entries (delta bases); 0 for none.
    pub pack_bytes: usize,
    /// Bytes of decoded blobs with their line tables; 0 for none.
    pub blob_bytes: usize,
}

impl Default for CacheSizes {
    fn default() -> Self {
        CacheSizes {
            pack_bytes: 96 << 20,
            blob_bytes: 128 << 20,
        }
    }
}

/// The caches one or more workers share (cheap to clone: clones share the maps).
#[derive(Clone)]
pub struct SharedCaches {
    pack: Option<SharedPackCache>,
    blobs: Option<Shared<ObjectId, Blob>>,
}

impl SharedCaches {
    /// Empty caches of the given sizes.
    pub fn new(sizes: CacheSizes) -> SharedCaches {
        SharedCaches {
            pack: (sizes.pack_bytes > 0).then(|| SharedPackCache(Shared::new(sizes.pack_bytes))),
            blobs: (sizes.blob_bytes > 0).then(|| Shared::new(sizes.blob_bytes)),
        }
    }

    /// Make `repo` use the shared pack cache and no object cache (blobs are cached here,
    /// and an object cache for the trees, read twice each, measured no faster).
    pub(crate) fn attach(&self, repo: &mut gix::Repository) {
        match &self.pack {
            Some(pack) => {
                let pack = pack.clone();
                repo.objects.set_pack_cache(move || Box::new(pack.clone()));
            }
            None => repo.objects.unset_pack_cache(),
        }
        repo.object_cache_size(0);
    }

    pub(crate) fn blob(&self, id: &ObjectId) -> Option<Arc<Blob>> {
        self.blobs.as_ref()?.get(id)
    }

    /// Make a blob of `data` (a copy) and keep it; `scratch` is for splitting lines.
    pub(crate) fn put_blob(&self, id: ObjectId, data: &[u8], scratch: &mut Vec<u32>) -> Arc<Blob> {
        let Some(blobs) = &self.blobs else {
            return Arc::new(Blob::new(data.to_vec()));
        };
        let blob = if is_binary(data) {
            Blob::binary()
        } else {
            Blob {
                binary: false,
                text: Text::with_scratch(blobs.buffer_with(data), scratch),
            }
        };
        let blob = Arc::new(blob);
        blobs.put(id, Arc::clone(&blob));
        blob
    }
}

/// gitoxide's delta-base cache, shared by the workers.
#[derive(Clone)]
struct SharedPackCache(Shared<(u32, u64), PackEntry>);

impl DecodeEntry for SharedPackCache {
    fn put(
        &mut self,
        pack_id: u32,
        offset: u64,
        data: &[u8],
        kind: gix::objs::Kind,
        compressed_size: usize,
    ) {
        let entry = PackEntry {
            data: self.0.buffer_with(data),
            kind,
            compressed_size,
        };
        self.0.put((pack_id, offset), Arc::new(entry));
    }

    fn get(
        &mut self,
        pack_id: u32,
        offset: u64,
        out: &mut Vec<u8>,
    ) -> Option<(gix::objs::Kind, usize)> {
        let entry = self.0.get(&(pack_id, offset))?;
        out.clear();
        out.extend_from_slice(&entry.data);
        Some((entry.kind, entry.compressed_size))
    }
}
