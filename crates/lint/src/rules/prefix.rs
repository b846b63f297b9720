//! The subject prefixes of the ChromiumOS and Android common kernels, two conventions that
//! share the prefixes for patches from upstream and differ in their own prefix and trailers.
//! Written from the ChromiumOS "Kernel FAQ" ("What commit message should I use?", "UPSTREAM,
//! BACKPORT, FROMLIST, and you") and the Android Common Kernel's "Common Kernel patch
//! requirements" (the README of kernel/common).
//!
//! Every patch's subject starts with a prefix saying where it comes from: `UPSTREAM:`
//! (mainline, as is), `BACKPORT:` (mainline, changed), `FROMGIT:` (a maintainer tree),
//! `FROMLIST:` (a mailing-list posting), or the kernel's own, `CHROMIUM:` or `ANDROID:`;
//! `BACKPORT: FROMGIT:`, `BACKPORT: FROMLIST:` (and ChromiumOS's `CHROMIUM: FROMLIST:`) mix
//! them. What each prefix asks of the message:
//!
//! - `UPSTREAM:`, `BACKPORT:`: the mainline commit, `(cherry picked from commit <sha>)` (the
//!   Android README's `upstream commit <sha>` line is taken too);
//! - `FROMGIT:`: the cherry-pick line naming the repository and branch,
//!   `(cherry picked from commit <sha> <repository> <branch>)`, on its line or the next;
//! - `FROMLIST:`: a link to the posting (`Link:`, `(am from <url>)`, a list archive URL);
//! - `BACKPORT:`: what had to change (a `Conflicts:` list or a `[name: what changed]` note).
//!
//! ChromiumOS wants `BUG=` and `TEST=` lines; Android wants `Change-Id:` and `Bug:` (an
//! `ANDROID:` fix may cite its bug with `Fixes:` instead); both require `Signed-off-by:`.
//! A patch that came in with a stable merge (`commit <sha> upstream.`) carries no prefix and
//! was never reviewed as the kernel's own: it is asked for neither the prefix nor the
//! kernel's trailers, only the sign-off. Findings about the prefix name the subject's line; findings about
//! missing lines and trailers the header's first line.

use super::{line_after, prose, refs, signed_off, subject_line, tag, HEADER};
use crate::finding::{Finding, RuleId, Severity};
use bstr::ByteSlice;
use kdelta_patch::refs::find_url;
use kdelta_patch::{Patch, RefKind, SubjectPrefix};

/// The kernel whose convention is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kernel {
    Chromeos,
    Android,
}

/// The rule ids of one kernel's convention.
struct Ids {
    prefix_missing: &'static str,
    cherry_pick_missing: &'static str,
    fromgit_repo_missing: &'static str,
    fromlist_link_missing: &'static str,
    backport_note_missing: &'static str,
    signed_off_by_missing: &'static str,
}

const CHROMEOS: Ids = Ids {
    prefix_missing: "chromeos/prefix-missing",
    cherry_pick_missing: "chromeos/cherry-pick-missing",
    fromgit_repo_missing: "chromeos/fromgit-repo-missing",
    fromlist_link_missing: "chromeos/fromlist-link-missing",
    backport_note_missing: "chromeos/backport-note-missing",
    signed_off_by_missing: "chromeos/signed-off-by-missing",
};

const ANDROID: Ids = Ids {
    prefix_missing: "android/prefix-missing",
    cherry_pick_missing: "android/cherry-pick-missing",
    fromgit_repo_missing: "android/fromgit-repo-missing",
    fromlist_link_missing: "android/fromlist-link-missing",
    backport_note_missing: "android/backport-note-missing",
    signed_off_by_missing: "android/signed-off-by-missing",
};

/// The prefixes both kernels take for patches from upstream.
const SHARED: [SubjectPrefix; 4] = [
    SubjectPrefix::Upstream,
    SubjectPrefix::Backport,
    SubjectPrefix::FromGit,
    SubjectPrefix::FromList,
];

impl Kernel {
    fn ids(self) -> &'static Ids {
        match self {
            Kernel::Chromeos => &CHROMEOS,
            Kernel::Android => &ANDROID,
        }
    }

    /// The kernel's own prefix.
    fn own(self) -> SubjectPrefix {
        match self {
            Kernel::Chromeos => SubjectPrefix::Chromium,
            Kernel::Android => SubjectPrefix::Android,
        }
    }

    /// The name its documentation goes by, for messages.
    fn title(self) -> &'static str {
        match self {
            Kernel::Chromeos => "the ChromiumOS kernel",
            Kernel::Android => "the Android common kernel",
        }
    }
}

