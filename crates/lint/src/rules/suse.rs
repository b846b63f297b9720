//! SUSE kernel-source's header rules, as its README ("Patch headers") states them: every
//! patch has `From:`, `Subject:` and `References:`, and one `Patch-mainline:` in one of the
//! documented forms: the release (`v6.5-rc7`) with the full `Git-commit:`; `Queued in
//! subsystem maintainer repository` with `Git-repo:` and `Git-commit:`; `Submitted, <when
//! and where>`; `Not yet, <reason>`; `Never, <reason>`. A patch that is not upstream names
//! no commit, and one in a release no repository. `Depends on <patch>`, which SUSE's own
//! checker takes, is taken; `No, <reason>`, which the README does not list, is a warning.
//! A backport (a release claimed) carries a SUSE address in `From:`, `Signed-off-by:`,
//! `Acked-by:` or `Reviewed-by:`, as the patch-tag-template asks (a warning). The value is
//! read as written, strictly: the analysis reads the same header leniently.

use super::{field, tags, text, HEADER};
use crate::finding::{Finding, RuleId, Severity};
use kdelta_patch::Patch;

/// SUSE's rules on one patch.
pub fn check(file: &str, patch: &Patch) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut need = |present: bool, rule: &'static str, what: &str| {
        if !present {
            out.push(Finding::new(
                RuleId(rule),
                Severity::Error,
                file,
                HEADER,
                what,
            ));
        }
    };
    need(
        field(patch, "From").is_some(),
        "suse/from-missing",
        "no `From:`: the author is required",
    );
    need(
        field(patch, "Subject").is_some_and(|f| !text(f).is_empty()),
        "suse/subject-missing",
        "no `Subject:`",
    );
    need(
        field(patch, "References").is_some_and(|f| !text(f).is_empty()),
        "suse/references-missing",
        "no `References:` (a bug, feature or CVE the patch is for)",
    );
    out.extend(duplicates(file, patch, &["Subject", "Patch-mainline"]));
    match field(patch, "Patch-mainline").filter(|f| !text(f).is_empty()) {
        Some(f) => out.extend(mainline(file, patch, f.line, &text(f))),
        None => out.push(Finding::new(
            RuleId("suse/patch-mainline-missing"),
            Severity::Error,
            file,
            HEADER,
            "no `Patch-mainline:`: say whether the patch is upstream (the release), queued, submitted, or why not",
        )),
    }
    out.extend(git_commits(file, patch));
    out
}

/// A second `Subject:` or `Patch-mainline:` in the header.
fn duplicates(file: &str, patch: &Patch, names: &[&str]) -> Vec<Finding> {
    names
        .iter()
        .filter_map(|name| {
            let second = patch.header.fields_named(name).nth(1)?;
            Some(Finding::new(
                RuleId("suse/duplicate-field"),
                Severity::Error,
                file,
                second.line,
                format!("a second `{name}:`: a patch has one"),
            ))
        })
        .collect()
}

/// The forms of `Patch-mainline:` the kernel-source README documents (plus `Depends on`,
/// which SUSE's checker takes), read strictly from the value as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// `v6.5-rc7`, optionally `or v6.6 (next release)`.
    Version,
    /// `Queued in subsystem maintainer repository`.
    Queued,
    /// `Submitted, <when and where>`.
    Submitted,
    /// `Not yet, <reason>`.
    NotYet,
    /// `Never, <reason>`.
    Never,
    /// `No, <reason>`: not a documented form; `Not yet` or `Never` say more.
    No,
    /// `Depends on <patch>`.
    Depends,
}

