//! What the index stores per upstream commit, and how a commit's facts are derived.

use bstr::BString;
use kdelta_patch::{PatchId, UpstreamRef};

use crate::minhash::MinHash;

/// The facts the index keeps for one non-merge upstream commit.
#[derive(Clone, Debug, PartialEq)]
pub struct CommitRecord {
    /// The commit id.
    pub oid: gix::ObjectId,
    /// Its parents.
    pub parents: Vec<gix::ObjectId>,
    /// `Name <email>`.
    pub author: String,
    /// Author time, seconds since the epoch.
    pub author_time: i64,
    /// Committer time, seconds since the epoch.
    pub commit_time: i64,
    /// The subject as written.
    pub subject: String,
    /// The subject normalised for matching (see [`normalize_subject`]).
    pub subject_norm: String,
    /// The stable patch-id, `None` for an empty diff.
    pub patch_id: Option<PatchId>,
    /// The stable patch-id of the diff with renames detected (as `git show` and `git
    /// format-patch` print it), for a commit that renames files; `None` otherwise.
    pub renamed_patch_id: Option<PatchId>,
    /// Lines added.
    pub added: u32,
    /// Lines removed.
    pub removed: u32,
    /// Fingerprint of the changed lines, `None` when nothing significant changed.
    pub minhash: Option<MinHash>,
    /// Paths touched (old and new paths).
    pub files: Vec<BString>,
    /// References to other commits and releases found in the message.
    pub refs: Vec<UpstreamRef>,
    /// The message's prose, without the subject and trailers (see [`crate::text`]).
    pub body: String,
    /// The words the diff brings in (see [`crate::text::ChangedWords`]).
    pub words: Vec<String>,
    /// Why the diff could not be read, when it could not (a blob missing from a partial
    /// clone): the patch-id, line counts, files and fingerprint are then unknown.
    pub incomplete: Option<String>,
}

/// Normalise a subject for matching: `[PATCH …]` tags and origin prefixes (`UPSTREAM:`,
/// `FROMLIST:` …) removed, lower case, runs of whitespace folded to one space.
pub fn normalize_subject(subject: &str) -> String {
    let parsed = kdelta_patch::Subject::parse(subject);
    let mut out = String::with_capacity(parsed.title.len());
    for word in parsed.title.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_normalise_across_distribution_conventions() {
        let want = "xen/events: avoid a null dereference";
        assert_eq!(
            normalize_subject("[PATCH 4.19 12/50] xen/events:  avoid a NULL dereference"),
            want
        );
        assert_eq!(
            normalize_subject("UPSTREAM: xen/events: avoid a NULL dereference"),
            want
        );
        assert_eq!(
            normalize_subject("[PATCH v2] FROMLIST: xen/events: avoid a\tNULL dereference"),
            want
        );
    }
}
