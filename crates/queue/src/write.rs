//! Writing a changed copy of a queue into a new directory, in the queue's own format: the
//! series file (quilt `series`, `series.conf`, an RPM spec) at its path with each dropped
//! patch's line commented out and the reason beside it, every kept patch at its path (as
//! it was, or rewritten), notes beside the patches that need a human, and any other files
//! the caller adds (the plan).
//!
//! The copy is built in a temporary directory next to the destination and renamed into
//! place at the end, so a failure leaves nothing half-written; a destination that exists
//! and is not empty is refused. Every path comes from the queue's own reader, which
//! refuses names leaving the queue; they are checked again here before anything is
//! written.

use crate::files::QueueFiles;
use crate::layout::LayoutKind;
use crate::queue::Queue;
use crate::QueueError;
use std::path::{Component, Path, PathBuf};

/// What becomes of one entry in the copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Copied as it is.
    Same,
    /// Written with these bytes instead.
    Bytes(Vec<u8>),
    /// Copied as it is, with a note beside it (`NAME.rej`).
    Noted(Vec<u8>),
    /// Left out: its series line is commented out, with this reason.
    Drop(String),
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// The series file's path in the copy, when the layout has one.
    pub series: Option<String>,
    /// Patches written (copied or rewritten).
    pub patches: usize,
    /// Patches rewritten.
    pub rewritten: usize,
    /// Notes written.
    pub notes: usize,
    /// Series lines commented out.
    pub dropped: usize,
}

/// Write the copy of `queue` (read from `files`) with `changes` (by entry) into `out`, with
/// `extra` files (path in the copy, bytes) beside it.
pub fn write_queue(
    files: &QueueFiles,
    queue: &Queue,
    changes: &[Change],
    extra: &[(String, Vec<u8>)],
    out: &Path,
) -> Result<Written, QueueError> {
    refuse_non_empty(out)?;
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| QueueError::io(parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".kdelta-queue-")
        .tempdir_in(parent)
        .map_err(|e| QueueError::io(parent, e))?;
    let written = write_into(files, queue, changes, staging.path())?;
    for (path, bytes) in extra {
        put(staging.path(), path, bytes)?;
    }
    if out.exists() {
        std::fs::remove_dir(out).map_err(|e| QueueError::io(out, e))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, out).map_err(|e| QueueError::io(out, e))?;
    Ok(written)
}

fn refuse_non_empty(out: &Path) -> Result<(), QueueError> {
    match std::fs::read_dir(out) {
        Ok(mut entries) => match entries.next() {
            Some(_) => Err(QueueError::Spec(format!(
                "{}: exists and is not empty; give a new directory",
                out.display()
            ))),
            None => Ok(()),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Err(QueueError::Spec(format!(
            "{}: exists and is not a directory",
            out.display()
        ))),
        Err(e) => Err(QueueError::io(out, e)),
    }
}

fn write_into(
    files: &QueueFiles,
    queue: &Queue,
    changes: &[Change],
    dir: &Path,
) -> Result<Written, QueueError> {
    let mut written = Written::default();
    let mut drops: Vec<(usize, String)> = Vec::new();
    for (entry, change) in queue.entries.iter().zip(changes) {
        if let Change::Drop(reason) = change {
            drops.extend(entry.series_line.map(|line| (line, reason.clone())));
            continue;
        }
        let Some(path) = files.path(&entry.name)? else {
            continue;
        };
        let bytes = match change {
            Change::Bytes(bytes) => {
                written.rewritten += 1;
                bytes.clone()
            }
            _ => files.patch(&entry.name)?.unwrap_or_default(),
        };
        put(dir, &path, &bytes)?;
        written.patches += 1;
        if let Change::Noted(note) = change {
            put(dir, &format!("{path}.rej"), note)?;
            written.notes += 1;
        }
    }
    if let Some((path, text)) = files.series()? {
        let spec = files.layout().kind == LayoutKind::RpmSpec;
        let (text, commented) = comment_out(&text, &drops, spec);
        put(dir, &path, &text)?;
        written.series = Some(path);
        written.dropped = commented;
    }
    Ok(written)
}

/// `text` with the lines `drops` names (1-based) commented out, each followed by its
/// reason; with them, in a spec, the `%patchN` lines of the same patch numbers. How many
/// lines were commented out.
pub fn comment_out(text: &[u8], drops: &[(usize, String)], spec: bool) -> (Vec<u8>, usize) {
    let lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
    let mut reasons: std::collections::HashMap<usize, &str> =
        drops.iter().map(|(l, r)| (*l, r.as_str())).collect();
    if spec {
        let numbers: Vec<(String, &str)> = drops
            .iter()
            .filter_map(|(l, r)| {
                let line = lines.get(l.checked_sub(1)?)?;
                Some((patch_number(line)?, r.as_str()))
            })
            .collect();
        for (i, line) in lines.iter().enumerate() {
            if let Some((_, r)) = numbers.iter().find(|(n, _)| applies_number(line, n)) {
                reasons.entry(i + 1).or_insert(r);
            }
        }
    }
    let mut out = Vec::with_capacity(text.len() + drops.len() * 80);
    let mut count = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(reason) = reasons.get(&(i + 1)) else {
            out.extend_from_slice(line);
            continue;
        };
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        out.extend_from_slice(b"# ");
        out.extend_from_slice(body);
        out.extend_from_slice(b"  # kdelta: ");
        out.extend_from_slice(reason_line(reason, spec).as_bytes());
        out.push(b'\n');
        count += 1;
    }
    (out, count)
}