/// The form of a `Patch-mainline:` value, and whether the text its keyword needs follows
/// (`Never, <reason>`); `None` when it is no accepted form.
fn form(value: &str) -> Option<(Form, bool)> {
    if is_version_claim(value) {
        return Some((Form::Version, true));
    }
    let keywords = [
        ("Queued", Form::Queued),
        ("Submitted", Form::Submitted),
        ("Not yet", Form::NotYet),
        ("Never", Form::Never),
        ("No", Form::No),
        ("Depends on", Form::Depends),
    ];
    keywords.iter().find_map(|&(word, form)| {
        let rest = strip_word(value, word)?;
        if form == Form::Queued {
            return Some((form, true));
        }
        let rest = rest.strip_prefix(',').unwrap_or(rest);
        let said = rest.starts_with(char::is_whitespace) && !rest.trim().is_empty();
        (rest.trim().is_empty() || said).then_some((form, said))
    })
}

/// `value` after the keyword `word` (any case), when it starts with the whole word.
fn strip_word<'v>(value: &'v str, word: &str) -> Option<&'v str> {
    let head = value.get(..word.len())?;
    let rest = &value[word.len()..];
    let whole = rest.is_empty() || !rest.starts_with(|c: char| c.is_ascii_alphanumeric());
    (head.eq_ignore_ascii_case(word) && whole).then_some(rest)
}

/// `v6.5-rc7`, `3.14`, `v6.5 or v6.6 (next release)`.
fn is_version_claim(value: &str) -> bool {
    let words: Vec<&str> = value.split_whitespace().collect();
    match words.as_slice() {
        [v] => is_version(v),
        [v, "or", w, "(next", "release)"] => is_version(v) && is_version(w),
        _ => false,
    }
}

/// `v?N(.N)+(-rcN)?`.
fn is_version(word: &str) -> bool {
    let word = word.strip_prefix('v').unwrap_or(word);
    let (numbers, rc) = match word.split_once("-rc") {
        Some((n, rc)) => (n, Some(rc)),
        None => (word, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = numbers.split('.').collect();
    parts.len() >= 2 && parts.iter().all(|p| digits(p)) && rc.is_none_or(digits)
}

/// The rules that follow from the `Patch-mainline:` value.
fn mainline(file: &str, patch: &Patch, line: usize, value: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut say = |rule: &'static str, severity: Severity, message: String| {
        out.push(Finding::new(RuleId(rule), severity, file, line, message));
    };
    let Some((form, said)) = form(value) else {
        say(
            "suse/patch-mainline-form",
            Severity::Error,
            format!("`Patch-mainline: {value}` is not an accepted form (a release such as v6.12, Queued in subsystem maintainer repository, Submitted, <where>, Not yet, <reason>, Never, <reason>)"),
        );
        return out;
    };
    match form {
        Form::NotYet | Form::Never | Form::No if !said => say(
            "suse/patch-mainline-reason",
            Severity::Error,
            format!("`Patch-mainline: {value}` says the patch is not upstream without saying why (`Never, <reason>`)"),
        ),
        Form::Submitted if !said => say(
            "suse/patch-mainline-submitted",
            Severity::Error,
            "`Patch-mainline: Submitted` without where or when (`Submitted, <date> <list>` or the posting's URL)".into(),
        ),
        Form::No => say(
            "suse/patch-mainline-no",
            Severity::Warning,
            format!("`Patch-mainline: {value}`: say `Not yet, <reason>` or `Never, <reason>` instead of No"),
        ),
        Form::NotYet if strip_word(value, "Not yet").is_some_and(|r| r.trim_start_matches([',', ' ']).to_ascii_lowercase().starts_with("submitted")) => say(
            "suse/patch-mainline-submitted",
            Severity::Warning,
            format!("`Patch-mainline: {value}`: a posted patch is `Submitted, <where>`"),
        ),
        _ => {}
    }
    out.extend(commit_and_repo(file, patch, line, form));
    if form == Form::Version && !taken_by_suse(patch) {
        out.push(Finding::new(
            RuleId("suse/suse-signoff-missing"),
            Severity::Warning,
            file,
            line,
            "a backport with no SUSE address in `From:`, `Signed-off-by:`, `Acked-by:` or `Reviewed-by:`: who at SUSE took it?",
        ));
    }
    out
}

/// Whether someone at SUSE wrote, signed off, acked or reviewed the patch (the
/// patch-tag-template asks for a SUSE address in one of these).
fn taken_by_suse(patch: &Patch) -> bool {
    ["From", "Signed-off-by", "Acked-by", "Reviewed-by"]
        .iter()
        .flat_map(|name| tags(patch, name))
        .any(|f| {
            let v = text(f).to_ascii_lowercase();
            ["@suse.com", "@suse.de", "@suse.cz"]
                .iter()
                .any(|d| v.contains(d))
        })
}

/// `Git-commit:` and `Git-repo:` as the form asks: a release or a queue names its commit,
/// a queue its repository; a release names no repository, and a patch not upstream no
/// commit.
fn commit_and_repo(file: &str, patch: &Patch, line: usize, form: Form) -> Vec<Finding> {
    let mut out = Vec::new();
    let commit = field(patch, "Git-commit");
    let repo = field(patch, "Git-repo");
    let mut say = |rule: &'static str, at: usize, message: &str| {
        out.push(Finding::new(
            RuleId(rule),
            Severity::Error,
            file,
            at,
            message,
        ));
    };
    match form {
        Form::Version | Form::Queued if commit.is_none() => say(
            "suse/git-commit-missing",
            line,
            "`Patch-mainline:` names a release or a queue, but there is no `Git-commit:`",
        ),
        Form::Version | Form::Queued => {}
        _ => {
            if let Some(c) = commit {
                say(
                    "suse/git-commit-unexpected",
                    c.line,
                    "`Git-commit:` on a patch whose `Patch-mainline:` says it is not upstream",
                );
            }
        }
    }
    match (form, repo) {
        (Form::Queued, None) => say(
            "suse/git-repo-missing",
            line,
            "`Patch-mainline: Queued` without `Git-repo:` (the maintainer repository)",
        ),
        (Form::Queued, Some(_)) => {}
        (_, Some(r)) => say(
            "suse/git-repo-unexpected",
            r.line,
            "`Git-repo:` on a patch that is not queued in a maintainer repository (a release is Linus' tree)",
        ),
        (_, None) => {}
    }
    out
}

