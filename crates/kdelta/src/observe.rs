//! How the CLI shows a job's progress: a bar per task on stderr when it is a terminal (and
//! `--quiet` was not given), warnings said on stderr above the bar, step timings under
//! `KDELTA_TIMING`.

use indicatif::{ProgressBar, ProgressStyle};
use kdelta_jobs::{Observer, Task};
use std::io::IsTerminal;
use std::time::Duration;

/// The CLI's [`Observer`].
pub struct Shown {
    show: bool,
    task: Option<Task>,
    bar: Option<ProgressBar>,
}

impl Shown {
    /// Bars unless `quiet` or stderr is not a terminal.
    pub fn new(quiet: bool) -> Shown {
        Shown {
            show: !quiet && std::io::stderr().is_terminal(),
            task: None,
            bar: None,
        }
    }
}

/// The bar's template for `task`, with a known total or not.
fn template(task: &Task, known: bool) -> String {
    match (task, known) {
        (Task::Indexing, false) => {
            "{spinner} indexing {pos} commits, {per_sec} (listing the history…)".into()
        }
        (Task::Indexing, true) => {
            "{spinner} indexing [{bar:40}] {pos}/{len} commits, {per_sec}, ETA {eta}".into()
        }
        (Task::IndexingArchive, false) => "{spinner} reading the archives…".into(),
        (Task::IndexingArchive, true) => {
            "{spinner} reading mails [{bar:40}] {pos}/{len}, {per_sec}, ETA {eta}".into()
        }
        // What the tree is goes in the message, where braces are not a template.
        (Task::ReadingTree(_), _) => "{spinner} {msg}".into(),
        (Task::Analysing, _) => {
            "{spinner} analysing [{bar:40}] {pos}/{len} patches, {per_sec}, ETA {eta}".into()
        }
        (Task::Revisions, _) => {
            "{spinner} analysing revisions [{bar:40}] {pos}/{len} revisions, ETA {eta}".into()
        }
    }
}

fn style(task: &Task, known: bool) -> ProgressStyle {
    ProgressStyle::with_template(&template(task, known))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

impl Observer for Shown {
    fn begin(&mut self, task: Task, total: Option<usize>) {
        self.end();
        if self.show {
            let bar = match total {
                Some(n) => ProgressBar::new(n as u64),
                None => ProgressBar::no_length(),
            };
            bar.set_style(style(&task, total.is_some()));
            if let Task::ReadingTree(what) = &task {
                bar.set_message(format!(
                    "reading the upstream tree {}",
                    crate::term::clean(what)
                ));
                bar.enable_steady_tick(Duration::from_millis(120));
            }
            self.bar = Some(bar);
        }
        self.task = Some(task);
    }

    fn total(&mut self, total: usize) {
        if let (Some(bar), Some(task)) = (&self.bar, &self.task) {
            bar.set_length(total as u64);
            bar.set_style(style(task, true));
        }
    }

    fn advance(&mut self, done: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
    }

    fn end(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        self.task = None;
    }

    fn warning(&mut self, text: &str) {
        let say = || crate::term::say!("kdelta: warning: {text}");
        match &self.bar {
            Some(bar) => bar.suspend(say),
            None => say(),
        }
    }

    fn step(&mut self, name: &str, at: Duration) {
        crate::timing::step(name, at);
    }

    fn shows_progress(&self) -> bool {
        self.show
    }
}
