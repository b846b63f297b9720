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

/// What a patch may be, against the target: each verdict weighs the evidence for each
/// of these and takes the best-supported one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hypothesis {
    /// The same change is upstream, as it is.
    Upstream,
    /// The change is upstream in an evolved form: most of it is there, the rest has
    /// changed since.
    UpstreamEvolved,
    /// Upstream provides the same functionality with a different implementation.
    Replaced,
    /// The code it changes is gone everywhere.
    Obsolete,
    /// Upstream lacks it: it still applies, or needs a refresh.
    Needed,
}

impl Hypothesis {
    /// Every hypothesis, in the order ties are broken (the safest first).
    pub const ALL: [Hypothesis; 5] = [
        Hypothesis::Needed,
        Hypothesis::Upstream,
        Hypothesis::UpstreamEvolved,
        Hypothesis::Replaced,
        Hypothesis::Obsolete,
    ];

    /// The kebab-case name, as JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Hypothesis::Upstream => "upstream",
            Hypothesis::UpstreamEvolved => "upstream-evolved",
            Hypothesis::Replaced => "replaced",
            Hypothesis::Obsolete => "obsolete",
            Hypothesis::Needed => "needed",
        }
    }
}

impl std::fmt::Display for Hypothesis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of fact a piece of evidence is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Most of the patch is present in the target tree, the rest changed since.
    TreeEvolved,
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
    /// A header claims the patch is upstream (a release, a commit), unverified by history.
    HeaderClaim,
    /// The queue's own earlier patches bring the code this patch changes.
    QueueContext,
    /// Upstream commits touching the same files describe the same change.
    SimilarCommits,
    /// A header or subject says the patch was posted or queued upstream.
    InProgressClaim,
    /// What the mailing-list archives say: the posting, its reviews, an "applied" reply,
    /// its silence, or that a claimed posting is not there.
    Posting,
    /// A header or subject marks the patch as distribution-only.
    DownstreamMarker,
    /// The patch only touches packaging or documentation of the distribution.
    PackagingOnly,
    /// Nothing equivalent was found upstream.
    NothingUpstream,
    /// The patch could not be read.
    Unreadable,
}

/// One fact behind a verdict, and what it contributed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// What kind of fact.
    pub kind: EvidenceKind,
    /// The fact in plain words.
    pub detail: String,
    /// The hypothesis it speaks for (or against, with a negative weight), if any.
    #[serde(rename = "for", default, skip_serializing_if = "Option::is_none")]
    pub hypothesis: Option<Hypothesis>,
    /// How strongly, -1–1.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub weight: f64,
}

fn is_zero(w: &f64) -> bool {
    *w == 0.0
}

impl Evidence {
    /// Evidence of `kind` saying `detail`, weighing nothing.
    pub fn new(kind: EvidenceKind, detail: impl Into<String>) -> Evidence {
        Evidence {
            kind,
            detail: detail.into(),
            hypothesis: None,
            weight: 0.0,
        }
    }

    /// Evidence of `kind` saying `detail`, for `hypothesis` with `weight` (negative:
    /// against it).
    pub fn weighed(
        kind: EvidenceKind,
        detail: impl Into<String>,
        hypothesis: Hypothesis,
        weight: f64,
    ) -> Evidence {
        Evidence {
            kind,
            detail: detail.into(),
            hypothesis: Some(hypothesis),
            weight: (weight.clamp(-1.0, 1.0) * 1000.0).round() / 1000.0,
        }
    }
}

/// What became of one hunk in the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HunkFate {
    /// Its change is there (post-image found, pre-image not).
    Present,
    /// Its change is there once whitespace is ignored.
    PresentModuloWhitespace,
    /// Its change is there with identifiers consistently renamed since.
    PresentRenamed,
    /// Its change is there though the code around it changed since: its added lines are
    /// in the file (rare ones, not stock lines) and its removed lines are gone.
    PresentChanged,
    /// It still applies (pre-image found), exactly, at an offset or with fuzz.
    Applies,
    /// It applies on top of the queue's earlier patches, not on upstream alone.
    AppliesOnQueue,
    /// It creates a file upstream has nowhere (a new file always applies; whether its
    /// content exists elsewhere is for the names it provides to say).
    NewFile,
    /// Both its images are there (the old and the new code both occur).
    Ambiguous,
    /// Its code is still there but has changed: neither image matches.
    Conflicts,
    /// Its code is nowhere in the target.
    Gone,
}

