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
use std::collections::HashMap;
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

    /// Every file of the view (path, bytes, the patch its code comes from), by path.
    pub(crate) fn files_sorted(&self) -> Vec<(&str, &[u8], &str)> {
        let mut out: Vec<(&str, &[u8], &str)> = self
            .files
            .iter()
            .map(|(p, f)| (p.as_str(), f.bytes.as_slice(), f.by.as_ref()))
            .collect();
        out.sort_unstable_by(|a, b| a.0.cmp(b.0));
        out
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
}

impl QueueState {
    /// For each entry of `queue`, its files as the entries before it leave them. Only the
    /// files two or more patches touch are followed: no later patch can build on others.
    /// Files are independent of each other, so they are followed on two threads.
    pub fn views(queue: &Queue, tree: &TargetTree) -> Vec<QueueView> {
        // Per path, the entries that touch it, in queue order.
        let mut by_path: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, entry) in queue.entries.iter().enumerate() {
            for path in entry.patch.iter().flat_map(|p| text_files(p).map(path_of)) {
                by_path.entry(path).or_default().push(i);
            }
        }
        let paths: Vec<(String, Vec<usize>)> =
            by_path.into_iter().filter(|(_, e)| e.len() >= 2).collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let follow = || {
            let mut seen: Vec<(usize, String, QueueFile)> = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((path, entries)) = paths.get(i) else {
                    break;
                };
                follow_file(queue, tree, path, entries, &mut seen);
            }
            seen
        };
        let found: Vec<Vec<(usize, String, QueueFile)>> = std::thread::scope(|scope| {
            let helper = scope.spawn(follow);
            let mine = follow();
            vec![mine, helper.join().unwrap_or_default()]
        });
        let mut views: Vec<QueueView> =
            queue.entries.iter().map(|_| QueueView::default()).collect();
        for (entry, path, file) in found.into_iter().flatten() {
            if let Some(view) = views.get_mut(entry) {
                view.files.insert(path, file);
            }
        }
        views
    }

    /// Apply the parts of `patch` that change `only`.
    fn apply_to(&mut self, name: &str, patch: &Patch, tree: &TargetTree, only: &str) {
        let options = CheckOptions::default();
        for file in text_files(patch) {
            let path = path_of(file);
            if path != only {
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
            // A pure rename moves the file as it is: later patches change it at its new path.
            let renamed = file.hunks.is_empty()
                && known.is_none()
                && file
                    .old_path
                    .as_ref()
                    .is_some_and(|p| *p != path.as_bytes());
            if applied.applied > 0 || renamed {
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

/// Follow one file through the entries that touch it: what each entry after the first
/// sees of it goes to `seen` as (entry, path, file).
fn follow_file(
    queue: &Queue,
    tree: &TargetTree,
    path: &str,
    entries: &[usize],
    seen: &mut Vec<(usize, String, QueueFile)>,
) {
    let mut state = QueueState::default();
    for &i in entries {
        let Some(entry) = queue.entries.get(i) else {
            continue;
        };
        let Some(patch) = &entry.patch else { continue };
        if let Some(file) = state.files.get(path) {
            seen.push((i, path.to_string(), file.clone()));
        }
        state.apply_to(&entry.name, patch, tree, path);
    }
}
