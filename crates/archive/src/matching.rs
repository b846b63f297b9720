//! Which postings are a queue patch, in order of evidence: the archive links its headers
//! give (`Forwarded:`, `Link:`, `Patch-mainline: Submitted …`, `Message-ID:`), the same
//! stable patch-id, the same normalised subject from the same sender, and similar changed
//! lines (through the fingerprint buckets). Each match carries its kind and score.

use crate::message::{email_of, features_of};
use crate::reply::{linked_ids, message_id_from_url};
use crate::store::{features_low, ArchiveStore, Posting};
use kdelta_patch::Patch;
use kdelta_upstream::lsh::LshIndex;
use kdelta_upstream::minhash::{sorted_common, MinHash};
use kdelta_upstream::{normalize_subject, StoreError};
use serde::Serialize;
use std::cell::OnceCell;

/// How a posting was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// A header of the patch names it.
    Header,
    /// The same stable patch-id.
    PatchId,
    /// The same normalised subject, from the same sender.
    Subject,
    /// Similar changed lines.
    SimilarLines,
}

impl MatchKind {
    /// The name shown.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Header => "header",
            MatchKind::PatchId => "patch-id",
            MatchKind::Subject => "subject",
            MatchKind::SimilarLines => "similar-lines",
        }
    }
}

/// A posting found for a patch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PostingMatch {
    /// The posting.
    pub posting: Posting,
    /// How it was found (the strongest way, when several found it).
    pub kind: MatchKind,
    /// How sure, 0 to 1.
    pub score: f64,
}

/// How to match.
#[derive(Clone, Copy, Debug)]
pub struct MatchOptions {
    /// Use the archive links the patch's headers give (off to measure the other stages).
    pub headers: bool,
    /// Match equal patch-ids and subjects (off to measure the similar-lines stage alone).
    pub exact: bool,
    /// The smallest estimated similarity of changed lines that makes a match.
    pub min_similarity: f64,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            headers: true,
            exact: true,
            min_similarity: 0.6,
        }
    }
}

/// Bands shared by more postings than this are ignored (trivial changes share them).
const MAX_BUCKET: usize = 200;

/// Changes with fewer changed lines than this are too small to be told apart by their
/// lines alone (a lone `#include` is in many postings).
const MIN_LINES: usize = 3;

/// A posting more than this many times the patch's size is compared by Jaccard alone.
const MAX_GROWTH: usize = 8;

/// A stable backport's re-post of a patch (AUTOSEL, a stable review series) ranks below its
/// own postings: those say how the patch went upstream, the re-post only that it did.
const REPOST_DISCOUNT: f64 = 0.85;

/// Whether a subject's brackets say it is a stable backport's re-post: `[PATCH AUTOSEL 6.4
/// 20/58]`, `[PATCH 6.1 012/200]`, `[PATCH 5.10.y]`, `[PATCH stable]`.
pub fn is_backport_repost(subject: &str) -> bool {
    let mut rest = subject.trim_start();
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(end) = inner.find(']') else {
            return false;
        };
        let release = |w: &str| {
            let w = w.trim_end_matches(".y");
            w.split('-').all(|r| {
                let parts: Vec<&str> = r.split('.').collect();
                (2..=3).contains(&parts.len())
                    && parts
                        .iter()
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            })
        };
        let stable = inner[..end].split_whitespace().any(|w| {
            w.eq_ignore_ascii_case("autosel") || w.eq_ignore_ascii_case("stable") || release(w)
        });
        if stable {
            return true;
        }
        rest = inner[end + 1..].trim_start();
    }
    false
}

/// Postings compared per file the patch touches (the newest).
const PER_FILE: usize = 300;

/// Finds the postings of patches in one archive index.
pub struct Matcher {
    store: ArchiveStore,
    options: MatchOptions,
    lsh: OnceCell<LshIndex>,
}

impl Matcher {
    /// A matcher over `store`.
    pub fn new(store: ArchiveStore, options: MatchOptions) -> Matcher {
        Matcher {
            store,
            options,
            lsh: OnceCell::new(),
        }
    }