/// Every `Git-commit:` a full 40-digit id (`(partial)` allowed after it).
fn git_commits(file: &str, patch: &Patch) -> Vec<Finding> {
    patch
        .header
        .fields_named("Git-commit")
        .filter_map(|f| {
            let value = text(f);
            let mut words = value.split_whitespace();
            let id = words.next().unwrap_or("");
            let full = id.len() == 40 && id.bytes().all(|b| b.is_ascii_hexdigit());
            let rest: Vec<&str> = words.collect();
            let ok = full && (rest.is_empty() || rest == ["(partial)"]);
            (!ok).then(|| {
                Finding::new(
                    RuleId("suse/git-commit-form"),
                    Severity::Error,
                    file,
                    f.line,
                    format!("`Git-commit: {value}` is not a full 40-digit commit id (optionally followed by `(partial)`)"),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    fn rules(header: &str) -> Vec<(&'static str, usize)> {
        super::super::tests::rules(check, "patches.suse/x.patch", header)
    }

    #[test]
    fn a_complete_header_passes() {
        let ok = "From: A <a@suse.com>\nSubject: fix f\nPatch-mainline: v6.12-rc1\nGit-commit: 0123456789abcdef0123456789abcdef01234567\nReferences: bsc#1234567\n";
        assert_eq!(rules(ok), vec![]);
        let never = "From: A <a@suse.com>\nSubject: fix f\nPatch-mainline: Never, SUSE-specific kABI padding\nReferences: bsc#1\n";
        assert_eq!(rules(never), vec![]);
    }

    #[test]
    fn each_rule_names_its_line() {
        let bare = "Subject: fix f\n";
        assert_eq!(
            rules(bare),
            vec![
                ("suse/from-missing", 1),
                ("suse/references-missing", 1),
                ("suse/patch-mainline-missing", 1)
            ]
        );
        let short = "From: A <a@suse.com>\nSubject: fix f\nReferences: bsc#1\nPatch-mainline: v6.12\nGit-commit: 0123abc\n";
        assert_eq!(rules(short), vec![("suse/git-commit-form", 5)]);
        let queued = "From: A <a@suse.com>\nSubject: fix f\nReferences: bsc#1\nPatch-mainline: Queued in subsystem maintainer repository\n";
        assert_eq!(
            rules(queued),
            vec![("suse/git-commit-missing", 4), ("suse/git-repo-missing", 4)]
        );
        let why = "From: A <a@suse.com>\nSubject: fix f\nReferences: bsc#1\nPatch-mainline: No\n";
        assert_eq!(rules(why), vec![("suse/patch-mainline-reason", 4)]);
        let odd = "From: A <a@suse.com>\nSubject: fix f\nReferences: bsc#1\nPatch-mainline: maybe later\n";
        assert_eq!(rules(odd), vec![("suse/patch-mainline-form", 4)]);
    }

    #[test]
    fn forms_are_read_as_the_readme_writes_them() {
        let with = |mainline: &str| {
            rules(&format!(
                "From: A <a@suse.com>\nSubject: fix f\nReferences: bsc#1\nPatch-mainline: {mainline}\n"
            ))
        };
        for ok in [
            "Never, SUSE-specific",
            "Not yet, needs rework",
            "Submitted, 2024-01-02 linux-mm",
            "Depends on dm-raid45 being upstream",
            "never kABI padding",
        ] {
            assert_eq!(with(ok), vec![], "{ok}");
        }
        for bad in [
            "n/a",
            "obsolete",
            "No. https://x",
            "Yes, 3.14",
            "Linux 3.14",
            "3.14 or later",
        ] {
            assert_eq!(with(bad), vec![("suse/patch-mainline-form", 4)], "{bad}");
        }
        assert_eq!(with("No, too hacky"), vec![("suse/patch-mainline-no", 4)]);
        assert_eq!(
            with("Not yet, submitted to lkml"),
            vec![("suse/patch-mainline-submitted", 4)]
        );
    }

    #[test]
    fn commit_and_repo_go_with_the_form_and_fields_come_once() {
        let header = |rest: &str| {
            rules(&format!(
                "From: A <a@suse.com>\nSubject: fix f\nReferences: bsc#1\n{rest}"
            ))
        };
        let full = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(
            header(&format!(
                "Patch-mainline: Never, SUSE only\nGit-commit: {full}\n"
            )),
            vec![("suse/git-commit-unexpected", 5)]
        );
        assert_eq!(
            header(&format!(
                "Patch-mainline: v6.1\nGit-commit: {full}\nGit-repo: https://x/y.git\n"
            )),
            vec![("suse/git-repo-unexpected", 6)]
        );
        assert_eq!(
            header("Patch-mainline: Never, SUSE only\nGit-commit: n/a\n"),
            vec![
                ("suse/git-commit-unexpected", 5),
                ("suse/git-commit-form", 5)
            ]
        );
        let outside = format!(
            "From: A <a@example.org>\nSubject: fix f\nReferences: bsc#1\nPatch-mainline: v6.1\nGit-commit: {full}\n"
        );
        assert_eq!(rules(&outside), vec![("suse/suse-signoff-missing", 4)]);
        let acked = format!("{outside}\nWhy.\n\nAcked-by: S <s@suse.de>\n");
        assert_eq!(rules(&acked), vec![]);
        assert_eq!(
            header("Patch-mainline: Never, SUSE only\nPatch-mainline: not yet\n"),
            vec![("suse/duplicate-field", 5)]
        );
    }
}
