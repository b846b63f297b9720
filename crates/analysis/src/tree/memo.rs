//! What the tree said about each patch, kept beside the tree's cached index: a patch whose
//! content and queue context are unchanged is not judged against the tree again. Entries
//! are keyed by a SHA-1 of the facts' format, the patch's diff and the files the queue's
//! earlier patches hand it; a damaged file is ignored (and rewritten).

use super::{QueueView, TreeFacts};
use kdelta_patch::Patch;
use sha1::{Digest, Sha1};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The facts' format; the key also holds the identity of the code that found them (a hash
/// of its sources, made at build time), so facts of other code are never used.
const FORMAT: &str = "kdelta tree facts 1";

/// At most this many entries are kept; past that, only those of the last run.
const MAX_ENTRIES: usize = 100_000;

/// Tree facts by key, loaded from and saved to one file.
pub(super) struct Memo {
    path: PathBuf,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    known: HashMap<String, TreeFacts>,
    used: HashMap<String, TreeFacts>,
    added: usize,
}

/// One line of the file.
#[derive(serde::Serialize, serde::Deserialize)]
struct Line {
    k: String,
    f: TreeFacts,
}

impl Memo {
    /// The memo of the tree keyed `key`, in `dir`.
    pub(super) fn open(dir: &Path, key: &str) -> Memo {
        let path = dir.join(format!("{key}.facts"));
        let mut state = State::default();
        if let Ok(text) = std::fs::read_to_string(&path) {
            for line in text.lines() {
                if let Ok(l) = serde_json::from_str::<Line>(line) {
                    state.known.insert(l.k, l.f);
                }
            }
        }
        Memo {
            path,
            state: Mutex::new(state),
        }
    }

    /// The key of `patch` seen through `view`.
    pub(super) fn key(patch: &Patch, view: Option<&QueueView>) -> String {
        let mut h = Sha1::new();
        h.update(FORMAT.as_bytes());
        h.update(env!("KDELTA_SOURCE_ID").as_bytes());
        h.update(kdelta_patch::diff::git_text(&patch.files));
        if let Some(view) = view {
            for (path, bytes, by) in view.files_sorted() {
                h.update(b"\0view\0");
                h.update(path.as_bytes());
                h.update(b"\0");
                h.update(by.as_bytes());
                h.update(b"\0");
                h.update(Sha1::digest(bytes));
            }
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The facts kept under `key`.
    pub(super) fn get(&self, key: &str) -> Option<TreeFacts> {
        let mut state = self.state.lock().ok()?;
        let found = state.known.get(key).cloned()?;
        state.used.insert(key.to_string(), found.clone());
        Some(found)
    }

    /// Keep `facts` under `key`.
    pub(super) fn put(&self, key: String, facts: &TreeFacts) {
        if let Ok(mut state) = self.state.lock() {
            state.used.insert(key.clone(), facts.clone());
            state.known.insert(key, facts.clone());
            state.added += 1;
        }
    }

    /// Write the file again when something was added (to a temporary file, renamed).
    pub(super) fn save(&self) -> std::io::Result<()> {
        let Ok(mut state) = self.state.lock() else {
            return Ok(());
        };
        if state.added == 0 {
            return Ok(());
        }
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let mut temp = tempfile::Builder::new().prefix(".facts").tempfile_in(dir)?;
        let entries = if state.known.len() > MAX_ENTRIES {
            &state.used
        } else {
            &state.known
        };
        let mut out = std::io::BufWriter::new(temp.as_file_mut());
        for (k, f) in entries {
            let line = serde_json::to_string(&Line {
                k: k.clone(),
                f: f.clone(),
            })
            .map_err(std::io::Error::other)?;
            writeln!(out, "{line}")?;
        }
        out.flush()?;
        drop(out);
        temp.persist(&self.path).map_err(|e| e.error)?;
        state.added = 0;
        Ok(())
    }
}
