//! Bringing the archive index up to date: each source read from where the last run
//! stopped (a rewritten epoch or a changed mbox is read again), mails parsed on several
//! threads and written in one, then the series found again when anything changed.

use crate::message::parse_message;
use crate::source::{self, Change, Source, SourceKind};
use crate::store::{ArchiveStore, Located, Writer};
use crate::ArchiveError;
use kdelta_upstream::Progress;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

/// How to index.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Threads that read and parse mails.
    pub threads: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

/// What a run did to one source.
#[derive(Clone, Debug, Serialize)]
pub struct SourceOutcome {
    /// The source's path.
    pub path: String,
    /// Its kind.
    pub kind: SourceKind,
    /// Mails read and stored.
    pub added: usize,
    /// Mails forgotten (deleted from the archive, or before a rewritten one is read again).
    pub removed: usize,
    /// Whether it was read again from the start (a rewritten epoch, a changed mbox).
    pub reread: bool,
}

/// What a run did.
#[derive(Clone, Debug, Serialize)]
pub struct IndexOutcome {
    /// The index file.
    pub index: String,
    /// Per source.
    pub sources: Vec<SourceOutcome>,
    /// Mails in the index.
    pub messages: u64,
    /// Patch mails in the index.
    pub patches: u64,
    /// Series in the index.
    pub series: u64,
    /// Whether nothing was new.
    pub up_to_date: bool,
    /// Seconds the run took.
    pub seconds: f64,
}

