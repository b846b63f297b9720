//! Typed references to upstream: commits, releases, URLs, and the `Patch-mainline:` state.
//!
//! Besides the types, this module holds the small text helpers that pin references
//! down: [`release_tag`] and [`find_release`] for kernel releases, [`find_url`] and
//! [`commit_from_url`] for URLs, [`leading_commit`] for `<sha> (…)` values, and
//! [`Mainline::parse`] for every form of SUSE's `Patch-mainline:`.

use crate::CommitId;
use serde::Serialize;

/// Where a reference was found, which says what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefKind {
    /// SUSE `Git-commit:` — this patch is (part of) that upstream commit.
    GitCommit,
    /// SUSE `Alt-commit:` — an alternative upstream commit.
    AltCommit,
    /// SUSE `Git-repo:` — the repository the commit lives in.
    GitRepo,
    /// SUSE `Patch-mainline:` — the upstream state (see [`Mainline`]).
    PatchMainline,
    /// SUSE `References:` — bug and feature numbers.
    References,
    /// DEP-3 `Origin:` (`upstream, <url|commit>`, `backport, …`, `vendor, …`, `other, …`).
    Origin,
    /// DEP-3 `Applied-Upstream:` (`<version>`, `<url>`, `commit:<id>`).
    AppliedUpstream,
    /// DEP-3 `Forwarded:` (`<url>`, `yes`, `no`, `not-needed`).
    Forwarded,
    /// DEP-3 `Bug:` / `Bug-<Vendor>:`.
    Bug,
    /// `Fixes: <sha> ("subject")` trailer.
    Fixes,
    /// `Link:` trailer.
    Link,
    /// `Cc: stable@vger.kernel.org` trailer, possibly with `# vX.Y`.
    CcStable,
    /// `Change-Id:` trailer (Gerrit).
    ChangeId,
    /// `commit <sha> upstream.` or `[ Upstream commit <sha> ]` in a stable backport.
    UpstreamCommit,
    /// `(cherry picked from commit <sha>)`.
    CherryPicked,
    /// `(backported from commit <sha>)`.
    BackportedFrom,
    /// `From <sha> Mon Sep 17 00:00:00 2001` line of a format-patch mail.
    MailFrom,
}

/// One reference to upstream, with whatever it pins down.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UpstreamRef {
    /// What kind of reference this is.
    pub kind: RefKind,
    /// The upstream commit, when the reference names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<CommitId>,
    /// The upstream release (`v3.14-rc1`, `4.5`), when the reference names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// A URL (list archive, bug, repository), when the reference names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Whether the patch is only part of the commit (`Git-commit: … (partial)`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// The text of the reference as written (value only).
    pub text: String,
    /// The 1-based line in the patch.
    pub line: usize,
}

/// The normalised value of a SUSE `Patch-mainline:` header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "detail", rename_all = "kebab-case")]
pub enum Mainline {
    /// In an upstream release (`v3.14-rc1`, `3.14`, `4.5 or later`).
    Release(String),
    /// Queued in a maintainer tree (`Queued in subsystem maintainer repository`, `Queued`).
    Queued(String),
    /// Posted upstream (`Submitted, <url|date>`).
    Submitted(String),
    /// Not upstream (`No, <reason>`).
    No(String),
    /// Never going upstream (`Never, <reason>`).
    Never(String),
    /// Not yet (`Not yet, <reason>`).
    NotYet(String),
    /// In mainline, but the value names no release (`Yes`, `yes, see Git-commit`).
    Yes(String),
    /// Not applicable (`n/a`).
    NotApplicable,
    /// The patch is obsolete (`obsolete`).
    Obsolete,
    /// A value none of the forms above recognises, kept as written.
    Other(String),
}

impl UpstreamRef {
    /// A reference of `kind` at `line` with its `text`, pinning nothing down yet.
    pub fn new(kind: RefKind, text: impl Into<String>, line: usize) -> UpstreamRef {
        UpstreamRef {
            kind,
            commit: None,
            release: None,
            url: None,
            partial: false,
            text: text.into(),
            line,
        }
    }
}