    /// The index it reads.
    pub fn store(&self) -> &ArchiveStore {
        &self.store
    }

    /// The postings of `patch`, best first (score, then newest).
    pub fn find(&self, patch: &Patch) -> Result<Vec<PostingMatch>, StoreError> {
        let mut found: Vec<PostingMatch> = Vec::new();
        let mut add = |posting: Posting, kind: MatchKind, score: f64| match found
            .iter_mut()
            .find(|m| m.posting.message_id == posting.message_id)
        {
            Some(m) if (kind, -score) < (m.kind, -m.score) => {
                m.kind = kind;
                m.score = m.score.max(score);
            }
            Some(m) => m.score = m.score.max(score),
            None => found.push(PostingMatch {
                posting,
                kind,
                score,
            }),
        };
        if self.options.headers {
            for id in header_ids(patch) {
                for p in self.store.by_message_id(&id)? {
                    add(p, MatchKind::Header, 1.0);
                }
            }
        }
        if let Some(id) = patch.patch_id().filter(|_| self.options.exact) {
            for p in self.store.by_patch_id(&id)? {
                add(p, MatchKind::PatchId, 1.0);
            }
        }
        let ours = features_of(&patch.files);
        let minhash = MinHash::from_hashes(ours.iter().copied());
        let ours = features_low(&ours);
        let author = patch
            .header
            .author
            .as_ref()
            .map(|a| email_of(&a.to_string()));
        if let Some(subject) = patch.header.subject.as_ref().filter(|_| self.options.exact) {
            let title = normalize_subject(&subject.raw);
            for p in self.store.by_title(&title)? {
                let same_sender = author.as_deref() == Some(p.email.as_str());
                let similar = line_similarity(&ours, &self.store.features(p.row)?);
                if same_sender || similar >= 0.3 {
                    let score = if same_sender {
                        0.9
                    } else {
                        0.6 + 0.3 * similar
                    };
                    add(p, MatchKind::Subject, score);
                }
            }
        }
        if ours.len() >= MIN_LINES {
            let paths = paths_of(patch);
            let mut rows: Vec<i64> = Vec::new();
            if let Some(minhash) = &minhash {
                let near = self.lsh()?.candidates(minhash, MAX_BUCKET);
                rows.extend(near.into_iter().take(50).map(|(row, _)| row));
            }
            for path in &paths {
                rows.extend(self.store.rows_touching(path, PER_FILE)?);
            }
            rows.sort_unstable();
            rows.dedup();
            for row in rows {
                let similar = line_similarity(&ours, &self.store.features(row)?);
                if similar < self.options.min_similarity {
                    continue;
                }
                let Some(p) = self.store.posting(row)? else {
                    continue;
                };
                // Alike lines in other files, or in a change too small, are chance.
                let same_file = p.files.iter().any(|f| paths.contains(f));
                if same_file && p.changed as usize >= MIN_LINES {
                    add(p, MatchKind::SimilarLines, 0.9 * similar);
                }
            }
        }
        for m in &mut found {
            if is_backport_repost(&m.posting.subject) {
                m.score *= REPOST_DISCOUNT;
            }
        }
        found.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.kind.cmp(&b.kind))
                .then(b.posting.date.cmp(&a.posting.date))
        });
        Ok(found)
    }

    fn lsh(&self) -> Result<&LshIndex, StoreError> {
        if let Some(lsh) = self.lsh.get() {
            return Ok(lsh);
        }
        let built = LshIndex::build(self.store.minhashes()?);
        Ok(self.lsh.get_or_init(|| built))
    }
}

/// How much a posting (`posted`) is the patch (`patch`), both as sorted, deduplicated line
/// features: their Jaccard similarity, or, when the posting holds most of the patch's lines
/// (a posting with more in it, or reworked a little since), the share of the patch's lines
/// found in it, discounted a little. A posting many times larger than the patch (a code
/// move, a big rework that happens to carry its lines) and a posting that holds only part
/// of the patch are compared by Jaccard alone.
pub fn line_similarity(patch: &[u32], posted: &[u32]) -> f64 {
    if patch.is_empty() || posted.is_empty() {
        return 0.0;
    }
    let common = sorted_common(patch, posted);
    let jaccard = common as f64 / (patch.len() + posted.len() - common) as f64;
    if patch.len() < MIN_LINES || posted.len() > MAX_GROWTH * patch.len() {
        return jaccard;
    }
    jaccard.max(0.9 * common as f64 / patch.len() as f64)
}

