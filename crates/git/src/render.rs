//! One changed file as git's `builtin_diff()` writes it: the `diff --git` line, the
//! extended headers, the `index` line, then `---`/`+++` and hunks, or the binary notice.

use crate::abbrev::Abbrev;
use crate::changes::{FileChange, Side};
use crate::hunks::TextDiffer;
use crate::quote::push_quoted_path;
use crate::GitError;
use gix::objs::FindExt;
use gix::ObjectId;

/// git's `FIRST_FEW_BYTES`: a NUL in this many leading bytes makes a blob binary.
const FIRST_FEW_BYTES: usize = 8000;
/// git's default `core.bigFileThreshold`: larger blobs are binary.
const BIG_FILE_THRESHOLD: usize = 512 << 20;
/// The mode of a submodule entry.
pub(crate) const GITLINK: u32 = 0o160000;

/// Per-file rendering state, reused across files and commits.
pub(crate) struct FileWriter {
    abbrev: Abbrev,
    text: TextDiffer,
    fetch: Vec<u8>,
    old: Vec<u8>,
    new: Vec<u8>,
    labels: Vec<u8>,
}

/// Whether git would treat `data` as binary.
pub(crate) fn is_binary(data: &[u8]) -> bool {
    data.len() > BIG_FILE_THRESHOLD || data[..data.len().min(FIRST_FEW_BYTES)].contains(&0)
}

fn push_mode(out: &mut Vec<u8>, mode: u32) {
    out.extend_from_slice(format!("{mode:06o}").as_bytes());
}

/// `a/P` (quoted as needed) for a present side, `/dev/null` for a missing one.
fn push_label(out: &mut Vec<u8>, prefix: &[u8], path: &[u8], present: bool) {
    if present {
        push_quoted_path(out, prefix, path);
    } else {
        out.extend_from_slice(b"/dev/null");
    }
}

impl FileWriter {
    pub fn new(repo: &gix::Repository) -> FileWriter {
        FileWriter {
            abbrev: Abbrev::new(repo),
            text: TextDiffer::default(),
            fetch: Vec::new(),
            old: Vec::new(),
            new: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// Load the content git diffs for `side` into `self.old` or `self.new`: the blob,
    /// or `Subproject commit <hex>` for a submodule; nothing for a missing side.
    fn load(
        &mut self,
        repo: &gix::Repository,
        side: Option<Side>,
        old: bool,
    ) -> Result<(), GitError> {
        let mut content = std::mem::take(if old { &mut self.old } else { &mut self.new });
        content.clear();
        match side {
            None => {}
            Some(Side { mode: GITLINK, id }) => {
                content.extend_from_slice(format!("Subproject commit {id}\n").as_bytes())
            }
            Some(Side { id, .. }) => {
                let blob = repo
                    .objects
                    .find_blob(&id, &mut self.fetch)
                    .map_err(|e| GitError::object(id, "blob", e))?;
                content.extend_from_slice(blob.data);
            }
        }
        *(if old { &mut self.old } else { &mut self.new }) = content;
        Ok(())
    }

    fn push_abbrev(
        &self,
        repo: &gix::Repository,
        out: &mut Vec<u8>,
        side: Option<Side>,
        null: &ObjectId,
    ) {
        match side {
            Some(side) => self.abbrev.push(repo, out, &side.id, side.mode != GITLINK),
            None => self.abbrev.push(repo, out, null, false),
        }
    }

    /// Append the diff of one file to `out`.
    pub fn write(
        &mut self,
        repo: &gix::Repository,
        change: &FileChange,
        out: &mut Vec<u8>,
    ) -> Result<(), GitError> {
        let path = change.path.as_slice();
        out.extend_from_slice(b"diff --git ");
        push_quoted_path(out, b"a/", path);
        out.push(b' ');
        push_quoted_path(out, b"b/", path);
        out.push(b'\n');
        match (change.old, change.new) {
            (None, Some(new)) => {
                out.extend_from_slice(b"new file mode ");
                push_mode(out, new.mode);
                out.push(b'\n');
            }
            (Some(old), None) => {
                out.extend_from_slice(b"deleted file mode ");
                push_mode(out, old.mode);
                out.push(b'\n');
            }
            (Some(old), Some(new)) if old.mode != new.mode => {
                out.extend_from_slice(b"old mode ");
                push_mode(out, old.mode);
                out.extend_from_slice(b"\nnew mode ");
                push_mode(out, new.mode);
                out.push(b'\n');
            }
            _ => {}
        }
        let null = ObjectId::null(repo.object_hash());
        let old_id = change.old.map_or(null, |s| s.id);
        let new_id = change.new.map_or(null, |s| s.id);
        if old_id == new_id {
            // A mode change only: git shows the header and nothing else.
            return Ok(());
        }
        out.extend_from_slice(b"index ");
        self.push_abbrev(repo, out, change.old, &null);
        out.extend_from_slice(b"..");
        self.push_abbrev(repo, out, change.new, &null);
        if let (Some(old), Some(new)) = (change.old, change.new) {
            if old.mode == new.mode {
                out.push(b' ');
                push_mode(out, old.mode);
            }
        }
        out.push(b'\n');

        self.load(repo, change.old, true)?;
        self.load(repo, change.new, false)?;
        if self.old == self.new {
            return Ok(());
        }
        self.labels.clear();
        let labels = &mut self.labels;
        if is_binary(&self.old) || is_binary(&self.new) {
            out.extend_from_slice(b"Binary files ");
            push_label(out, b"a/", path, change.old.is_some());
            out.extend_from_slice(b" and ");
            push_label(out, b"b/", path, change.new.is_some());
            out.extend_from_slice(b" differ\n");
            return Ok(());
        }
        for (line, prefix, present) in [
            (&b"--- "[..], &b"a/"[..], change.old.is_some()),
            (b"+++ ", b"b/", change.new.is_some()),
        ] {
            labels.extend_from_slice(line);
            let start = labels.len();
            push_label(labels, prefix, path, present);
            if labels[start..].contains(&b' ') {
                labels.push(b'\t');
            }
            labels.push(b'\n');
        }
        self.text
            .write_hunks(out, &self.old, &self.new, &self.labels);
        Ok(())
    }
}
