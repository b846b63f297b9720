//! An upstream source tree to judge patches against, without git history: a directory, a
//! tarball (`.tar`, `.tar.gz`/`.tgz`, `.tar.xz`/`.txz`, such as Debian's `.orig.tar.xz`), or
//! the tree of one commit of a git repository.
//!
//! [`scan`] reads every regular file of the tree once, streaming: it lists the paths,
//! keeps the bytes of the files the caller wants, and searches all files for many
//! needles at once with one Aho-Corasick automaton. Nothing is unpacked to disk and the
//! tree is never held in memory as a whole.

mod budget;
mod dir;
mod git;
mod parallel;
mod search;
mod tarball;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// At most this many paths are reported per needle in [`TreeScan::hits`].
pub const HITS_PER_NEEDLE: usize = 50;

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

/// What to look for while scanning.
pub struct ScanRequest {
    /// Keep the bytes of the files whose (normalised, relative) path passes this test.
    pub wanted: Box<dyn Fn(&str) -> bool + Send + Sync>,
    /// Texts to search every non-binary file for.
    pub needles: Vec<Needle>,
}

impl ScanRequest {
    /// A request that keeps no file's bytes and searches for `needles`.
    pub fn needles(needles: Vec<Needle>) -> ScanRequest {
        ScanRequest {
            wanted: Box::new(|_| false),
            needles,
        }
    }
}

/// A text to search for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Needle {
    /// The bytes to find (case-sensitive).
    pub text: String,
    /// Only count matches whose neighbouring bytes are not `[A-Za-z0-9_]` (identifier
    /// boundaries).
    pub whole_word: bool,
}

impl Needle {
    /// A needle matching `text` only between identifier boundaries.
    pub fn word(text: impl Into<String>) -> Needle {
        Needle {
            text: text.into(),
            whole_word: true,
        }
    }

    /// A needle matching `text` anywhere.
    pub fn substring(text: impl Into<String>) -> Needle {
        Needle {
            text: text.into(),
            whole_word: false,
        }
    }
}

/// The result of [`scan`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeScan {
    /// Every file path (regular files and symlinks), relative, `/`-separated, sorted.
    pub paths: Vec<String>,
    /// The bytes of the files [`ScanRequest::wanted`] asked for (symlinks have none).
    pub files: HashMap<String, Vec<u8>>,
    /// Per needle (same index as [`ScanRequest::needles`]): the paths of the files that
    /// contain it, sorted, at most [`HITS_PER_NEEDLE`].
    pub hits: Vec<Vec<String>>,
    /// Per needle: how many files contain it (not capped).
    pub hit_counts: Vec<usize>,
    /// The source, for messages (a git source names the commit too).
    pub describe: String,
}

/// Why a tree could not be scanned.
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
    /// The needles could not be compiled into a searcher.
    #[error("cannot search for {count} needles: {message}")]
    Needles {
        /// How many needles there were.
        count: usize,
        /// Why.
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

/// Read every file of `source` once: list the paths, keep the wanted files' bytes, and
/// find which files contain which needles.
pub fn scan(source: &TreeSource, request: &ScanRequest) -> Result<TreeScan, TreeError> {
    let matcher = search::Matcher::new(&request.needles)?;
    match source {
        TreeSource::Dir(root) => dir::scan(root, request, &matcher),
        TreeSource::Tarball(path) => tarball::scan(path, request, &matcher),
        TreeSource::Git { repo, rev } => git::scan(repo, rev, request, &matcher),
    }
}
