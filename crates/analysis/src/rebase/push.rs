//! The queue pushed onto the target in series order, in memory, as `quilt push` would:
//! each patch is applied with GNU patch's rules ([`patch_file`]) to the files as the
//! patches before it left them, and how each hunk went is kept. A patch the plan drops is
//! not applied. A hunk that fails leaves its lines out, and the lines it would have added
//! are remembered, so that a later patch whose hunk needs them is known to be blocked by
//! it rather than in conflict of its own.

use crate::tree::{is_text, path_of, text_files, TargetTree};
use kdelta_patch::apply::{is_trivial, patch_file, PatchOptions, Placed};
use kdelta_patch::{ChangeKind, FileDiff, Hunk, Patch};
use kdelta_queue::Queue;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// How one file of a patch went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FilePush {
    /// The file's path (the new one of a rename).
    pub path: String,
    /// Which of the patch's file diffs it is (its index in [`Patch::files`]).
    #[serde(skip)]
    pub diff: usize,
    /// Whether there was no such file to patch: neither the target nor an earlier patch
    /// has it (every hunk then failed).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
    /// How each hunk went, in order.
    pub hunks: Vec<Placed>,
    /// For each failed hunk (by index), the earlier patch whose missing lines it needs.
    #[serde(skip_serializing_if = "HashMap::is_empty")]
    pub blocked_by: HashMap<usize, String>,
    /// Each hunk as it applied (`None` when it failed), for a refresh.
    #[serde(skip)]
    pub as_applied: Vec<Option<Hunk>>,
    /// Each hunk's function, as its `@@` line names it (empty when it names none).
    #[serde(skip)]
    pub functions: Vec<String>,
}

/// How one patch went.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Push {
    /// Its text files, in order.
    pub files: Vec<FilePush>,
}

impl Push {
    /// Whether every hunk applied.
    pub fn clean(&self) -> bool {
        self.files
            .iter()
            .all(|f| f.hunks.iter().all(Placed::applied))
    }
}

/// A file as the queue left it: `None` when a patch removed it.
type Overlay = HashMap<String, Option<Arc<Vec<u8>>>>;

/// The lines a patch would have added and did not (it failed, or the plan drops it), per
/// file: what later patches may need.
#[derive(Default)]
struct Missing {
    /// Per path, in queue order: the patch and the lines it did not add.
    by_path: HashMap<String, Vec<(String, LineSet)>>,
}

type LineSet = std::collections::HashSet<Vec<u8>>;

impl Missing {
    fn add(&mut self, path: &str, patch: &str, hunks: &[&Hunk]) {
        let lines: LineSet = hunks
            .iter()
            .flat_map(|h| &h.lines)
            .filter(|l| l.kind == kdelta_patch::diff::LineKind::Added && !is_trivial(&l.text))
            .map(|l| l.text.to_vec())
            .collect();
        if !lines.is_empty() {
            self.by_path
                .entry(path.to_string())
                .or_default()
                .push((patch.to_string(), lines));
        }
    }

    /// The latest earlier patch one of whose missing lines `hunk` expects to find.
    fn needed_by(&self, path: &str, hunk: &Hunk) -> Option<&str> {
        let wanted: Vec<&[u8]> = hunk
            .lines
            .iter()
            .filter(|l| l.kind != kdelta_patch::diff::LineKind::Added && !is_trivial(&l.text))
            .map(|l| l.text.as_slice())
            .collect();
        self.by_path
            .get(path)?
            .iter()
            .rev()
            .find_map(|(name, lines)| {
                wanted
                    .iter()
                    .any(|w| lines.contains(*w))
                    .then_some(name.as_str())
            })
    }
}

/// What to do with an entry when pushing the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushAs {
    /// Apply it.
    Apply,
    /// Leave it out: the target has its change (the lines later patches need are there,
    /// in some form).
    InTarget,
    /// Leave it out: the plan drops it, and its lines with it.
    Lost,
}

