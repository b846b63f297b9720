//! An upstream source tree to judge patches against, without git history: a directory, a
//! tarball (`.tar`, `.tar.gz`/`.tgz`, `.tar.xz`/`.txz`, such as Debian's `.orig.tar.xz`), or
//! the tree of one commit of a git repository.
//!
//! [`open`] reads every regular file of the tree once, streaming, into a [`TreeIndex`]
//! (paths, words, definitions, release, and the way back to each file's bytes), cached so
//! that the next run against the same tree reads only the index. [`read_files`] reads a
//! few named files. Nothing is unpacked to disk and the tree is never held in memory as a
//! whole.

mod budget;
mod build;
pub mod cache;
mod content;
mod dir;
mod git;
pub mod index;
mod parallel;
mod tarball;
mod walk;

#[cfg(test)]
mod tests;

pub use cache::{cache_dir_for, open};
pub use index::{Definition, TreeIndex};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where the tree comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeSource {
    /// A directory on disk (`.git` directories are skipped).
    Dir(PathBuf),
    /// A `.tar`, `.tar.gz`/`.tgz` or `.tar.xz`/`.txz` file.
    Tarball(PathBuf),
    /// The tree of the commit `rev` peels to in the repository `repo` (bare or not).
    Git {
        /// The repository.
        repo: PathBuf,
        /// Anything `git rev-parse` understands that peels to a commit.
        rev: String,
    },
}

impl TreeSource {
    /// A directory → [`TreeSource::Dir`]; a file named `*.tar`, `*.tar.gz`, `*.tgz`,
    /// `*.tar.xz` or `*.txz` → [`TreeSource::Tarball`]. Git sources are built by the caller.
    pub fn detect(path: impl AsRef<Path>) -> Result<TreeSource, TreeError> {
        let path = path.as_ref();
        if path.is_dir() {
            return Ok(TreeSource::Dir(path.into()));
        }
        if !path.is_file() {
            return Err(TreeError::NotFound { path: path.into() });
        }
        match tarball::Compression::of(path) {
            Some(_) => Ok(TreeSource::Tarball(path.into())),
            None => Err(TreeError::Unsupported { path: path.into() }),
        }
    }

    /// A description for messages: the directory, the tarball, or `repo@rev`.
    pub fn describe(&self) -> String {
        match self {
            TreeSource::Dir(path) | TreeSource::Tarball(path) => path.display().to_string(),
            TreeSource::Git { repo, rev } => format!("{}@{rev}", repo.display()),
        }
    }
}

/// The files [`read_files`] kept, and every path of the tree.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeFiles {
    /// Every file path (regular files and symlinks), relative, `/`-separated, sorted.
    pub paths: Vec<String>,
    /// The bytes of the files asked for.
    pub files: HashMap<String, Vec<u8>>,
    /// The source, for messages (a git source names the commit too).
    pub describe: String,
}

/// Why a tree could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    /// The path given as a tree does not exist.
    #[error("{}: no such file or directory", path.display())]
    NotFound {
        /// The path.
        path: PathBuf,
    },
    /// The path is a file that is not a tarball we can read.
    #[error(
        "{}: not a directory or a .tar, .tar.gz, .tgz, .tar.xz or .txz file",
        path.display()
    )]
    Unsupported {
        /// The path.
        path: PathBuf,
    },
    /// A file or directory could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// A tarball is corrupt or truncated.
    #[error("corrupt archive {}{}: {message}", path.display(), entry_note(entry))]
    Archive {
        /// The tarball.
        path: PathBuf,
        /// The entry being read, or the last one read before the failure, if any.
        entry: Option<String>,
        /// What went wrong.
        message: String,
    },
    /// The revision does not name a commit of the repository.
    #[error("unknown revision {rev:?} in {}: {message}", repo.display())]
    Revision {
        /// The repository.
        repo: PathBuf,
        /// The revision as given.
        rev: String,
        /// Why it could not be resolved.
        message: String,
    },
    /// The repository or one of its objects could not be read.
    #[error("cannot read git repository {}: {message}", repo.display())]
    Git {
        /// The repository.
        repo: PathBuf,
        /// What went wrong (naming the object or path when relevant).
        message: String,
    },
    /// A worker thread died.
    #[error("internal error while scanning {source_name}: {message}")]
    Internal {
        /// The tree being scanned.
        source_name: String,
        /// What happened.
        message: String,
    },
}

fn entry_note(entry: &Option<String>) -> String {
    entry
        .as_ref()
        .map(|e| format!(" (near entry {e:?})"))
        .unwrap_or_default()
}

impl TreeError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> TreeError {
        TreeError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn git(repo: &Path, message: impl std::fmt::Display) -> TreeError {
        TreeError::Git {
            repo: repo.into(),
            message: message.to_string(),
        }
    }
}

/// Read `source` once: list the paths and keep the bytes of the files `wanted` accepts.
pub fn read_files(
    source: &TreeSource,
    wanted: &(dyn Fn(&str) -> bool + Sync),
) -> Result<TreeFiles, TreeError> {
    // A tarball's paths may still carry its top directory while it is read.
    let keep =
        |name: &str| wanted(name) || name.split_once('/').is_some_and(|(_, rest)| wanted(rest));
    let walked = walk::walk(
        source,
        None,
        Vec::new,
        |kept: &mut Vec<(u32, Vec<u8>)>, file| {
            if keep(file.name) {
                kept.push((file.id, file.bytes));
            }
        },
    )?;
    let mut files = HashMap::new();
    for (id, bytes) in walked.visitors.into_iter().flatten() {
        if let Some(name) = walked.names.get(id as usize).filter(|n| wanted(n)) {
            files.insert(name.clone(), bytes);
        }
    }
    let mut paths = walked.names;
    paths.sort_unstable();
    paths.dedup();
    Ok(TreeFiles {
        paths,
        files,
        describe: walked.describe,
    })
}
