//! A read-only file tree that a queue lives in: a directory, a git tree at some
//! revision, or the contents of a tarball. Queue layouts are detected and read
//! through this one interface, so every layout works from every source.

mod dir;
mod git;
mod mem;

pub use dir::DirTree;
pub use git::GitTree;
pub use mem::MemTree;

use crate::QueueError;

/// Files addressed by `/`-separated relative paths.
pub trait Tree: Send + Sync {
    /// The file's bytes, or `None` when there is no such file.
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, QueueError>;
    /// Every file path below `dir` (`""` for the root), recursively, sorted.
    fn files_under(&self, dir: &str) -> Result<Vec<String>, QueueError>;
    /// Whether a file exists at `path`.
    fn is_file(&self, path: &str) -> Result<bool, QueueError>;
    /// A description for messages: the directory, `repo@rev`, or the tarball.
    fn describe(&self) -> String;
    /// How to show `path` in a message so that a user can find it.
    fn display_path(&self, path: &str) -> String {
        format!("{}/{}", self.describe(), path)
    }
    /// Where `path` really leads when that is outside the tree (a symlink out of a
    /// directory); such a file is never read.
    fn outside(&self, _path: &str) -> Option<String> {
        None
    }
}

/// Join a directory and a relative path with `/`, treating `""` as the root.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{}/{}", dir.trim_end_matches('/'), name)
    }
}

/// The keys of a path-keyed map that lie below `dir` (`""` for all), in order.
pub(crate) fn keys_under<V>(map: &std::collections::BTreeMap<String, V>, dir: &str) -> Vec<String> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{}/", dir.trim_end_matches('/'))
    };
    map.range(prefix.clone()..)
        .map(|(k, _)| k)
        .take_while(|k| k.starts_with(&prefix))
        .cloned()
        .collect()
}
