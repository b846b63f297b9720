//! The Ubuntu kernel team's rules for the patches of its kernels, as its "Stable patch
//! format" states them (the Canonical kernel documentation, formerly the
//! `Kernel/Dev/StablePatchFormat` wiki page):
//!
//! - a patch that is not from mainline says what it is in the subject: `UBUNTU: SAUCE:`
//!   (kernel code not in mainline), `UBUNTU: [Config]`, `UBUNTU: [Packaging]`,
//!   `UBUNTU: [Debian]`, `UBUNTU:`; any other patch shows its provenance,
//!   `(cherry picked from commit <sha> [repo])` or `(backported from commit <sha> [repo])`
//!   (a stable release's `commit <sha> upstream.` is taken as provenance too);
//! - `(backported from commit …)` is followed by a note in brackets saying who changed what
//!   (`[roxanan: adjusted the context]`), asked for as a warning;
//! - every patch tied to a Launchpad bug has `BugLink: https://bugs.launchpad.net/bugs/<id>`:
//!   a warning when there is none (CVE patches, which name their `CVE-…` on a line of their
//!   own, need none), an error when it is not a Launchpad bug URL;
//! - the person who applied the patch signs off after the provenance lines (a note when
//!   that `Signed-off-by:` is not there).
//!
//! The mail subject's `[SRU][N]` tags belong to the list posting, not to the commit, and are
//! not checked.

use super::{line_after, prose, refs, subject_line, tags, text, HEADER};
use crate::finding::{Finding, RuleId, Severity};
use kdelta_patch::{Patch, RefKind, SubjectPrefix, UpstreamRef};

/// The references that show where a patch comes from.
const PROVENANCE: [RefKind; 3] = [
    RefKind::CherryPicked,
    RefKind::BackportedFrom,
    RefKind::UpstreamCommit,
];

/// Ubuntu's rules on one patch.
pub fn check(file: &str, patch: &Patch) -> Vec<Finding> {
    let lines = prose(patch);
    let provenance = refs(patch, &PROVENANCE);
    let mut out = Vec::new();
    if !marked_subject(patch) && provenance.is_empty() {
        out.push(Finding::new(
            RuleId("ubuntu/provenance-missing"),
            Severity::Error,
            file,
            subject_line(patch),
            "neither an `UBUNTU:` subject (`UBUNTU: SAUCE:`, `UBUNTU: [Config]` …) nor `(cherry picked from commit <sha>)`/`(backported from commit <sha>)`: say where the patch comes from",
        ));
    }
    out.extend(buglinks(file, patch, &lines));
    out.extend(
        refs(patch, &[RefKind::BackportedFrom])
            .into_iter()
            .filter(|r| !noted(&lines, r))
            .map(|r| {
                Finding::new(
                    RuleId("ubuntu/backport-note-missing"),
                    Severity::Warning,
                    file,
                    r.line,
                    format!(
                        "`{}` is not followed by a `[name: what changed]` note",
                        r.text
                    ),
                )
            }),
    );
    out.extend(applier(file, patch, provenance.last().copied()));
    out
}

/// Whether the subject carries `UBUNTU:` (with `SAUCE:` or a `[Config]`-like tag, or not).
fn marked_subject(patch: &Patch) -> bool {
    patch.header.subject.as_ref().is_some_and(|s| {
        s.prefixes
            .iter()
            .any(|p| matches!(p, SubjectPrefix::Ubuntu | SubjectPrefix::UbuntuSauce))
    })
}

/// `BugLink:` present (unless the patch names a CVE) and a Launchpad bug URL.
fn buglinks(file: &str, patch: &Patch, lines: &[String]) -> Vec<Finding> {
    let links = tags(patch, "BugLink");
    if links.is_empty() && !lines.iter().any(|l| l.starts_with("CVE-")) {
        return vec![Finding::new(
            RuleId("ubuntu/buglink-missing"),
            Severity::Warning,
            file,
            HEADER,
            "no `BugLink: https://bugs.launchpad.net/bugs/<id>`: name the Launchpad bug that tracks the patch",
        )];
    }
    links
        .into_iter()
        .filter(|f| !is_launchpad_bug(&text(f)))
        .map(|f| {
            Finding::new(
                RuleId("ubuntu/buglink-form"),
                Severity::Error,
                file,
                f.line,
                format!(
                    "`{}: {}` is not a Launchpad bug URL (`https://bugs.launchpad.net/bugs/<id>`)",
                    f.name,
                    text(f)
                ),
            )
        })
        .collect()
}