/// Words that may come before the release in a `Patch-mainline:` value (`Linux 4.5`).
const MAINLINE_FILLERS: [&str; 7] = [
    "linux", "mainline", "upstream", "kernel", "in", "since", "merged",
];

impl Mainline {
    /// Normalise a `Patch-mainline:` value. Releases become git tag names
    /// (`3.14` → `v3.14`, `Linux 2.6.39-rc1` → `v2.6.39-rc1`, `4.5 or later` → `v4.5`);
    /// the other states keep the text after their keyword (`No, SUSE specific` →
    /// `No("SUSE specific")`, `Queued in tip` → `Queued("tip")`).
    pub fn parse(value: &str) -> Mainline {
        let value = value.trim();
        let lower = value.to_ascii_lowercase();
        let rest_after = |n: usize| detail(value.get(n..).unwrap_or_default());
        let word = |w: &str| starts_with_word(&lower, w);
        if lower.starts_with("n/a") || lower == "na" || lower.starts_with("not applicable") {
            Mainline::NotApplicable
        } else if lower.starts_with("not yet") {
            Mainline::NotYet(rest_after(7))
        } else if word("never") {
            Mainline::Never(rest_after(5))
        } else if word("no") {
            Mainline::No(rest_after(2))
        } else if word("obsolete") {
            Mainline::Obsolete
        } else if word("queued") {
            let rest = rest_after(6);
            Mainline::Queued(
                rest.strip_prefix("in ")
                    .map_or(rest.clone(), |r| r.trim().to_string()),
            )
        } else if lower.starts_with("linux-next") {
            Mainline::Queued(value.to_string())
        } else if word("submitted") || word("posted") {
            let n = if word("posted") { 6 } else { 9 };
            Mainline::Submitted(rest_after(n))
        } else if word("yes") {
            find_release(value.get(3..).unwrap_or_default())
                .map_or_else(|| Mainline::Yes(rest_after(3)), Mainline::Release)
        } else if let Some(release) = leading_release(value) {
            Mainline::Release(release)
        } else {
            Mainline::Other(value.to_string())
        }
    }

    /// The release, for [`Mainline::Release`].
    pub fn release(&self) -> Option<&str> {
        match self {
            Mainline::Release(r) => Some(r),
            _ => None,
        }
    }
}

/// Whether `lower` starts with the word `word` (followed by a non-alphanumeric or the end).
fn starts_with_word(lower: &str, word: &str) -> bool {
    lower
        .strip_prefix(word)
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
}

/// The detail after a keyword: separators (`,;:-.`) and blanks around it removed.
fn detail(rest: &str) -> String {
    rest.trim_start_matches(|c: char| c.is_whitespace() || ",;:-.".contains(c))
        .trim_end()
        .to_string()
}

/// The release named by the first word of `value` after filler words (`Linux 4.5`).
fn leading_release(value: &str) -> Option<String> {
    let words = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty());
    for word in words.take(4) {
        let lower = word.to_ascii_lowercase();
        let word = lower.strip_prefix("linux-").unwrap_or(&lower);
        if let Some(release) = release_tag(word) {
            return Some(release);
        }
        if !MAINLINE_FILLERS.contains(&word) {
            return None;
        }
    }
    None
}

/// Parse a kernel release at the start of `word` into its git tag name:
/// `3.14` → `v3.14`, `v2.6.39-rc1` → `v2.6.39-rc1`, `4.5rc1` → `v4.5-rc1`,
/// `4.19+` → `v4.19`, `4.4.x` → `v4.4`. Surrounding brackets and punctuation are
/// ignored; the major number has one or two digits and a minor number is required.
pub fn release_tag(word: &str) -> Option<String> {
    let w = word.trim_matches(|c: char| "()[]<>,;:'\"".contains(c));
    let s = w.strip_prefix(['v', 'V']).unwrap_or(w).as_bytes();
    let digits = |at: usize| s.iter().skip(at).take_while(|b| b.is_ascii_digit()).count();
    let major = digits(0);
    if !(1..=2).contains(&major) {
        return None;
    }
    let mut end = major;
    let mut groups = 0;
    while s.get(end) == Some(&b'.') && groups < 3 {
        let n = digits(end + 1);
        if !(1..=3).contains(&n) {
            break;
        }
        end += 1 + n;
        groups += 1;
    }
    if groups == 0 {
        return None;
    }
    let mut tag = format!("v{}", String::from_utf8_lossy(s.get(..end)?));
    let rc_at = end + usize::from(s.get(end) == Some(&b'-'));
    if s.get(rc_at..rc_at + 2)
        .is_some_and(|r| r.eq_ignore_ascii_case(b"rc"))
        && digits(rc_at + 2) > 0
    {
        let n = digits(rc_at + 2);
        tag.push_str("-rc");
        tag.push_str(&String::from_utf8_lossy(s.get(rc_at + 2..rc_at + 2 + n)?));
        end = rc_at + 2 + n;
    }
    let clean_end = s.get(end).is_none_or(|b| !b.is_ascii_alphanumeric());
    clean_end.then_some(tag)
}

