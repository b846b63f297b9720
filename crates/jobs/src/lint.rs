//! The file side of `kdelta lint`: which of a queue's files changed since a revision (for
//! pull-request CI), and writing the mechanical fixes into the patch files, all at once and
//! atomically, only inside the queue's directory.

use crate::JobError;
use gix::ObjectId;
use kdelta_lint::fix::apply;
use kdelta_lint::{Finding, Fix};
use kdelta_patch::{ParseOptions, Patch};
use kdelta_queue::{Queue, QueueSpec};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The findings about files that changed since `rev`: a patch or series file whose content
/// differs from its content at `rev` (or that `rev` lacks). For a directory queue the files
/// as they are on disk count, committed or not; for `REPO@REV` the files at that revision.
pub fn changed_since(
    spec: &QueueSpec,
    queue: &Queue,
    findings: Vec<Finding>,
    rev: &str,
) -> Result<Vec<Finding>, JobError> {
    let files = QueueFiles::open(spec)?;
    let old = files.blobs_at(rev)?;
    let mut changed: HashMap<String, bool> = HashMap::new();
    let mut is_changed = |file: &str| -> Result<bool, JobError> {
        if let Some(&c) = changed.get(file) {
            return Ok(c);
        }
        let path = files.repo_path(queue, file);
        let c = match &path {
            Some(p) => files.blob_now(p)? != old.get(p).copied(),
            None => true,
        };
        changed.insert(file.to_string(), c);
        Ok(c)
    };
    let mut out = Vec::new();
    for f in findings {
        if is_changed(&f.file)? {
            out.push(f);
        }
    }
    Ok(out)
}

/// A queue's files in the git repository that holds them.
struct QueueFiles {
    repo: gix::Repository,
    /// The queue's directory on disk, for a directory queue.
    dir: Option<PathBuf>,
    /// Its path in the repository (`debian/patches`…), `/`-separated, no trailing slash.
    prefix: String,
    /// The revision a `REPO@REV` queue was read at, and its blobs.
    at: Option<HashMap<String, ObjectId>>,
    /// How entry locations start for a `REPO@REV` queue (`REPO@REV:`).
    location_prefix: String,
}

impl QueueFiles {
    fn open(spec: &QueueSpec) -> Result<QueueFiles, JobError> {
        match spec {
            QueueSpec::Path(path) => {
                let dir = if path.is_dir() {
                    path.clone()
                } else {
                    return Err(JobError::Input(format!(
                        "{}: --changed-since needs a queue directory in a git work tree, or REPO@REV",
                        path.display()
                    )));
                };
                let repo = gix::discover(&dir)
                    .map_err(|e| JobError::Git(format!("{}: {e}", dir.display())))?;
                let work = repo.workdir().map(Path::to_path_buf).ok_or_else(|| {
                    JobError::Input(format!("{}: not in a git work tree", dir.display()))
                })?;
                let prefix = relative(&work, &dir)?;
                Ok(QueueFiles {
                    repo,
                    dir: Some(dir),
                    prefix,
                    at: None,
                    location_prefix: String::new(),
                })
            }
            QueueSpec::GitRev { repo, rev, subdir } => {
                let opened = gix::open(repo)
                    .map_err(|e| JobError::Git(format!("{}: {e}", repo.display())))?;
                let mut files = QueueFiles {
                    repo: opened,
                    dir: None,
                    prefix: subdir.clone().unwrap_or_default(),
                    at: None,
                    location_prefix: format!("{}@{}:", repo.display(), rev),
                };
                files.at = Some(files.blobs_at(rev)?);
                Ok(files)
            }
            QueueSpec::GitRange { .. } => Err(JobError::Input(
                "--changed-since takes a queue directory or REPO@REV, not a range of commits"
                    .into(),
            )),
        }
    }

    /// Every blob of `rev`'s tree by path.
    fn blobs_at(&self, rev: &str) -> Result<HashMap<String, ObjectId>, JobError> {
        let commit = kdelta_git::resolve_commit(&self.repo, rev)
            .map_err(|e| JobError::Git(e.to_string()))?;
        let files =
            kdelta_git::tree_files(&self.repo, commit).map_err(|e| JobError::Git(e.to_string()))?;
        Ok(files.into_iter().map(|f| (f.path, f.oid)).collect())
    }

    /// The repository path of a finding's file: the entry's file for a patch, else the file
    /// named relative to the queue.
    fn repo_path(&self, queue: &Queue, file: &str) -> Option<String> {
        let entry = queue.entries.iter().find(|e| e.name == file);
        let in_queue = match (entry, &self.dir) {
            (Some(e), Some(dir)) => relative(dir, Path::new(&e.location)).ok()?,
            (Some(e), None) => e.location.strip_prefix(&self.location_prefix)?.to_string(),
            (None, _) => file.to_string(),
        };
        Some(join(&self.prefix, &in_queue))
    }

    /// The blob a repository path has now: on disk, or at the queue's revision.
    fn blob_now(&self, path: &str) -> Result<Option<ObjectId>, JobError> {
        if let Some(at) = &self.at {
            return Ok(at.get(path).copied());
        }
        let Some(work) = self.repo.workdir() else {
            return Ok(None);
        };
        let bytes = match std::fs::read(work.join(path)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(JobError::Input(format!(
                    "{}: {e}",
                    work.join(path).display()
                )))
            }
        };
        let id = gix::objs::compute_hash(self.repo.object_hash(), gix::objs::Kind::Blob, &bytes)
            .map_err(|e| JobError::Git(e.to_string()))?;
        Ok(Some(id))
    }
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

fn join(prefix: &str, path: &str) -> String {
    match (prefix.trim_end_matches('/'), path) {
        ("", p) => p.to_string(),
        (d, "") => d.to_string(),
        (d, p) => format!("{d}/{p}"),
    }
}

/// The files `--fix` wrote, and the fixes it could not apply.
#[derive(Debug, Default)]
pub struct Fixed {
    /// Each file written, with how many fixes went into it.
    pub written: Vec<(String, usize)>,
    /// A file and why its fixes were not applied (it changed since it was read…).
    pub refused: Vec<(String, String)>,
}

/// Apply the findings' fixes to the patch files of a directory queue, every file written
/// atomically, all of them or none. A file that changed since the queue was read is left
/// alone, and said so.
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

/// The entry's file inside `dir`, and its text with `fixes` applied; why not, when the file
/// is outside the queue or changed since it was read.
fn fixed_text(
    dir: &Path,
    entry: &kdelta_queue::QueueEntry,
    fixes: &[&Fix],
) -> Result<(PathBuf, Vec<u8>), String> {
    let path = PathBuf::from(&entry.location);
    relative(dir, &path).map_err(|e| e.to_string())?;
    let text = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if text.len() != entry.size {
        return Err("the file changed since it was read".into());
    }
    let patch = Patch::parse(&text, &ParseOptions { strip: entry.strip });
    let out = apply(&text, &patch, fixes).map_err(|e| e.to_string())?;
    Ok((path, out))
}
