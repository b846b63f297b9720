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
    let mut items = Vec::new();
    walk_dir(root, "", &mut items)?;
    items.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    Ok(items)
}

fn walk_dir(dir: &Path, rel: &str, out: &mut Vec<Item>) -> Result<(), TreeError> {
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
            walk_dir(&path, &rel, out)?;
        } else if kind.is_symlink() {
            out.push(Item { rel, full: None });
        } else if kind.is_file() {
            out.push(Item {
                rel,
                full: Some(path),
            });
        }
    }
    Ok(())
}
