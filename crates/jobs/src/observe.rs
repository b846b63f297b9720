//! What a job tells its front end while it runs: the tasks it starts and how far they are,
//! warnings, and when each step ended. The CLI shows bars and prints; the server logs.

use std::time::Duration;

/// A long task of a job, for a progress display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Task {
    /// Fingerprinting upstream commits into the index.
    Indexing,
    /// Reading mailing-list archives into the archive index.
    IndexingArchive,
    /// Reading the upstream tree (what it is, for the message).
    ReadingTree(String),
    /// Judging the patches of a queue.
    Analysing,
    /// Reading and judging the revisions of a queue's history.
    Revisions,
}

/// Receives what a job has to say while it runs. Every method does nothing by default.
pub trait Observer {
    /// A task starts; `total` units when known.
    fn begin(&mut self, _task: Task, _total: Option<usize>) {}
    /// The task's total became known.
    fn total(&mut self, _total: usize) {}
    /// `done` units of the task are done.
    fn advance(&mut self, _done: usize) {}
    /// The task ended.
    fn end(&mut self) {}
    /// Something the person should know that does not stop the job.
    fn warning(&mut self, _text: &str) {}
    /// Step `name` of the job ended, `at` after it started (for timing).
    fn step(&mut self, _name: &str, _at: Duration) {}
    /// Whether progress is shown at all: when not, work done only for display is skipped.
    fn shows_progress(&self) -> bool {
        false
    }
}

/// An [`Observer`] that ignores everything.
pub struct Silent;

impl Observer for Silent {}

/// An index's [`kdelta_upstream::Progress`] reported to an [`Observer`] as the task it is
/// ([`Task::Indexing`] for the upstream index, [`Task::IndexingArchive`] for the archives).
pub struct IndexProgress<'o>(pub &'o mut dyn Observer, pub Task);

impl kdelta_upstream::Progress for IndexProgress<'_> {
    fn start(&mut self) {
        self.0.begin(self.1.clone(), None);
    }
    fn set_total(&mut self, total: usize) {
        self.0.total(total);
    }
    fn advance(&mut self, done: usize) {
        self.0.advance(done);
    }
    fn finish(&mut self) {
        self.0.end();
    }
    fn step(&mut self, what: &str, at: Duration) {
        self.0.step(what, at);
    }
}

/// Tell `observer` the steps a library recorded.
pub(crate) fn steps(observer: &mut dyn Observer, timings: &kdelta_upstream::Timings) {
    for (name, at) in timings.steps() {
        observer.step(name, *at);
    }
}