/// Index every archive at `paths` into `store`.
pub fn update(
    store: &mut ArchiveStore,
    paths: &[&Path],
    options: &IndexOptions,
    progress: &mut dyn Progress,
) -> Result<IndexOutcome, ArchiveError> {
    let started = Instant::now();
    let mut sources = Vec::new();
    for path in paths {
        sources.extend(source::discover(path)?);
    }
    progress.start();
    let mut outcomes = Vec::new();
    let mut ticker = Ticker {
        progress,
        done: 0,
        current: 0,
    };
    for source in &sources {
        let outcome = update_source(store, source, options, &mut ticker)?;
        outcomes.push(outcome);
    }
    ticker.progress.finish();
    let changed = outcomes.iter().any(|o| o.added > 0 || o.removed > 0);
    let series = if changed || store.meta("series")?.is_none() {
        let n = crate::series::rebuild(store)?;
        store.set_meta("series", &n.to_string())?;
        n
    } else {
        store
            .meta("series")?
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let (messages, patches) = store.counts()?;
    Ok(IndexOutcome {
        index: store.path().display().to_string(),
        sources: outcomes,
        messages,
        patches,
        series,
        up_to_date: !changed,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Progress over all sources: units of each source counted after those of the ones before.
struct Ticker<'p> {
    progress: &'p mut dyn Progress,
    done: usize,
    current: usize,
}

impl Ticker<'_> {
    fn total(&mut self, n: usize) {
        self.current = n;
        self.progress.set_total(self.done + n);
    }
    fn advance(&mut self, n: usize) {
        self.progress.advance(self.done + n);
    }
    fn finish_source(&mut self) {
        self.done += std::mem::take(&mut self.current);
    }
}

fn update_source(
    store: &mut ArchiveStore,
    source: &Source,
    options: &IndexOptions,
    ticker: &mut Ticker<'_>,
) -> Result<SourceOutcome, ArchiveError> {
    let (id, state) = store.source(&source.path.to_string_lossy(), source.kind.as_str())?;
    let mut outcome = SourceOutcome {
        path: source.path.display().to_string(),
        kind: source.kind,
        added: 0,
        removed: 0,
        reread: false,
    };
    match source.kind {
        SourceKind::Epoch | SourceKind::V1 => {
            git_source(store, source, id, &state, options, &mut outcome, ticker)?
        }
        SourceKind::Mbox => mbox_source(store, source, id, &state, options, &mut outcome, ticker)?,
        SourceKind::Maildir => maildir_source(store, source, id, options, &mut outcome, ticker)?,
    }
    ticker.finish_source();
    Ok(outcome)
}

#[allow(clippy::too_many_arguments)]
fn git_source(
    store: &mut ArchiveStore,
    source: &Source,
    id: i64,
    state: &str,
    options: &IndexOptions,
    outcome: &mut SourceOutcome,
    ticker: &mut Ticker<'_>,
) -> Result<(), ArchiveError> {
    let path = &source.path;
    let repo = gix::open(path).map_err(|e| ArchiveError::read(path, e))?;
    let stored = gix::ObjectId::from_hex(state.as_bytes()).ok();
    let new = source::new_commits(&repo, path, stored)?;
    if new.rewritten {
        outcome.removed += store.clear_source(id)?;
        outcome.reread = true;
    }
    ticker.total(new.commits.len());
    let shared = repo.into_sync();
    let kind = source.kind;
    let mut deleted = Vec::new();
    let mut writer = Writer::new(store, 2000);
    parallel(
        new.commits.len(),
        options.threads,
        || shared.to_thread_local(),
        |repo, i| {
            let commit = new.commits[i];
            let (time, changes) = source::commit_changes(repo, path, commit, kind)?;
            Ok(changes
                .into_iter()
                .map(|change| match change {
                    Change::Added(mail) => Parsed::Mail(Box::new(Located {
                        source: id,
                        locator: commit.to_string(),
                        fallback_date: Some(time),
                        message: parse_message(&mail, &commit.to_string()),
                    })),
                    Change::Deleted(mail) => {
                        Parsed::Gone(parse_message(&mail, &commit.to_string()).message_id)
                    }
                })
                .collect())
        },
        |items, n| {
            for item in items {
                match item {
                    Parsed::Mail(mail) => writer.push(*mail)?,
                    Parsed::Gone(message_id) => deleted.push(message_id),
                }
            }
            ticker.advance(n);
            Ok(())
        },
    )?;
    writer.flush()?;
    outcome.added += writer.written();
    for message_id in &deleted {
        store.remove_message(id, message_id)?;
    }
    outcome.removed += deleted.len();
    let tip = new.tip.map(|t| t.to_string()).unwrap_or_default();
    store.set_source_state(id, &tip)?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn mbox_source(
    store: &mut ArchiveStore,
    source: &Source,
    id: i64,
    state: &str,
    options: &IndexOptions,
    outcome: &mut SourceOutcome,
    ticker: &mut Ticker<'_>,
) -> Result<(), ArchiveError> {
    let path = &source.path;
    let now = source::mbox_state(path)?;
    if now == state {
        return Ok(());
    }
    if !state.is_empty() {
        outcome.removed += store.clear_source(id)?;
        outcome.reread = true;
    }
    let bytes = std::fs::read(path).map_err(|e| ArchiveError::read(path, e))?;
    let ranges = kdelta_patch::mail::split_mbox(&bytes);
    ticker.total(ranges.len());
    outcome.added += read_mails(store, id, ranges.len(), options, ticker, |i| {
        let range = ranges[i].clone();
        let locator = range.start.to_string();
        Ok((
            format!("mbox-{locator}"),
            locator,
            source::mbox_mail(&bytes[range]),
        ))
    })?;
    store.set_source_state(id, &now)?;
    Ok(())
}

fn maildir_source(
    store: &mut ArchiveStore,
    source: &Source,
    id: i64,
    options: &IndexOptions,
    outcome: &mut SourceOutcome,
    ticker: &mut Ticker<'_>,
) -> Result<(), ArchiveError> {
    let files = source::maildir_files(&source.path)?;
    let known = store.locators(id)?;
    let present: std::collections::HashSet<&str> = files.iter().map(|(l, _)| l.as_str()).collect();
    let gone: Vec<String> = known
        .iter()
        .filter(|l| !present.contains(l.as_str()))
        .cloned()
        .collect();
    store.remove_locators(id, &gone)?;
    outcome.removed += gone.len();
    let new: Vec<&(String, std::path::PathBuf)> =
        files.iter().filter(|(l, _)| !known.contains(l)).collect();
    ticker.total(new.len());
    outcome.added += read_mails(store, id, new.len(), options, ticker, |i| {
        let (locator, path) = new[i];
        let mail = std::fs::read(path).map_err(|e| ArchiveError::read(path, e))?;
        Ok((format!("maildir-{locator}"), locator.clone(), mail))
    })?;
    Ok(())
}

/// Read `n` mails with `read(i)` (the name for a mail without Message-ID, its locator, its
/// bytes) on the options' threads, parse and store them; how many were stored.
fn read_mails<R>(
    store: &mut ArchiveStore,
    source: i64,
    n: usize,
    options: &IndexOptions,
    ticker: &mut Ticker<'_>,
    read: R,
) -> Result<usize, ArchiveError>
where
    R: Fn(usize) -> Result<(String, String, Vec<u8>), ArchiveError> + Sync,
{
    let mut writer = Writer::new(store, 2000);
    let work = |_: &(), i| {
        let (name, locator, mail) = read(i)?;
        Ok(vec![Parsed::Mail(Box::new(Located {
            source,
            message: parse_message(&mail, &name),
            locator,
            fallback_date: None,
        }))])
    };
    parallel(
        n,
        options.threads,
        || (),
        work,
        |items, done| {
            for item in items {
                if let Parsed::Mail(mail) = item {
                    writer.push(*mail)?;
                }
            }
            ticker.advance(done);
            Ok(())
        },
    )?;
    writer.flush()?;
    Ok(writer.written())
}

/// What reading one unit gives.
enum Parsed {
    /// A mail to store.
    Mail(Box<Located>),
    /// A mail deleted from the archive, by message-id.
    Gone(String),
}

/// Run `work` on units `0..n` on `threads` threads (each with its own context from
/// `context`), and hand each unit's results to `sink` on this thread, in order, with the
/// number of units done.
fn parallel<C, F, W, S>(
    n: usize,
    threads: usize,
    context: F,
    work: W,
    mut sink: S,
) -> Result<(), ArchiveError>
where
    F: Fn() -> C + Sync,
    W: Fn(&C, usize) -> Result<Vec<Parsed>, ArchiveError> + Sync,
    S: FnMut(Vec<Parsed>, usize) -> Result<(), ArchiveError>,
{
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let (tx, rx) = crossbeam_channel::bounded::<(usize, Result<Vec<Parsed>, ArchiveError>)>(1024);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1).min(n.max(1)) {
            let tx = tx.clone();
            let (next, context, work) = (&next, &context, &work);
            scope.spawn(move || {
                let ctx = context();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n || tx.send((i, work(&ctx, i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting = BTreeMap::new();
        let mut expected = 0;
        for (i, result) in rx {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&expected) {
                expected += 1;
                if let Err(e) = result.and_then(|items| sink(items, expected)) {
                    next.store(n, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(())
    })
}
