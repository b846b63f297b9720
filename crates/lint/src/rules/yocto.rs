//! The Yocto Project / OpenEmbedded patch header rules, as the Yocto contributor guide states
//! them ("Recipe Style Guide": "Patch Upstream Status" and "CVE patches") and as OE-Core's
//! checks read them (`patchtest`, the `insane` QA check on `do_patch`): every patch carries
//! `Upstream-Status:`, spelled so, at the start of a line, with one of six statuses:
//!
//! - `Pending`;
//! - `Submitted [where]`: the bracket is what patchtest checks (an error without it);
//! - `Backport [version or commit]`: the guide asks for the upstream version or commit (a
//!   warning without it);
//! - `Denied`: the guide asks for the reason in the patch (a warning without `[reason]`);
//! - `Inactive-Upstream [lastcommit: when] [lastrelease: when]` (a warning without them);
//! - `Inappropriate [reason]`: "include a brief reason on the same line enclosed with []"
//!   (an error without it; the guide names `oe specific` and `upstream ticket <link>`, older
//!   layers use others, so any reason is taken).
//!
//! A status glued to what follows (`Inappropriate[oe specific]`) or in another case is
//! malformed, as the QA check says. A patch that fixes CVEs names them in `CVE:`, ids
//! (`CVE-2015-8370`) separated by spaces. The example headers sign off: `Signed-off-by:` is
//! required.
//!
//! A `CVE:` line the parser kept as free text has no line number of its own: its finding
//! names the header's first line and quotes the value.

use super::{prose, signed_off, tags, text, HEADER};
use crate::finding::{Finding, RuleId, Severity};
use kdelta_patch::header::Field;
use kdelta_patch::Patch;

/// The statuses `Upstream-Status:` may give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Pending,
    Submitted,
    Backport,
    Denied,
    InactiveUpstream,
    Inappropriate,
}

impl Status {
    const ALL: [Status; 6] = [
        Status::Pending,
        Status::Submitted,
        Status::Backport,
        Status::Denied,
        Status::InactiveUpstream,
        Status::Inappropriate,
    ];

    /// The status as the guide spells it.
    fn word(self) -> &'static str {
        match self {
            Status::Pending => "Pending",
            Status::Submitted => "Submitted",
            Status::Backport => "Backport",
            Status::Denied => "Denied",
            Status::InactiveUpstream => "Inactive-Upstream",
            Status::Inappropriate => "Inappropriate",
        }
    }
}

/// The accepted forms, for messages.
const FORMS: &str = "Pending, Submitted [where], Backport [version or commit], Denied [reason], Inactive-Upstream [lastcommit: when] [lastrelease: when], Inappropriate [reason]";

/// An `Upstream-Status:` value as read: the status, its first bracket's content (trimmed),
/// and everything after the status.
#[derive(Debug, PartialEq, Eq)]
struct Value<'v> {
    status: Status,
    bracket: Option<&'v str>,
    rest: &'v str,
}

/// How a value misses the form.
#[derive(Debug, PartialEq, Eq)]
enum Malformed {
    /// No known status starts it (`Accepted`).
    Unknown,
    /// A known status in another case (`pending`).
    Case(Status),
    /// The status is glued to what follows (`Inappropriate[oe specific]`).
    Glued(Status),
    /// A `[` without its `]`.
    Unclosed,
}

/// Read an `Upstream-Status:` value.
fn parse(value: &str) -> Result<Value<'_>, Malformed> {
    let value = value.trim();
    let end = value
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '-'))
        .unwrap_or(value.len());
    let (word, rest) = value.split_at(end);
    let status = Status::ALL
        .into_iter()
        .find(|s| s.word().eq_ignore_ascii_case(word))
        .ok_or(Malformed::Unknown)?;
    if status.word() != word {
        return Err(Malformed::Case(status));
    }
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return Err(Malformed::Glued(status));
    }
    let rest = rest.trim();
    let bracket = match rest.strip_prefix('[') {
        Some(inner) => Some(inner.split_once(']').ok_or(Malformed::Unclosed)?.0.trim()),
        None => None,
    };
    Ok(Value {
        status,
        bracket,
        rest,
    })
}

/// Yocto's rules on one patch.
pub fn check(file: &str, patch: &Patch) -> Vec<Finding> {
    let mut out = upstream_status(file, patch);
    out.extend(cve(file, patch));
    out.extend(signed_off(
        file,
        patch,
        "yocto/signed-off-by-missing",
        "the Yocto patch guidelines",
    ));
    out
}

/// `Upstream-Status:` present, in form, with the detail its status needs.
fn upstream_status(file: &str, patch: &Patch) -> Vec<Finding> {
    let found = tags(patch, "Upstream-Status");
    if found.is_empty() {
        return vec![missing(file, patch)];
    }
    found.into_iter().flat_map(|f| one(file, f)).collect()
}

