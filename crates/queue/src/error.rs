//! Errors that stop a queue from being read at all (problems with single patches are
//! [`crate::QueueProblem`]s instead, and the rest of the queue is still read).

use std::path::PathBuf;

/// Why a queue could not be read.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// A file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The SPEC names nothing kdelta can read.
    #[error("{0}")]
    Spec(String),
    /// A file of the queue leads outside it (a symlink); it is not read.
    #[error("{path}: leads outside the queue, to {real}; not read")]
    Outside {
        /// The file in the queue.
        path: PathBuf,
        /// Where it leads.
        real: String,
    },
    /// The path exists but holds no queue kdelta recognises.
    #[error("{path}: no patch queue found (looked for series.conf, series, debian/patches/series, *.spec, *.patch)")]
    NotAQueue {
        /// The path.
        path: PathBuf,
    },
    /// A tarball could not be unpacked.
    #[error("{path}: unreadable archive: {message}")]
    Archive {
        /// The archive.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A git repository or revision could not be read.
    #[error("{repo}: {message}")]
    Git {
        /// The repository.
        repo: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A Debian `.dsc` names no debian tarball, or it is missing.
    #[error("{path}: {message}")]
    Dsc {
        /// The `.dsc` file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl QueueError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> QueueError {
        QueueError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn git(repo: impl Into<PathBuf>, message: impl std::fmt::Display) -> QueueError {
        QueueError::Git {
            repo: repo.into(),
            message: message.to_string(),
        }
    }
}
