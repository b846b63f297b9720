//! Walking a tarball as a stream: one thread decompresses and splits the archive into
//! entries, the calling thread visits them, so decompression and the visit overlap.
//!
//! Paths lose a leading `./`, and the single top-level directory every entry shares (as
//! in `linux-6.12.107/…`). Whether there is one is only known at the end, so visitors see
//! the path as archived and the final paths are settled afterwards.

use super::budget::Budget;
use super::walk::{FileRead, Walked};
use super::TreeError;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Entries in flight between the reading and the visiting thread.
const QUEUE: usize = 256;

/// File bytes in flight between the reading and the visiting thread (the kernel has
/// generated headers of 10–25 MB in a row).
const IN_FLIGHT: usize = 48 << 20;

/// Never reserve more than this up front for an entry, whatever its header claims.
const MAX_RESERVE: u64 = 64 << 20;

/// How a tarball is compressed, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Compression {
    None,
    Gzip,
    Xz,
}

impl Compression {
    /// The compression of a file named `*.tar`, `*.tar.gz`, `*.tgz`, `*.tar.xz` or `*.txz`.
    pub(super) fn of(path: &Path) -> Option<Compression> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".tar") {
            Some(Compression::None)
        } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            Some(Compression::Gzip)
        } else if name.ends_with(".tar.xz") || name.ends_with(".txz") {
            Some(Compression::Xz)
        } else {
            None
        }
    }

    fn reader<'a>(self, inner: impl Read + 'a) -> Box<dyn Read + 'a> {
        match self {
            Compression::None => Box::new(inner),
            Compression::Gzip => Box::new(flate2::read::GzDecoder::new(inner)),
            Compression::Xz => Box::new(xz2::read::XzDecoder::new(inner)),
        }
    }
}

/// One archive entry that matters.
enum Entry {
    Dir(String),
    /// A symlink or hard link: listed, not read.
    Link(String),
    File(String, Vec<u8>),
}

/// Walk the tarball at `path`: one thread decompresses, the calling thread visits.
pub(super) fn walk<V: Send>(
    path: &Path,
    make: impl Fn() -> V + Sync,
    visit: impl Fn(&mut V, FileRead<'_>) + Sync,
) -> Result<Walked<V>, TreeError> {
    let compression =
        Compression::of(path).ok_or_else(|| TreeError::Unsupported { path: path.into() })?;
    let file = std::fs::File::open(path).map_err(|e| TreeError::io(path, e))?;
    let describe = path.display().to_string();
    let (sender, receiver) = sync_channel(QUEUE);
    let budget = Budget::new(IN_FLIGHT);
    let budget = &budget;
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || read_archive(path, compression, file, &sender, budget));
        let mut visitor = make();
        let visited = visit_entries(receiver, &mut visitor, &visit, budget);
        let read = reader.join().unwrap_or_else(|_| {
            Err(TreeError::Internal {
                source_name: describe.clone(),
                message: "the archive reading thread panicked".into(),
            })
        });
        // A reading error explains why the entries stopped; report it first.
        read?;
        let names = visited.map_err(|()| TreeError::Internal {
            source_name: describe.clone(),
            message: "the archive reader stopped without saying why".into(),
        })?;
        Ok(Walked {
            names,
            visitors: vec![visitor],
            describe: describe.clone(),
            git: None,
        })
    })
}

fn read_archive(
    path: &Path,
    compression: Compression,
    file: std::fs::File,
    sender: &SyncSender<Result<Entry, ()>>,
    budget: &Budget,
) -> Result<(), TreeError> {
    let mut last: Option<String> = None;
    let result = send_entries(compression, file, sender, budget, &mut last);
    if let Err(e) = result {
        // Tell the visiting side to stop, then report.
        let _ = sender.send(Err(()));
        return Err(TreeError::Archive {
            path: path.into(),
            entry: last,
            message: e.to_string(),
        });
    }
    Ok(())
}

