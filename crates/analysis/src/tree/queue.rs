//! The queue's own files as its earlier patches leave them: each patch is applied in
//! memory, in series order, to the target's version of the files it touches (hunks apply
//! or fail as they will). A later patch that changes code an earlier one brings (a file it
//! creates, a function it adds) is judged against this, not called gone.
//!
//! [`QueueState::views`] walks the queue once and gives each patch a [`QueueView`]: its
//! files as the patches before it left them. The views are independent, so patches can
//! then be judged in any order, on several threads.

use super::{path_of, text_files, TargetTree};
use kdelta_patch::apply::{apply_diff, CheckOptions, Target};
use kdelta_patch::{ChangeKind, Patch};
use kdelta_queue::Queue;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// One file as the queue left it.
#[derive(Clone)]
struct QueueFile {
    bytes: Arc<Vec<u8>>,
    /// The patch its code comes from: the one that created it, when the queue did, else
    /// the one that last changed it.
    by: Arc<str>,
    /// Whether a patch of the queue created it.
    created: bool,
}

/// The files of one patch as the queue's earlier patches left them.
#[derive(Default)]
pub struct QueueView {
    files: HashMap<String, QueueFile>,
    /// Line indexes of the files, built when first checked against.
    targets: Mutex<HashMap<String, Arc<Target<'static>>>>,
}

impl QueueView {
    /// The file at `path` as the earlier patches leave it, and the patch its code comes
    /// from; `None` when no earlier patch touched it.
    pub fn file(&self, path: &str) -> Option<(&[u8], &str)> {
        self.files
            .get(path)
            .map(|f| (f.bytes.as_slice(), f.by.as_ref()))
    }

    /// The file at `path` indexed for hunk checks, and the patch its code comes from.
    pub(crate) fn target(&self, path: &str) -> Option<(Arc<Target<'static>>, &str)> {
        let (bytes, by) = self.file(path)?;
        let mut cache = self.targets.lock().ok()?;
        let target = cache
            .entry(path.to_string())
            .or_insert_with(|| Arc::new(Target::owned(bytes, &CheckOptions::default())))
            .clone();
        Some((target, by))
    }
}

/// Files the queue changed so far, and which patch each one's code comes from.
#[derive(Default)]
pub struct QueueState {
    files: HashMap<String, QueueFile>,
    /// The paths worth keeping: those a later patch touches again (all when `None`).
    kept: Option<HashSet<String>>,
}

impl QueueState {
    /// For each entry of `queue`, its files as the entries before it leave them. Only the
    /// files two or more patches touch are followed: no later patch can build on others.
    pub fn views(queue: &Queue, tree: &TargetTree) -> Vec<QueueView> {
        let mut state = QueueState {
            kept: Some(touched_again(queue)),
            ..QueueState::default()
        };
        let mut views = Vec::with_capacity(queue.entries.len());
        for entry in &queue.entries {
            let Some(patch) = &entry.patch else {
                views.push(QueueView::default());
                continue;
            };
            views.push(state.view(patch));
            state.apply(&entry.name, patch, tree);
        }
        views
    }

    /// What `patch` sees of the state now.
    fn view(&self, patch: &Patch) -> QueueView {
        let files = text_files(patch)
            .filter_map(|f| {
                let path = path_of(f);
                self.files.get(&path).map(|q| (path, q.clone()))
            })
            .collect();
        QueueView {
            files,
            targets: Mutex::default(),
        }
    }

    /// Apply `patch` (named `name`) on top of the files so far.
    pub fn apply(&mut self, name: &str, patch: &Patch, tree: &TargetTree) {
        let options = CheckOptions::default();
        for file in text_files(patch) {
            let path = path_of(file);
            if self.kept.as_ref().is_some_and(|k| !k.contains(&path)) {
                continue;
            }
            if file.change == ChangeKind::Deleted {
                self.files.remove(&path);
                continue;
            }
            let known = self.files.get(&path);
            let created = match known {
                Some(f) => f.created,
                None => file.change == ChangeKind::Added && tree.index().path_id(&path).is_none(),
            };
            let base: Arc<Vec<u8>> = match known {
                Some(f) => f.bytes.clone(),
                None if file.change == ChangeKind::Added => Arc::default(),
                None => match file
                    .old_path
                    .as_ref()
                    .and_then(|p| tree.file(&p.to_string()))
                {
                    Some(bytes) => bytes,
                    None => continue,
                },
            };
            let applied = apply_diff(file, &base, &options);
            if applied.applied > 0 {
                let by = match known {
                    Some(f) if f.created => f.by.clone(),
                    _ => Arc::from(name),
                };
                self.files.insert(
                    path,
                    QueueFile {
                        bytes: Arc::new(applied.bytes),
                        by,
                        created,
                    },
                );
            }
        }
    }
}

/// The paths two or more patches of `queue` touch.
fn touched_again(queue: &Queue) -> HashSet<String> {
    let mut seen = HashSet::new();
    let mut again = HashSet::new();
    for patch in queue.entries.iter().filter_map(|e| e.patch.as_ref()) {
        for path in text_files(patch).map(path_of) {
            if !seen.insert(path.clone()) {
                again.insert(path);
            }
        }
    }
    again
}
