//! Reading a queue from a [`QueueSpec`]: pick the tree, detect the layout, read and
//! parse every patch (in parallel), apply filters, and collect problems.

pub(crate) mod files;
pub(crate) mod parallel;

use crate::layout::{self, Layout};
use crate::queue::{Queue, QueueEntry, QueueProblem, Severity};
use crate::series::SeriesEntry;
use crate::spec::QueueSpec;
use crate::tree::{join, GitTree, Tree};
use crate::QueueError;
use globset::{Glob, GlobSet, GlobSetBuilder};
use kdelta_patch::{ParseOptions, Patch, Problem};

/// Which patches to keep.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// Keep patches whose name in the queue matches one of these globs (all when empty).
    pub include: Vec<String>,
    /// Keep patches that change a file matching one of these globs (all when empty).
    pub touching: Vec<String>,
}

/// Compiled filters.
pub(crate) struct Compiled {
    include: Option<GlobSet>,
    touching: Option<GlobSet>,
}

fn compile(globs: &[String]) -> Result<Option<GlobSet>, QueueError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        builder.add(Glob::new(g).map_err(|e| QueueError::Spec(format!("bad glob {g:?}: {e}")))?);
    }
    builder
        .build()
        .map(Some)
        .map_err(|e| QueueError::Spec(e.to_string()))
}

/// Read the queue that `spec` names.
pub fn read_queue(spec: &QueueSpec, filters: &Filters) -> Result<Queue, QueueError> {
    let compiled = Compiled {
        include: compile(&filters.include)?,
        touching: compile(&filters.touching)?,
    };
    let mut queue = match spec {
        QueueSpec::Path(path) => files::read_path(path, &compiled)?,
        QueueSpec::GitRev { repo, rev, subdir } => {
            read_git(repo, rev, subdir.as_deref(), &compiled)?
        }
        QueueSpec::GitRange { repo, from, to } => crate::range::read_range(repo, from, to)?,
    };
    apply_touching(&mut queue, &compiled);
    Ok(queue)
}

/// `REPO@REV[:PATH]`: PATH may be a directory holding a queue or the series/spec file itself.
fn read_git(
    repo: &std::path::Path,
    rev: &str,
    path: Option<&str>,
    filters: &Compiled,
) -> Result<Queue, QueueError> {
    let (tree, layout) = open_git(repo, rev, path)?;
    match layout {
        Some(layout) => read_tree(tree.as_ref(), &layout, filters),
        None => read_detected(tree.as_ref(), filters),
    }
}

/// The tree of `REPO@REV[:PATH]`, and the layout when PATH names the series file.
pub(crate) fn open_git(
    repo: &std::path::Path,
    rev: &str,
    path: Option<&str>,
) -> Result<(Box<dyn Tree>, Option<Layout>), QueueError> {
    let tree = GitTree::open(repo, rev, None)?;
    let Some(path) = path.map(|p| p.trim_matches('/')).filter(|p| !p.is_empty()) else {
        return Ok((Box::new(tree), None));
    };
    if tree.is_file(path)? {
        let layout = layout::for_file(path).ok_or_else(|| {
            QueueError::Spec(format!(
                "{}: not a series, series.conf or RPM spec file",
                tree.display_path(path)
            ))
        })?;
        return Ok((Box::new(tree), Some(layout)));
    }
    Ok((Box::new(tree.within(path)?), None))
}

/// Read the queue of `layout` in `tree`.
pub(super) fn read_tree(
    tree: &dyn Tree,
    layout: &Layout,
    filters: &Compiled,
) -> Result<Queue, QueueError> {
    let listing = layout::list(tree, layout)?;
    let series_file = layout
        .series
        .as_deref()
        .map(|s| tree.display_path(s))
        .unwrap_or_else(|| tree.describe());
    let mut problems: Vec<QueueProblem> = listing
        .problems
        .iter()
        .map(|p| QueueProblem {
            file: series_file.clone(),
            line: p.line,
            message: p.message.clone(),
            severity: Severity::Error,
        })
        .collect();
    problems.extend(named_twice(&listing.entries, &series_file));
    let keep = |name: &str| filters.include.as_ref().is_none_or(|g| g.is_match(name));
    let wanted: Vec<&SeriesEntry> = listing.entries.iter().filter(|e| keep(&e.path)).collect();
    let resolved: Vec<Option<String>> = wanted
        .iter()
        .map(|e| resolve(tree, layout, &e.path))
        .collect::<Result<_, _>>()?;
    let mut named: Vec<String> = Vec::new();
    let mut blobs = Vec::with_capacity(wanted.len());
    for path in &resolved {
        named.extend(path.clone());
        blobs.push(match path {
            Some(p) => tree.read(p)?,
            None => None,
        });
    }
    let entries = build_entries(tree, layout, &wanted, &resolved, blobs, &series_file);
    let disabled: Vec<String> = listing
        .disabled
        .iter()
        .filter(|name| keep(name) && filters.touching.is_none())
        .cloned()
        .collect();
    for file in layout::unlisted(tree, layout, &all_named(tree, layout, &listing.entries)?)? {
        let name = display_name(layout, &file);
        if keep(&name) && !listing.disabled.contains(&name) {
            problems.push(QueueProblem {
                file: tree.display_path(&file),
                line: 0,
                message: "patch file is not named by the series".into(),
                severity: Severity::Warning,
            });
        }
    }
    Ok(Queue {
        source: tree.describe(),
        layout: layout.kind,
        entries,
        disabled,
        problems,
    })
}

