//! The file side of `kdelta lint`: which of a queue's files changed since a revision (for
//! pull-request CI), and writing the mechanical fixes into the patch files, all at once and
//! atomically, only inside the queue's directory.

use crate::JobError;
use kdelta_lint::fix::apply;
use kdelta_lint::{Convention, Finding, Fix};
use kdelta_patch::{ParseOptions, Patch};
use kdelta_queue::{read_queue, Filters, Queue, QueueSpec};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The queue as it was at a revision, to keep the findings about what changed since: every
/// finding on a patch that differs from the same patch at the revision (or that the revision
/// lacks), and the queue's own findings (series problems) the revision did not have. Read once,
/// it filters the findings before and after `--fix` alike.
pub struct ChangedSince {
    /// The queue at the revision, and its findings; `None` when the revision has no such
    /// queue (everything is new).
    old: Option<(Queue, Vec<Finding>)>,
}

impl ChangedSince {
    /// Read the queue at `rev` the way `spec` reads it now: a directory or file inside a git
    /// work tree from the same path at `rev`, `REPO@REV2[:SUBDIR]` as `REPO@rev[:SUBDIR]`; and
    /// lint it by `conventions`.
    pub fn read(
        spec: &QueueSpec,
        rev: &str,
        conventions: &[Convention],
    ) -> Result<ChangedSince, JobError> {
        let old_spec = at_revision(spec, rev)?;
        let old = read_queue(&old_spec, &Filters::default()).ok().map(|old| {
            let found = kdelta_lint::lint(&old, conventions);
            (old, found)
        });
        Ok(ChangedSince { old })
    }

    /// The findings about `queue` that concern what changed since the revision.
    pub fn filter(&self, queue: &Queue, findings: Vec<Finding>) -> Vec<Finding> {
        let Some((old, old_found)) = &self.old else {
            return findings;
        };
        let before: HashMap<&str, Option<&Patch>> = old
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.patch.as_ref()))
            .collect();
        let changed: HashSet<&str> = queue
            .entries
            .iter()
            .filter(|e| before.get(e.name.as_str()) != Some(&e.patch.as_ref()))
            .map(|e| e.name.as_str())
            .collect();
        let names: HashSet<&str> = queue.entries.iter().map(|e| e.name.as_str()).collect();
        // The queue's own findings name the series by where it was read (`REPO@REV:series`),
        // which differs between the revisions: they compare by rule and message.
        let old_own: HashSet<(&str, &str)> = old_found
            .iter()
            .filter(|f| !names.contains(f.file.as_str()))
            .map(|f| (f.rule.0, f.message.as_str()))
            .collect();
        findings
            .into_iter()
            .filter(|f| {
                if names.contains(f.file.as_str()) {
                    changed.contains(f.file.as_str())
                } else {
                    !old_own.contains(&(f.rule.0, f.message.as_str()))
                }
            })
            .collect()
    }
}

/// The same queue at `rev`: `REPO@rev[:SUBDIR]` for a git spec, the path in the enclosing
/// repository for a directory or file in a git work tree.
fn at_revision(spec: &QueueSpec, rev: &str) -> Result<QueueSpec, JobError> {
    let (repo, subdir) = match spec {
        QueueSpec::GitRev { repo, subdir, .. } => (repo.clone(), subdir.clone()),
        QueueSpec::Path(path) => {
            let found = gix::discover(path)
                .or_else(|_| gix::discover(path.parent().unwrap_or(Path::new("."))))
                .map_err(|e| {
                    JobError::Git(format!("{}: not in a git repository: {e}", path.display()))
                })?;
            let work = found.workdir().map(Path::to_path_buf).ok_or_else(|| {
                JobError::Input(format!("{}: not in a git work tree", path.display()))
            })?;
            let rel = relative(&work, path)?;
            (work, (!rel.is_empty()).then_some(rel))
        }
        QueueSpec::GitRange { .. } => {
            return Err(JobError::Input(
                "--changed-since takes a queue directory or REPO@REV, not a range of commits"
                    .into(),
            ))
        }
    };
    let opened = gix::open(&repo).map_err(|e| JobError::Git(format!("{}: {e}", repo.display())))?;
    kdelta_git::resolve_commit(&opened, rev)
        .map_err(|e| JobError::Git(format!("{}: {e}", repo.display())))?;
    Ok(QueueSpec::GitRev {
        repo,
        rev: rev.to_string(),
        subdir,
    })
}