impl HunkFate {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            HunkFate::Present => "present",
            HunkFate::PresentModuloWhitespace => "present-modulo-whitespace",
            HunkFate::PresentRenamed => "present-renamed",
            HunkFate::PresentChanged => "present-changed",
            HunkFate::Applies => "applies",
            HunkFate::AppliesOnQueue => "applies-on-queue",
            HunkFate::NewFile => "new-file",
            HunkFate::Ambiguous => "ambiguous",
            HunkFate::Conflicts => "conflicts",
            HunkFate::Gone => "gone",
        }
    }
}

/// One hunk's verdict, and where in the target it was found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HunkVerdict {
    /// The file of the patch.
    pub file: String,
    /// The hunk's number in that file, from 1.
    pub hunk: usize,
    /// What became of it.
    pub fate: HunkFate,
    /// Where it was found (`path:line`), if anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Lines away from where its header says (when it applies).
    #[serde(default, skip_serializing_if = "is_zero_isize")]
    pub offset: isize,
    /// Context lines ignored to match (when it applies).
    #[serde(default, skip_serializing_if = "is_zero_usize")]
    pub fuzz: usize,
    /// How much it counts: its distinctive changed lines.
    pub weight: f64,
    /// When neither image matched: the share of its rare added lines that are in the
    /// file (0 when one of its removed lines is still there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines_present: Option<f64>,
    /// When neither image matched: its removed lines are still there, slightly changed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub old_code_kept: bool,
    /// When present renamed: `old→new` for each identifier renamed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed: Vec<String>,
    /// When neither image matched: how alike, token by token, its distinctive added and
    /// removed lines are to the nearest lines of the code where it was looked for (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alike: Option<Alike>,
}

#[cfg(test)]
impl HunkVerdict {
    /// Hunk `hunk` (from 1) of `file`, with `fate` and nothing else found: for tests.
    pub(crate) fn with_fate(file: &str, hunk: usize, fate: HunkFate) -> HunkVerdict {
        HunkVerdict {
            file: file.into(),
            hunk,
            fate,
            at: None,
            offset: 0,
            fuzz: 0,
            weight: 1.0,
            lines_present: None,
            old_code_kept: false,
            renamed: Vec::new(),
            alike: None,
        }
    }
}

/// How alike a hunk's two sides are to the target's code, when neither image matched.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alike {
    /// Mean best similarity of its distinctive added lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added: Option<f64>,
    /// Mean best similarity of its distinctive removed lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<f64>,
}

fn is_zero_isize(n: &isize) -> bool {
    *n == 0
}

fn is_zero_usize(n: &usize) -> bool {
    *n == 0
}

/// An upstream commit that may be this patch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Names the patch provides that the commit's diff brings in too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

/// Whether a claim of the patch's headers checks out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// What is wrong with it, when the analysis can say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<ClaimIssue>,
}

/// What is wrong with a claim: a typed reason beside [`Claim::detail`], for the lint rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum ClaimIssue {
    /// The commit named is in no branch the upstream index holds.
    CommitUnknown,
    /// The commit named is upstream, but not in the revision judged against (another
    /// branch), and is no stable copy of one that is.
    CommitElsewhere,
    /// The commit named changes other lines than the patch.
    CommitDiffers {
        /// The commit, in full.
        commit: String,
    },
    /// The patch's upstream commit is first in another release than the one claimed (or in
    /// none yet).
    ReleaseDiffers {
        /// The upstream commit, in full.
        commit: String,
        /// The first release that has it.
        first_in: Option<String>,
    },
    /// The header says the patch is not upstream (or only posted), and it is.
    AlreadyUpstream {
        /// The upstream commit, when one was found (else the tree has the change).
        commit: Option<String>,
        /// Its first release.
        release: Option<String>,
    },
    /// The header says the patch was posted, and the archives indexed could hold the
    /// posting and do not.
    NoPosting,
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
    /// The best-supported hypothesis behind the status.
    pub hypothesis: Hypothesis,
    /// How sure the analysis is, 0–1.
    pub confidence: f64,
    /// The support each hypothesis got, 0–1, best first.
    pub scores: Vec<(Hypothesis, f64)>,
    /// The upstream commit, when the patch is upstream; when it is likely replaced, the
    /// commit that brought in the names it provides, if the history shows one.
    pub commit: Option<String>,
    /// The first release containing that commit.
    pub release: Option<String>,
    /// The facts behind the status.
    pub evidence: Vec<Evidence>,
    /// Upstream commits that may be this patch, best first.
    pub candidates: Vec<Candidate>,
    /// What the headers say, each checked.
    pub claims: Vec<Claim>,
    /// What became of each hunk in the target tree (empty without a tree).
    pub hunks: Vec<HunkVerdict>,
    /// Its posting on a mailing list, when an archive index was given and has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posted: Option<crate::postings::Posted>,
}
