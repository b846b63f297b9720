//! The tree index on disk, so that a second run against the same tree reads a few
//! megabytes instead of the whole tree. An index is keyed by what identifies its tree:
//! the git tree id; a tarball's SHA-1; a directory's listing with every file's size and
//! modification time. Files are written to a temporary name and renamed, so a reader never
//! sees half an index, and two runs building the same index both succeed.

use super::content::{Content, Stored};
use super::index::{Definition, Strings, TreeIndex};
use super::{build, dir, TreeError, TreeSource};
use kdelta_patch::symbols::SymbolKind;
use kdelta_patch::Version;
use sha1::{Digest, Sha1};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Bumped whenever what an index holds or how it is written changes.
const MAGIC: &[u8; 8] = b"KDTREE02";

/// Where tree indexes go: beside an explicit `--index` file, or in the user's cache.
pub fn cache_dir_for(index: Option<&Path>) -> PathBuf {
    match index.and_then(Path::parent) {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join("kdelta-trees"),
        Some(_) => PathBuf::from("kdelta-trees"),
        None => crate::store::cache_root().join("kdelta").join("trees"),
    }
}

/// Open the index of `source`: from `cache` when it holds one for this very tree, else by
/// reading the tree once (and saving the index there). Without a cache the tree is read
/// and nothing is kept (a tarball's store lives in a temporary directory).
pub fn open(source: &TreeSource, cache: Option<&Path>) -> Result<TreeIndex, TreeError> {
    let Some(cache) = cache else {
        return build_uncached(source);
    };
    let mut index = open_cached(source, cache)?;
    if index.cache_note.is_none() {
        index.cached_as = Some(cache.to_path_buf());
    }
    Ok(index)
}

fn open_cached(source: &TreeSource, cache: &Path) -> Result<TreeIndex, TreeError> {
    let started = std::time::Instant::now();
    let (key, listed) = key_of(source)?;
    let mut timings = crate::Timings::default();
    timings.since("tree key", started);
    let index_path = cache.join(format!("{key}.kdt"));
    let store_path = cache.join(format!("{key}.store"));
    let mut index = match index_path
        .is_file()
        .then(|| load(&index_path, source, &store_path))
    {
        Some(Ok(mut index)) => {
            timings.since("tree index loaded", started);
            index.timings = timings;
            index
        }
        Some(Err(note)) => {
            let mut index = build_into(source, cache, &index_path, &store_path, listed)?;
            index.cache_note = Some(format!("rebuilt {}: {note}", index_path.display()));
            timings.append(&mut index.timings);
            index.timings = timings;
            index
        }
        None => {
            let mut index = build_into(source, cache, &index_path, &store_path, listed)?;
            timings.append(&mut index.timings);
            index.timings = timings;
            index
        }
    };
    index.key = key;
    Ok(index)
}

fn build_uncached(source: &TreeSource) -> Result<TreeIndex, TreeError> {
    if !matches!(source, TreeSource::Tarball(_)) {
        return build::build(source, None, None);
    }
    let temp = tempfile::tempdir().map_err(|e| TreeError::io(std::env::temp_dir(), e))?;
    let store = temp.path().join("tree.store");
    let mut index = build::build(source, Some(&store), None)?;
    if let Content::Store { _temp, .. } = &mut index.content {
        *_temp = Some(temp);
    }
    Ok(index)
}

/// Build, then save to `index_path` (a tarball's store to `store_path`). A cache that
/// cannot be written is only noted: the index is still used.
fn build_into(
    source: &TreeSource,
    cache: &Path,
    index_path: &Path,
    store_path: &Path,
    listed: Option<Vec<dir::Item>>,
) -> Result<TreeIndex, TreeError> {
    if let Err(e) = std::fs::create_dir_all(cache) {
        let mut index = build_uncached(source)?;
        index.cache_note = Some(format!("cannot create {}: {e}", cache.display()));
        return Ok(index);
    }
    let tarball = matches!(source, TreeSource::Tarball(_));
    let temp_store = tempfile::Builder::new()
        .prefix(".store")
        .tempfile_in(cache)
        .map_err(|e| TreeError::io(cache, e))?;
    let started = std::time::Instant::now();
    let mut index = build::build(source, tarball.then(|| temp_store.path()), listed)?;
    index.timings.since("tree read and indexed", started);
    if tarball {
        temp_store
            .persist(store_path)
            .map_err(|e| TreeError::io(store_path, e.error))?;
        if let Content::Store { file, .. } = &mut index.content {
            *file = store_path.to_path_buf();
        }
    }
    if let Err(e) = save(&index, cache, index_path) {
        index.cache_note = Some(format!("cannot write {}: {e}", index_path.display()));
    }
    index.timings.since("tree index saved", started);
    Ok(index)
}