/// No `Upstream-Status:` field: a look-alike line (`UPSTREAM-STATUS:`, `Upstream status:`,
/// indented) is malformed, else the tag is missing.
fn missing(file: &str, patch: &Patch) -> Finding {
    let lookalike = prose(patch).into_iter().find(|line| {
        let lower = line.to_ascii_lowercase();
        ["upstream-status", "upstream status", "upstream_status"]
            .iter()
            .any(|s| lower.starts_with(s))
    });
    match lookalike {
        Some(line) => Finding::new(
            RuleId("yocto/upstream-status-form"),
            Severity::Error,
            file,
            HEADER,
            format!("`{line}` is not written as the guidelines want it: `Upstream-Status: <status>` at the start of a line"),
        ),
        None => Finding::new(
            RuleId("yocto/upstream-status-missing"),
            Severity::Error,
            file,
            HEADER,
            format!("no `Upstream-Status:`: say where the patch stands upstream ({FORMS})"),
        ),
    }
}

/// The rules on one `Upstream-Status:` field.
fn one(file: &str, f: &Field) -> Vec<Finding> {
    let value = text(f);
    let say = |rule: &'static str, severity: Severity, message: String| {
        Finding::new(RuleId(rule), severity, file, f.line, message)
    };
    let mut out = Vec::new();
    if f.name != "Upstream-Status" {
        out.push(say(
            "yocto/upstream-status-form",
            Severity::Error,
            format!(
                "`{}:` is spelled `Upstream-Status:` (the checks match that case)",
                f.name
            ),
        ));
    }
    let problem = match parse(&value) {
        Ok(v) => detail(&v).map(|(severity, message)| {
            say(
                "yocto/upstream-status-detail",
                severity,
                format!("`Upstream-Status: {value}` {message}"),
            )
        }),
        Err(m) => Some(say(
            "yocto/upstream-status-form",
            Severity::Error,
            malformed(&value, &m),
        )),
    };
    out.extend(problem);
    out
}

/// What a well-formed value leaves out, with how serious that is.
fn detail(v: &Value) -> Option<(Severity, &'static str)> {
    let bracketed = v.bracket.is_some_and(|b| !b.is_empty());
    match v.status {
        Status::Pending => None,
        Status::Submitted if !bracketed => Some((
            Severity::Error,
            "does not say where it was submitted: `Submitted [where]` (a list, a URL, a pull request)",
        )),
        Status::Inappropriate if !bracketed => Some((
            Severity::Error,
            "gives no reason in brackets: `Inappropriate [reason]` (such as `oe specific`)",
        )),
        Status::Backport if !bracketed => Some((
            Severity::Warning,
            "names no upstream version or commit: `Backport [version or commit URL]`",
        )),
        Status::Denied if !bracketed => Some((
            Severity::Warning,
            "does not say why upstream denied it: `Denied [reason]`",
        )),
        Status::InactiveUpstream if !inactive_dates(v) => Some((
            Severity::Warning,
            "does not say when upstream was last active: `Inactive-Upstream [lastcommit: when] [lastrelease: when]`",
        )),
        _ => None,
    }
}

/// Whether an `Inactive-Upstream` bracket gives the last commit or release.
fn inactive_dates(v: &Value) -> bool {
    let rest = v.rest.to_ascii_lowercase();
    v.bracket.is_some() && (rest.contains("lastcommit") || rest.contains("lastrelease"))
}

/// The message for a malformed value.
fn malformed(value: &str, m: &Malformed) -> String {
    match m {
        Malformed::Unknown => {
            format!("`Upstream-Status: {value}` is none of the statuses ({FORMS})")
        }
        Malformed::Case(s) => format!(
            "`Upstream-Status: {value}`: the status is spelled `{}`",
            s.word()
        ),
        Malformed::Glued(s) => format!(
            "`Upstream-Status: {value}`: put a space after `{}` (`{} [...]`)",
            s.word(),
            s.word()
        ),
        Malformed::Unclosed => format!("`Upstream-Status: {value}`: a `[` is never closed"),
    }
}

/// `CVE:` lines (fields, or free text) list CVE ids separated by spaces.
fn cve(file: &str, patch: &Patch) -> Vec<Finding> {
    let fields = tags(patch, "CVE").into_iter().map(|f| (text(f), f.line));
    let lines = prose(patch).into_iter().filter_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("CVE")
            .then(|| (value.trim().to_string(), HEADER))
    });
    fields
        .chain(lines)
        .filter(|(value, _)| !is_cve_list(value))
        .map(|(value, line)| {
            Finding::new(
                RuleId("yocto/cve-form"),
                Severity::Error,
                file,
                line,
                format!("`CVE: {value}` is not a list of CVE ids separated by spaces (`CVE: CVE-2015-8370 CVE-2016-1234`)"),
            )
        })
        .collect()
}