/// Series entries naming a patch an earlier line named: an error (it would be applied
/// twice), a warning when their guards differ (each may be for another configuration).
fn named_twice(entries: &[SeriesEntry], series_file: &str) -> Vec<QueueProblem> {
    let mut first: std::collections::HashMap<&str, &SeriesEntry> = Default::default();
    let mut out = Vec::new();
    for e in entries {
        match first.get(e.path.as_str()) {
            Some(earlier) => out.push(QueueProblem {
                file: series_file.to_string(),
                line: e.line,
                message: format!(
                    "{} is named again (first at line {}){}",
                    e.path,
                    earlier.line,
                    if earlier.guards == e.guards {
                        ": it would be applied twice"
                    } else {
                        ", under other guards"
                    }
                ),
                severity: if earlier.guards == e.guards {
                    Severity::Error
                } else {
                    Severity::Warning
                },
            }),
            None => {
                first.insert(&e.path, e);
            }
        }
    }
    out
}

/// Tree paths of every series entry (filters ignored), for the unlisted check.
fn all_named(
    tree: &dyn Tree,
    layout: &Layout,
    entries: &[SeriesEntry],
) -> Result<Vec<String>, QueueError> {
    let mut out = Vec::new();
    for e in entries {
        out.extend(resolve(tree, layout, &e.path)?);
        // Named but refused (it leads outside the queue): named all the same.
        out.extend(
            layout
                .bases
                .iter()
                .map(|base| join(base, &e.path))
                .filter(|path| tree.outside(path).is_some()),
        );
    }
    Ok(out)
}

/// The name a tree path has in the queue (relative to the first base).
fn display_name(layout: &Layout, path: &str) -> String {
    let base = layout.bases.first().map(String::as_str).unwrap_or("");
    if base.is_empty() {
        return path.to_string();
    }
    path.strip_prefix(&format!("{base}/"))
        .unwrap_or(path)
        .to_string()
}

