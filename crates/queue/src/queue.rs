//! The queue model: the patches of a queue in application order, parsed, with every
//! problem located by file and line.

use kdelta_patch::{Patch, Problem};
use serde::Serialize;

use crate::layout::LayoutKind;

/// One patch of a queue.
#[derive(Clone, Debug, Serialize)]
pub struct QueueEntry {
    /// 1-based position in application order.
    pub position: usize,
    /// The patch's path in the queue as the series names it (`patches.xen/xen-clockevents`).
    pub name: String,
    /// Where to find the file, for messages (`DIR/patches.xen/x`, `REPO@REV:path`).
    pub location: String,
    /// `-pN` from the series.
    pub strip: usize,
    /// Guards (`+xen`, `-arm`) from `series.conf`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub guards: Vec<String>,
    /// The section heading of `series.conf` the entry is under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Where the series names the patch (1-based line), when a series does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series_line: Option<usize>,
    /// Size of the patch file in bytes (0 when missing).
    pub size: usize,
    /// The parsed patch, `None` when the file is missing.
    pub patch: Option<Patch>,
    /// Problems with this entry that are not inside the patch (e.g. missing file).
    pub problems: Vec<Problem>,
}

impl QueueEntry {
    /// An entry at `position` named (and located at) `name`, its patch parsed from `text`
    /// with `-p1`: a patch that came without a series (tests, mail).
    pub fn parsed(position: usize, name: &str, text: &[u8]) -> QueueEntry {
        QueueEntry {
            position,
            name: name.to_string(),
            location: name.to_string(),
            strip: 1,
            guards: Vec::new(),
            section: None,
            series_line: None,
            size: text.len(),
            patch: Some(Patch::parse(text, &kdelta_patch::ParseOptions::default())),
            problems: Vec::new(),
        }
    }

    /// Every problem: the entry's own, then the patch's.
    pub fn all_problems(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .chain(self.patch.iter().flat_map(|p| p.problems.iter()))
    }

    /// `problem` located in the entry's file (its name when it has no location):
    /// `FILE:LINE: message`, or `FILE: message` when it concerns the whole file.
    pub fn locate(&self, problem: &Problem) -> String {
        let file = if self.location.is_empty() {
            &self.name
        } else {
            &self.location
        };
        match problem.line {
            0 => format!("{file}: {}", problem.message),
            line => format!("{file}:{line}: {}", problem.message),
        }
    }
}

/// How serious a queue-level finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Something is wrong: the exit code says so.
    Error,
    /// Worth knowing, not wrong (a patch file the series never names).
    Warning,
}

/// A finding about the queue as a whole, located by file and line.
#[derive(Clone, Debug, Serialize)]
pub struct QueueProblem {
    /// The file (series, spec, archive) the finding is about.
    pub file: String,
    /// The 1-based line, 0 when it concerns the whole file.
    pub line: usize,
    /// What was found.
    pub message: String,
    /// How serious it is.
    pub severity: Severity,
}

impl std::fmt::Display for QueueProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

/// A whole queue.
#[derive(Clone, Debug, Serialize)]
pub struct Queue {
    /// What was read (the SPEC as resolved).
    pub source: String,
    /// The layout found.
    pub layout: LayoutKind,
    /// The patches, in application order (after filters).
    pub entries: Vec<QueueEntry>,
    /// Patches the series names on commented-out lines (after the name filters): disabled
    /// for now, e.g. during a rebase.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disabled: Vec<String>,
    /// Queue-level findings: series problems, unlisted files.
    pub problems: Vec<QueueProblem>,
}

impl Queue {
    /// Whether anything is wrong (an error-level finding or a problem in any entry).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
            || self
                .entries
                .iter()
                .any(|e| e.all_problems().next().is_some())
    }

    /// Every finding, located, in order: the queue's own, then each patch's problems (all
    /// errors). There is an error among them exactly when [`Queue::has_errors`].
    pub fn findings(&self) -> impl Iterator<Item = (Severity, String)> + '_ {
        let own = self.problems.iter().map(|p| (p.severity, p.to_string()));
        let patches = self.entries.iter().flat_map(|e| {
            e.all_problems()
                .map(move |p| (Severity::Error, e.locate(p)))
        });
        own.chain(patches)
    }
}
