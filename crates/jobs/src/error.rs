//! Why a job failed: the error of the crate that failed, or a request that makes no sense.

/// Why a job failed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The queue could not be read.
    #[error(transparent)]
    Queue(#[from] kdelta_queue::QueueError),
    /// The upstream index could not be brought up to date.
    #[error(transparent)]
    Index(#[from] kdelta_upstream::IndexError),
    /// The index store failed.
    #[error(transparent)]
    Store(#[from] kdelta_upstream::StoreError),
    /// The upstream tree could not be read.
    #[error(transparent)]
    Tree(#[from] kdelta_upstream::TreeError),
    /// The analysis failed.
    #[error(transparent)]
    Analysis(#[from] kdelta_analysis::AnalysisError),
    /// The annotations could not be read or written.
    #[error(transparent)]
    Annotations(#[from] kdelta_annotations::AnnotationError),
    /// The report could not be written.
    #[error(transparent)]
    Report(#[from] kdelta_report::ReportError),
    /// The upstream repository could not be read.
    #[error("{0}")]
    Git(String),
    /// The request makes no sense (a name that matches nothing, options that conflict).
    #[error("{0}")]
    Input(String),
    /// A step of the job failed: which, and why.
    #[error("{what}: {source}")]
    In {
        /// The step (`reading SPEC`).
        what: String,
        /// Why it failed.
        source: Box<JobError>,
    },
}

impl JobError {
    /// Whether the job failed only because another process holds the upstream index: the
    /// same job run again a little later can succeed.
    pub fn is_busy(&self) -> bool {
        use kdelta_upstream::{IndexError, StoreError};
        match self {
            JobError::Store(StoreError::Locked { .. })
            | JobError::Index(IndexError::Store(StoreError::Locked { .. })) => true,
            JobError::In { source, .. } => source.is_busy(),
            _ => false,
        }
    }

    /// This error as the failure of step `what`.
    pub fn within(self, what: impl Into<String>) -> JobError {
        JobError::In {
            what: what.into(),
            source: Box::new(self),
        }
    }
}

/// An error and its causes, each said once: a cause whose text its error already includes
/// (`PATH: CAUSE`) is not repeated. What the front ends print or record for a failure.
pub fn said(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::JobError;
    use kdelta_upstream::{IndexError, StoreError};

    #[test]
    fn a_locked_index_is_busy_at_any_depth() {
        let locked = || StoreError::Locked {
            path: "index.lock".into(),
        };
        assert!(JobError::Store(locked()).is_busy());
        assert!(JobError::Index(IndexError::Store(locked())).is_busy());
        assert!(JobError::Store(locked()).within("indexing").is_busy());
        assert!(!JobError::Input("no such queue".into()).is_busy());
    }
}
