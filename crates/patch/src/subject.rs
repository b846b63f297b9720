//! Patch subjects: `[PATCH v2 3/7]` brackets and the `UPSTREAM:`/`FROMLIST:`/`UBUNTU: SAUCE:`
//! prefixes recognised as facts, and the clean title left over.

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
    /// `UBUNTU: SAUCE:` — Ubuntu-only change.
    UbuntuSauce,
}

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
    pub fn parse(raw: &str) -> Subject {
        Subject { raw: raw.to_string(), title: raw.trim().to_string(), ..Subject::default() }
    }
}
