//! Reading every file of a tree once, whatever the source: files are numbered in the
//! order the source lists them, handed to per-thread visitors with their bytes, and the
//! final path of every number is settled at the end (a tarball's shared top directory is
//! only known then).

use super::{dir, git, tarball, TreeError, TreeSource};

/// One file as it is read.
pub(super) struct FileRead<'a> {
    /// Its number: an index into [`Walked::names`].
    pub(super) id: u32,
    /// Its path as the source names it (a tarball's may still carry the top directory).
    pub(super) name: &'a str,
    /// Its bytes.
    pub(super) bytes: Vec<u8>,
}

/// What a walk produced.
pub(super) struct Walked<V> {
    /// The final path of every file number (regular files and symlinks), relative.
    pub(super) names: Vec<String>,
    /// The visitors, one per reading thread.
    pub(super) visitors: Vec<V>,
    /// The source, for messages (a git source names the commit too).
    pub(super) describe: String,
    /// For a git source: the tree id, and the blob of every file number.
    pub(super) git: Option<(gix::ObjectId, Vec<gix::ObjectId>)>,
}

/// Read every regular file of `source` once, calling `visit` on a visitor made by `make`
/// (one per thread). Symlinks are numbered and named but not read. A directory's listing,
/// when already made (for the cache key), is `listed`.
pub(super) fn walk<V: Send>(
    source: &TreeSource,
    listed: Option<Vec<dir::Item>>,
    make: impl Fn() -> V + Sync,
    visit: impl Fn(&mut V, FileRead<'_>) + Sync,
) -> Result<Walked<V>, TreeError> {
    match source {
        TreeSource::Dir(root) => dir::walk(root, listed, make, visit),
        TreeSource::Tarball(path) => tarball::walk(path, make, visit),
        TreeSource::Git { repo, rev } => git::walk(repo, rev, make, visit),
    }
}
