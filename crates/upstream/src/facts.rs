//! Deriving a [`CommitRecord`]: the diff facts (patch-id, paths, counts) and the MinHash of
//! the changed lines come from `kdelta_git`'s parallel pipeline in one diff per commit; the
//! metadata and message references come from the commit object.

use crate::minhash::{line_feature, MinHash};
use crate::record::{normalize_subject, CommitRecord};
use crate::IndexError;
use bstr::ByteSlice;
use kdelta_git::{ChangedLines, CommitDiffFacts};

/// A [`ChangedLines`] visitor that folds a commit's changed lines into a MinHash.
#[derive(Default)]
pub struct MinHashLines {
    features: Vec<u64>,
}

impl ChangedLines for MinHashLines {
    type Summary = Option<MinHash>;

    fn line(&mut self, _path: &[u8], added: bool, text: &[u8]) {
        let sign = if added { b'+' } else { b'-' };
        if let Some(h) = line_feature(sign, text) {
            self.features.push(h);
        }
    }

    fn finish(&mut self) -> Option<MinHash> {
        let hash = MinHash::from_hashes(self.features.drain(..));
        hash
    }
}

/// Metadata and message facts of a commit, read from its object.
pub struct Metadata {
    parents: Vec<gix::ObjectId>,
    author: String,
    author_time: i64,
    commit_time: i64,
    subject: String,
    message: Vec<u8>,
}

impl Metadata {
    /// Read `oid`'s metadata.
    pub fn read(repo: &gix::Repository, oid: gix::ObjectId) -> Result<Metadata, IndexError> {
        let err = |e: &dyn std::fmt::Display| IndexError::Git(format!("{oid}: {e}"));
        let commit = repo.find_commit(oid).map_err(|e| err(&e))?;
        let decoded = commit.decode().map_err(|e| err(&e))?;
        let author = decoded.author().map_err(|e| err(&e))?;
        let committer = decoded.committer().map_err(|e| err(&e))?;
        Ok(Metadata {
            parents: decoded.parents().collect(),
            author: format!(
                "{} <{}>",
                author.name.to_str_lossy(),
                author.email.to_str_lossy()
            ),
            author_time: author.time().map(|t| t.seconds).unwrap_or(0),
            commit_time: committer.time().map(|t| t.seconds).unwrap_or(0),
            subject: decoded.message_summary().to_str_lossy().into_owned(),
            message: decoded.message.to_vec(),
        })
    }

    /// The commit message as a mail header and body, for the header parser.
    fn as_mail(&self) -> Vec<u8> {
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

    /// The record of `oid` from its metadata and diff facts.
    pub fn into_record(
        self,
        oid: gix::ObjectId,
        facts: CommitDiffFacts<Option<MinHash>>,
    ) -> CommitRecord {
        let (header, _) = kdelta_patch::header::parse_header(&self.as_mail(), 1);
        CommitRecord {
            oid,
            subject_norm: normalize_subject(&self.subject),
            subject: self.subject,
            parents: self.parents,
            author: self.author,
            author_time: self.author_time,
            commit_time: self.commit_time,
            patch_id: facts.patch_id,
            added: facts.added,
            removed: facts.removed,
            minhash: facts.lines,
            files: facts.files,
            refs: header.refs,
        }
    }
}
