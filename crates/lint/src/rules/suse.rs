//! SUSE kernel-source's header rules, as its documentation states them: every patch has an
//! author, a subject, `Patch-mainline:` in one of the accepted forms and `References:`; a
//! patch that claims a release or a maintainer queue names its upstream commit by full id in
//! `Git-commit:`; a queued one also names the repository in `Git-repo:`; "No", "Never" and
//! "Not yet" give a reason, "Submitted" says where.

use super::{field, text, HEADER};
use crate::finding::{Finding, RuleId, Severity};
use kdelta_patch::{Mainline, Patch};

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
        patch.header.author.is_some(),
        "suse/from-missing",
        "no `From:`: the author is required",
    );
    need(
        patch.header.subject.is_some(),
        "suse/subject-missing",
        "no `Subject:`",
    );
    need(
        field(patch, "References").is_some_and(|f| !text(f).is_empty()),
        "suse/references-missing",
        "no `References:` (a bug, feature or CVE the patch is for)",
    );
    match (field(patch, "Patch-mainline"), &patch.header.mainline) {
        (Some(f), Some(state)) => out.extend(mainline(file, patch, f.line, state)),
        _ => out.push(Finding::new(
            RuleId("suse/patch-mainline-missing"),
            Severity::Error,
            file,
            HEADER,
            "no `Patch-mainline:`: say whether the patch is upstream (the release), queued, submitted, or why not",
        )),
    }
    out
}

/// The rules that follow from the `Patch-mainline:` state.
fn mainline(file: &str, patch: &Patch, line: usize, state: &Mainline) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut say = |rule: &'static str, severity: Severity, message: String| {
        out.push(Finding::new(RuleId(rule), severity, file, line, message));
    };
    match state {
        Mainline::No(why) | Mainline::Never(why) | Mainline::NotYet(why) if why.trim().is_empty() => say(
            "suse/patch-mainline-reason",
            Severity::Error,
            "`Patch-mainline:` says the patch is not upstream without saying why (`No, <reason>`)".into(),
        ),
        Mainline::Submitted(where_) if where_.trim().is_empty() => say(
            "suse/patch-mainline-submitted",
            Severity::Error,
            "`Patch-mainline: Submitted` without where or when (`Submitted, <URL or date and list>`)".into(),
        ),
        Mainline::Other(value) => say(
            "suse/patch-mainline-form",
            Severity::Error,
            format!("`Patch-mainline: {value}` is not an accepted form (a release such as v6.12, Queued, Submitted, No, Never, Not yet, n/a)"),
        ),
        Mainline::Yes(_) => say(
            "suse/patch-mainline-release",
            Severity::Warning,
            "`Patch-mainline:` says yes without naming the release (v6.12)".into(),
        ),
        _ => {}
    }
    let claims_commit = matches!(state, Mainline::Release(_) | Mainline::Queued(_));
    if claims_commit {
        out.extend(git_commit(file, patch, line));
    }
    if matches!(state, Mainline::Queued(_)) && field(patch, "Git-repo").is_none() {
        out.push(Finding::new(
            RuleId("suse/git-repo-missing"),
            Severity::Error,
            file,
            line,
            "`Patch-mainline: Queued` without `Git-repo:` (the maintainer repository)",
        ));
    }
    out
}

/// `Git-commit:` present, a full 40-digit id (`(partial)` allowed after it).
fn git_commit(file: &str, patch: &Patch, mainline_line: usize) -> Option<Finding> {
    let Some(f) = field(patch, "Git-commit") else {
        return Some(Finding::new(
            RuleId("suse/git-commit-missing"),
            Severity::Error,
            file,
            mainline_line,
            "`Patch-mainline:` names a release or a queue, but there is no `Git-commit:`",
        ));
    };
    let value = text(f);
    let id = value.split_whitespace().next().unwrap_or("");
    let full = id.len() == 40 && id.bytes().all(|b| b.is_ascii_hexdigit());
    (!full).then(|| {
        Finding::new(
            RuleId("suse/git-commit-form"),
            Severity::Error,
            file,
            f.line,
            format!("`Git-commit: {value}` is not a full 40-digit commit id"),
        )
    })
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
}
