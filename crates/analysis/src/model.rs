//! What the analysis says about a patch: a [`Status`], how sure it is, the upstream commit
//! and release when there is one, and the evidence, candidates and header claims behind it —
//! all in plain words a maintainer can check.

use serde::{Deserialize, Serialize};

/// Where a patch stands against upstream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The same change is upstream: drop it at the next rebase.
    Upstream,
    /// Upstream solved the same problem with different code: verify, then drop.
    ReplacementLikely,
    /// Posted upstream or queued in a maintainer tree, not yet in a release.
    InProgress,
    /// A feature or fix upstream lacks: someone must upstream it.
    NeedsWork,
    /// Distribution policy or packaging, never meant for upstream.
    DownstreamOnly,
    /// The code it changes is gone upstream: drop or rewrite.
    Obsolete,
    /// Nothing to judge by (no upstream index or tree, or no diff).
    Unknown,
}

impl Status {
    /// Every status, in the order reports list them.
    pub const ALL: [Status; 7] = [
        Status::Upstream,
        Status::ReplacementLikely,
        Status::InProgress,
        Status::NeedsWork,
        Status::DownstreamOnly,
        Status::Obsolete,
        Status::Unknown,
    ];

    /// The kebab-case name (`replacement-likely`), as JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Upstream => "upstream",
            Status::ReplacementLikely => "replacement-likely",
            Status::InProgress => "in-progress",
            Status::NeedsWork => "needs-work",
            Status::DownstreamOnly => "downstream-only",
            Status::Obsolete => "obsolete",
            Status::Unknown => "unknown",
        }
    }
}

/// A status name that is not one of [`Status::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown status {0:?}: expected one of upstream, replacement-likely, in-progress, needs-work, downstream-only, obsolete, unknown")]
pub struct UnknownStatus(pub String);

impl std::str::FromStr for Status {
    type Err = UnknownStatus;

    /// The status named `text` (kebab-case, as [`Status::as_str`] spells it).
    fn from_str(text: &str) -> Result<Status, UnknownStatus> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| UnknownStatus(text.to_string()))
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of fact a piece of evidence is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A header names an upstream commit, and the index has it.
    HeaderReference,
    /// An upstream commit has the same stable patch-id.
    PatchId,
    /// An upstream commit has the same normalised subject.
    Subject,
    /// An upstream commit changes similar lines (MinHash estimate, then exact).
    DiffSimilarity,
    /// The patch's changes are already present in the target tree.
    TreeApplied,
    /// The patch still applies to the target tree.
    TreeApplies,
    /// Some of the patch's hunks match neither side in the target tree.
    TreeConflicts,
    /// A file of the patch is not in the target tree under its name but under another path.
    PathMapped,
    /// Files the patch changes are gone from the target tree.
    FilesGone,
    /// Functions the patch changes are gone from the target tree.
    FunctionsGone,
    /// Names the patch introduces (functions, macros, Kconfig symbols, keys…) exist upstream.
    SymbolsUpstream,
    /// Names the patch introduces are absent upstream.
    SymbolsMissing,
    /// Upstream commits touching the same files describe the same change.
    SimilarCommits,
    /// A header or subject says the patch was posted or queued upstream.
    InProgressClaim,
    /// A header or subject marks the patch as distribution-only.
    DownstreamMarker,
    /// The patch only touches packaging or documentation of the distribution.
    PackagingOnly,
    /// Nothing equivalent was found upstream.
    NothingUpstream,
    /// The patch could not be read.
    Unreadable,
}

/// One fact behind a verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    /// What kind of fact.
    pub kind: EvidenceKind,
    /// The fact in plain words.
    pub detail: String,
}

impl Evidence {
    /// Evidence of `kind` saying `detail`.
    pub fn new(kind: EvidenceKind, detail: impl Into<String>) -> Evidence {
        Evidence {
            kind,
            detail: detail.into(),
        }
    }
}

/// An upstream commit that may be this patch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// The commit id, hex.
    pub commit: String,
    /// Its subject.
    pub subject: String,
    /// Its first release, if released.
    pub release: Option<String>,
    /// How strongly it matches, 0–1.
    pub score: f64,
    /// Estimated similarity of the changed lines, 0–1.
    pub similarity: f64,
    /// Why it is a candidate (`patch-id`, `header`, `subject`, `similar-lines`, `same-files`).
    pub reasons: Vec<String>,
    /// Whether the commit is in the history of the revision judged against (`--at`).
    pub in_target: bool,
}

/// Whether a claim of the patch's headers checks out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClaimCheck {
    /// The claim checks out against upstream.
    Holds,
    /// Upstream says otherwise.
    Contradicted,
    /// Nothing here can confirm or refute it.
    Unverified,
}

/// What a header says about the patch's upstream state, and whether it checks out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Claim {
    /// The header or marker (`Git-commit`, `Patch-mainline`, `Forwarded`, `subject`…).
    pub header: String,
    /// Its value as written.
    pub text: String,
    /// Its 1-based line in the patch (0 for the subject prefix of a queue without headers).
    pub line: usize,
    /// Whether it checks out.
    pub check: ClaimCheck,
    /// Why, in plain words.
    pub detail: String,
}

/// The analysis of one patch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// The patch's path in the queue (`patches.xen/xen-clockevents`).
    pub name: String,
    /// The patch's subject, when it has one.
    pub subject: Option<String>,
    /// Where it stands.
    pub status: Status,
    /// How sure the analysis is, 0–1.
    pub confidence: f64,
    /// The upstream commit, when the patch is upstream.
    pub commit: Option<String>,
    /// The first release containing that commit.
    pub release: Option<String>,
    /// The facts behind the status.
    pub evidence: Vec<Evidence>,
    /// Upstream commits that may be this patch, best first.
    pub candidates: Vec<Candidate>,
    /// What the headers say, each checked.
    pub claims: Vec<Claim>,
}
