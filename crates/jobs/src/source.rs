//! A queue from its spec, a distribution's default name, a patch of a queue by name.

use crate::JobError;
use kdelta_queue::{read_queue, Filters, Queue, QueueEntry, QueueSpec};
use std::path::Path;

/// Read the queue `spec`, keeping the patches whose names match one of `include` and that
/// touch a file matching one of `touching` (all when empty).
pub fn read_spec(spec: &str, include: &[String], touching: &[String]) -> Result<Queue, JobError> {
    let spec = QueueSpec::parse(spec)?;
    let filters = Filters {
        include: include.to_vec(),
        touching: touching.to_vec(),
    };
    Ok(read_queue(&spec, &filters)?)
}

/// A name for the distribution from the queue's source: its last path component.
pub fn default_name(source: &str) -> String {
    let path = source.split('@').next().unwrap_or(source);
    Path::new(path.trim_end_matches('/'))
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.to_string())
}

/// The entry named `wanted`, exactly or as the only one whose name ends with `/wanted`.
pub fn find_patch<'q>(queue: &'q Queue, wanted: &str) -> Result<&'q QueueEntry, JobError> {
    if let Some(entry) = queue.entries.iter().find(|e| e.name == wanted) {
        return Ok(entry);
    }
    let suffix = format!("/{}", wanted.trim_start_matches('/'));
    let matches: Vec<&QueueEntry> = queue
        .entries
        .iter()
        .filter(|e| e.name.ends_with(&suffix))
        .collect();
    let source = &queue.source;
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(JobError::Input(format!(
            "{source}: no patch named {wanted:?}"
        ))),
        many => Err(JobError::Input(format!(
            "{source}: {wanted:?} names {} patches: {}",
            many.len(),
            many.iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::default_name;

    #[test]
    fn names_from_sources() {
        assert_eq!(default_name("/data/kernel-source/"), "kernel-source");
        assert_eq!(default_name("/m/repo@openSUSE-13.1:patches.xen"), "repo");
        assert_eq!(default_name("linux_6.1.176-1.dsc"), "linux_6.1.176-1.dsc");
    }
}