/// The first word of `text` that is a kernel release (see [`release_tag`]).
pub fn find_release(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .find_map(|w| release_tag(w.strip_prefix("linux-").unwrap_or(w)))
}

/// The first `scheme://…` URL in `text`, without the `<>`, brackets or punctuation
/// that surround it in prose.
pub fn find_url(text: &str) -> Option<String> {
    let mut from = 0;
    while let Some(sep) = text
        .get(from..)
        .and_then(|t| t.find("://"))
        .map(|s| s + from)
    {
        let before = text.get(..sep).unwrap_or_default();
        let scheme_len = before
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'-' || *b == b'.')
            .count();
        from = sep + 3;
        if scheme_len == 0 {
            continue;
        }
        let tail = text.get(sep - scheme_len..)?;
        let end = tail
            .find(|c: char| c.is_whitespace() || "<>\"".contains(c))
            .unwrap_or(tail.len());
        let url = tail
            .get(..end)?
            .trim_end_matches(|c: char| ".,;:)]'".contains(c));
        return Some(url.to_string());
    }
    None
}

/// The commit a URL names: `…/commit/?id=<sha>`, `…/commit/<sha>`, `…/c/<sha>`,
/// `…/linus/<sha>`, gitweb `…;a=commit;h=<sha>`. `None` for any other URL.
pub fn commit_from_url(url: &str) -> Option<CommitId> {
    for marker in ["/commit/", "/commits/", "/c/", "/linus/"] {
        let mut at = 0;
        while let Some(pos) = url.get(at..).and_then(|u| u.find(marker)) {
            at += pos + marker.len();
            let segment = url.get(at..).unwrap_or_default();
            let segment = segment
                .split(['/', '?', '#', ';', '&', '.'])
                .next()
                .unwrap_or_default();
            if let Some(id) = CommitId::parse(segment) {
                return Some(id);
            }
        }
    }
    let params: Vec<(&str, &str)> = url
        .split(['?', '&', ';'])
        .skip(1)
        .filter_map(|p| p.split('#').next()?.split_once('='))
        .collect();
    let action = params.iter().find(|(k, _)| *k == "a").map(|(_, v)| *v);
    let names_commit = url.contains("commit") || url.contains("/patch") || url.contains("/diff");
    params.iter().find_map(|&(k, v)| match k {
        "id" if names_commit => CommitId::parse(v),
        "h" if action.is_none_or(|a| matches!(a, "commit" | "commitdiff" | "patch")) => {
            CommitId::parse(v)
        }
        _ => None,
    })
}

/// The commit id that starts `text` (`abc123def (partial)`, `abc123def ("subject")`,
/// `commit:abc123def`), its surrounding punctuation ignored.
pub fn leading_commit(text: &str) -> Option<CommitId> {
    let word = text.split_whitespace().next()?;
    let word = word.strip_prefix("commit:").unwrap_or(word);
    let word = word.trim_matches(|c: char| "()[]<>,;:.'\"".contains(c));
    CommitId::parse(word).or_else(|| glued_commit(word))
}

/// `7598e8700e9a(drm/i915: …)`: a hex id with the subject glued on by a missing space.
fn glued_commit(word: &str) -> Option<CommitId> {
    let hex = word.bytes().take_while(u8::is_ascii_hexdigit).count();
    let rest = word[hex..].chars().next()?;
    "(\""
        .contains(rest)
        .then(|| CommitId::parse(&word[..hex]))
        .flatten()
}