/// A prefix as written.
fn word(prefix: SubjectPrefix) -> &'static str {
    match prefix {
        SubjectPrefix::Upstream => "UPSTREAM:",
        SubjectPrefix::Backport => "BACKPORT:",
        SubjectPrefix::FromGit => "FROMGIT:",
        SubjectPrefix::FromList => "FROMLIST:",
        SubjectPrefix::Android => "ANDROID:",
        SubjectPrefix::Chromium => "CHROMIUM:",
        SubjectPrefix::UbuntuSauce => "UBUNTU: SAUCE:",
        SubjectPrefix::Ubuntu => "UBUNTU:",
    }
}

/// The ChromiumOS kernel's rules on one patch.
pub fn chromeos(file: &str, patch: &Patch) -> Vec<Finding> {
    let mut out = check(Kernel::Chromeos, file, patch);
    if from_stable(patch) {
        return out;
    }
    let lines = prose(patch);
    for (start, rule) in [
        ("BUG=", "chromeos/bug-missing"),
        ("TEST=", "chromeos/test-missing"),
    ] {
        if !lines.iter().any(|l| l.starts_with(start)) {
            out.push(Finding::new(
                RuleId(rule),
                Severity::Warning,
                file,
                HEADER,
                format!("no `{start}` line: the ChromiumOS kernel wants one at the bottom of the message"),
            ));
        }
    }
    out
}

/// The Android common kernel's rules on one patch.
pub fn android(file: &str, patch: &Patch) -> Vec<Finding> {
    let mut out = check(Kernel::Android, file, patch);
    if from_stable(patch) {
        return out;
    }
    if tag(patch, "Change-Id").is_none() {
        out.push(Finding::new(
            RuleId("android/change-id-missing"),
            Severity::Error,
            file,
            HEADER,
            "no `Change-Id:`: every Android common kernel patch has one",
        ));
    }
    let android_fix = has(patch, SubjectPrefix::Android) && tag(patch, "Fixes").is_some();
    if tag(patch, "Bug").is_none() && !android_fix {
        out.push(Finding::new(
            RuleId("android/bug-missing"),
            Severity::Warning,
            file,
            HEADER,
            "no `Bug:`: name the Android bug the patch is for",
        ));
    }
    out
}

/// The rules both kernels share: the prefix, what it asks of the message, the sign-off.
fn check(kernel: Kernel, file: &str, patch: &Patch) -> Vec<Finding> {
    let ids = kernel.ids();
    let known: Vec<SubjectPrefix> = prefixes(patch)
        .iter()
        .copied()
        .filter(|p| SHARED.contains(p) || *p == kernel.own())
        .collect();
    let mut out = Vec::new();
    if known.is_empty() && !from_stable(patch) {
        out.push(prefix_missing(kernel, file, patch));
    }
    out.extend(provenance(ids, file, patch, &known));
    out.extend(signed_off(
        file,
        patch,
        ids.signed_off_by_missing,
        kernel.title(),
    ));
    out
}

/// The subject's origin prefixes (none without a subject).
fn prefixes(patch: &Patch) -> &[SubjectPrefix] {
    patch
        .header
        .subject
        .as_ref()
        .map_or(&[], |s| s.prefixes.as_slice())
}

/// Whether the subject carries `prefix`.
fn has(patch: &Patch, prefix: SubjectPrefix) -> bool {
    prefixes(patch).contains(&prefix)
}

/// Whether the patch came in with a stable release (`commit <sha> upstream.`,
/// `[ Upstream commit <sha> ]`), which is merged as it is, without a prefix.
fn from_stable(patch: &Patch) -> bool {
    refs(patch, &[RefKind::UpstreamCommit])
        .iter()
        .any(|r| is_stable_line(&r.text))
}

/// `commit <sha> upstream.` or `[ Upstream commit <sha> ]`, the stable kernels' lines.
fn is_stable_line(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    let bracketed = lower
        .strip_prefix('[')
        .is_some_and(|rest| rest.trim_start().starts_with("upstream commit"));
    lower.starts_with("commit ") || bracketed
}

