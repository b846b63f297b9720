//! What a report is made from, in one line: the queue's revision (a git commit, or a digest
//! of its files' names, sizes and times), the upstream revision, the tree's and the
//! annotations' size and time. When it changes, the report may change: a server refreshes.
//! Cheap: nothing is read but git refs and file metadata.

use crate::report::ReportJob;
use crate::JobError;
use kdelta_queue::QueueSpec;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// The inputs of `job` (with the annotations at `annotations`), as one line.
pub fn inputs(job: &ReportJob, annotations: Option<&Path>) -> Result<String, JobError> {
    let mut parts = vec![format!("queue={}", queue(&job.queue.spec)?)];
    if let Some(repo) = &job.upstream.repository {
        let at = job.upstream.at.as_deref().unwrap_or("HEAD");
        parts.push(format!("upstream={}", commit(repo, at)?));
    }
    if let Some(tree) = &job.tree {
        parts.push(format!("tree={}", digest(tree)));
    }
    if let Some(path) = annotations {
        parts.push(format!("annotations={}", digest(path)));
    }
    if let Some(archive) = &job.upstream.archive {
        // SQLite writes to the write-ahead log first: either file moving is news.
        let wal = std::path::PathBuf::from(format!("{}-wal", archive.display()));
        parts.push(format!("archive={},{}", digest(archive), digest(&wal)));
    }
    Ok(parts.join(" "))
}

/// The queue's revision: its commit(s), or a digest of its files.
fn queue(spec: &str) -> Result<String, JobError> {
    Ok(match QueueSpec::parse(spec)? {
        QueueSpec::Path(path) => digest(&path),
        QueueSpec::GitRev { repo, rev, .. } => commit(&repo, &rev)?,
        QueueSpec::GitRange { repo, from, to } => {
            format!("{}..{}", commit(&repo, &from)?, commit(&repo, &to)?)
        }
    })
}

/// The commit `rev` names in the repository at `repo`.
fn commit(repo: &Path, rev: &str) -> Result<String, JobError> {
    let fail =
        |e: &dyn std::fmt::Display| JobError::Git(format!("{}: {rev:?}: {e}", repo.display()));
    let repo = gix::open(repo).map_err(|e| fail(&e))?;
    let id = repo.rev_parse_single(rev).map_err(|e| fail(&e))?;
    let commit = id
        .object()
        .map_err(|e| fail(&e))?
        .peel_to_commit()
        .map_err(|e| fail(&e))?;
    Ok(commit.id.to_string())
}

/// A digest of the files under `path` (or of the file): names, sizes and modification
/// times, FNV-1a; `missing` when there is nothing.
fn digest(path: &Path) -> String {
    let mut hash = Fnv::default();
    let mut files = 0u64;
    walk(path, Path::new(""), &mut hash, &mut files);
    if files == 0 {
        return "missing".into();
    }
    format!("{files}:{:016x}", hash.0)
}

fn walk(path: &Path, rel: &Path, hash: &mut Fnv, files: &mut u64) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if meta.is_dir() {
        let Ok(dir) = std::fs::read_dir(path) else {
            return;
        };
        let mut names: Vec<_> = dir.filter_map(Result::ok).map(|e| e.file_name()).collect();
        names.sort();
        for name in names.into_iter().filter(|n| n != ".git") {
            walk(&path.join(&name), &rel.join(&name), hash, files);
        }
        return;
    }
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    hash.add(rel.as_os_str().as_encoded_bytes());
    hash.add(&meta.len().to_le_bytes());
    hash.add(&mtime.to_le_bytes());
    *files += 1;
}

/// FNV-1a, 64 bits: stable across runs and builds, which a std hasher is not.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn add(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
}

#[cfg(test)]
mod tests {
    use super::digest;

    #[test]
    fn a_digest_changes_with_the_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(digest(&dir.path().join("none")), "missing");
        std::fs::write(dir.path().join("series"), "a.patch\n").expect("write");
        let one = digest(dir.path());
        assert_eq!(one, digest(dir.path()));
        std::fs::write(dir.path().join("a.patch"), "x").expect("write");
        let two = digest(dir.path());
        assert_ne!(one, two);
        assert!(two.starts_with("2:"));
    }

    #[test]
    fn a_new_archive_index_is_new_input() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("series"), "").expect("write");
        let archive = dir.path().join("archive.sqlite");
        let mut job = crate::report::ReportJob::default();
        job.queue.spec = dir.path().display().to_string();
        job.upstream.archive = Some(archive.clone());
        let before = super::inputs(&job, None).expect("inputs");
        assert!(before.contains("archive=missing,missing"), "{before}");
        std::fs::write(format!("{}-wal", archive.display()), "frames").expect("write");
        let after = super::inputs(&job, None).expect("inputs");
        assert_ne!(before, after, "a write to the log is news");
    }
}
