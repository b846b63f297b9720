//! Typed references to upstream: commits, releases, URLs, and the `Patch-mainline:` state.

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
    /// Not applicable (`n/a`).
    NotApplicable,
    /// The patch is obsolete (`obsolete`).
    Obsolete,
    /// A value none of the forms above recognises, kept as written.
    Other(String),
}