/// The message-id an archive URL names (scheme optional):
/// `lore.kernel.org/linux-kbuild/<id>/T/#u` → `<id>`; `None` for other URLs.
pub fn message_id_from_url(url: &str) -> Option<String> {
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let mut segments = url.split('/');
    let host = segments.next()?.to_ascii_lowercase();
    let id = match host.as_str() {
        "lore.kernel.org" | "lkml.kernel.org" | "lore.kernel.org:443" => {
            let _list = segments.next()?;
            segments.next()?
        }
        "patch.msgid.link" | "msgid.link" => segments.next()?,
        "mid.gmane.org" | "marc.info" => return None,
        _ => return None,
    };
    let id = percent_decode(id);
    let id = id.trim_start_matches('<').trim_end_matches('>');
    (id.contains('@') && !id.contains(' ')).then(|| id.to_string())
}

/// `text` percent-encoded for a URL, but for letters, digits, `-._~` and the bytes of `keep`.
pub fn percent_encode(text: &str, keep: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.as_bytes().contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escape = (b == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match escape {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    fn rel(s: &str) -> Mainline {
        Mainline::Release(s.to_string())
    }

    #[test]
    fn mainline_releases_normalise_to_tags() {
        for (value, tag) in [
            ("v3.14", "v3.14"),
            ("v3.14-rc1", "v3.14-rc1"),
            ("3.14", "v3.14"),
            ("2.6.39-rc1", "v2.6.39-rc1"),
            ("Linux 4.5", "v4.5"),
            ("linux-4.5", "v4.5"),
            ("4.5 or later", "v4.5"),
            ("Yes, v3.14", "v3.14"),
            ("yes (3.14)", "v3.14"),
            ("v5.12-rc1 (partial)", "v5.12-rc1"),
            ("V6.1rc3", "v6.1-rc3"),
        ] {
            assert_eq!(Mainline::parse(value), rel(tag), "{value}");
        }
    }

    #[test]
    fn mainline_states_keep_their_detail() {
        let s = |x: &str| x.to_string();
        assert_eq!(Mainline::parse("Queued"), Mainline::Queued(s("")));
        assert_eq!(
            Mainline::parse("Queued in subsystem maintainer repository"),
            Mainline::Queued(s("subsystem maintainer repository"))
        );
        assert_eq!(Mainline::parse("Queued in tip"), Mainline::Queued(s("tip")));
        assert_eq!(Mainline::parse("Submitted"), Mainline::Submitted(s("")));
        assert_eq!(
            Mainline::parse("Submitted, 2014-05-02 https://lkml.org/x"),
            Mainline::Submitted(s("2014-05-02 https://lkml.org/x"))
        );
        assert_eq!(Mainline::parse("No"), Mainline::No(s("")));
        assert_eq!(
            Mainline::parse("No, SUSE specific"),
            Mainline::No(s("SUSE specific"))
        );
        assert_eq!(Mainline::parse("Never"), Mainline::Never(s("")));
        assert_eq!(
            Mainline::parse("never, SLES only"),
            Mainline::Never(s("SLES only"))
        );
        assert_eq!(
            Mainline::parse("Not yet, needs review"),
            Mainline::NotYet(s("needs review"))
        );
        assert_eq!(Mainline::parse("n/a"), Mainline::NotApplicable);
        assert_eq!(Mainline::parse("N/A"), Mainline::NotApplicable);
        assert_eq!(Mainline::parse("Obsolete"), Mainline::Obsolete);
        assert_eq!(Mainline::parse("Yes"), Mainline::Yes(s("")));
        assert_eq!(Mainline::parse("None"), Mainline::Other(s("None")));
        assert_eq!(
            Mainline::parse("Nothing to see"),
            Mainline::Other(s("Nothing to see"))
        );
        assert_eq!(Mainline::parse(""), Mainline::Other(s("")));
        assert_eq!(
            Mainline::parse("2014-05-02"),
            Mainline::Other(s("2014-05-02"))
        );
    }

    #[test]
    fn release_tags_reject_non_releases() {
        assert_eq!(release_tag("4.19+").as_deref(), Some("v4.19"));
        assert_eq!(release_tag("4.4.x").as_deref(), Some("v4.4"));
        assert_eq!(release_tag("(v2.6.16.19)").as_deref(), Some("v2.6.16.19"));
        assert_eq!(release_tag("2014-05-02"), None);
        assert_eq!(release_tag("4"), None);
        assert_eq!(release_tag("3.14abc"), None);
        assert_eq!(release_tag("v"), None);
        assert_eq!(
            find_release("stable # 5.10.x-5.15.x").as_deref(),
            Some("v5.10")
        );
    }

    #[test]
    fn urls_are_found_and_trimmed() {
        assert_eq!(
            find_url("see <https://lore.kernel.org/r/1@x>.").as_deref(),
            Some("https://lore.kernel.org/r/1@x")
        );
        assert_eq!(
            find_url("(from git://git.kernel.org/a.git)").as_deref(),
            Some("git://git.kernel.org/a.git")
        );
        assert_eq!(find_url(":// nothing"), None);
        assert_eq!(find_url("no url"), None);
    }

    #[test]
    fn commits_come_out_of_urls() {
        let c = |u: String| commit_from_url(&u).map(|c| c.to_string());
        let want = Some(SHA.to_string());
        let base = "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git";
        assert_eq!(c(format!("{base}/commit/?id={SHA}")), want);
        assert_eq!(c(format!("{base}/commit/?h=master&id={SHA}")), want);
        assert_eq!(
            c(format!("https://github.com/torvalds/linux/commit/{SHA}")),
            want
        );
        assert_eq!(
            c(format!(
                "https://github.com/torvalds/linux/commit/{SHA}.patch"
            )),
            want
        );
        assert_eq!(c(format!("https://git.kernel.org/linus/{SHA}")), want);
        assert_eq!(c(format!("https://git.kernel.org/torvalds/c/{SHA}")), want);
        assert_eq!(
            c(format!(
                "http://git.kernel.org/?p=linux/kernel/git/torvalds/linux-2.6.git;a=commit;h={SHA}"
            )),
            want
        );
        assert_eq!(
            c(format!(
                "http://git.kernel.org/?p=x.git;a=blob;f=Makefile;h={SHA}"
            )),
            None
        );
        assert_eq!(
            c("https://lore.kernel.org/r/20200101.1234567@host".to_string()),
            None
        );
        assert_eq!(
            c("https://bugzilla.suse.com/show_bug.cgi?id=1234567".to_string()),
            None
        );
    }

    #[test]
    fn leading_commits_ignore_suffixes() {
        let c = |t: &str| leading_commit(t).map(|c| c.to_string());
        assert_eq!(c(&format!("{SHA} (partial)")), Some(SHA.to_string()));
        assert_eq!(
            c("abcdef123456 (\"xen: fix\")"),
            Some("abcdef123456".to_string())
        );
        assert_eq!(c("commit:abcdef1"), Some("abcdef1".to_string()));
        assert_eq!(
            c("7598e8700e9a(drm/i915: x)"),
            Some("7598e8700e9a".to_string())
        );
        assert_eq!(c("7598e8700e9az"), None);
        assert_eq!(c("not-a-sha"), None);
        assert_eq!(c(""), None);
    }

    #[test]
    fn archive_urls_name_message_ids() {
        assert_eq!(
            message_id_from_url("https://lore.kernel.org/linux-modules/qvgp@3z2s/t/#u").as_deref(),
            Some("qvgp@3z2s")
        );
        assert_eq!(
            message_id_from_url("https://lore.kernel.org/r/20240101.1-a%40b.org").as_deref(),
            Some("20240101.1-a@b.org")
        );
        assert_eq!(
            message_id_from_url("https://patch.msgid.link/x@y").as_deref(),
            Some("x@y")
        );
        assert_eq!(message_id_from_url("https://lore.kernel.org/lkml/"), None);
        assert_eq!(message_id_from_url("https://git.kernel.org/a@b/c"), None);
    }
}
