//! Queues named by a path on disk: a directory, a Debian `.dsc` or `.debian.tar.*`, an RPM
//! spec, an mbox or a single patch.

use super::{mail_entries, read_detected, read_tree, Compiled};
use crate::layout::Layout;
use crate::layout::LayoutKind;
use crate::queue::Queue;
use crate::tree::{DirTree, MemTree, Tree};
use crate::QueueError;
use std::path::Path;

/// The tree a queue named by a path lives in, and its layout when the path names it.
pub(crate) struct Opened {
    pub(crate) tree: Box<dyn Tree>,
    pub(crate) layout: Option<Layout>,
    /// How to name the source, when not the tree's own description (a `.dsc`).
    pub(crate) source: Option<String>,
}

/// Read the queue at `path`.
pub(super) fn read_path(path: &Path, filters: &Compiled) -> Result<Queue, QueueError> {
    let Some(opened) = open_path(path)? else {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return read_mail_file(path, &name, filters);
    };
    let mut queue = match &opened.layout {
        Some(layout) => read_tree(opened.tree.as_ref(), layout, filters)?,
        None => read_detected(opened.tree.as_ref(), filters)?,
    };
    if let Some(source) = opened.source {
        queue.source = source;
    }
    Ok(queue)
}

/// The tree of the queue at `path`; `None` for an mbox or a single patch.
pub(crate) fn open_path(path: &Path) -> Result<Option<Opened>, QueueError> {
    let opened = |tree: Box<dyn Tree>, layout| {
        Ok(Some(Opened {
            tree,
            layout,
            source: None,
        }))
    };
    if path.is_dir() {
        return opened(Box::new(DirTree::new(path)), None);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.ends_with(".dsc") {
        return open_dsc(path).map(Some);
    }
    if is_tarball(&name) {
        let tree = MemTree::from_tarball(path, |p| {
            p.starts_with("debian/") || !p.starts_with("debian")
        })?;
        return opened(Box::new(tree), None);
    }
    if let Some(layout) = crate::layout::for_file(&name) {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let specs =
            dir.file_name().is_some_and(|n| n == "SPECS") && layout.kind == LayoutKind::RpmSpec;
        let root = if specs {
            dir.parent().unwrap_or(dir)
        } else {
            dir
        };
        let rel = path
            .strip_prefix(root)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        let layout = crate::layout::for_file(&rel).unwrap_or(layout);
        return opened(Box::new(DirTree::new(root)), Some(layout));
    }
    Ok(None)
}

fn is_tarball(name: &str) -> bool {
    [".tar", ".tar.gz", ".tgz", ".tar.xz"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// A Debian source package: the `.debian.tar.*` named by the `.dsc`, next to it.
fn open_dsc(path: &Path) -> Result<Opened, QueueError> {
    let text = std::fs::read(path).map_err(|e| QueueError::io(path, e))?;
    let dsc = crate::dsc::Dsc::parse(&text);
    let dsc_err = |message: String| QueueError::Dsc {
        path: path.into(),
        message,
    };
    let tarball = dsc.debian_tarball().ok_or_else(|| {
        dsc_err("names no .debian.tar.* file (a native package has no patch queue)".into())
    })?;
    // Only a plain name next to the .dsc: never a path elsewhere.
    if !crate::dsc::is_plain_name(tarball) {
        return Err(dsc_err(format!(
            "names {tarball:?}, not a file name next to the .dsc; not read"
        )));
    }
    let tar_path = path.parent().unwrap_or(Path::new(".")).join(tarball);
    if !tar_path.is_file() {
        return Err(dsc_err(format!(
            "{} is missing (download it next to the .dsc)",
            tar_path.display()
        )));
    }
    let file = dsc.files.iter().find(|f| f.name == tarball);
    if let Some(file) = file {
        check_listed(&tar_path, file).map_err(dsc_err)?;
    }
    let tree = MemTree::from_tarball(&tar_path, |p| p.starts_with("debian/patches/"))?;
    Ok(Opened {
        tree: Box::new(tree),
        layout: None,
        source: Some(format!("{} ({})", path.display(), tar_path.display())),
    })
}

/// Check the file at `path` against its `.dsc` entry: its size, and its SHA-256 when listed
/// (else its MD5 is not checked: kdelta does not carry an MD5). The message names the file.
fn check_listed(path: &Path, listed: &crate::dsc::DscFile) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() as u64 != listed.size {
        return Err(format!(
            "{} is {} bytes, the .dsc says {}",
            path.display(),
            bytes.len(),
            listed.size
        ));
    }
    if let Some(want) = &listed.sha256 {
        use sha2::Digest;
        let got: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if &got != want {
            return Err(format!(
                "{}: SHA-256 {got} does not match the .dsc's {want}",
                path.display()
            ));
        }
    }
    Ok(())
}

/// An mbox or a single patch file.
fn read_mail_file(path: &Path, name: &str, filters: &Compiled) -> Result<Queue, QueueError> {
    let bytes = std::fs::read(path).map_err(|e| QueueError::io(path, e))?;
    let location = path.display().to_string();
    let entries = mail_entries(name, &location, &bytes, filters);
    Ok(Queue {
        source: location,
        layout: LayoutKind::Mbox,
        entries,
        disabled: Vec::new(),
        problems: Vec::new(),
    })
}
