//! Debian's DEP-3 patch tagging rules, as the DEP states them: a description (`Description:`
//! or `Subject:`); an `Origin:` unless `Author:` (or `From:`) is given, starting with
//! `upstream`, `backport`, `vendor` or `other`, or a URL; `Forwarded:` one of `no`,
//! `not-needed`, `yes` or a URL, with `not-needed` explained; `Last-Update:` a date
//! (YYYY-MM-DD); `Applied-Upstream:` a version, a URL or `commit:<id>`.

use super::{field, text, HEADER};
use crate::finding::{Finding, RuleId, Severity};
use kdelta_patch::{Patch, RefKind};

/// DEP-3's rules on one patch.
pub fn check(file: &str, patch: &Patch) -> Vec<Finding> {
    let mut out = Vec::new();
    let described = field(patch, "Description").is_some() || patch.header.subject.is_some();
    if !described {
        out.push(Finding::new(
            RuleId("dep3/description-missing"),
            Severity::Error,
            file,
            HEADER,
            "no `Description:` (or `Subject:`): say what the patch does",
        ));
    }
    match field(patch, "Origin") {
        None if patch.header.author.is_none() => out.push(Finding::new(
            RuleId("dep3/origin-missing"),
            Severity::Error,
            file,
            HEADER,
            "neither `Origin:` nor `Author:`: say where the patch comes from",
        )),
        Some(f) if !origin_ok(&text(f)) => out.push(Finding::new(
            RuleId("dep3/origin-form"),
            Severity::Warning,
            file,
            f.line,
            format!(
                "`Origin: {}` starts with none of upstream, backport, vendor, other, nor a URL",
                text(f)
            ),
        )),
        _ => {}
    }
    if let Some(f) = field(patch, "Forwarded") {
        out.extend(forwarded(file, patch, &text(f), f.line));
    }
    out.extend(not_forwarded(file, patch));
    if let Some(f) = field(patch, "Last-Update") {
        if !is_date(&text(f)) {
            out.push(Finding::new(
                RuleId("dep3/last-update-date"),
                Severity::Error,
                file,
                f.line,
                format!("`Last-Update: {}` is not a date (YYYY-MM-DD)", text(f)),
            ));
        }
    }
    out
}

/// `upstream|backport|vendor|other[, …]`, or a URL alone.
fn origin_ok(value: &str) -> bool {
    let first = value
        .split(',')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(first.as_str(), "upstream" | "backport" | "vendor" | "other") || is_url(&first)
}

fn forwarded(file: &str, patch: &Patch, value: &str, line: usize) -> Option<Finding> {
    let word = value
        .split([',', ' '])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let say = |rule: &'static str, message: String| {
        Some(Finding::new(
            RuleId(rule),
            Severity::Warning,
            file,
            line,
            message,
        ))
    };
    match word.as_str() {
        "no" | "yes" => None,
        "not-needed" => {
            let reason = value["not-needed".len()..].trim_matches([',', ' ', '-', ':']);
            let described = !patch.header.description.trim_ascii().is_empty();
            if !reason.is_empty() || described {
                return None;
            }
            say(
                "dep3/forwarded-not-needed-reason",
                "`Forwarded: not-needed` without a reason: say why upstream does not need it"
                    .into(),
            )
        }
        w if is_url(w) => None,
        _ => say(
            "dep3/forwarded-form",
            format!("`Forwarded: {value}` is none of no, not-needed, yes, nor a URL"),
        ),
    }
}

/// A patch of the distribution's own (no `Origin:`, or `vendor`/`other`) that names no
/// upstream commit and was not forwarded (`Forwarded:` missing, DEP-3's implied "no", or
/// `no`): a note, since upstreaming it is work someone has to do (lintian's
/// `patch-not-forwarded-upstream`).
fn not_forwarded(file: &str, patch: &Patch) -> Option<Finding> {
    let first_word = |f: &kdelta_patch::header::Field| {
        text(f)
            .split([',', ' '])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let own =
        field(patch, "Origin").is_none_or(|f| matches!(first_word(f).as_str(), "vendor" | "other"));
    let forwarded = field(patch, "Forwarded");
    let not_sent = forwarded.is_none_or(|f| first_word(f) == "no");
    // A commit the patch is (not one it fixes, nor the mbox line of an export).
    let identity = [
        RefKind::GitCommit,
        RefKind::UpstreamCommit,
        RefKind::CherryPicked,
        RefKind::BackportedFrom,
        RefKind::AppliedUpstream,
    ];
    let upstream_named = field(patch, "Applied-Upstream").is_some()
        || patch.header.refs.iter().any(|r| identity.contains(&r.kind));
    (own && not_sent && !upstream_named).then(|| {
        Finding::new(
            RuleId("dep3/not-forwarded"),
            Severity::Note,
            file,
            forwarded.map_or(HEADER, |f| f.line),
            "not forwarded upstream (`Forwarded: no`, or no `Forwarded:`): send it, or say `not-needed` and why",
        )
    })
}

fn is_url(text: &str) -> bool {
    ["http://", "https://", "ftp://", "mailto:"]
        .iter()
        .any(|s| text.starts_with(s))
        || text.contains("://")
}

/// `YYYY-MM-DD`, with a month and day that can exist.
fn is_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let num = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    matches!(
        (num(y, 4), num(m, 2), num(d, 2)),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    fn rules(header: &str) -> Vec<(&'static str, usize)> {
        super::super::tests::rules(check, "bugfix/x.patch", header)
    }

    #[test]
    fn a_complete_header_passes() {
        let ok = "Description: fix f\nOrigin: upstream, https://git.kernel.org/linus/0123abc\nForwarded: not-needed, upstream has it\nLast-Update: 2026-12-07\n";
        assert_eq!(rules(ok), vec![]);
        let by_author =
            "From: A <a@debian.org>\nSubject: fix f\nForwarded: https://lore.kernel.org/r/1@x\n";
        assert_eq!(rules(by_author), vec![]);
    }

    #[test]
    fn each_rule_names_its_line() {
        let bad =
            "Description: fix f\nOrigin: somewhere\nForwarded: maybe\nLast-Update: 2026-13-01\n";
        assert_eq!(
            rules(bad),
            vec![
                ("dep3/origin-form", 2),
                ("dep3/forwarded-form", 3),
                ("dep3/last-update-date", 4)
            ]
        );
        let unexplained = "Description: fix f\nOrigin: vendor\nForwarded: not-needed\n";
        assert_eq!(
            rules(unexplained),
            vec![("dep3/forwarded-not-needed-reason", 3)]
        );
        assert_eq!(
            rules("Bug-Debian: https://bugs.debian.org/1\n"),
            vec![
                ("dep3/description-missing", 1),
                ("dep3/origin-missing", 1),
                ("dep3/not-forwarded", 1)
            ]
        );
        let kept = "Description: fix f\nOrigin: vendor\nForwarded: no\n";
        assert_eq!(rules(kept), vec![("dep3/not-forwarded", 3)]);
        let picked = "From: A <a@b>\nSubject: fix f\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\n";
        assert_eq!(rules(picked), vec![]);
        let fixes_only = "From: A <a@b>\nSubject: fix f\n\nFixes: 0123456789ab (\"g: h\")\n";
        assert_eq!(rules(fixes_only), vec![("dep3/not-forwarded", 1)]);
    }
}
