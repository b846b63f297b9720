//! Building the tree index in one pass: each reading thread tokenizes the files it reads
//! into its own word table and definition list (words are first made distinct per file,
//! so the big table is touched once per file and word); the tables are merged at the end
//! and file numbers are put in path order.

use super::content::{Content, StoreWriter, Stored};
use super::index::{
    encode_postings, word_key, Definition, Strings, TreeIndex, WordKey, POSTINGS_CAP,
};
use super::walk::{walk, FileRead, Walked};
use super::{dir, TreeError, TreeSource};
use kdelta_patch::symbols::source::{scan_definitions, scan_words, SourceKind};
use kdelta_patch::symbols::SymbolKind;
use kdelta_patch::Version;
use std::path::Path;

/// Files larger than this are listed and stored but not tokenized: in Linux they are
/// generated register tables (a quarter of the tree's bytes) that no name is looked up in.
const MAX_TOKENIZED: usize = 1 << 20;

/// Files with a NUL byte this early are binary: stored, not tokenized.
const BINARY_PROBE: usize = 8000;

/// A file defining more macros than this is a table: its definitions are not kept.
const MAX_MACROS: usize = 2000;

/// Word-file pairs are gathered in this many buckets by the top bits of the key, so that
/// each is sorted on its own, in cache.
const BUCKET_BITS: u32 = 12;

/// File numbers are kept in the low 24 bits of a pair.
const FILE_BITS: u32 = 24;

/// At most this many files can be indexed.
pub(super) const MAX_FILES: usize = 1 << FILE_BITS;

/// The distinct word keys of one file: a small open-addressing set (0 marks a free slot;
/// the key 0 is stored as 1), emptied per file by freeing the slots it used.
#[derive(Default)]
struct LocalSet {
    slots: Vec<u64>,
    used: Vec<usize>,
    keys: Vec<WordKey>,
}

impl LocalSet {
    fn clear(&mut self) {
        for &at in &self.used {
            if let Some(slot) = self.slots.get_mut(at) {
                *slot = 0;
            }
        }
        self.used.clear();
        self.keys.clear();
        if self.slots.is_empty() {
            self.slots = vec![0; 1024];
        }
    }

