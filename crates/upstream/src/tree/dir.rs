//! Scanning a directory on disk: list it (skipping `.git`), then read and search the
//! files with a few threads.

use super::search::{assemble, Collector, Matcher, Partial};
use super::{parallel, ScanRequest, TreeError, TreeScan};
use std::path::{Path, PathBuf};

/// One entry of the listing.
struct Item {
    /// Relative, `/`-separated.
    rel: String,
    /// Where to read it; `None` for symlinks (listed, not read).
    full: Option<PathBuf>,
}

/// Scan the directory `root`.
pub(super) fn scan(
    root: &Path,
    request: &ScanRequest,
    matcher: &Matcher,
) -> Result<TreeScan, TreeError> {
    let describe = root.display().to_string();
    let mut items = Vec::new();
    walk(root, "", &mut items)?;
    items.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    let name = |id: u32| items.get(id as usize).map_or("", |item| item.rel.as_str());
    let workers = parallel::for_each(
        &describe,
        items.len(),
        || Ok(Collector::new(matcher)),
        |collector, i| {
            let Some(item) = items.get(i) else {
                return Ok(());
            };
            if let Some(full) = &item.full {
                let bytes = std::fs::read(full).map_err(|e| TreeError::io(full, e))?;
                collector.file(i as u32, bytes, (request.wanted)(&item.rel));
                collector.prune(name);
            }
            Ok(())
        },
    )?;
    let mut found = Partial::default();
    for collector in workers {
        found.merge(collector.finish());
    }
    let names = items.into_iter().map(|item| item.rel).collect();
    Ok(assemble(names, found, describe))
}

fn walk(dir: &Path, rel: &str, out: &mut Vec<Item>) -> Result<(), TreeError> {
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
            walk(&path, &rel, out)?;
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