/// The paths a patch touches, old and new.
fn paths_of(patch: &Patch) -> Vec<String> {
    patch
        .files
        .iter()
        .flat_map(|f| [f.old_path.as_ref(), f.new_path.as_ref()])
        .flatten()
        .map(|p| p.to_string())
        .collect()
}

/// The message-ids a patch's headers name: archive URLs anywhere in its references and
/// fields, and `Message-ID:`/`Patch-mainline: Submitted <id>` values.
pub fn header_ids(patch: &Patch) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |id: String| {
        if !out.contains(&id) {
            out.push(id);
        }
    };
    for r in &patch.header.refs {
        if let Some(id) = r.url.as_deref().and_then(message_id_from_url) {
            push(id);
        }
    }
    for field in patch.header.fields.iter().chain(&patch.header.trailers) {
        let name = field.name.to_ascii_lowercase();
        let value = field.value.as_slice();
        linked_ids(value).into_iter().for_each(&mut push);
        let names_ids = matches!(
            name.as_str(),
            "message-id" | "patch-mainline" | "references" | "link" | "forwarded"
        );
        if names_ids {
            crate::headers::message_ids(value)
                .into_iter()
                .filter(|id| {
                    value
                        .windows(id.len() + 2)
                        .any(|w| w.first() == Some(&b'<'))
                })
                .for_each(&mut push);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn stable_reposts_are_told_from_postings() {
        for repost in [
            "[PATCH AUTOSEL 6.4 20/58] RDMA/mana_ib: Use v2",
            "[PATCH 6.1 012/200] net: mana: fix",
            "[PATCH AUTOSEL 6.19-5.10] x",
            "[PATCH 5.10.y] x",
            "Re: [PATCH stable 1/2] x",
        ] {
            let subject = repost.trim_start_matches("Re: ");
            assert!(super::is_backport_repost(subject), "{repost}");
        }
        for posting in [
            "[PATCH v3 1/3] net: mana: Add flex array",
            "[PATCH net-next v5 2/2] net: mana: x",
            "[RFC PATCH 0.5/2] x",
            "[PATCH] kbuild: 6.1 is old",
            "[PATCH 1/2] x",
        ] {
            assert!(!super::is_backport_repost(posting), "{posting}");
        }
    }

    use super::*;
    use kdelta_patch::ParseOptions;

    #[test]
    fn a_posting_matches_when_it_holds_most_of_the_patch() {
        let patch: Vec<u32> = (0..10).collect();
        assert_eq!(line_similarity(&patch, &patch), 1.0);
        // The posting has the patch's lines and as many more: a fuller version.
        let fuller: Vec<u32> = (0..20).collect();
        assert!((line_similarity(&patch, &fuller) - 0.9).abs() < 1e-9);
        // The posting is a part of the patch only: Jaccard, 4 of 10.
        let part: Vec<u32> = (0..4).collect();
        assert!((line_similarity(&patch, &part) - 0.4).abs() < 1e-9);
        // A code move carrying the patch's lines among hundreds: Jaccard.
        let moved: Vec<u32> = (0..300).collect();
        assert!(line_similarity(&patch, &moved) < 0.1);
        assert_eq!(line_similarity(&patch, &[]), 0.0);
    }

    #[test]
    fn headers_name_postings_by_url_and_by_id() {
        let text = b"From: A <a@x>\nSubject: x\nForwarded: https://lore.kernel.org/linux-kbuild/abc@x/T/#u\nPatch-mainline: Submitted <def@y>\nLink: https://patch.msgid.link/ghi@z\n\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";
        let patch = Patch::parse(text, &ParseOptions::default());
        let mut ids = header_ids(&patch);
        ids.sort();
        assert_eq!(ids, ["abc@x", "def@y", "ghi@z"]);
    }
}
