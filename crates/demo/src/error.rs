//! Why the demo could not be written.

use std::path::PathBuf;

/// An error writing the demo.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The upstream directory exists and is not a repository an earlier demo wrote: it is
    /// left alone.
    #[error("{} exists and is not a demo repository: choose another directory", path.display())]
    NotADemoRepository {
        /// The directory.
        path: PathBuf,
    },
    /// Creating, writing or removing a file or directory failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done: `creating`, `writing`, `removing`.
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Writing the upstream git repository failed.
    #[error("{}: {action}: {source}", path.display())]
    Git {
        /// The repository.
        path: PathBuf,
        /// What was being done: `git init`, `writing a commit`, `tagging v3.14`…
        action: String,
        /// What gitoxide said.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Writing the annotations file failed (its message names the file).
    #[error(transparent)]
    Annotations(#[from] kdelta_annotations::AnnotationError),
    /// The demo's own data does not fit together: a bug in this crate.
    #[error("demo data: {0}")]
    Data(String),
}

impl DemoError {
    /// A [`DemoError::Io`] error of `action` on `path`.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| DemoError::Io {
            action,
            path,
            source,
        }
    }

    /// A [`DemoError::Git`] error of `action` in the repository at `path`.
    pub(crate) fn git<E>(
        path: &std::path::Path,
        action: impl Into<String>,
    ) -> impl FnOnce(E) -> Self
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let path = path.to_path_buf();
        let action = action.into();
        move |source| DemoError::Git {
            path,
            action,
            source: source.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_say_what_failed_and_where() {
        let err = DemoError::io("writing", "/demo/queue")(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "permission denied",
        ));
        assert_eq!(err.to_string(), "writing /demo/queue: permission denied");
    }

    #[test]
    fn refusing_a_foreign_directory_names_it() {
        let err = DemoError::NotADemoRepository {
            path: "/home/u/linux".into(),
        };
        assert_eq!(
            err.to_string(),
            "/home/u/linux exists and is not a demo repository: choose another directory"
        );
    }
}
