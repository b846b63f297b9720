//! The conventions kdelta checks, and how a queue shows which it follows.

use crate::finding::Finding;
use crate::rules;
use kdelta_patch::Patch;
use kdelta_queue::{LayoutKind, Queue};

/// A distribution's header convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Convention {
    /// SUSE kernel-source: `Patch-mainline`, `Git-commit`, `Git-repo`, `References`.
    Suse,
    /// Debian's DEP-3: `Description`/`Subject`, `Origin`, `Forwarded`, `Last-Update`.
    Dep3,
}

impl Convention {
    /// Its name on the command line and in rule ids.
    pub fn name(self) -> &'static str {
        match self {
            Convention::Suse => "suse",
            Convention::Dep3 => "dep3",
        }
    }

    /// The findings of this convention's rules on one patch, `file` as the series names it.
    pub fn check(self, file: &str, patch: &Patch) -> Vec<Finding> {
        match self {
            Convention::Suse => rules::suse::check(file, patch),
            Convention::Dep3 => rules::dep3::check(file, patch),
        }
    }

    /// The conventions a queue follows: SUSE for a `series.conf` queue or one whose patches
    /// mostly carry `Patch-mainline`; DEP-3 for a Debian queue or one whose patches mostly
    /// carry DEP-3 fields. None when neither shows.
    pub fn detect(queue: &Queue) -> Vec<Convention> {
        let patches: Vec<&Patch> = queue
            .entries
            .iter()
            .filter_map(|e| e.patch.as_ref())
            .collect();
        let mostly = |names: &[&str]| {
            let with = patches
                .iter()
                .filter(|p| names.iter().any(|n| p.header.field(n).is_some()))
                .count();
            !patches.is_empty() && with * 2 >= patches.len()
        };
        let mut out = Vec::new();
        if queue.layout == LayoutKind::SeriesConf || mostly(&["Patch-mainline"]) {
            out.push(Convention::Suse);
        }
        if queue.layout == LayoutKind::Debian
            || mostly(&[
                "Origin",
                "Forwarded",
                "Last-Update",
                "Bug-Debian",
                "Applied-Upstream",
            ])
        {
            out.push(Convention::Dep3);
        }
        out
    }
}
