//! Which postings are a queue patch, in order of evidence: the archive links its headers
//! give (`Forwarded:`, `Link:`, `Patch-mainline: Submitted …`, `Message-ID:`), the same
//! stable patch-id, the same normalised subject from the same sender, and similar changed
//! lines (through the fingerprint buckets). Each match carries its kind and score.

use crate::message::{email_of, features_of};
use crate::reply::{linked_ids, message_id_from_url};
use crate::store::{ArchiveStore, Posting};
use kdelta_patch::Patch;
use kdelta_upstream::lsh::LshIndex;
use kdelta_upstream::minhash::MinHash;
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
    /// The smallest estimated similarity of changed lines that makes a match.
    pub min_similarity: f64,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            headers: true,
            min_similarity: 0.6,
        }
    }
}

/// Bands shared by more postings than this are ignored (trivial changes share them).
const MAX_BUCKET: usize = 200;

/// Finds the postings of patches in one archive index.
pub struct Matcher<'s> {
    store: &'s ArchiveStore,
    options: MatchOptions,
    lsh: OnceCell<LshIndex>,
}

impl<'s> Matcher<'s> {
    /// A matcher over `store`.
    pub fn new(store: &'s ArchiveStore, options: MatchOptions) -> Matcher<'s> {
        Matcher {
            store,
            options,
            lsh: OnceCell::new(),
        }
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
        if let Some(id) = patch.patch_id() {
            for p in self.store.by_patch_id(&id)? {
                add(p, MatchKind::PatchId, 1.0);
            }
        }
        let minhash = MinHash::from_hashes(features_of(&patch.files));
        let author = patch
            .header
            .author
            .as_ref()
            .map(|a| email_of(&a.to_string()));
        if let Some(subject) = &patch.header.subject {
            let title = normalize_subject(&subject.raw);
            for p in self.store.by_title(&title)? {
                let same_sender = author.as_deref() == Some(p.email.as_str());
                let similar = self.similarity(&minhash, p.row)?;
                if same_sender || similar >= 0.3 {
                    add(
                        p,
                        MatchKind::Subject,
                        if same_sender {
                            0.9
                        } else {
                            0.6 + 0.3 * similar
                        },
                    );
                }
            }
        }
        if let Some(minhash) = &minhash {
            for (row, _) in self
                .lsh()?
                .candidates(minhash, MAX_BUCKET)
                .into_iter()
                .take(50)
            {
                let similar = self.similarity(&Some(minhash.clone()), row)?;
                if similar >= self.options.min_similarity {
                    if let Some(p) = self.store.posting(row)? {
                        add(p, MatchKind::SimilarLines, 0.9 * similar);
                    }
                }
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

    fn similarity(&self, minhash: &Option<MinHash>, row: i64) -> Result<f64, StoreError> {
        let Some(ours) = minhash else {
            return Ok(0.0);
        };
        Ok(self
            .store
            .minhash(row)?
            .map_or(0.0, |theirs| ours.similarity(&theirs)))
    }

    fn lsh(&self) -> Result<&LshIndex, StoreError> {
        if let Some(lsh) = self.lsh.get() {
            return Ok(lsh);
        }
        let built = LshIndex::build(self.store.minhashes()?);
        Ok(self.lsh.get_or_init(|| built))
    }
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
    use super::*;
    use kdelta_patch::ParseOptions;

    #[test]
    fn headers_name_postings_by_url_and_by_id() {
        let text = b"From: A <a@x>\nSubject: x\nForwarded: https://lore.kernel.org/linux-kbuild/abc@x/T/#u\nPatch-mainline: Submitted <def@y>\nLink: https://patch.msgid.link/ghi@z\n\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";
        let patch = Patch::parse(text, &ParseOptions::default());
        let mut ids = header_ids(&patch);
        ids.sort();
        assert_eq!(ids, ["abc@x", "def@y", "ghi@z"]);
    }
}