/// `https://bugs.launchpad.net/bugs/<digits>` (`http://` as older patches write it).
fn is_launchpad_bug(value: &str) -> bool {
    let url = value.split_whitespace().next().unwrap_or("");
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .and_then(|rest| rest.strip_prefix("bugs.launchpad.net/bugs/"))
        .map(|id| id.trim_end_matches('/'))
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether the `(backported from commit …)` line `r` is followed by a bracketed note.
fn noted(lines: &[String], r: &UpstreamRef) -> bool {
    line_after(lines, &r.text).is_some_and(|next| next.starts_with('['))
}

/// The applier's sign-off: after the last provenance line, or anywhere when there is none.
fn applier(file: &str, patch: &Patch, last: Option<&UpstreamRef>) -> Option<Finding> {
    let signoffs = tags(patch, "Signed-off-by");
    let say = |line: usize, message: String| {
        Finding::new(
            RuleId("ubuntu/signed-off-by-missing"),
            Severity::Note,
            file,
            line,
            message,
        )
    };
    match last {
        Some(r) if !signoffs.iter().any(|f| f.line > r.line) => Some(say(
            r.line,
            format!(
                "no `Signed-off-by:` after `{}`: whoever applied the patch signs off last",
                r.text
            ),
        )),
        None if signoffs.is_empty() => Some(say(
            HEADER,
            "no `Signed-off-by:` of the person submitting the patch".into(),
        )),
        _ => None,
    }
}

/// Whether the patch shows Ubuntu's marks (for [`crate::Convention::detect`]): an `UBUNTU:`
/// subject or a `BugLink:`.
pub(crate) fn marked(patch: &Patch) -> bool {
    marked_subject(patch) || !tags(patch, "BugLink").is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    fn rules(header: &str) -> Vec<(&'static str, usize)> {
        super::super::tests::rules(check, "debian.master/x.patch", header)
    }

    const SHA: &str = "d68d5d51dc898895b4e15bea52e5668ca9e76180";
    const BUG: &str = "BugLink: https://bugs.launchpad.net/bugs/1881096";

    #[test]
    fn complete_headers_pass() {
        let picked = format!("From: Thomas Richter <t@linux.ibm.com>\nSubject: s390/cpum_cf: add counters\n\n{BUG}\n\nAdd counters.\n\nSigned-off-by: Thomas Richter <t@linux.ibm.com>\n(cherry picked from commit {SHA})\nSigned-off-by: Frank Heimes <f@canonical.com>\n");
        assert_eq!(rules(&picked), vec![]);
        let backported = format!("Subject: mm: fix it\n\n{BUG}\n\nWhy.\n\n(backported from commit {SHA} linux-6.6.y)\n[roxanan: adjusted the context]\nSigned-off-by: R <r@canonical.com>\n");
        assert_eq!(rules(&backported), vec![]);
        let sauce = format!("Subject: UBUNTU: SAUCE: shiftfs: prevent ESTALE\n\n{BUG}\n\nWhy.\n\nSigned-off-by: S <s@canonical.com>\n");
        assert_eq!(rules(&sauce), vec![]);
        let cve = format!("Subject: net: fix it\n\nWhy.\n\n(cherry picked from commit {SHA})\nCVE-2024-53164\nSigned-off-by: I <i@canonical.com>\n");
        assert_eq!(rules(&cve), vec![]);
        let config = format!(
            "Subject: UBUNTU: [Config] enable FOO\n\n{BUG}\n\nSigned-off-by: S <s@canonical.com>\n"
        );
        assert_eq!(rules(&config), vec![]);
    }

    #[test]
    fn each_rule_names_its_line() {
        assert_eq!(
            rules("From: A <a@example.com>\nSubject: mm: fix it\n\nWhy.\n"),
            vec![
                ("ubuntu/provenance-missing", 2),
                ("ubuntu/buglink-missing", 1),
                ("ubuntu/signed-off-by-missing", 1)
            ]
        );
        let odd = "Subject: UBUNTU: SAUCE: x\n\nBugLink: https://launchpad.net/ubuntu/+bug/1\n\nSigned-off-by: S <s@canonical.com>\n";
        assert_eq!(rules(odd), vec![("ubuntu/buglink-form", 3)]);
        let unnoted = format!("Subject: mm: fix it\n\n{BUG}\n\nWhy.\n\n(backported from commit {SHA})\nSigned-off-by: R <r@canonical.com>\n");
        assert_eq!(rules(&unnoted), vec![("ubuntu/backport-note-missing", 7)]);
        let unsigned = format!("Subject: mm: fix it\n\n{BUG}\n\nSigned-off-by: A <a@example.com>\n(cherry picked from commit {SHA})\n");
        assert_eq!(rules(&unsigned), vec![("ubuntu/signed-off-by-missing", 6)]);
    }

    #[test]
    fn launchpad_urls_are_read() {
        assert!(is_launchpad_bug("https://bugs.launchpad.net/bugs/2089699"));
        assert!(is_launchpad_bug("http://bugs.launchpad.net/bugs/1/ (old)"));
        assert!(!is_launchpad_bug("https://bugs.launchpad.net/bugs/"));
        assert!(!is_launchpad_bug("LP: #1"));
        assert!(!is_launchpad_bug(""));
    }
}