/// `text` on one line: control characters (newlines among them) made spaces.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A reason on one line; in a spec, `%` doubled so that rpm expands nothing in it.
fn reason_line(reason: &str, spec: bool) -> String {
    let flat = one_line(reason);
    if spec {
        flat.replace('%', "%%")
    } else {
        flat
    }
}

/// `12` of a `Patch12:` line.
fn patch_number(line: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(line).ok()?.trim_start();
    let rest = text.get(..5).filter(|p| p.eq_ignore_ascii_case("patch"))?;
    let digits: String = text[rest.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let after = text[rest.len() + digits.len()..].trim_start();
    (!digits.is_empty() && after.starts_with(':')).then_some(digits)
}

/// Whether `line` is a `%patch` line applying patch `number` alone (`%patchN`,
/// `%patch N`, `%patch -P N`, `%patch -PN`).
fn applies_number(line: &[u8], number: &str) -> bool {
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    let Some(rest) = text.trim_start().strip_prefix("%patch") else {
        return false;
    };
    let same =
        |n: &str| n.trim_start_matches('0') == number.trim_start_matches('0') && !n.is_empty();
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return same(&n);
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    let mut named = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match words[i] {
            "-P" => {
                named.extend(words.get(i + 1).copied());
                i += 2;
            }
            w if w.starts_with("-P") => {
                named.push(&w[2..]);
                i += 1;
            }
            w if w.chars().all(|c| c.is_ascii_digit()) => {
                named.push(w);
                i += 1;
            }
            _ => i += 1,
        }
    }
    named.len() == 1 && same(named[0])
}

/// Write `bytes` at relative `path` under `dir`, through a temporary file renamed into
/// place.
fn put(dir: &Path, path: &str, bytes: &[u8]) -> Result<(), QueueError> {
    let target = inside(dir, path)?;
    let parent = target.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(|e| QueueError::io(parent, e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(parent).map_err(|e| QueueError::io(parent, e))?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| QueueError::io(&target, e))?;
    tmp.persist(&target)
        .map_err(|e| QueueError::io(&target, e.error))?;
    Ok(())
}

/// `dir/path`, refusing a path that is absolute or climbs out.
fn inside(dir: &Path, path: &str) -> Result<PathBuf, QueueError> {
    let rel = Path::new(path);
    let plain = rel
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !plain || path.is_empty() {
        return Err(QueueError::Spec(format!(
            "{path}: not a path inside the queue; not written"
        )));
    }
    Ok(dir.join(rel))
}

#[cfg(test)]
mod tests;