fn prefix_missing(kernel: Kernel, file: &str, patch: &Patch) -> Finding {
    let allowed: Vec<&str> = SHARED
        .iter()
        .chain([&kernel.own()])
        .map(|p| word(*p))
        .collect();
    let message = match &patch.header.subject {
        Some(s) => format!(
            "the subject `{}` starts with none of {}: say where the patch comes from",
            s.raw,
            allowed.join(" ")
        ),
        None => format!("no subject, so no prefix ({})", allowed.join(" ")),
    };
    Finding::new(
        RuleId(kernel.ids().prefix_missing),
        Severity::Error,
        file,
        subject_line(patch),
        message,
    )
}

/// What the prefixes ask of the message: the upstream commit, the repository, the posting,
/// what changed.
fn provenance(ids: &Ids, file: &str, patch: &Patch, known: &[SubjectPrefix]) -> Vec<Finding> {
    let on = |p: SubjectPrefix| known.contains(&p);
    let at = subject_line(patch);
    let say = |rule: &'static str, severity: Severity, line: usize, message: String| {
        Finding::new(RuleId(rule), severity, file, line, message)
    };
    let lines = prose(patch);
    let mut out = Vec::new();
    let from_tree = on(SubjectPrefix::FromGit) || on(SubjectPrefix::FromList);
    let mainline = [SubjectPrefix::Upstream, SubjectPrefix::Backport]
        .into_iter()
        .find(|p| on(*p));
    if let Some(p) = mainline.filter(|_| !from_tree) {
        let kinds = [
            RefKind::CherryPicked,
            RefKind::BackportedFrom,
            RefKind::UpstreamCommit,
        ];
        if refs(patch, &kinds).is_empty() {
            out.push(say(
                ids.cherry_pick_missing,
                Severity::Error,
                at,
                format!("a `{}` patch without `(cherry picked from commit <sha>)`: name the mainline commit", word(p)),
            ));
        }
    }
    if on(SubjectPrefix::FromGit) {
        if let Some((line, message)) = fromgit(patch, &lines, at) {
            out.push(say(
                ids.fromgit_repo_missing,
                Severity::Error,
                line,
                message,
            ));
        }
    }
    if on(SubjectPrefix::FromList) && !posted(patch, &lines) {
        out.push(say(
            ids.fromlist_link_missing,
            Severity::Error,
            at,
            "a `FROMLIST:` patch without a link to its posting (`Link: https://lore.kernel.org/…` or `(am from <url>)`)".into(),
        ));
    }
    if on(SubjectPrefix::Backport) && !says_what_changed(&lines) {
        out.push(say(
            ids.backport_note_missing,
            Severity::Warning,
            at,
            "a `BACKPORT:` patch that does not say what changed from upstream (a `Conflicts:` list or a `[name: what changed]` note)".into(),
        ));
    }
    out
}

/// A `FROMGIT:` patch's missing source, as `(line, message)`: the cherry-pick line must name
/// the repository and the branch, on its line or the next.
fn fromgit(patch: &Patch, lines: &[String], subject: usize) -> Option<(usize, String)> {
    let Some(r) = refs(patch, &[RefKind::CherryPicked]).into_iter().next() else {
        return Some((
            subject,
            "a `FROMGIT:` patch without `(cherry picked from commit <sha> <repository> <branch>)`"
                .into(),
        ));
    };
    let next = line_after(lines, &r.text);
    let named = repository_and_branch(&r.text).or_else(|| next.and_then(repository_and_branch));
    named.is_none().then(|| {
        (
            r.line,
            format!(
                "`{}` does not name the maintainer repository and branch the `FROMGIT:` patch comes from (`git://… <branch>` on the line or the next)",
                r.text
            ),
        )
    })
}

/// The repository URL and the branch after it on `line`, if both are there.
fn repository_and_branch(line: &str) -> Option<(String, String)> {
    let url = find_url(line)?;
    let after = line.get(line.find(&url)? + url.len()..)?;
    let branch = after
        .split_whitespace()
        .next()?
        .trim_end_matches([')', '.', ','])
        .to_string();
    (!branch.is_empty()).then_some((url, branch))
}

