//! Walking a directory on disk: list it (skipping `.git`), then read the files with a few
//! threads.

use super::walk::{FileRead, Walked};
use super::{parallel, TreeError};
use std::path::{Path, PathBuf};

/// One entry of the listing.
pub(super) struct Item {
    /// Relative, `/`-separated.
    pub(super) rel: String,
    /// Where to read it; `None` for symlinks (listed, not read).
    pub(super) full: Option<PathBuf>,
    /// Its size and modification time, when listed with them (regular files only).
    pub(super) stamp: Option<(u64, u128)>,
}

/// Walk the directory `root`, listed as `listed` when that is already done.
pub(super) fn walk<V: Send>(
    root: &Path,
    listed: Option<Vec<Item>>,
    make: impl Fn() -> V + Sync,
    visit: impl Fn(&mut V, FileRead<'_>) + Sync,
) -> Result<Walked<V>, TreeError> {
    let describe = root.display().to_string();
    let items = match listed {
        Some(items) => items,
        None => list(root)?,
    };
    let visitors = parallel::for_each(
        &describe,
        items.len(),
        || Ok(make()),
        |visitor, i| {
            let Some(item) = items.get(i) else {
                return Ok(());
            };
            if let Some(full) = &item.full {
                let bytes = std::fs::read(full).map_err(|e| TreeError::io(full, e))?;
                let name = item.rel.as_str();
                visit(
                    visitor,
                    FileRead {
                        id: i as u32,
                        name,
                        bytes,
                    },
                );
            }
            Ok(())
        },
    )?;
    Ok(Walked {
        names: items.into_iter().map(|item| item.rel).collect(),
        visitors,
        describe,
        git: None,
    })
}

/// Every regular file and symlink below `root`, sorted by relative path.
pub(super) fn list(root: &Path) -> Result<Vec<Item>, TreeError> {
    list_with(root, false)
}

/// [`list`], with every regular file's size and modification time (from the directory
/// being read, not by its whole path). The top directories are shared by two threads.
pub(super) fn list_stamped(root: &Path) -> Result<Vec<Item>, TreeError> {
    list_with(root, true)
}

fn list_with(root: &Path, stamp: bool) -> Result<Vec<Item>, TreeError> {
    let mut items = Vec::new();
    let mut dirs = Vec::new();
    walk_entries(root, "", stamp, &mut items, &mut |path, rel| {
        dirs.push((path, rel));
        Ok(())
    })?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || -> Result<Vec<Item>, TreeError> {
        let mut out = Vec::new();
        while let Some((path, rel)) =
            dirs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
        {
            walk_dir(path, rel, stamp, &mut out)?;
        }
        Ok(out)
    };
    let (mine, theirs) = std::thread::scope(|scope| {
        let helper = scope.spawn(work);
        (work(), helper.join())
    });
    let theirs = theirs.map_err(|_| TreeError::Internal {
        source_name: root.display().to_string(),
        message: "a thread listing the tree panicked".into(),
    })?;
    items.extend(mine?);
    items.extend(theirs?);
    items.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    Ok(items)
}

fn walk_dir(dir: &Path, rel: &str, stamp: bool, out: &mut Vec<Item>) -> Result<(), TreeError> {
    let mut subdirs = Vec::new();
    walk_entries(dir, rel, stamp, out, &mut |path, rel| {
        subdirs.push((path, rel));
        Ok(())
    })?;
    for (path, rel) in subdirs {
        walk_dir(&path, &rel, stamp, out)?;
    }
    Ok(())
}

/// The files and symlinks of `dir` (whose relative path is `rel`) into `out`; each
/// subdirectory to `subdir`.
fn walk_entries(
    dir: &Path,
    rel: &str,
    stamp: bool,
    out: &mut Vec<Item>,
    subdir: &mut dyn FnMut(PathBuf, String) -> Result<(), TreeError>,
) -> Result<(), TreeError> {
    let entries = std::fs::read_dir(dir).map_err(|e| TreeError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| TreeError::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == ".git" {
            continue;
        }
        let rel = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| TreeError::io(&path, e))?;
        if kind.is_dir() {
            subdir(path, rel)?;
        } else if kind.is_symlink() {
            out.push(Item {
                rel,
                full: None,
                stamp: None,
            });
        } else if kind.is_file() {
            let stamp = match stamp {
                true => Some(stamp_of(
                    &entry.metadata().map_err(|e| TreeError::io(&path, e))?,
                )),
                false => None,
            };
            out.push(Item {
                rel,
                full: Some(path),
                stamp,
            });
        }
    }
    Ok(())
}

/// A file's size and modification time (nanoseconds since the epoch, 0 when unknown).
fn stamp_of(meta: &std::fs::Metadata) -> (u64, u128) {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (meta.len(), mtime)
}