/// Find the file a series name refers to, trying each base directory.
pub(crate) fn resolve(
    tree: &dyn Tree,
    layout: &Layout,
    name: &str,
) -> Result<Option<String>, QueueError> {
    // A name leaving the series' directory is never read (the series problem says so).
    if !crate::series::is_safe_relative_path(name) {
        return Ok(None);
    }
    for base in &layout.bases {
        let path = join(base, name);
        if tree.is_file(&path)? {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

/// Why the patch `entry` names was not read: its path leaves the queue, it leads outside
/// it, or it is missing.
fn unread(tree: &dyn Tree, layout: &Layout, entry: &SeriesEntry, series_file: &str) -> String {
    let line = entry.line;
    if !crate::series::is_safe_relative_path(&entry.path) {
        return format!(
            "not read: its path is absolute or leaves the queue (named by {series_file} line {line})"
        );
    }
    let outside = layout
        .bases
        .iter()
        .find_map(|base| tree.outside(&join(base, &entry.path)));
    match outside {
        Some(real) => format!(
            "not read: it leads outside the queue, to {real} (named by {series_file} line {line})"
        ),
        None => format!("missing from the queue (named by {series_file} line {line})"),
    }
}

fn build_entries(
    tree: &dyn Tree,
    layout: &Layout,
    wanted: &[&SeriesEntry],
    resolved: &[Option<String>],
    blobs: Vec<Option<Vec<u8>>>,
    series_file: &str,
) -> Vec<QueueEntry> {
    let jobs: Vec<(usize, Option<Vec<u8>>)> = blobs.into_iter().enumerate().collect();
    let strips: Vec<usize> = wanted.iter().map(|e| e.strip).collect();
    let parsed = parallel::map(jobs, |(i, bytes)| {
        let size = bytes.as_ref().map_or(0, Vec::len);
        let patch = bytes.map(|b| Patch::parse(&b, &ParseOptions { strip: strips[i] }));
        (size, patch)
    });
    wanted
        .iter()
        .zip(resolved)
        .zip(parsed)
        .enumerate()
        .map(|(i, ((entry, path), (size, patch)))| {
            let mut problems = Vec::new();
            if path.is_none() {
                problems.push(Problem::new(0, unread(tree, layout, entry, series_file)));
            }
            QueueEntry {
                position: i + 1,
                name: entry.path.clone(),
                location: path
                    .as_deref()
                    .map(|p| tree.display_path(p))
                    .unwrap_or_default(),
                strip: entry.strip,
                guards: entry.guards.clone(),
                section: entry.section.clone(),
                series_line: (entry.line > 0).then_some(entry.line),
                size,
                patch,
                problems,
            }
        })
        .collect()
}

fn apply_touching(queue: &mut Queue, filters: &Compiled) {
    let Some(globs) = &filters.touching else {
        return;
    };
    queue.entries.retain(|e| {
        e.patch.as_ref().is_some_and(|p| {
            p.files.iter().any(|f| {
                [&f.old_path, &f.new_path]
                    .into_iter()
                    .flatten()
                    .any(|path| globs.is_match(path.to_string()))
            })
        })
    });
    for (i, e) in queue.entries.iter_mut().enumerate() {
        e.position = i + 1;
    }
}

/// Detect the layout of `tree` and read it: the first layout whose series names a patch
/// file that exists (a stale `series.conf` left beside the spec a build uses names none),
/// else the first.
pub(super) fn read_detected(tree: &dyn Tree, filters: &Compiled) -> Result<Queue, QueueError> {
    let (layout, stale) = choose_layout(tree)?;
    let mut queue = read_tree(tree, &layout, filters)?;
    if let Some(stale) = stale {
        queue.problems.insert(
            0,
            QueueProblem {
                file: tree.display_path(&stale),
                line: 0,
                message: format!(
                    "names no patch file that exists; the queue is read from {}",
                    layout
                        .series
                        .as_deref()
                        .map_or_else(|| tree.describe(), |s| tree.display_path(s))
                ),
                severity: Severity::Warning,
            },
        );
    }
    Ok(queue)
}

/// The layout a queue in `tree` is read with: the first candidate whose series names a
/// patch file that exists, else the first. With it, the series passed over (which names
/// none), if one was.
pub(crate) fn choose_layout(tree: &dyn Tree) -> Result<(Layout, Option<String>), QueueError> {
    let candidates = layout::candidates(tree)?;
    let Some(first) = candidates.first() else {
        return Err(QueueError::NotAQueue {
            path: tree.describe().into(),
        });
    };
    for layout in &candidates {
        if names_a_patch(tree, layout)? {
            let stale = first.series.clone().filter(|_| layout != first);
            return Ok((layout.clone(), stale));
        }
    }
    Ok((first.clone(), None))
}

/// Whether the series of `layout` names a patch file `tree` has (a folder always does).
fn names_a_patch(tree: &dyn Tree, layout: &Layout) -> Result<bool, QueueError> {
    if layout.series.is_none() {
        return Ok(true);
    }
    for entry in layout::list(tree, layout)?.entries {
        if resolve(tree, layout, &entry.path)?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Entries for the messages of an mbox or single patch file.
pub(super) fn mail_entries(
    name: &str,
    location: &str,
    bytes: &[u8],
    filters: &Compiled,
) -> Vec<QueueEntry> {
    let ranges = kdelta_patch::mail::split_mbox(bytes);
    let single = ranges.len() <= 1;
    let jobs: Vec<(usize, std::ops::Range<usize>)> = ranges.into_iter().enumerate().collect();
    let parsed = parallel::map(jobs, |(i, range)| {
        (
            i,
            range.len(),
            Patch::parse(&bytes[range], &ParseOptions::default()),
        )
    });
    parsed
        .into_iter()
        .map(|(i, size, patch)| {
            let entry_name = if single {
                name.to_string()
            } else {
                format!("{name}#{}", i + 1)
            };
            QueueEntry {
                position: i + 1,
                name: entry_name,
                location: location.to_string(),
                strip: 1,
                guards: Vec::new(),
                section: None,
                series_line: None,
                size,
                patch: Some(patch),
                problems: Vec::new(),
            }
        })
        .filter(|e| filters.include.as_ref().is_none_or(|g| g.is_match(&e.name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::MemTree;

    const PATCH: &[u8] = b"Subject: fix\n\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n";

    #[test]
    fn a_stale_series_conf_beside_the_spec_a_build_uses_is_passed_over_with_a_warning() {
        let mut tree = MemTree::new("t");
        tree.insert("series.conf", b"gone-1.patch\ngone-2.patch\n".to_vec());
        tree.insert(
            "kernel.spec.in",
            b"Name: kernel\nPatch1: fix.patch\n".to_vec(),
        );
        tree.insert("fix.patch", PATCH.to_vec());
        let filters = Compiled {
            include: None,
            touching: None,
        };
        let queue = read_detected(&tree, &filters).expect("queue");
        assert_eq!(queue.layout, crate::layout::LayoutKind::RpmSpec);
        let names: Vec<&str> = queue.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["fix.patch"]);
        let warning = &queue.problems[0];
        assert_eq!(warning.severity, Severity::Warning);
        assert!(warning.file.ends_with("series.conf"), "{warning:?}");
        assert!(warning.message.contains("kernel.spec.in"), "{warning:?}");
    }

    #[test]
    fn a_patch_named_twice_by_the_series_is_an_error_naming_both_lines() {
        let mut tree = MemTree::new("t");
        tree.insert("series", b"fix.patch\nother.patch\nfix.patch\n".to_vec());
        tree.insert("fix.patch", PATCH.to_vec());
        tree.insert("other.patch", PATCH.to_vec());
        let filters = Compiled {
            include: None,
            touching: None,
        };
        let queue = read_detected(&tree, &filters).expect("queue");
        let twice: Vec<&QueueProblem> = queue
            .problems
            .iter()
            .filter(|p| p.message.contains("named again"))
            .collect();
        assert_eq!(twice.len(), 1, "{:?}", queue.problems);
        assert_eq!(twice[0].line, 3);
        assert_eq!(twice[0].severity, Severity::Error);
        assert!(
            twice[0].message.contains("first at line 1"),
            "{:?}",
            twice[0]
        );
    }

    #[test]
    fn a_series_conf_naming_no_existing_patch_is_still_read_when_nothing_else_is_there() {
        let mut tree = MemTree::new("t");
        tree.insert("series.conf", b"gone-1.patch\n".to_vec());
        let filters = Compiled {
            include: None,
            touching: None,
        };
        let queue = read_detected(&tree, &filters).expect("queue");
        assert_eq!(queue.layout, crate::layout::LayoutKind::SeriesConf);
        assert_eq!(queue.entries.len(), 1);
        assert!(queue.entries[0].patch.is_none());
    }
}

#[cfg(all(test, unix))]
mod outside_tests {
    use super::*;
    use crate::tree::DirTree;

    const PATCH: &[u8] = b"Subject: fix\n\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n";

    #[test]
    fn nothing_outside_the_queue_is_read_by_path_or_by_symlink() {
        let dir = tempfile::tempdir().expect("temp dir");
        let secret = dir.path().join("secret.patch");
        std::fs::write(&secret, b"Subject: the secret\n\nsecret words\n").expect("written");
        let queue = dir.path().join("queue");
        std::fs::create_dir(&queue).expect("dir");
        std::fs::write(queue.join("ok.patch"), PATCH).expect("written");
        std::os::unix::fs::symlink(&secret, queue.join("link.patch")).expect("link");
        std::os::unix::fs::symlink("ok.patch", queue.join("inside.patch")).expect("link");
        std::fs::write(
            queue.join("series"),
            "ok.patch\n../secret.patch\nlink.patch\ninside.patch\n",
        )
        .expect("written");
        let filters = Compiled {
            include: None,
            touching: None,
        };
        let q = read_detected(&DirTree::new(&queue), &filters).expect("queue");
        let read: Vec<bool> = q.entries.iter().map(|e| e.patch.is_some()).collect();
        assert_eq!(read, [true, false, false, true], "{:#?}", q.entries);
        let problems = |i: usize| format!("{:?}", q.entries[i].problems);
        assert!(problems(1).contains("leaves the queue") && problems(1).contains("line 2"));
        assert!(problems(2).contains("leads outside the queue") && problems(2).contains("line 3"));
        let everything = format!("{q:?}");
        assert!(!everything.contains("the secret"), "{everything}");
        assert!(
            !q.problems.iter().any(|p| p.message.contains("not named")),
            "{:?}",
            q.problems
        );
    }
}
