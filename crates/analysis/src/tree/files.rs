//! The tree's files as patches need them, read on demand from the tree index's content
//! and kept, with their line indexes, up to a memory budget (then the oldest half goes).

use kdelta_patch::apply::{CheckOptions, Target};
use kdelta_upstream::tree::TreeIndex;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Bytes of file content kept at once (line indexes count about three times their file).
const BUDGET: usize = 256 << 20;

/// Files read so far, and their line indexes.
#[derive(Default)]
pub(super) struct FileCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    bytes: HashMap<String, Option<Arc<Vec<u8>>>>,
    targets: HashMap<(String, bool), Option<Arc<Target<'static>>>>,
    /// Paths in the order they were first read, for eviction.
    order: Vec<String>,
    kept: usize,
}

impl FileCache {
    /// The bytes of `path`, `None` when the tree has no such (readable) file.
    pub(super) fn bytes(&self, index: &TreeIndex, path: &str) -> Option<Arc<Vec<u8>>> {
        let mut inner = self.inner.lock().ok()?;
        if let Some(found) = inner.bytes.get(path) {
            return found.clone();
        }
        // A file that cannot be read counts as absent; the tree index said it exists, so
        // this only happens when the tree changed under us.
        let read = index.read(path).ok().flatten().map(Arc::new);
        inner.kept += read.as_ref().map_or(0, |b| b.len());
        inner.order.push(path.to_string());
        inner.bytes.insert(path.to_string(), read.clone());
        if inner.kept > BUDGET {
            inner.evict();
        }
        read
    }

    /// `path` indexed by lines for hunk checks.
    pub(super) fn target(
        &self,
        index: &TreeIndex,
        path: &str,
        whitespace: bool,
    ) -> Option<Arc<Target<'static>>> {
        let key = (path.to_string(), whitespace);
        if let Some(found) = self.inner.lock().ok()?.targets.get(&key) {
            return found.clone();
        }
        let bytes = self.bytes(index, path);
        let options = CheckOptions {
            ignore_whitespace: whitespace,
            ..CheckOptions::default()
        };
        let target = bytes.map(|b| Arc::new(Target::owned(&b, &options)));
        let mut inner = self.inner.lock().ok()?;
        inner.kept += target.as_ref().map_or(0, |_| 2 * bytes_len(&inner, path));
        inner.targets.insert(key, target.clone());
        target
    }
}

fn bytes_len(inner: &Inner, path: &str) -> usize {
    inner
        .bytes
        .get(path)
        .and_then(|b| b.as_ref().map(|b| b.len()))
        .unwrap_or(0)
}

impl Inner {
    /// Forget the older half of what was read.
    fn evict(&mut self) {
        let half = self.order.len() / 2;
        for path in self.order.drain(..half) {
            self.bytes.remove(&path);
            self.targets.remove(&(path.clone(), false));
            self.targets.remove(&(path, true));
        }
        self.kept = self.bytes.values().flatten().map(|b| b.len() * 3).sum();
    }
}