    fn insert(&mut self, key: WordKey) {
        if (self.keys.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let key = key.max(1);
        let mask = self.slots.len() - 1;
        let mut at = (key ^ (key >> 23)) as usize & mask;
        loop {
            match self.slots.get(at).copied() {
                Some(0) => {
                    self.slots[at] = key;
                    self.used.push(at);
                    self.keys.push(key);
                    return;
                }
                Some(k) if k == key => return,
                Some(_) => at = (at + 1) & mask,
                None => return,
            }
        }
    }

    fn grow(&mut self) {
        let keys = std::mem::take(&mut self.keys);
        self.slots = vec![0; self.slots.len().max(512) * 4];
        self.used.clear();
        for key in keys {
            self.insert(key);
        }
    }
}

/// One reading thread's findings.
#[derive(Default)]
pub(super) struct Builder {
    /// Per bucket: `key low bits << 24 | walk number`, one per distinct word per file.
    buckets: Vec<Vec<u64>>,
    /// (name key, kind, walk number, line).
    defs: Vec<(WordKey, SymbolKind, u32, u32)>,
    /// Top-level makefiles by name as read, for the release.
    makefiles: Vec<(String, Vec<u8>)>,
    /// Walk numbers of the files read but not tokenized.
    unscanned: Vec<u32>,
    seen: LocalSet,
    store: Option<StoreWriter>,
}

impl Builder {
    fn file(&mut self, file: FileRead<'_>) {
        if let Some(store) = self.store.as_mut() {
            store.add(file.id, &file.bytes);
        }
        if is_top_makefile(file.name) {
            self.makefiles
                .push((file.name.to_string(), file.bytes.clone()));
        }
        let bytes = &file.bytes;
        if bytes.len() > MAX_TOKENIZED || bytes[..bytes.len().min(BINARY_PROBE)].contains(&0) {
            self.unscanned.push(file.id);
            return;
        }
        if self.buckets.is_empty() {
            self.buckets = vec![Vec::new(); 1 << BUCKET_BITS];
        }
        let kind = SourceKind::of(file.name);
        let seen = &mut self.seen;
        seen.clear();
        scan_words(kind, bytes, &mut |w| seen.insert(word_key(w)));
        let low = (1u64 << (52 - BUCKET_BITS)) - 1;
        for &key in &seen.keys {
            let bucket = (key >> (52 - BUCKET_BITS)) as usize;
            let pair = ((key & low) << FILE_BITS) | u64::from(file.id);
            if let Some(b) = self.buckets.get_mut(bucket) {
                b.push(pair);
            }
        }
        let start = self.defs.len();
        let defs = &mut self.defs;
        scan_definitions(kind, bytes, &mut |d| {
            let line = u32::try_from(d.line).unwrap_or(u32::MAX);
            defs.push((word_key(d.name), d.kind, file.id, line));
        });
        // A file of thousands of macros is a generated register table: its names are
        // still words, but not definitions anyone's code moves to.
        let macros = self.defs[start..]
            .iter()
            .filter(|d| d.1 == SymbolKind::Macro)
            .count();
        if macros > MAX_MACROS {
            self.defs.truncate(start);
        }
    }
}

/// `Makefile` or `xen/Makefile`, below at most one top directory.
fn is_top_makefile(name: &str) -> bool {
    let parts: Vec<&str> = name.split('/').collect();
    matches!(
        parts.as_slice(),
        [_, "Makefile"] | ["Makefile"] | [_, "xen", "Makefile"]
    )
}

/// Read `source` once and index it. A tarball's files are stored (compressed) in
/// `store`, so they can be read again. A directory's listing may come `listed`.
pub(super) fn build(
    source: &TreeSource,
    store: Option<&Path>,
    listed: Option<Vec<dir::Item>>,
) -> Result<TreeIndex, TreeError> {
    let writer = match (source, store) {
        (TreeSource::Tarball(_), Some(path)) => Some(StoreWriter::create(path)?),
        _ => None,
    };
    let writer = std::sync::Mutex::new(writer);
    let walked = walk(
        source,
        listed,
        || Builder {
            store: writer.lock().ok().and_then(|mut w| w.take()),
            ..Builder::default()
        },
        |builder, file| builder.file(file),
    )?;
    let started = std::time::Instant::now();
    let mut index = assemble(source, walked, store)?;
    index.timings.since("tree index assembled", started);
    Ok(index)
}

/// Merge the builders and put everything in path order.
fn assemble(
    source: &TreeSource,
    walked: Walked<Builder>,
    store: Option<&Path>,
) -> Result<TreeIndex, TreeError> {
    let Walked {
        names,
        visitors,
        describe,
        git,
    } = walked;
    if names.len() > MAX_FILES {
        return Err(TreeError::Internal {
            source_name: describe,
            message: format!(
                "{} files: more than kdelta can index ({MAX_FILES})",
                names.len()
            ),
        });
    }
    // Final path numbers: sorted, distinct (an archive may hold a path twice; the last wins).
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.sort_by(|&a, &b| names[a as usize].cmp(&names[b as usize]).then(b.cmp(&a)));
    order.dedup_by(|a, b| names[*a as usize] == names[*b as usize]);
    let mut final_id = vec![u32::MAX; names.len()];
    for (i, &walk_id) in order.iter().enumerate() {
        final_id[walk_id as usize] = i as u32;
    }
    // A path archived twice: its earlier copies count as the kept one.
    for (walk_id, name) in names.iter().enumerate() {
        if final_id[walk_id] == u32::MAX {
            if let Ok(i) = order.binary_search_by(|&w| names[w as usize].cmp(name)) {
                final_id[walk_id] = i as u32;
            }
        }
    }
    let paths = Strings::from_sorted(order.iter().map(|&w| names[w as usize].as_bytes()));
    let mut stored: Option<Vec<Stored>> = None;
    let mut makefiles = Vec::new();
    let mut buckets: Vec<Vec<Vec<u64>>> = Vec::new();
    let mut defs = Vec::new();
    let mut unscanned = Vec::new();
    for mut builder in visitors {
        if let Some(writer) = builder.store.take() {
            stored = Some(writer.finish()?);
        }
        makefiles.append(&mut builder.makefiles);
        buckets.push(builder.buckets);
        defs.append(&mut builder.defs);
        unscanned.extend(
            builder
                .unscanned
                .iter()
                .filter_map(|&w| final_id.get(w as usize)),
        );
    }
    unscanned.sort_unstable();
    unscanned.dedup();
    let release = release_of(makefiles);
    let content = content_of(source, git, stored, store, &order, &describe)?;
    let buckets = &buckets;
    let final_id = &final_id;
    let half = 1usize << (BUCKET_BITS - 1);
    let (low, high, defs) = std::thread::scope(|scope| {
        let high = scope.spawn(move || word_tables(buckets, final_id, half..2 * half));
        let defs = scope.spawn(move || def_tables(defs, final_id));
        let low = word_tables(buckets, final_id, 0..half);
        (low, high.join(), defs.join())
    });
    let high = high.map_err(|_| internal(&describe))?;
    let (def_names, def_spans, defs) = defs.map_err(|_| internal(&describe))?;
    let (words, word_counts, postings_offsets, postings) = join_tables(low, high);
    Ok(TreeIndex {
        describe,
        release,
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

/// How files are read back, in final path order.
fn content_of(
    source: &TreeSource,
    git: Option<(gix::ObjectId, Vec<gix::ObjectId>)>,
    stored: Option<Vec<Stored>>,
    store: Option<&Path>,
    order: &[u32],
    describe: &str,
) -> Result<Content, TreeError> {
    Ok(match (source, git, stored, store) {
        (TreeSource::Git { repo, .. }, Some((_, oids)), _, _) => Content::Git {
            repo_path: repo.clone(),
            oids: order.iter().map(|&w| oids[w as usize]).collect(),
            repo: Box::new(std::sync::Mutex::new(None)),
        },
        (_, _, Some(entries), Some(file)) => Content::Store {
            file: file.to_path_buf(),
            entries: order
                .iter()
                .map(|&w| entries.get(w as usize).copied().unwrap_or_default())
                .collect(),
            handle: std::sync::Mutex::new(None),
            _temp: None,
        },
        (TreeSource::Dir(root), ..) => Content::Dir(root.clone()),
        _ => {
            return Err(TreeError::Internal {
                source_name: describe.to_string(),
                message: "a tarball was indexed without a store".into(),
            })
        }
    })
}

type WordTables = (Vec<WordKey>, Vec<u32>, Vec<u32>, Vec<u8>);

fn internal(describe: &str) -> TreeError {
    TreeError::Internal {
        source_name: describe.to_string(),
        message: "a thread assembling the tree index panicked".into(),
    }
}

/// Two halves of the word tables, the second after the first.
fn join_tables(mut low: WordTables, high: WordTables) -> WordTables {
    let base = low.3.len() as u32;
    low.0.extend(high.0);
    low.1.extend(high.1);
    low.2.extend(high.2.iter().skip(1).map(|o| o + base));
    low.3.extend(high.3);
    low
}

/// Sort each bucket of `range` (all threads' parts of it together) and cut it into words.
fn word_tables(
    buckets: &[Vec<Vec<u64>>],
    final_id: &[u32],
    range: std::ops::Range<usize>,
) -> WordTables {
    let mut keys = Vec::new();
    let mut counts = Vec::new();
    let mut offsets = vec![0u32];
    let mut blob = Vec::new();
    let mut pairs: Vec<u64> = Vec::new();
    let mut files: Vec<u32> = Vec::new();
    let file_mask = (1u64 << FILE_BITS) - 1;
    for bucket in range {
        pairs.clear();
        for worker in buckets {
            if let Some(part) = worker.get(bucket) {
                pairs.extend(part.iter().map(|&p| {
                    let file = final_id.get((p & file_mask) as usize).copied().unwrap_or(0);
                    (p & !file_mask) | u64::from(file)
                }));
            }
        }
        pairs.sort_unstable();
        let high = (bucket as u64) << (52 - BUCKET_BITS);
        for run in pairs.chunk_by(|a, b| a >> FILE_BITS == b >> FILE_BITS) {
            let key = high | (run[0] >> FILE_BITS);
            files.clear();
            files.extend(run.iter().map(|&p| (p & file_mask) as u32));
            files.dedup();
            keys.push(key);
            counts.push(files.len() as u32);
            files.truncate(POSTINGS_CAP);
            encode_postings(&files, &mut blob);
            offsets.push(u32::try_from(blob.len()).unwrap_or(u32::MAX));
        }
    }
    (keys, counts, offsets, blob)
}

fn def_tables(
    defs: Vec<(WordKey, SymbolKind, u32, u32)>,
    final_id: &[u32],
) -> (Vec<WordKey>, Vec<u32>, Vec<Definition>) {
    let mut defs: Vec<(WordKey, Definition)> = defs
        .into_iter()
        .map(|(key, kind, file, line)| {
            let file = final_id.get(file as usize).copied().unwrap_or(0);
            (key, Definition { kind, file, line })
        })
        .collect();
    defs.sort_unstable_by_key(|(key, d)| (*key, d.file, d.line, d.kind));
    defs.dedup();
    let mut names: Vec<WordKey> = Vec::new();
    let mut spans = vec![0u32];
    let mut out = Vec::with_capacity(defs.len());
    for (key, def) in defs {
        if names.last() != Some(&key) {
            if !names.is_empty() {
                spans.push(out.len() as u32);
            }
            names.push(key);
        }
        out.push(def);
    }
    if !names.is_empty() {
        spans.push(out.len() as u32);
    }
    (names, spans, out)
}

/// The release of the tree: Linux's top Makefile first, then Xen's.
fn release_of(makefiles: Vec<(String, Vec<u8>)>) -> Option<Version> {
    let depth = |n: &str| n.matches('/').count();
    let mut makefiles = makefiles;
    makefiles.sort_by_key(|(n, _)| (n.ends_with("xen/Makefile"), depth(n)));
    makefiles
        .iter()
        .find_map(|(_, bytes)| Version::of_makefile(bytes))
}