/// Push `queue` onto `tree`: one [`Push`] per entry, `None` for an entry without a patch
/// or one `how` says to leave out (`how[i]` for entry `i`, [`PushAs::Apply`] past its end).
pub fn push_queue(
    queue: &Queue,
    tree: &TargetTree,
    how: &[PushAs],
    options: &PatchOptions,
) -> Vec<Option<Push>> {
    let mut overlay = Overlay::new();
    let mut missing = Missing::default();
    let mut out = Vec::with_capacity(queue.entries.len());
    for (i, entry) in queue.entries.iter().enumerate() {
        let Some(patch) = &entry.patch else {
            out.push(None);
            continue;
        };
        match how.get(i).copied().unwrap_or(PushAs::Apply) {
            PushAs::Apply => {}
            PushAs::InTarget => {
                out.push(None);
                continue;
            }
            PushAs::Lost => {
                for file in text_files(patch) {
                    let hunks: Vec<&Hunk> = file.hunks.iter().collect();
                    missing.add(&path_of(file), &entry.name, &hunks);
                }
                out.push(None);
                continue;
            }
        }
        let push = push_patch(
            &entry.name,
            patch,
            tree,
            &mut overlay,
            &mut missing,
            options,
        );
        out.push(Some(push));
    }
    out
}

fn push_patch(
    name: &str,
    patch: &Patch,
    tree: &TargetTree,
    overlay: &mut Overlay,
    missing: &mut Missing,
    options: &PatchOptions,
) -> Push {
    let mut push = Push::default();
    for (diff, file) in patch.files.iter().enumerate().filter(|(_, f)| is_text(f)) {
        let path = path_of(file);
        let input = read(file, tree, overlay);
        let absent = input.is_none();
        let result = patch_file(file, input.as_deref().map(Vec::as_slice), options);
        let mut blocked_by = HashMap::new();
        let mut failed: Vec<&Hunk> = Vec::new();
        for (n, (hunk, placed)) in file.hunks.iter().zip(&result.hunks).enumerate() {
            if placed.applied() {
                continue;
            }
            failed.push(hunk);
            if let Some(by) = missing.needed_by(&path, hunk) {
                blocked_by.insert(n, by.to_string());
            }
        }
        missing.add(&path, name, &failed);
        let missing_file = absent && file.old_path.is_some();
        if !missing_file {
            write(file, &path, result.bytes, result.removed, overlay);
        }
        push.files.push(FilePush {
            path,
            diff,
            missing: missing_file,
            hunks: result.hunks,
            blocked_by,
            as_applied: result.as_applied,
            functions: file.hunks.iter().map(|h| h.section.to_string()).collect(),
        });
    }
    push
}

/// The file `diff` patches, as the queue so far left it: `None` when there is none. As
/// GNU patch does, the new name is patched when the old one does not exist (`--- a/f.orig`
/// `+++ b/f`).
fn read(diff: &FileDiff, tree: &TargetTree, overlay: &Overlay) -> Option<Arc<Vec<u8>>> {
    let at = |path: &str| match overlay.get(path) {
        Some(state) => state.clone(),
        None => tree.file(path),
    };
    let old = diff.old_path.as_ref()?.to_string();
    at(&old).or_else(|| {
        diff.new_path
            .as_ref()
            .map(|p| p.to_string())
            .filter(|p| *p != old)
            .and_then(|p| at(&p))
    })
}

fn write(diff: &FileDiff, path: &str, bytes: Vec<u8>, removed: bool, overlay: &mut Overlay) {
    if diff.change == ChangeKind::Renamed {
        if let Some(old) = &diff.old_path {
            overlay.insert(old.to_string(), None);
        }
    }
    let state = (!removed).then(|| Arc::new(bytes));
    overlay.insert(path.to_string(), state);
}

#[cfg(test)]
mod tests;
