//! The one error type of this crate.

use gix::ObjectId;

/// Everything that can go wrong while listing or rendering commits.
///
/// gitoxide's own errors are kept as their rendered message, so that this type does
/// not change with gitoxide's error types.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// A revision (`from`, `to`) could not be resolved.
    #[error("cannot resolve revision {rev:?}: {message}")]
    Resolve {
        /// The revision as given.
        rev: String,
        /// Why it could not be resolved.
        message: String,
    },
    /// A revision resolved to something that does not peel to a commit.
    #[error("revision {rev:?} is not a commit: {message}")]
    NotACommit {
        /// The revision as given.
        rev: String,
        /// What it is instead.
        message: String,
    },
    /// An object could not be read from the object database (missing, unreadable, or
    /// not of the expected kind).
    #[error("cannot read {kind} {id}: {message}")]
    Object {
        /// The object looked up.
        id: ObjectId,
        /// The kind of object expected (`commit`, `tree`, `blob`).
        kind: &'static str,
        /// The underlying problem.
        message: String,
    },
    /// An object the repository should hold is not there, as in a partial clone
    /// (`git clone --filter=blob:limit=…`) that left large blobs on its server.
    #[error("{kind} {id} is missing from the repository (a partial clone?)")]
    Missing {
        /// The object looked up.
        id: ObjectId,
        /// The kind of object expected.
        kind: &'static str,
    },
    /// A repository could not be opened.
    #[error("cannot open repository {path}: {message}")]
    Open {
        /// The path given.
        path: String,
        /// Why it could not be opened.
        message: String,
    },
    /// Comparing two trees failed.
    #[error("cannot compare trees {old} and {new}: {message}")]
    TreeDiff {
        /// The tree of the parent (or the empty tree).
        old: ObjectId,
        /// The tree of the commit.
        new: ObjectId,
        /// The underlying problem.
        message: String,
    },
}

impl GitError {
    /// Whether this is a [`GitError::Missing`] object.
    pub fn is_missing(&self) -> bool {
        matches!(self, GitError::Missing { .. })
    }

    /// An [`GitError::Object`] error for `id`, expected to be of `kind`.
    pub(crate) fn object(
        id: impl Into<ObjectId>,
        kind: &'static str,
        err: impl std::fmt::Display,
    ) -> GitError {
        GitError::Object {
            id: id.into(),
            kind,
            message: err.to_string(),
        }
    }
}
