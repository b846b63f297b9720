//! The report model: everything a delta report says, built once from the analysis, the
//! queue and the annotations, and rendered by every format. Serialised, it is
//! `report.json` (schema version [`SCHEMA_VERSION`], documented in docs/REPORT.md).

use kdelta_analysis::{Candidate, Claim, Evidence, Status};
use kdelta_annotations::{HistoryEntry, Verified};
use serde::{Deserialize, Serialize};

/// The version of the JSON schema; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The tool that wrote it (`kdelta 0.1.0`).
    pub generator: String,
    /// When, as `YYYY-MM-DD HH:MM UTC`; `None` for reproducible output.
    pub generated_at: Option<String>,
    /// The distribution (`openSUSE`), from `--name` or the queue.
    pub distribution: String,
    /// Its release (`13.1`), when known.
    pub release: Option<String>,
    /// The queue as read (a path, `REPO@REV:DIR`, a `.dsc`…).
    pub queue: String,
    /// What the queue was judged against.
    pub upstream: Upstream,
    /// The commit-URL template (`https://git.kernel.org/linus/{commit}`), when one was given.
    pub commit_url: Option<String>,
    /// Counts and the lists a maintainer acts on.
    pub summary: Summary,
    /// One section per status, in [`Status::ALL`] order, empty ones left out.
    pub sections: Vec<Section>,
    /// Every patch, in queue order.
    pub patches: Vec<PatchReport>,
    /// The features the annotations define, with their patches.
    pub features: Vec<Feature>,
    /// Annotations whose patch changed or is gone from the queue.
    pub stale_annotations: Vec<StaleAnnotation>,
}

/// What the queue was judged against.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Upstream {
    /// The upstream git repository, when one was used.
    pub repository: Option<String>,
    /// The revision judged against (`--at`), as given and resolved.
    pub at: Option<String>,
    /// The upstream source tree (directory or tarball), when one was used.
    pub tree: Option<String>,
}

impl Upstream {
    /// What was judged against, in words: `upstream REPO at REV and the tree DIR`, or `its
    /// own headers only`.
    pub fn describe(&self) -> String {
        let mut against = Vec::new();
        if let Some(repo) = &self.repository {
            let at = self.at.as_deref().unwrap_or("HEAD");
            against.push(format!("upstream {repo} at {at}"));
        }
        if let Some(tree) = &self.tree {
            against.push(format!("the tree {tree}"));
        }
        if against.is_empty() {
            "its own headers only".to_string()
        } else {
            against.join(" and ")
        }
    }
}

/// Counts and the lists a maintainer acts on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Patches in the queue.
    pub total: usize,
    /// Patches per status (after overrides), every status in [`Status::ALL`] order.
    pub by_status: Vec<StatusCount>,
    /// Patches per feature, in feature order; patches without a feature are not counted.
    pub by_feature: Vec<FeatureCount>,
    /// Patches to drop at the next rebase: the upstream ones.
    pub to_drop: Vec<String>,
    /// Patches whose upstream replacement must be verified before dropping them.
    pub to_verify: Vec<String>,
    /// Header claims that upstream contradicts.
    pub failed_claims: Vec<FailedClaim>,
    /// Patches whose status is a human override.
    pub overridden: usize,
    /// Annotations flagged stale (patch changed or gone).
    pub stale: usize,
}

/// How many patches have a status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusCount {
    /// The status.
    pub status: Status,
    /// How many patches.
    pub count: usize,
}

/// How many patches provide a feature, per status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureCount {
    /// The feature's name.
    pub feature: String,
    /// Its patches in the queue.
    pub count: usize,
    /// Of those, per status (only statuses with patches).
    pub by_status: Vec<StatusCount>,
}

/// A header claim upstream contradicts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FailedClaim {
    /// The patch.
    pub patch: String,
    /// The header (`Git-commit`, `Patch-mainline`…).
    pub header: String,
    /// What it says.
    pub text: String,
    /// Its 1-based line in the patch.
    pub line: usize,
    /// Why it does not hold.
    pub detail: String,
}

/// The patches of one status, grouped by feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The status.
    pub status: Status,
    /// The heading (`Already upstream: drop at the next rebase`).
    pub title: String,
    /// What a maintainer does with these patches.
    pub advice: String,
    /// Patches by feature: features in name order, then the patches without one.
    pub groups: Vec<Group>,
}

/// The patches of one section that provide one feature (or none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The feature, `None` for the patches without one.
    pub feature: Option<String>,
    /// The feature's note, from the annotations.
    pub note: Option<String>,
    /// The feature's owner, from the annotations.
    pub owner: Option<String>,
    /// The patches' names, in queue order.
    pub patches: Vec<String>,
}

/// A feature the annotations define.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feature {
    /// Its name.
    pub name: String,
    /// Its note.
    pub note: Option<String>,
    /// Who works on upstreaming it.
    pub owner: Option<String>,
    /// Links (list postings, bugs).
    pub links: Vec<String>,
    /// Whom to send its patches to: get_maintainer.pl's answer for all of them together.
    pub send_to: Vec<String>,
    /// Upstream authors most active on its patches' files, `Name <email> (N commits)`.
    pub active_upstream: Vec<String>,
    /// Its patches in the queue, in queue order.
    pub patches: Vec<String>,
}

/// Whether a patch's annotation applies to the patch as it is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnnotationState {
    /// No annotation.
    None,
    /// Written for this very content.
    Current,
    /// Written without a fingerprint (by hand): applied, but unchecked.
    Unrecorded,
    /// Written for other content: shown, its status override not applied.
    Stale,
}