/// Whether a `FROMLIST:` patch links its posting: a `Link:` with a URL, an `(am from <url>)`
/// or `List: <url>` line, or a URL of a list archive or patchwork.
fn posted(patch: &Patch, lines: &[String]) -> bool {
    const MARKS: [&str; 4] = ["(am from", "(also found at", "list:", "link:"];
    const ARCHIVES: [&str; 5] = [
        "lore.kernel.org",
        "patchwork",
        "lkml",
        "spinics.net",
        "marc.info",
    ];
    let linked = tag(patch, "Link").is_some_and(|f| f.value.contains_str("://"));
    linked
        || lines.iter().any(|line| {
            let Some(url) = find_url(line) else {
                return false;
            };
            let lower = line.to_ascii_lowercase();
            MARKS.iter().any(|m| lower.starts_with(m)) || ARCHIVES.iter().any(|a| url.contains(a))
        })
}

/// Whether a backport says what changed: a `Conflicts:` list or a bracketed note (a stable
/// `[ Upstream commit <sha> ]` line is no note).
fn says_what_changed(lines: &[String]) -> bool {
    lines.iter().any(|line| {
        let lower = line.to_ascii_lowercase();
        let note = line.starts_with('[') && line.ends_with(']') && !is_stable_line(line);
        lower.starts_with("conflicts") || note
    })
}

/// Whether the subject carries any prefix of either kernel (the mark [`crate::Convention::detect`]
/// looks for).
pub(crate) fn prefixed(patch: &Patch) -> bool {
    prefixes(patch).iter().any(|p| {
        SHARED.contains(p) || matches!(p, SubjectPrefix::Chromium | SubjectPrefix::Android)
    })
}

/// Whether the patch shows Android's marks: `ANDROID:`, or a shared prefix with a `Bug:`
/// trailer (ChromiumOS writes `BUG=`; both use `Change-Id:`, which tells them not apart).
pub(crate) fn android_marked(patch: &Patch) -> bool {
    has(patch, SubjectPrefix::Android) || shared(patch) && tag(patch, "Bug").is_some()
}

/// Whether the patch shows ChromiumOS's marks: `CHROMIUM:`, or a shared prefix with a
/// `BUG=` or `TEST=` line.
pub(crate) fn chromeos_marked(patch: &Patch) -> bool {
    has(patch, SubjectPrefix::Chromium)
        || shared(patch)
            && prose(patch)
                .iter()
                .any(|l| l.starts_with("BUG=") || l.starts_with("TEST="))
}

