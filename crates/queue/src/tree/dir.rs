//! A queue tree on the file system.

use super::Tree;
use crate::QueueError;
use std::path::{Path, PathBuf};

/// A directory on disk. A file whose real path (symlinks followed) is outside the directory
/// is not read: a queue never makes kdelta read files beside or above it.
#[derive(Clone, Debug)]
pub struct DirTree {
    root: PathBuf,
    /// The root with its symlinks followed, when it exists.
    real_root: Option<PathBuf>,
}

impl DirTree {
    /// The tree rooted at `root`.
    pub fn new(root: impl Into<PathBuf>) -> DirTree {
        let root = root.into();
        let real_root = std::fs::canonicalize(&root).ok();
        DirTree { root, real_root }
    }

    /// Where `full` really is, when that is outside the root.
    fn escapes(&self, full: &Path) -> Option<PathBuf> {
        let root = self.real_root.as_ref()?;
        let real = std::fs::canonicalize(full).ok()?;
        (!real.starts_with(root)).then_some(real)
    }

    fn full(&self, path: &str) -> PathBuf {
        if path.is_empty() {
            self.root.clone()
        } else {
            self.root.join(path)
        }
    }
}

impl Tree for DirTree {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, QueueError> {
        let full = self.full(path);
        if let Some(real) = self.escapes(&full) {
            return Err(QueueError::Outside {
                path: full,
                real: real.display().to_string(),
            });
        }
        match std::fs::read(&full) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) if full.is_dir() => Err(QueueError::io(full, e)).or(Ok(None)),
            Err(e) => Err(QueueError::io(full, e)),
        }
    }

    fn files_under(&self, dir: &str) -> Result<Vec<String>, QueueError> {
        let mut out = Vec::new();
        let base = self.full(dir);
        if base.is_dir() {
            walk(&base, dir, &mut out)?;
        }
        out.sort();
        Ok(out)
    }

    fn is_file(&self, path: &str) -> Result<bool, QueueError> {
        let full = self.full(path);
        Ok(full.is_file() && self.escapes(&full).is_none())
    }

    fn outside(&self, path: &str) -> Option<String> {
        self.escapes(&self.full(path))
            .map(|real| real.display().to_string())
    }

    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn display_path(&self, path: &str) -> String {
        self.full(path).display().to_string()
    }
}

fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) -> Result<(), QueueError> {
    let entries = std::fs::read_dir(dir).map_err(|e| QueueError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| QueueError::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == ".git" {
            continue;
        }
        let rel_path = super::join(rel, &name);
        let kind = entry
            .file_type()
            .map_err(|e| QueueError::io(entry.path(), e))?;
        if kind.is_dir() {
            walk(&entry.path(), &rel_path, out)?;
        } else {
            out.push(rel_path);
        }
    }
    Ok(())
}