/// A human status override.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Override {
    /// The status the human set.
    pub status: Status,
    /// Why.
    pub reason: String,
    /// Whether it is applied (not when the annotation is stale).
    pub applied: bool,
}

/// One header field of the patch, as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeaderField {
    /// Its name (`From`, `Git-commit`, `Signed-off-by`…).
    pub name: String,
    /// Its value.
    pub value: String,
}

/// Lines added and removed in one file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffStat {
    /// The file's path (the new one, or the old one of a deleted file).
    pub path: String,
    /// Lines added.
    pub added: usize,
    /// Lines removed.
    pub removed: usize,
}

/// Everything the report says about one patch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatchReport {
    /// 1-based position in the queue.
    pub position: usize,
    /// The patch's name in the queue.
    pub name: String,
    /// Its subject.
    pub subject: Option<String>,
    /// Its author.
    pub author: Option<String>,
    /// Its date as written.
    pub date: Option<String>,
    /// The status reports list it under: the override when applied, else the analysis'.
    pub status: Status,
    /// The analysis' own status.
    pub machine_status: Status,
    /// The annotation's status override, if any.
    pub status_override: Option<Override>,
    /// The analysis' confidence, 0–1.
    pub confidence: f64,
    /// The upstream commit, when upstream.
    pub commit: Option<String>,
    /// The commit's URL from the template.
    pub commit_url: Option<String>,
    /// The first release containing the commit.
    pub release: Option<String>,
    /// The feature it provides (annotation).
    pub feature: Option<String>,
    /// Who works on upstreaming it (annotation, else the feature's owner).
    pub owner: Option<String>,
    /// Notes (annotation).
    pub notes: Vec<String>,
    /// Links (annotation).
    pub links: Vec<String>,
    /// Who verified the annotation, when.
    pub verified: Option<Verified>,
    /// Whether the annotation applies to the patch as it is.
    pub annotation: AnnotationState,
    /// Why the annotation is stale, in plain words.
    pub stale: Option<String>,
    /// The annotation's history, oldest first.
    pub history: Vec<HistoryEntry>,
    /// The facts behind the machine's status.
    pub evidence: Vec<Evidence>,
    /// Upstream commits that may be this patch, best first.
    pub candidates: Vec<Candidate>,
    /// What the headers claim, each checked.
    pub claims: Vec<Claim>,
    /// The header fields and trailers, as written.
    pub headers: Vec<HeaderField>,
    /// Lines changed per file.
    pub diffstat: Vec<DiffStat>,
    /// Whom to send it to: get_maintainer.pl's answer from the upstream MAINTAINERS
    /// (`Name <email> (maintainer:SECTION)`, lists), empty without an upstream tree.
    pub send_to: Vec<String>,
    /// Upstream authors most active on its files in the 24 months before the target
    /// (`Name <email> (N commits)`), empty without an index.
    pub active_upstream: Vec<String>,
    /// Its posting on a mailing list, when an archive index was given and has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posted: Option<kdelta_analysis::Posted>,
    /// The posting's URL, from the archive URL template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posted_url: Option<String>,
}

/// Why an annotation is stale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StaleReason {
    /// The patch's content differs from what the annotation was written for.
    Changed,
    /// The patch is no longer in the queue.
    Gone,
}

/// An annotation that no longer matches its patch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaleAnnotation {
    /// The patch it is about.
    pub patch: String,
    /// Why it is stale.
    pub reason: StaleReason,
    /// In plain words, with the fingerprints.
    pub detail: String,
    /// The status it overrides, if any (not applied).
    pub status: Option<Status>,
    /// Its owner, if any.
    pub owner: Option<String>,
    /// Its feature, if any.
    pub feature: Option<String>,
    /// Its line in the annotations file.
    pub line: usize,
}

impl Report {
    /// The patch called `name`.
    pub fn patch(&self, name: &str) -> Option<&PatchReport> {
        self.patches.iter().find(|p| p.name == name)
    }

    /// The feature called `name`.
    pub fn feature(&self, name: &str) -> Option<&Feature> {
        self.features.iter().find(|f| f.name == name)
    }

    /// "openSUSE 13.1": the distribution and its release.
    pub fn title(&self) -> String {
        match &self.release {
            Some(release) => format!("{} {}", self.distribution, release),
            None => self.distribution.clone(),
        }
    }
}

/// The heading of a status' section.
pub fn section_title(status: Status) -> &'static str {
    match status {
        Status::Upstream => "Already upstream: drop at the next rebase",
        Status::ReplacementLikely => "Upstream replacement likely: verify, then drop",
        Status::InProgress => "Being upstreamed",
        Status::NeedsWork => "Needs upstream effort",
        Status::DownstreamOnly => "Downstream only",
        Status::Obsolete => "Obsolete: the code it changes is gone upstream",
        Status::Unknown => "Not judged",
    }
}

/// What a maintainer does with the patches of a status.
pub fn section_advice(status: Status) -> &'static str {
    match status {
        Status::Upstream => "The same change is upstream; the patch can be dropped.",
        Status::ReplacementLikely => {
            "Upstream seems to solve the same problem differently; someone must confirm it."
        }
        Status::InProgress => "Posted to a list or queued in a maintainer tree; follow it up.",
        Status::NeedsWork => "Upstream lacks this; it needs an owner to send it upstream.",
        Status::DownstreamOnly => "Distribution policy or packaging, not meant for upstream.",
        Status::Obsolete => "The files or functions it changes are gone; drop or rewrite it.",
        Status::Unknown => "Nothing to judge by: no upstream index or tree, or no diff.",
    }
}