/// Send every relevant entry; `last` names the entry being (or last) read.
fn send_entries(
    compression: Compression,
    file: std::fs::File,
    sender: &SyncSender<Result<Entry, ()>>,
    budget: &Budget,
    last: &mut Option<String>,
) -> std::io::Result<()> {
    let reader = compression.reader(std::io::BufReader::with_capacity(1 << 16, file));
    let mut archive = tar::Archive::new(reader);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = normalise(&String::from_utf8_lossy(&entry.path_bytes()));
        *last = Some(name.clone());
        let Some(item) = classify(&mut entry, name)? else {
            continue;
        };
        if let Entry::File(_, bytes) = &item {
            budget.acquire(bytes.len());
        }
        if sender.send(Ok(item)).is_err() {
            return Ok(());
        }
    }
    // Read to the end so that the compressed stream's own checks (lengths, CRC) run.
    *last = None;
    std::io::copy(&mut archive.into_inner(), &mut std::io::sink())?;
    Ok(())
}

/// What an entry is to the scan; its contents are read for regular files.
fn classify<R: Read>(
    entry: &mut tar::Entry<'_, R>,
    name: String,
) -> std::io::Result<Option<Entry>> {
    use tar::EntryType as T;
    let kind = entry.header().entry_type();
    Ok(match kind {
        T::Directory => Some(Entry::Dir(name)),
        T::Symlink | T::Link => Some(Entry::Link(name)),
        T::Regular | T::Continuous | T::GNUSparse => {
            let size = entry.size().min(MAX_RESERVE);
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            entry.read_to_end(&mut bytes)?;
            if kind != T::GNUSparse && bytes.len() as u64 != entry.size() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!("entry ends after {} of {} bytes", bytes.len(), entry.size()),
                ));
            }
            Some(Entry::File(name, bytes))
        }
        _ => None,
    })
}

/// `./a/b` → `a/b`; `/./a/` → `a`.
fn normalise(raw: &str) -> String {
    let mut name = raw;
    loop {
        let rest = name.trim_start_matches('/');
        match rest.strip_prefix("./") {
            Some(rest) => name = rest,
            None => break rest.trim_end_matches('/').to_string(),
        }
    }
}

/// Receive entries, visit files, and settle the final paths.
fn visit_entries<V>(
    receiver: Receiver<Result<Entry, ()>>,
    visitor: &mut V,
    visit: &impl Fn(&mut V, FileRead<'_>),
    budget: &Budget,
) -> Result<Vec<String>, ()> {
    let budget = budget.consumer();
    let mut top = TopDir::default();
    let mut names: Vec<String> = Vec::new();
    for entry in receiver {
        match entry? {
            Entry::Dir(name) => top.observe(&name, true),
            Entry::Link(name) => {
                top.observe(&name, false);
                names.push(name);
            }
            Entry::File(name, bytes) => {
                top.observe(&name, false);
                let id = names.len() as u32;
                let size = bytes.len();
                visit(
                    visitor,
                    FileRead {
                        id,
                        name: &name,
                        bytes,
                    },
                );
                names.push(name);
                budget.release(size);
            }
        }
    }
    Ok(names
        .into_iter()
        .map(|name| top.strip(&name).map(str::to_string).unwrap_or(name))
        .collect())
}

/// Tracks whether every entry so far lies below one top-level directory.
#[derive(Default)]
struct TopDir {
    /// The shared directory, once an entry has been seen.
    name: Option<String>,
    /// An entry was outside `name` (or a file at the top level).
    broken: bool,
}

impl TopDir {
    fn observe(&mut self, path: &str, is_dir: bool) {
        if self.broken || path.is_empty() {
            return;
        }
        let first = match path.split_once('/') {
            Some((first, _)) => first,
            None if is_dir => path,
            None => {
                self.broken = true;
                return;
            }
        };
        match &self.name {
            None => self.name = Some(first.to_string()),
            Some(name) if name == first => {}
            Some(_) => self.broken = true,
        }
    }

    /// `path` without the shared directory, while there still is one.
    fn strip<'p>(&self, path: &'p str) -> Option<&'p str> {
        let name = self.name.as_deref().filter(|_| !self.broken)?;
        path.strip_prefix(name)?.strip_prefix('/')
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn archived_names_lose_leading_dots_and_slashes_in_any_order() {
        assert_eq!(normalise("./a/b"), "a/b");
        assert_eq!(normalise("././a/"), "a");
        assert_eq!(normalise("/./a/b"), "a/b");
        assert_eq!(normalise(".//./a"), "a");
        assert_eq!(normalise("a/./b"), "a/./b");
    }
}