/// What identifies the tree of `source`, and for a directory its listing (to be walked
/// without listing it again).
fn key_of(source: &TreeSource) -> Result<(String, Option<Vec<dir::Item>>), TreeError> {
    match source {
        TreeSource::Git { repo, rev } => {
            let opened = gix::open(repo).map_err(|e| TreeError::git(repo, e))?;
            let (_, tree, _) = super::git::resolve(&opened, repo, rev)?;
            Ok((format!("git-{tree}"), None))
        }
        TreeSource::Tarball(path) => {
            let mut file = std::fs::File::open(path).map_err(|e| TreeError::io(path, e))?;
            let mut hasher = Sha1::new();
            let mut buf = vec![0; 1 << 20];
            loop {
                let n = file.read(&mut buf).map_err(|e| TreeError::io(path, e))?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
            }
            Ok((format!("tar-{}", hex(&hasher.finalize())), None))
        }
        TreeSource::Dir(root) => {
            let canonical = root.canonicalize().map_err(|e| TreeError::io(root, e))?;
            let items = dir::list_stamped(root)?;
            let mut hasher = Sha1::new();
            hasher.update(canonical.to_string_lossy().as_bytes());
            for item in &items {
                hasher.update(b"\0");
                hasher.update(item.rel.as_bytes());
                if let Some((len, mtime)) = item.stamp {
                    hasher.update(len.to_le_bytes());
                    hasher.update(mtime.to_le_bytes());
                }
            }
            Ok((format!("dir-{}", hex(&hasher.finalize())), Some(items)))
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The small part of an index file that is not tables.
#[derive(serde::Serialize, serde::Deserialize)]
struct Meta {
    describe: String,
    release: Option<String>,
    /// The identity of the code that built the index (a hash of its sources).
    built_by: String,
}

fn save(index: &TreeIndex, cache: &Path, path: &Path) -> std::io::Result<()> {
    let temp = tempfile::Builder::new().prefix(".kdt").tempfile_in(cache)?;
    // Written straight to the file, section by section: no copy of the index in memory.
    let mut out = std::io::BufWriter::with_capacity(1 << 20, temp);
    header(
        &mut out,
        &index.describe,
        index.release.as_ref().map(Version::to_string),
    )?;
    strings(&mut out, &index.paths)?;
    u64s(&mut out, &index.words)?;
    u32s(&mut out, &index.word_counts)?;
    u32s(&mut out, &index.postings_offsets)?;
    section(&mut out, &index.postings)?;
    u64s(&mut out, &index.def_names)?;
    u32s(&mut out, &index.def_spans)?;
    let mut defs = Vec::with_capacity(index.defs.len() * 9);
    for d in &index.defs {
        defs.push(kind_code(d.kind));
        defs.extend_from_slice(&d.file.to_le_bytes());
        defs.extend_from_slice(&d.line.to_le_bytes());
    }
    section(&mut out, &defs)?;
    u32s(&mut out, &index.unscanned)?;
    let mut table = Vec::new();
    match &index.content {
        Content::Dir(_) => {}
        Content::Git { oids, .. } => oids
            .iter()
            .for_each(|o| table.extend_from_slice(o.as_bytes())),
        Content::Store { entries, .. } => {
            for e in entries {
                table.extend_from_slice(&e.offset.to_le_bytes());
                table.extend_from_slice(&e.compressed.to_le_bytes());
                table.extend_from_slice(&e.len.to_le_bytes());
            }
        }
    }
    section(&mut out, &table)?;
    let temp = out.into_inner().map_err(|e| e.into_error())?;
    // No fsync: this is a cache. A file torn by a crash fails to load and is rebuilt.
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn load(path: &Path, source: &TreeSource, store: &Path) -> Result<TreeIndex, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    // Read section by section into the tables: the file is never held whole in memory.
    let reader = Reader {
        inner: std::io::BufReader::with_capacity(1 << 20, file),
        left: len,
    };
    from_reader(reader, source, store)
}

/// The start of an index file this build writes (its magic and the section naming the
/// build): for fuzzing the reader past it, into the tables.
pub fn index_header() -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = header(&mut out, "fuzz", None);
    out
}

/// The magic and the section naming the tree and the build that indexed it.
fn header(out: &mut impl Write, describe: &str, release: Option<String>) -> std::io::Result<()> {
    out.write_all(MAGIC)?;
    let meta = Meta {
        describe: describe.to_string(),
        release,
        built_by: env!("KDELTA_SOURCE_ID").to_string(),
    };
    section(
        out,
        &serde_json::to_vec(&meta).map_err(std::io::Error::other)?,
    )
}

/// Whether `bytes` read as a tree index (of a directory tree), and how many paths it has:
/// for fuzzing the reader, which must refuse any damage with a message, never panic.
pub fn check_index_bytes(bytes: &[u8]) -> Result<usize, String> {
    let source = TreeSource::Dir(PathBuf::from("/nonexistent"));
    let index = from_bytes(bytes, &source, Path::new("/nonexistent"))?;
    let _ = index.word_count("xen_blkif");
    let _ = index.files_with("xen_blkif");
    let _ = index.definitions("load_module");
    let _ = index.paths().count();
    Ok(index.len())
}

fn from_bytes(bytes: &[u8], source: &TreeSource, store: &Path) -> Result<TreeIndex, String> {
    let reader = Reader {
        inner: bytes,
        left: bytes.len() as u64,
    };
    from_reader(reader, source, store)
}

fn from_reader(
    mut r: Reader<impl Read>,
    source: &TreeSource,
    store: &Path,
) -> Result<TreeIndex, String> {
    let mut magic = [0u8; MAGIC.len()];
    r.exact(&mut magic)?;
    if &magic != MAGIC {
        return Err("written by another version of kdelta".into());
    }
    let meta: Meta = serde_json::from_slice(&r.section()?).map_err(|e| e.to_string())?;
    if meta.built_by != env!("KDELTA_SOURCE_ID") {
        return Err("built by another version of kdelta".into());
    }
    let paths = r.strings()?;
    let words = r.u64s()?;
    let word_counts = r.u32s()?;
    let postings_offsets = r.u32s()?;
    let postings = r.section()?;
    let def_names = r.u64s()?;
    let def_spans = r.u32s()?;
    let defs = r
        .section()?
        .chunks_exact(9)
        .map(|c| Definition {
            kind: kind_of(c[0]),
            file: u32::from_le_bytes([c[1], c[2], c[3], c[4]]),
            line: u32::from_le_bytes([c[5], c[6], c[7], c[8]]),
        })
        .collect();
    let unscanned = r.u32s()?;
    if unscanned.windows(2).any(|w| w[0] >= w[1]) {
        return Err("the list of unscanned files is out of order".into());
    }
    let table = r.section()?;
    let content = match source {
        TreeSource::Dir(root) => Content::Dir(root.clone()),
        TreeSource::Git { repo, .. } => Content::Git {
            repo_path: repo.clone(),
            oids: table
                .chunks_exact(20)
                .filter_map(|c| gix::ObjectId::try_from(c).ok())
                .collect(),
            repo: Box::new(std::sync::Mutex::new(None)),
        },
        TreeSource::Tarball(_) => {
            if !store.is_file() {
                return Err(format!("{} is missing", store.display()));
            }
            Content::Store {
                file: store.to_path_buf(),
                entries: table
                    .chunks_exact(16)
                    .map(|c| Stored {
                        offset: u64::from_le_bytes(c[0..8].try_into().unwrap_or_default()),
                        compressed: u32::from_le_bytes(c[8..12].try_into().unwrap_or_default()),
                        len: u32::from_le_bytes(c[12..16].try_into().unwrap_or_default()),
                    })
                    .collect(),
                handle: std::sync::Mutex::new(None),
                _temp: None,
            }
        }
    };
    if word_counts.len() != words.len()
        || postings_offsets.len() != words.len() + 1
        // The spans start with 0, so there is one more than names (a tree with no definition
        // has the lone 0; an index written before that, none).
        || !(def_spans.len() == def_names.len() + 1 || def_spans.is_empty() && def_names.is_empty())
    {
        return Err("the word tables disagree".into());
    }
    Ok(TreeIndex {
        describe: meta.describe,
        release: meta.release.as_deref().and_then(Version::parse),
        paths,
        words,
        word_counts,
        postings_offsets,
        postings,
        def_names,
        def_spans,
        defs,
        unscanned,
        content,
        by_name: std::sync::OnceLock::new(),
        word_starts: std::sync::OnceLock::new(),
        cache_note: None,
        key: String::new(),
        cached_as: None,
        timings: crate::Timings::default(),
    })
}

fn section(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(bytes)
}

fn strings(out: &mut impl Write, s: &Strings) -> std::io::Result<()> {
    u32s(out, &s.offsets)?;
    section(out, &s.blob)
}

/// A section of little-endian `u32`s.
fn u32s(out: &mut impl Write, values: &[u32]) -> std::io::Result<()> {
    out.write_all(&(values.len() as u64 * 4).to_le_bytes())?;
    values
        .iter()
        .try_for_each(|v| out.write_all(&v.to_le_bytes()))
}

/// A section of little-endian `u64`s.
fn u64s(out: &mut impl Write, values: &[u64]) -> std::io::Result<()> {
    out.write_all(&(values.len() as u64 * 8).to_le_bytes())?;
    values
        .iter()
        .try_for_each(|v| out.write_all(&v.to_le_bytes()))
}

/// Sections read in order from an index file (or bytes), never past what is left of it.
struct Reader<R> {
    inner: R,
    /// Bytes left to read: no section may claim more.
    left: u64,
}

impl<R: Read> Reader<R> {
    fn exact(&mut self, buf: &mut [u8]) -> Result<(), String> {
        if buf.len() as u64 > self.left {
            return Err("the file is truncated".into());
        }
        self.inner.read_exact(buf).map_err(|e| e.to_string())?;
        self.left -= buf.len() as u64;
        Ok(())
    }

    /// The length of the next section, in bytes.
    fn len(&mut self) -> Result<usize, String> {
        let mut len = [0u8; 8];
        self.exact(&mut len)?;
        let len = u64::from_le_bytes(len);
        if len > self.left {
            return Err("the file is truncated".into());
        }
        usize::try_from(len).map_err(|_| "bad length".into())
    }

    fn section(&mut self) -> Result<Vec<u8>, String> {
        let mut out = vec![0; self.len()?];
        self.exact(&mut out)?;
        Ok(out)
    }

    /// A section of `N`-byte little-endian numbers, converted a chunk at a time.
    fn numbers<T, const N: usize>(&mut self, of: fn([u8; N]) -> T) -> Result<Vec<T>, String> {
        let len = self.len()?;
        if len % N != 0 {
            return Err("a table has a partial entry".into());
        }
        let mut out = Vec::with_capacity(len / N);
        let mut buf = [0u8; 8192];
        let mut left = len;
        while left > 0 {
            let chunk = &mut buf[..left.min(8192)];
            self.exact(chunk)?;
            out.extend(
                chunk
                    .chunks_exact(N)
                    .map(|c| of(c.try_into().unwrap_or([0; N]))),
            );
            left -= chunk.len();
        }
        Ok(out)
    }

    fn u64s(&mut self) -> Result<Vec<u64>, String> {
        self.numbers(u64::from_le_bytes)
    }

    fn u32s(&mut self) -> Result<Vec<u32>, String> {
        self.numbers(u32::from_le_bytes)
    }

    fn strings(&mut self) -> Result<Strings, String> {
        let offsets = self.u32s()?;
        let blob = self.section()?;
        if offsets.last().is_some_and(|&l| l as usize > blob.len()) {
            return Err("a string table is truncated".into());
        }
        Ok(Strings { blob, offsets })
    }
}

fn kind_code(kind: SymbolKind) -> u8 {
    match kind {
        SymbolKind::Function => 0,
        SymbolKind::Macro => 1,
        SymbolKind::Struct => 2,
        SymbolKind::KconfigSymbol => 3,
        _ => 9,
    }
}

fn kind_of(code: u8) -> SymbolKind {
    match code {
        0 => SymbolKind::Function,
        1 => SymbolKind::Macro,
        2 => SymbolKind::Struct,
        3 => SymbolKind::KconfigSymbol,
        _ => SymbolKind::Identifier,
    }
}