/// `path` relative to `base`, `/`-separated, both resolved on disk first.
fn relative(base: &Path, path: &Path) -> Result<String, JobError> {
    let real = |p: &Path| {
        p.canonicalize()
            .map_err(|e| JobError::Input(format!("{}: {e}", p.display())))
    };
    let (base, path) = (real(base)?, real(path)?);
    let rel = path
        .strip_prefix(&base)
        .map_err(|_| JobError::Input(format!("{}: outside {}", path.display(), base.display())))?;
    Ok(rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}

/// The files `--fix` wrote, and the fixes it could not apply.
#[derive(Debug, Default)]
pub struct Fixed {
    /// Each file written, with how many fixes went into it.
    pub written: Vec<(String, usize)>,
    /// A file and why its fixes were not applied (it changed since it was read…).
    pub refused: Vec<(String, String)>,
}

/// Apply the findings' fixes to the patch files of a directory queue, each file written
/// atomically (a temporary file renamed over it), after every new text is ready. A file that
/// changed since the queue was read is left alone, and said so.
pub fn apply_fixes(
    spec: &QueueSpec,
    queue: &Queue,
    findings: &[Finding],
) -> Result<Fixed, JobError> {
    let QueueSpec::Path(dir) = spec else {
        return Err(JobError::Input(
            "--fix writes the patch files: give the queue as a directory".into(),
        ));
    };
    if !dir.is_dir() {
        return Err(JobError::Input(format!(
            "{}: --fix writes the patch files: give the queue as a directory",
            dir.display()
        )));
    }
    let mut by_file: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    for f in findings {
        if let Some(fix) = &f.fix {
            by_file.entry(&f.file).or_default().push(fix);
        }
    }
    let mut fixed = Fixed::default();
    let mut writes: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut seen = HashSet::new();
    for (file, fixes) in by_file {
        let Some(entry) = queue.entries.iter().find(|e| e.name == file) else {
            continue;
        };
        if !seen.insert(entry.location.clone()) {
            continue;
        }
        match fixed_text(dir, entry, &fixes) {
            Ok((path, text)) => {
                writes.push((path, text));
                fixed.written.push((file.to_string(), fixes.len()));
            }
            Err(why) => fixed.refused.push((file.to_string(), why)),
        }
    }
    kdelta_annotations::file::write_all_atomically(&writes)
        .map_err(|(path, e)| JobError::Input(format!("{}: {e}", path.display())))?;
    Ok(fixed)
}

/// The entry's file inside `dir` (a symbolic link resolved, so that its target is what gets
/// written), and its text with `fixes` applied; why not, when the file is outside the queue
/// or reads differently from when the queue was read.
fn fixed_text(
    dir: &Path,
    entry: &kdelta_queue::QueueEntry,
    fixes: &[&Fix],
) -> Result<(PathBuf, Vec<u8>), String> {
    let path = PathBuf::from(&entry.location);
    relative(dir, &path).map_err(|e| e.to_string())?;
    let path = path
        .canonicalize()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let text = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let patch = Patch::parse(&text, &ParseOptions { strip: entry.strip });
    if text.len() != entry.size || entry.patch.as_ref() != Some(&patch) {
        return Err("the file changed since it was read".into());
    }
    let out = apply(&text, &patch, fixes).map_err(|e| e.to_string())?;
    Ok((path, out))
}