/// Whether the subject carries a prefix both kernels use.
fn shared(patch: &Patch) -> bool {
    prefixes(patch).iter().any(|p| SHARED.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    fn cros(header: &str) -> Vec<(&'static str, usize)> {
        super::super::tests::rules(chromeos, "0001-x.patch", header)
    }
    fn ack(header: &str) -> Vec<(&'static str, usize)> {
        super::super::tests::rules(android, "0001-x.patch", header)
    }

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";
    const SOB: &str = "Signed-off-by: Joe Smith <joe@example.com>";

    /// A header with `subject` and `body` (lines 4 on), ChromiumOS's trailers after it.
    fn cros_header(subject: &str, body: &str) -> String {
        format!("From: Joe Smith <joe@example.com>\nSubject: {subject}\n\n{body}\n\nBUG=b:123\nTEST=boot\n\n{SOB}\n")
    }

    /// A header with `subject` and `body` (lines 4 on), Android's trailers after it.
    fn ack_header(subject: &str, body: &str) -> String {
        format!("From: Joe Smith <joe@example.com>\nSubject: {subject}\n\n{body}\n\nBug: 135791357\nChange-Id: I4caaaa566ea080fa148c5e768bb1a0b6f7201c01\n{SOB}\n")
    }

    #[test]
    fn complete_headers_pass() {
        let upstream = format!("Why.\n\n(cherry picked from commit {SHA})");
        let fromgit = format!("Why.\n\n(cherry picked from commit {SHA}\n git://git.kernel.org/pub/scm/linux/kernel/git/chrome-platform/linux.git for-next)");
        let fromlist = "Why.\n\n(am from https://patchwork.kernel.org/patch/12276369/)";
        let backport = format!("Why.\n\nConflicts:\n  mm/x.c\n\n(cherry picked from commit {SHA})");
        for (subject, body) in [
            ("UPSTREAM: mm: fix it", upstream.as_str()),
            ("FROMGIT: spi: fix it", fromgit.as_str()),
            ("FROMLIST: mm: fix it", fromlist),
            ("BACKPORT: mm: fix it", backport.as_str()),
            ("CHROMIUM: config: enable aebl", "Why."),
        ] {
            assert_eq!(cros(&cros_header(subject, body)), vec![], "{subject}");
        }
        let fromgit = format!("Why.\n\n[joe: dropped a hunk for a file this kernel lacks]\n(cherry picked from commit {SHA} https://git.kernel.org/pub/scm/linux/kernel/git/foo/bar.git test-branch)");
        let upstream = format!("upstream commit {SHA} (\"mm: fix it\")\n\nWhy.");
        let backport = format!(
            "Why.\n\n[joe: resolved a conflict in mm/x.c]\n(cherry picked from commit {SHA})"
        );
        for (subject, body) in [
            ("UPSTREAM: mm: fix it", upstream.as_str()),
            ("BACKPORT: FROMGIT: mm: fix it", fromgit.as_str()),
            ("BACKPORT: mm: fix it", backport.as_str()),
            (
                "FROMLIST: mm: fix it",
                "Why.\n\nLink: https://lkml.org/lkml/2019/5/1/6900",
            ),
            ("ANDROID: GKI: export a symbol", "Why."),
        ] {
            assert_eq!(ack(&ack_header(subject, body)), vec![], "{subject}");
        }
        let stable = format!("Subject: mm: fix it\n\ncommit {SHA} upstream.\n\nWhy.\n\n{SOB}\n");
        assert_eq!(ack(&stable), vec![]);
        assert_eq!(cros(&stable), vec![]);
    }

    #[test]
    fn each_rule_names_its_line() {
        assert_eq!(
            cros("Subject: mm: fix it\n\nWhy.\n"),
            vec![
                ("chromeos/prefix-missing", 1),
                ("chromeos/signed-off-by-missing", 1),
                ("chromeos/bug-missing", 1),
                ("chromeos/test-missing", 1)
            ]
        );
        assert_eq!(
            cros(&cros_header("ANDROID: mm: fix it", "Why.")),
            vec![("chromeos/prefix-missing", 2)]
        );
        assert_eq!(
            cros(&cros_header("UPSTREAM: mm: fix it", "Why.")),
            vec![("chromeos/cherry-pick-missing", 2)]
        );
        assert_eq!(
            cros(&cros_header("FROMGIT: mm: fix it", "Why.")),
            vec![("chromeos/fromgit-repo-missing", 2)]
        );
        let bare = format!("Why.\n(cherry picked from commit {SHA})");
        assert_eq!(
            cros(&cros_header("FROMGIT: mm: fix it", &bare)),
            vec![("chromeos/fromgit-repo-missing", 5)]
        );
        assert_eq!(
            cros(&cros_header("FROMLIST: mm: fix it", "Why.")),
            vec![("chromeos/fromlist-link-missing", 2)]
        );
        assert_eq!(
            cros(&cros_header("BACKPORT: mm: fix it", &bare)),
            vec![("chromeos/backport-note-missing", 2)]
        );
        assert_eq!(
            ack("Subject: [PATCH] mm: fix it\n\nWhy.\n"),
            vec![
                ("android/prefix-missing", 1),
                ("android/signed-off-by-missing", 1),
                ("android/change-id-missing", 1),
                ("android/bug-missing", 1)
            ]
        );
        assert_eq!(
            ack(&ack_header("CHROMIUM: mm: fix it", "Why.")),
            vec![("android/prefix-missing", 2)]
        );
        assert_eq!(
            ack(&ack_header("BACKPORT: FROMLIST: mm: fix it", "Why.")),
            vec![
                ("android/fromlist-link-missing", 2),
                ("android/backport-note-missing", 2)
            ]
        );
    }

    #[test]
    fn repositories_and_branches_are_read() {
        assert_eq!(
            repository_and_branch(" git://git.kernel.org/a/b.git for-next)"),
            Some(("git://git.kernel.org/a/b.git".into(), "for-next".into()))
        );
        assert_eq!(
            repository_and_branch("https://git.kernel.org/a/b.git)"),
            None
        );
        assert_eq!(repository_and_branch("for-next"), None);
    }
}
