//! Patch subjects: `[PATCH v2 3/7]` brackets and the `UPSTREAM:`/`FROMLIST:`/`UBUNTU: SAUCE:`
//! prefixes recognised as facts, and the clean title left over.
//!
//! [`Subject::parse`] strips, repeatedly and in any order, `Re:`/`Fwd:` reply
//! markers, `[…]` tags and the upper-case origin prefixes of the Android, ChromeOS
//! and Ubuntu kernels; whatever remains is the title.

use serde::Serialize;

/// A prefix that tells where a patch comes from (Android, ChromeOS and Ubuntu conventions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectPrefix {
    /// `UPSTREAM:` — cherry-picked from mainline.
    Upstream,
    /// `BACKPORT:` — mainline change, adapted.
    Backport,
    /// `FROMGIT:` — from a maintainer tree, not yet in mainline.
    FromGit,
    /// `FROMLIST:` — posted to a mailing list.
    FromList,
    /// `ANDROID:` — Android-only change.
    Android,
    /// `CHROMIUM:` — ChromeOS-only change.
    Chromium,
    /// `UBUNTU: SAUCE:` (or a bare `SAUCE:`) — Ubuntu-only change.
    UbuntuSauce,
    /// `UBUNTU:` not followed by `SAUCE:` — Ubuntu packaging (`UBUNTU: [Config] …`).
    Ubuntu,
}

/// The origin prefixes, as written upstream (upper case), longest first where one
/// starts another.
const PREFIXES: [(&str, SubjectPrefix); 8] = [
    ("UPSTREAM", SubjectPrefix::Upstream),
    ("BACKPORT", SubjectPrefix::Backport),
    ("FROMGIT", SubjectPrefix::FromGit),
    ("FROMLIST", SubjectPrefix::FromList),
    ("ANDROID", SubjectPrefix::Android),
    ("CHROMIUM", SubjectPrefix::Chromium),
    ("SAUCE", SubjectPrefix::UbuntuSauce),
    ("UBUNTU", SubjectPrefix::Ubuntu),
];

/// Reply and forward markers stripped from the front (compared case-insensitively).
const REPLY_MARKERS: [&str; 3] = ["re:", "fwd:", "fw:"];

/// A parsed subject line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// The subject as written (unfolded, encoded-words decoded, lossy UTF-8).
    pub raw: String,
    /// The title without brackets and prefixes.
    pub title: String,
    /// The `[…]` tags in front, without brackets (`PATCH v2 3/7`, `RFC` …).
    pub tags: Vec<String>,
    /// The recognised origin prefixes, in order.
    pub prefixes: Vec<SubjectPrefix>,
    /// The series version (`v2` → 2), when a bracket says so.
    pub version: Option<u32>,
    /// The position in a series (`3/7` → (3, 7)), when a bracket says so.
    pub number: Option<(u32, u32)>,
}

impl Subject {
    /// Parse a subject line.
    ///
    /// ```
    /// use kdelta_patch::{Subject, SubjectPrefix};
    /// let s = Subject::parse("[PATCH v2 3/7] BACKPORT: FROMLIST: mm: fix it");
    /// assert_eq!((s.version, s.number), (Some(2), Some((3, 7))));
    /// assert_eq!(s.prefixes, [SubjectPrefix::Backport, SubjectPrefix::FromList]);
    /// assert_eq!(s.title, "mm: fix it");
    /// ```
    pub fn parse(raw: &str) -> Subject {
        let mut subject = Subject {
            raw: raw.to_string(),
            ..Subject::default()
        };
        let mut rest = raw.trim();
        loop {
            if let Some(after) = strip_reply_marker(rest) {
                rest = after;
            } else if let Some((tag, after)) = split_tag(rest) {
                subject.add_tag(tag);
                rest = after;
            } else if let Some((prefix, after)) = split_prefix(rest) {
                subject.prefixes.push(prefix);
                rest = after;
            } else {
                break;
            }
            rest = rest.trim_start();
        }
        subject.title = rest.trim().to_string();
        subject
    }

    /// Record one bracket tag and the version and series position it names.
    fn add_tag(&mut self, tag: &str) {
        for word in tag.split(|c: char| c.is_whitespace() || c == ',') {
            if self.version.is_none() {
                self.version = tag_version(word);
            }
            if self.number.is_none() {
                self.number = tag_number(word);
            }
        }
        self.tags.push(tag.trim().to_string());
    }
}

/// `text` without a leading `Re:`/`Fwd:`/`Fw:`.
fn strip_reply_marker(text: &str) -> Option<&str> {
    REPLY_MARKERS.iter().find_map(|m| {
        let head = text.get(..m.len())?;
        head.eq_ignore_ascii_case(m)
            .then(|| text.get(m.len()..))
            .flatten()
    })
}

/// A leading `[tag]`: its content and the text after it.
fn split_tag(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('[')?;
    let close = inner.find(']')?;
    Some((inner.get(..close)?, inner.get(close + 1..)?))
}