/// One or more CVE ids separated by blanks.
fn is_cve_list(value: &str) -> bool {
    !value.trim().is_empty() && value.split_whitespace().all(is_cve_id)
}

/// `CVE-YYYY-NNNN`, the sequence number four digits or more.
fn is_cve_id(word: &str) -> bool {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    word.strip_prefix("CVE-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(year, n)| year.len() == 4 && digits(year) && n.len() >= 4 && digits(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    fn rules(header: &str) -> Vec<(&'static str, usize)> {
        super::super::tests::rules(check, "recipes-kernel/linux/files/x.patch", header)
    }

    const SOB: &str = "Signed-off-by: Joe Developer <joe@example.com>\n";

    #[test]
    fn a_complete_header_passes() {
        let backport = format!("From: A <a@example.com>\nSubject: grub2: fix CVE-2015-8370\n\nTwo functions underflow.\n\nUpstream-Status: Backport [https://git.savannah.gnu.org/cgit/grub.git/commit/?id=451d80e52d851432e109771bb8febafca7a5f1f2]\nCVE: CVE-2015-8370 CVE-2015-83701\n{SOB}");
        assert_eq!(rules(&backport), vec![]);
        for status in [
            "Pending",
            "Submitted [rpm5-devel@rpm5.org]",
            "Inappropriate [oe specific]",
            "Denied [upstream wants it elsewhere]",
            "Inactive-Upstream [lastcommit: 2015] [lastrelease: 2014]",
        ] {
            let header = format!("Subject: fix\n\nWhy.\n\nUpstream-Status: {status}\n{SOB}");
            assert_eq!(rules(&header), vec![], "{status}");
        }
    }

    #[test]
    fn each_rule_names_its_line() {
        assert_eq!(
            rules("Subject: fix\n\nWhy.\n"),
            vec![
                ("yocto/upstream-status-missing", 1),
                ("yocto/signed-off-by-missing", 1)
            ]
        );
        let form = |status: &str| rules(&format!("Subject: fix\n\nWhy.\n\n{status}\n{SOB}"));
        assert_eq!(
            form("Upstream-status: Pending"),
            vec![("yocto/upstream-status-form", 5)]
        );
        assert_eq!(
            form("Upstream-Status: Accepted"),
            vec![("yocto/upstream-status-form", 5)]
        );
        assert_eq!(
            form("Upstream-Status: Inappropriate[oe specific]"),
            vec![("yocto/upstream-status-form", 5)]
        );
        assert_eq!(
            form("Upstream-Status: Submitted [list"),
            vec![("yocto/upstream-status-form", 5)]
        );
        assert_eq!(
            form("UPSTREAM-STATUS: Pending"),
            vec![("yocto/upstream-status-form", 1)]
        );
        for status in [
            "Backport",
            "Submitted",
            "Inappropriate",
            "Denied",
            "Submitted []",
        ] {
            assert_eq!(
                form(&format!("Upstream-Status: {status}")),
                vec![("yocto/upstream-status-detail", 5)],
                "{status}"
            );
        }
        assert_eq!(
            form("Upstream-Status: Pending\nCVE: CVE-2015-8370, CVE-2016-1"),
            vec![("yocto/cve-form", 1)]
        );
    }

    #[test]
    fn severities_follow_the_guide() {
        let severity = |status: &str| {
            let header = format!("Subject: fix\n\nUpstream-Status: {status}\n{SOB}");
            let text = format!("{header}\n---\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n");
            let patch = Patch::parse(text.as_bytes(), &kdelta_patch::ParseOptions::default());
            check("x.patch", &patch).first().map(|f| f.severity)
        };
        assert_eq!(severity("Submitted"), Some(Severity::Error));
        assert_eq!(severity("Inappropriate"), Some(Severity::Error));
        assert_eq!(severity("Backport"), Some(Severity::Warning));
        assert_eq!(severity("Inactive-Upstream"), Some(Severity::Warning));
    }

    #[test]
    fn values_are_read() {
        assert_eq!(
            parse("Backport [v1.2] (modified)"),
            Ok(Value {
                status: Status::Backport,
                bracket: Some("v1.2"),
                rest: "[v1.2] (modified)"
            })
        );
        assert_eq!(parse("pending"), Err(Malformed::Case(Status::Pending)));
        assert_eq!(parse(""), Err(Malformed::Unknown));
        assert_eq!(parse("[x]"), Err(Malformed::Unknown));
        assert_eq!(parse("Pending."), Err(Malformed::Glued(Status::Pending)));
        assert_eq!(parse("Submitted [é"), Err(Malformed::Unclosed));
        assert!(
            is_cve_id("CVE-2024-53164") && !is_cve_id("CVE-24-1") && !is_cve_id("CVE-2024-123")
        );
    }
}
