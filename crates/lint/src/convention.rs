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
    /// Yocto Project / OpenEmbedded: `Upstream-Status`, `CVE`, `Signed-off-by`.
    Yocto,
    /// The ChromiumOS kernel: `UPSTREAM:` … `CHROMIUM:` subjects, `BUG=`, `TEST=`.
    Chromeos,
    /// The Android common kernel: `UPSTREAM:` … `ANDROID:` subjects, `Bug:`, `Change-Id:`.
    Android,
    /// The Ubuntu kernel: `UBUNTU: SAUCE:` subjects or cherry-pick lines, `BugLink`.
    Ubuntu,
}

impl Convention {
    /// Every convention.
    pub const ALL: [Convention; 6] = [
        Convention::Suse,
        Convention::Dep3,
        Convention::Yocto,
        Convention::Chromeos,
        Convention::Android,
        Convention::Ubuntu,
    ];

    /// Its name on the command line and in rule ids.
    pub fn name(self) -> &'static str {
        match self {
            Convention::Suse => "suse",
            Convention::Dep3 => "dep3",
            Convention::Yocto => "yocto",
            Convention::Chromeos => "chromeos",
            Convention::Android => "android",
            Convention::Ubuntu => "ubuntu",
        }
    }

    /// The findings of this convention's rules on one patch, `file` as the series names it.
    pub fn check(self, file: &str, patch: &Patch) -> Vec<Finding> {
        match self {
            Convention::Suse => rules::suse::check(file, patch),
            Convention::Dep3 => rules::dep3::check(file, patch),
            Convention::Yocto => rules::yocto::check(file, patch),
            Convention::Chromeos => rules::prefix::chromeos(file, patch),
            Convention::Android => rules::prefix::android(file, patch),
            Convention::Ubuntu => rules::ubuntu::check(file, patch),
        }
    }

    /// The conventions a queue follows, each shown by half or more of its patches:
    ///
    /// - SUSE: a `series.conf` queue, or `Patch-mainline`;
    /// - DEP-3: a Debian queue, or DEP-3 fields;
    /// - Yocto: `Upstream-Status`;
    /// - ChromiumOS or Android: a subject prefix of theirs (`UPSTREAM:`, `BACKPORT:`,
    ///   `FROMGIT:`, `FROMLIST:`, `CHROMIUM:`, `ANDROID:`); then Android when more patches
    ///   show Android's marks (`ANDROID:`, or a shared prefix with a `Bug:` trailer) than
    ///   ChromiumOS's (`CHROMIUM:`, or a shared prefix with `BUG=`/`TEST=` lines), else
    ///   ChromiumOS (`Change-Id:`, which both use, tells them not apart);
    /// - Ubuntu: an `UBUNTU:` subject or a `BugLink:`.
    ///
    /// None when no convention shows (a plain upstream `git format-patch` queue).
    pub fn detect(queue: &Queue) -> Vec<Convention> {
        let patches: Vec<&Patch> = queue
            .entries
            .iter()
            .filter_map(|e| e.patch.as_ref())
            .collect();
        let count = |marked: &dyn Fn(&Patch) -> bool| patches.iter().filter(|p| marked(p)).count();
        let mostly = |marked: &dyn Fn(&Patch) -> bool| {
            !patches.is_empty() && count(marked) * 2 >= patches.len()
        };
        let fields = |names: &'static [&'static str]| {
            move |p: &Patch| names.iter().any(|n| p.header.field(n).is_some())
        };
        let mut out = Vec::new();
        if queue.layout == LayoutKind::SeriesConf || mostly(&fields(&["Patch-mainline"])) {
            out.push(Convention::Suse);
        }
        if queue.layout == LayoutKind::Debian
            || mostly(&fields(&[
                "Origin",
                "Forwarded",
                "Last-Update",
                "Bug-Debian",
                "Applied-Upstream",
            ]))
        {
            out.push(Convention::Dep3);
        }
        if mostly(&fields(&["Upstream-Status"])) {
            out.push(Convention::Yocto);
        }
        if mostly(&rules::prefix::prefixed) {
            let android = count(&rules::prefix::android_marked);
            let chromeos = count(&rules::prefix::chromeos_marked);
            out.push(if android > chromeos {
                Convention::Android
            } else {
                Convention::Chromeos
            });
        }
        if mostly(&rules::ubuntu::marked) {
            out.push(Convention::Ubuntu);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_queue::QueueEntry;

    /// A folder queue of patches with these headers (and a one-line diff each).
    fn queue(headers: &[&str]) -> Queue {
        let entries = headers
            .iter()
            .enumerate()
            .map(|(i, header)| {
                let text = format!("{header}\n---\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n");
                QueueEntry::parsed(i + 1, &format!("{:04}-x.patch", i + 1), text.as_bytes())
            })
            .collect();
        Queue {
            source: "test".into(),
            layout: LayoutKind::Folder,
            entries,
            disabled: Vec::new(),
            problems: Vec::new(),
        }
    }

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn a_plain_upstream_queue_shows_no_convention() {
        let mail = format!("From {SHA} Mon Sep 17 00:00:00 2001\nFrom: A <a@example.com>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nSubject: [PATCH 1/2] mm: fix it\n\nWhy.\n\nFixes: 0123456789ab (\"mm: add it\")\nLink: https://lore.kernel.org/r/1@example.com\nChange-Id: I0\nSigned-off-by: A <a@example.com>");
        assert_eq!(Convention::detect(&queue(&[&mail, &mail, &mail])), vec![]);
        assert_eq!(Convention::detect(&queue(&[])), vec![]);
    }

    #[test]
    fn each_convention_shows_by_its_marks() {
        let yocto = "Subject: fix\n\nUpstream-Status: Pending\nSigned-off-by: A <a@example.com>";
        let plain = "Subject: fix\n\nWhy.";
        assert_eq!(
            Convention::detect(&queue(&[yocto, yocto, plain])),
            vec![Convention::Yocto]
        );
        assert_eq!(Convention::detect(&queue(&[yocto, plain, plain])), vec![]);
        let cros = "Subject: CHROMIUM: config: enable it\n\nBUG=b:1\nTEST=boot";
        let upstream =
            format!("Subject: UPSTREAM: mm: fix it\n\n(cherry picked from commit {SHA})");
        assert_eq!(
            Convention::detect(&queue(&[cros, &upstream, plain])),
            vec![Convention::Chromeos]
        );
        let android = "Subject: ANDROID: GKI: export it\n\nBug: 1\nChange-Id: I0";
        let shared = format!("Subject: FROMGIT: mm: fix it\n\nBug: 2\nChange-Id: I1\n(cherry picked from commit {SHA})");
        assert_eq!(
            Convention::detect(&queue(&[android, &shared, &upstream])),
            vec![Convention::Android]
        );
        let sauce = "Subject: UBUNTU: SAUCE: apparmor: fix it\n\nBugLink: https://bugs.launchpad.net/bugs/1";
        let stable = "Subject: mm: fix it\n\nBugLink: https://bugs.launchpad.net/bugs/2\n\nWhy.";
        assert_eq!(
            Convention::detect(&queue(&[sauce, stable, plain])),
            vec![Convention::Ubuntu]
        );
    }

    #[test]
    fn odd_headers_do_not_break_any_convention() {
        let odd = [
            "",
            "Subject: ",
            "Subject: UPSTREAM:\n\n(cherry picked from commit",
            "Subject: FROMGIT: ü\n\n(cherry picked from commit 0123abcd\n ß://é ü)",
            "Subject: BACKPORT: FROMLIST: x\n\n[\n]\nConflicts",
            "Upstream-Status: ü[\nUpstream-Status: [\nUpstream-Status: Inactive-Upstream [\nCVE:\nCVE: CVE-ü-1",
            "Subject: UBUNTU: SAUCE:\n\nBugLink:\nBugLink: https://bugs.launchpad.net/bugs/é\n(backported from commit 0123abcd",
        ];
        for header in odd {
            let q = queue(&[header]);
            for entry in &q.entries {
                let patch = entry.patch.as_ref().expect("parsed");
                for convention in Convention::ALL {
                    let _ = convention.check(&entry.name, patch);
                }
            }
            let _ = Convention::detect(&q);
        }
    }
}
