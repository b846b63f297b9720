//! `REPO@A..B`: the commits of a range as a queue, one patch each, oldest first.

use crate::queue::Queue;
use crate::QueueError;
use std::path::Path;

/// Read the commits in `from..to` of `repo` as patches.
pub fn read_range(repo: &Path, from: &str, to: &str) -> Result<Queue, QueueError> {
    Err(QueueError::git(
        repo,
        format!("{from}..{to}: reading commit ranges is not implemented yet"),
    ))
}
