//! Deriving a [`CommitRecord`] from a commit: metadata from the commit object, the diff
//! rendered from git objects and parsed like any patch, the patch-id from that diff.

use crate::minhash::{line_feature, MinHash};
use crate::record::{normalize_subject, CommitRecord};
use crate::IndexError;
use bstr::{BString, ByteSlice};

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
            .write_diff(meta.parent_tree, meta.tree, &mut self.text)
            .map_err(|e| IndexError::Git(e.to_string()))?;
        // The diff alone: a message quoting diff text must not change the patch-id or files.
        let patch_id = kdelta_patch::patchid::stable_patch_id(&self.text);
        let (diffs, _) = kdelta_patch::diff::parse_diffs(&self.text, 1, 1);
        let features = diffs.iter().flat_map(|f| {
            let added = f.added_lines().filter_map(|l| line_feature(b'+', l));
            let removed = f.removed_lines().filter_map(|l| line_feature(b'-', l));
            added.chain(removed)
        });
        let minhash = MinHash::from_hashes(features);
        let mut files: Vec<BString> = Vec::new();
        for f in &diffs {
            for p in [&f.old_path, &f.new_path].into_iter().flatten() {
                if !files.contains(p) {
                    files.push(p.clone());
                }
            }
        }
        let (header, _) = kdelta_patch::header::parse_header(&meta.message_as_mail(), 1);
        Ok(CommitRecord {
            oid,
            subject_norm: normalize_subject(&meta.subject),
            subject: meta.subject,
            parents: meta.parents,
            author: meta.author,
            author_time: meta.author_time,
            commit_time: meta.commit_time,
            patch_id,
            added: count(diffs.iter().map(|f| f.added)),
            removed: count(diffs.iter().map(|f| f.removed)),
            minhash,
            files,
            refs: header.refs,
        })
    }

    fn tree_of(&self, commit: gix::ObjectId) -> Result<gix::ObjectId, IndexError> {
        let c = self
            .repo
            .find_commit(commit)
            .map_err(|e| IndexError::Git(format!("{commit}: {e}")))?;
        c.tree_id()
            .map(|t| t.detach())
            .map_err(|e| IndexError::Git(format!("{commit}: {e}")))
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
        let parent = decoded.parents().next();
        let parent_tree = match parent {
            Some(p) => Some(self.tree_of(p)?),
            None => None,
        };
        Ok(Metadata {
            tree: decoded.tree(),
            parent_tree,
            message: decoded.message.to_vec(),
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
    tree: gix::ObjectId,
    parent_tree: Option<gix::ObjectId>,
    message: Vec<u8>,
    parents: Vec<gix::ObjectId>,
    author: String,
    author_time: i64,
    commit_time: i64,
    subject: String,
}

impl Metadata {
    /// The commit message as a mail header and body, for the header parser.
    fn message_as_mail(&self) -> Vec<u8> {
        let mut mail = b"Subject: ".to_vec();
        let mut lines = self.message.splitn(2, |&b| b == b'\n');
        mail.extend_from_slice(lines.next().unwrap_or_default());
        mail.extend_from_slice(b"\n\n");
        mail.extend_from_slice(
            lines
                .next()
                .unwrap_or_default()
                .trim_start_with(|c| c == '\n'),
        );
        mail
    }
}

fn count(values: impl Iterator<Item = usize>) -> u32 {
    u32::try_from(values.sum::<usize>()).unwrap_or(u32::MAX)
}