/// A leading origin prefix (`FROMLIST:`, `UBUNTU: SAUCE:` …) and the text after it.
fn split_prefix(text: &str) -> Option<(SubjectPrefix, &str)> {
    let (word, after) = text.split_once(':')?;
    let (_, prefix) = PREFIXES.iter().find(|(name, _)| *name == word)?;
    if *prefix == SubjectPrefix::Ubuntu {
        if let Some(after_sauce) = after.trim_start().strip_prefix("SAUCE:") {
            return Some((SubjectPrefix::UbuntuSauce, after_sauce));
        }
    }
    Some((*prefix, after))
}

/// The version a tag word names: `v2`, `V3`, `PATCHv4`.
fn tag_version(word: &str) -> Option<u32> {
    let lower = word.to_ascii_lowercase();
    let digits = lower
        .strip_prefix("patch")
        .unwrap_or(&lower)
        .strip_prefix('v')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The series position a tag word names: `3/7`, `01/10`.
fn tag_number(word: &str) -> Option<(u32, u32)> {
    let (n, of) = word.split_once('/')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(n) || !all_digits(of) {
        return None;
    }
    Some((n.parse().ok()?, of.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use SubjectPrefix::*;

    #[test]
    fn patch_tags_give_version_and_number() {
        let s = Subject::parse("[PATCH v2 3/7] xen/netback: fix the ring");
        assert_eq!(s.tags, ["PATCH v2 3/7"]);
        assert_eq!((s.version, s.number), (Some(2), Some((3, 7))));
        assert_eq!(s.title, "xen/netback: fix the ring");
        let s = Subject::parse("[PATCH 3/7 v2] x");
        assert_eq!((s.version, s.number), (Some(2), Some((3, 7))));
        let s = Subject::parse("[RFC PATCH net-next v3 01/10] net: y");
        assert_eq!((s.version, s.number), (Some(3), Some((1, 10))));
        assert_eq!(s.title, "net: y");
        let s = Subject::parse("[PATCH 4.19] z");
        assert_eq!(
            (s.version, s.number, s.tags.as_slice()),
            (None, None, &["PATCH 4.19".to_string()][..])
        );
        let s = Subject::parse("[PATCHv4] [RFC] w");
        assert_eq!(
            (s.version, s.tags.len(), s.title.as_str()),
            (Some(4), 2, "w")
        );
    }

    #[test]
    fn origin_prefixes_are_recognised_in_order() {
        let s = Subject::parse("BACKPORT: FROMLIST: mm: fix it");
        assert_eq!(s.prefixes, [Backport, FromList]);
        assert_eq!(s.title, "mm: fix it");
        let s = Subject::parse("ANDROID: GKI: export a symbol");
        assert_eq!(
            (s.prefixes.as_slice(), s.title.as_str()),
            (&[Android][..], "GKI: export a symbol")
        );
        let s = Subject::parse("UBUNTU: SAUCE: (no-up) apparmor: foo");
        assert_eq!(
            (s.prefixes.as_slice(), s.title.as_str()),
            (&[UbuntuSauce][..], "(no-up) apparmor: foo")
        );
        let s = Subject::parse("UBUNTU:SAUCE:x");
        assert_eq!(
            (s.prefixes.as_slice(), s.title.as_str()),
            (&[UbuntuSauce][..], "x")
        );
        let s = Subject::parse("UBUNTU: [Config] enable FOO");
        assert_eq!(s.prefixes, [Ubuntu]);
        assert_eq!(
            (s.tags.as_slice(), s.title.as_str()),
            (&["Config".to_string()][..], "enable FOO")
        );
        let s = Subject::parse("UPSTREAM:CHROMIUM:FROMGIT: a");
        assert_eq!(s.prefixes, [Upstream, Chromium, FromGit]);
    }

    #[test]
    fn lower_case_words_and_reply_markers() {
        let s = Subject::parse("upstream: not a prefix");
        assert!(s.prefixes.is_empty());
        assert_eq!(s.title, "upstream: not a prefix");
        let s = Subject::parse("Re: [PATCH] Fwd: FROMLIST: x");
        assert_eq!(
            (s.prefixes.as_slice(), s.title.as_str()),
            (&[FromList][..], "x")
        );
        let s = Subject::parse("Revert \"foo\"");
        assert_eq!(s.title, "Revert \"foo\"");
    }

    #[test]
    fn odd_input_does_not_break() {
        assert_eq!(Subject::parse("[PATCH unclosed").title, "[PATCH unclosed");
        assert_eq!(Subject::parse("  [PATCH]  ").title, "");
        assert_eq!(Subject::parse("").title, "");
        assert_eq!(
            Subject::parse("[v99999999999 1/99999999999] é").version,
            None
        );
        assert_eq!(Subject::parse("[PATCH ü/ß] é").number, None);
        assert_eq!(Subject::parse(" raw ").raw, " raw ");
    }
}
