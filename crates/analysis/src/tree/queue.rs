//! The queue's own files as its earlier patches leave them: each patch is applied in
//! memory, in series order, to the target's version of the files it touches (hunks apply
//! or fail as they will). A later patch that changes code an earlier one brings (a file it
//! creates, a function it adds) is judged against this, not called gone.

use super::{path_of, text_files, TargetTree};
use kdelta_patch::apply::{apply_diff, CheckOptions};
use kdelta_patch::{ChangeKind, Patch};
use std::collections::HashMap;

/// Files the queue changed so far, and which patch last changed each.
#[derive(Default)]
pub struct QueueState {
    files: HashMap<String, (Vec<u8>, String)>,
}

impl QueueState {
    /// The file at `path` as the queue's patches so far leave it, and the patch that last
    /// changed it; `None` when no patch so far touched it.
    pub fn file(&self, path: &str) -> Option<(&[u8], &str)> {
        self.files
            .get(path)
            .map(|(bytes, by)| (bytes.as_slice(), by.as_str()))
    }

    /// Apply `patch` (named `name`) on top of the files so far.
    pub fn apply(&mut self, name: &str, patch: &Patch, tree: &TargetTree) {
        let options = CheckOptions::default();
        for file in text_files(patch) {
            let path = path_of(file);
            if file.change == ChangeKind::Deleted {
                self.files.remove(&path);
                continue;
            }
            let base: Vec<u8> = match self.files.get(&path) {
                Some((bytes, _)) => bytes.clone(),
                None if file.change == ChangeKind::Added => Vec::new(),
                None => match file.old_path.as_ref().map(|p| p.to_string()) {
                    Some(old) => match tree.file(&old) {
                        Some(bytes) => bytes.as_ref().clone(),
                        None => continue,
                    },
                    None => continue,
                },
            };
            let applied = apply_diff(file, &base, &options);
            if applied.applied > 0 {
                self.files.insert(path, (applied.bytes, name.to_string()));
            }
        }
    }
}
