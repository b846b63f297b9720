//! Deriving a [`CommitRecord`] from a commit: metadata from the commit object, the diff
//! rendered from git objects and parsed like any patch, the patch-id from that diff.

use crate::minhash::{line_feature, MinHash};
use crate::record::{normalize_subject, CommitRecord};
use crate::IndexError;
use bstr::{BString, ByteSlice};
use kdelta_patch::{ParseOptions, Patch};

/// Per-thread state for computing records: a repository handle and a diff renderer.
pub struct FactsWorker {
    repo: gix::Repository,
    formatter: kdelta_git::PatchFormatter,
    text: Vec<u8>,
}

impl FactsWorker {
    /// A worker on its own handle of `repo`.
    pub fn new(repo: &gix::ThreadSafeRepository) -> FactsWorker {
        let repo = repo.to_thread_local();
        let formatter = kdelta_git::PatchFormatter::new(&repo);
        FactsWorker {
            repo,
            formatter,
            text: Vec::new(),
        }
    }

    /// The record of `oid`.
    pub fn record(&mut self, oid: gix::ObjectId) -> Result<CommitRecord, IndexError> {
        let meta = self.metadata(oid)?;
        self.text.clear();
        self.formatter
            .write_patch(oid, &mut self.text)
            .map_err(|e| IndexError::Git(e.to_string()))?;
        let patch = Patch::parse(&self.text, &ParseOptions::default());
        let patch_id = kdelta_patch::patchid::stable_patch_id(&self.text);
        let features = patch.files.iter().flat_map(|f| {
            let added = f.added_lines().filter_map(|l| line_feature(b'+', l));
            let removed = f.removed_lines().filter_map(|l| line_feature(b'-', l));
            added.chain(removed)
        });
        let minhash = MinHash::from_hashes(features);
        let mut files: Vec<BString> = Vec::new();
        for f in &patch.files {
            for p in [&f.old_path, &f.new_path].into_iter().flatten() {
                if !files.contains(p) {
                    files.push(p.clone());
                }
            }
        }
        let (added, removed) = (patch.added(), patch.removed());
        let refs = patch
            .header
            .refs
            .into_iter()
            .filter(|r| r.kind != kdelta_patch::RefKind::MailFrom)
            .collect();
        Ok(CommitRecord {
            oid,
            subject_norm: normalize_subject(&meta.subject),
            subject: meta.subject,
            parents: meta.parents,
            author: meta.author,
            author_time: meta.author_time,
            commit_time: meta.commit_time,
            patch_id,
            added: u32::try_from(added).unwrap_or(u32::MAX),
            removed: u32::try_from(removed).unwrap_or(u32::MAX),
            minhash,
            files,
            refs,
        })
    }

    fn metadata(&self, oid: gix::ObjectId) -> Result<Metadata, IndexError> {
        let commit = self
            .repo
            .find_commit(oid)
            .map_err(|e| IndexError::Git(format!("{oid}: {e}")))?;
        let decoded = commit
            .decode()
            .map_err(|e| IndexError::Git(format!("{oid}: {e}")))?;
        let author = decoded
            .author()
            .map_err(|e| IndexError::Git(format!("{oid}: {e}")))?;
        let committer = decoded
            .committer()
            .map_err(|e| IndexError::Git(format!("{oid}: {e}")))?;
        let author_time = author.time().map(|t| t.seconds).unwrap_or(0);
        let commit_time = committer.time().map(|t| t.seconds).unwrap_or(0);
        let subject = decoded.message_summary().to_str_lossy().into_owned();
        Ok(Metadata {
            parents: decoded.parents().collect(),
            author: format!(
                "{} <{}>",
                author.name.to_str_lossy(),
                author.email.to_str_lossy()
            ),
            author_time,
            commit_time,
            subject,
        })
    }
}

struct Metadata {
    parents: Vec<gix::ObjectId>,
    author: String,
    author_time: i64,
    commit_time: i64,
    subject: String,
}
