//! The way back from a path of the tree index to the file's bytes: read from the
//! directory, from the git blob, or from the compressed store written while a tarball was
//! read (a tarball cannot be read at random; its store can).
//!
//! The store is one file of zstd frames, one per file, located by a table of offsets
//! kept in the index.

use super::TreeError;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// zstd level of the store: fast, and still about a fifth of the source's size.
const STORE_LEVEL: i32 = 1;

/// Where a file of a compressed store is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Stored {
    pub(super) offset: u64,
    pub(super) compressed: u32,
    pub(super) len: u32,
}

/// How to read a file back.
pub(super) enum Content {
    /// Files of a directory.
    Dir(PathBuf),
    /// Blobs of a git repository, one per path number (the null id for a symlink).
    Git {
        repo_path: PathBuf,
        oids: Vec<gix::ObjectId>,
        repo: Box<Mutex<Option<gix::Repository>>>,
    },
    /// A store file, one entry per path number (symlinks have an empty entry).
    Store {
        file: PathBuf,
        entries: Vec<Stored>,
        handle: Mutex<Option<std::fs::File>>,
        /// A store outside the cache lives in a temporary directory, removed on drop.
        _temp: Option<tempfile::TempDir>,
    },
}

impl Content {
    /// The bytes of path number `id` (`path`), `None` for a symlink.
    pub(super) fn read(&self, id: u32, path: &str) -> Result<Option<Vec<u8>>, TreeError> {
        match self {
            Content::Dir(root) => read_dir_file(root, path),
            Content::Git {
                repo_path,
                oids,
                repo,
            } => {
                let Some(&oid) = oids.get(id as usize) else {
                    return Ok(None);
                };
                let mut guard = repo.lock().map_err(|_| poisoned(repo_path))?;
                if guard.is_none() {
                    let opened = gix::open(repo_path).map_err(|e| TreeError::git(repo_path, e))?;
                    *guard = Some(opened);
                }
                let Some(repo) = guard.as_ref() else {
                    return Ok(None);
                };
                if oid.is_null() {
                    return Ok(None);
                }
                super::git::read_blob(repo, repo_path, path, oid).map(Some)
            }
            Content::Store {
                file,
                entries,
                handle,
                ..
            } => {
                let Some(entry) = entries.get(id as usize).filter(|e| e.compressed > 0) else {
                    return Ok(None);
                };
                read_stored(file, handle, *entry).map(Some)
            }
        }
    }
}

fn poisoned(path: &Path) -> TreeError {
    TreeError::Internal {
        source_name: path.display().to_string(),
        message: "a reader of the tree panicked".into(),
    }
}

fn read_dir_file(root: &Path, path: &str) -> Result<Option<Vec<u8>>, TreeError> {
    let full = root.join(path);
    let meta = std::fs::symlink_metadata(&full).map_err(|e| TreeError::io(&full, e))?;
    if !meta.is_file() {
        return Ok(None);
    }
    std::fs::read(&full)
        .map(Some)
        .map_err(|e| TreeError::io(&full, e))
}

fn read_stored(
    file: &Path,
    handle: &Mutex<Option<std::fs::File>>,
    entry: Stored,
) -> Result<Vec<u8>, TreeError> {
    use std::os::unix::fs::FileExt;
    let mut guard = handle.lock().map_err(|_| poisoned(file))?;
    if guard.is_none() {
        *guard = Some(std::fs::File::open(file).map_err(|e| TreeError::io(file, e))?);
    }
    let Some(f) = guard.as_ref() else {
        return Err(poisoned(file));
    };
    let mut compressed = vec![0; entry.compressed as usize];
    f.read_exact_at(&mut compressed, entry.offset)
        .map_err(|e| TreeError::io(file, e))?;
    drop(guard);
    let bytes = zstd::bulk::decompress(&compressed, entry.len as usize).map_err(|e| {
        TreeError::io(
            file,
            std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
        )
    })?;
    if bytes.len() != entry.len as usize {
        return Err(TreeError::io(
            file,
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "a stored file is truncated",
            ),
        ));
    }
    Ok(bytes)
}

/// Writes a store while a tarball is read.
pub(super) struct StoreWriter {
    path: PathBuf,
    out: std::io::BufWriter<std::fs::File>,
    offset: u64,
    compressor: zstd::bulk::Compressor<'static>,
    /// Entries by walk number.
    pub(super) entries: Vec<Stored>,
    failed: Option<std::io::Error>,
}

impl StoreWriter {
    /// A store written to `path` (created or truncated).
    pub(super) fn create(path: &Path) -> Result<StoreWriter, TreeError> {
        let file = std::fs::File::create(path).map_err(|e| TreeError::io(path, e))?;
        let compressor =
            zstd::bulk::Compressor::new(STORE_LEVEL).map_err(|e| TreeError::io(path, e))?;
        Ok(StoreWriter {
            path: path.into(),
            out: std::io::BufWriter::with_capacity(1 << 20, file),
            offset: 0,
            compressor,
            entries: Vec::new(),
            failed: None,
        })
    }

    /// Store the bytes of walk number `id`.
    pub(super) fn add(&mut self, id: u32, bytes: &[u8]) {
        if self.failed.is_some() {
            return;
        }
        let compressed = match self.compressor.compress(bytes) {
            Ok(c) => c,
            Err(e) => {
                self.failed = Some(e);
                return;
            }
        };
        if let Err(e) = self.out.write_all(&compressed) {
            self.failed = Some(e);
            return;
        }
        let at = id as usize;
        if self.entries.len() <= at {
            self.entries.resize(at + 1, Stored::default());
        }
        self.entries[at] = Stored {
            offset: self.offset,
            compressed: u32::try_from(compressed.len()).unwrap_or(u32::MAX),
            len: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
        };
        self.offset += compressed.len() as u64;
    }

    /// Flush and sync the store; its entries by walk number.
    pub(super) fn finish(mut self) -> Result<Vec<Stored>, TreeError> {
        if let Some(e) = self.failed.take() {
            return Err(TreeError::io(&self.path, e));
        }
        self.out.flush().map_err(|e| TreeError::io(&self.path, e))?;
        self.out
            .into_inner()
            .map_err(|e| TreeError::io(&self.path, e.into_error()))?;
        Ok(self.entries)
    }
}
