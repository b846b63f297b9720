//! Deriving a [`CommitRecord`]: the diff facts (patch-id, paths, counts) and the MinHash of
//! the changed lines come from `kdelta_git`'s parallel pipeline in one diff per commit; the
//! metadata and message references come from the commit object.

use crate::minhash::{line_feature, MinHash};
use crate::record::{normalize_subject, CommitRecord};
use crate::text::{message_body, ChangedWords};
use crate::IndexError;
use bstr::ByteSlice;
use kdelta_git::{ChangedLines, CommitDiffFacts};

/// A [`ChangedLines`] visitor, one per pipeline worker, that folds a commit's changed lines
/// into a MinHash and reads the commit's metadata and message references on the worker's
/// thread, so the writer thread only writes.
pub struct CommitVisitor {
    repo: gix::Repository,
    features: Vec<u64>,
    words: ChangedWords,
    meta: Option<Result<Metadata, IndexError>>,
}

/// What a [`CommitVisitor`] hands over per commit.
pub struct VisitorSummary {
    minhash: Option<MinHash>,
    words: Vec<String>,
    meta: Result<Metadata, IndexError>,
}

impl CommitVisitor {
    /// A visitor with its own handle of the repository.
    pub fn new(repo: &gix::ThreadSafeRepository) -> CommitVisitor {
        CommitVisitor {
            repo: repo.to_thread_local(),
            features: Vec::new(),
            words: ChangedWords::default(),
            meta: None,
        }
    }
}

impl ChangedLines for CommitVisitor {
    type Summary = VisitorSummary;

    const WANTS_COMMIT_DATA: bool = true;

    fn begin(&mut self, commit: gix::ObjectId, data: Option<&[u8]>) {
        self.features.clear();
        self.words.clear();
        self.meta = Some(match data {
            Some(data) => Metadata::parse(commit, data),
            None => Metadata::read(&self.repo, commit),
        });
    }

    fn line(&mut self, path: &[u8], added: bool, text: &[u8]) {
        self.words.line(path, added, text);
        let sign = if added { b'+' } else { b'-' };
        if let Some(h) = line_feature(sign, text) {
            self.features.push(h);
        }
    }

    fn finish(&mut self) -> VisitorSummary {
        let minhash = MinHash::from_hashes(self.features.drain(..));
        let meta = self
            .meta
            .take()
            .unwrap_or_else(|| Err(IndexError::Git("commit not announced".into())));
        let words = self.words.brought_in();
        VisitorSummary {
            minhash,
            words,
            meta,
        }
    }
}

/// Metadata and message facts of a commit, read from its object.
pub struct Metadata {
    parents: Vec<gix::ObjectId>,
    author: String,
    author_time: i64,
    commit_time: i64,
    subject: String,
    body: String,
    refs: Vec<kdelta_patch::UpstreamRef>,
}

impl Metadata {
    /// Read `oid`'s metadata from the repository.
    pub fn read(repo: &gix::Repository, oid: gix::ObjectId) -> Result<Metadata, IndexError> {
        let commit = repo
            .find_commit(oid)
            .map_err(|e| IndexError::Git(format!("{oid}: {e}")))?;
        Metadata::parse(oid, &commit.data)
    }

    /// The metadata of commit `oid` from its object's `data`.
    pub fn parse(oid: gix::ObjectId, data: &[u8]) -> Result<Metadata, IndexError> {
        let err = |e: &dyn std::fmt::Display| IndexError::Git(format!("{oid}: {e}"));
        let decoded = gix::objs::CommitRef::from_bytes(data, oid.kind()).map_err(|e| err(&e))?;
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
            body: message_body(&decoded.message.to_str_lossy()),
            refs: kdelta_patch::header::parse_header(&as_mail(decoded.message), 1)
                .0
                .refs,
        })
    }

    /// The subject: the message's first paragraph as one line.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The author's time, in seconds since the epoch.
    pub fn author_time(&self) -> i64 {
        self.author_time
    }

    /// The committer's time, in seconds since the epoch.
    pub fn commit_time(&self) -> i64 {
        self.commit_time
    }

    /// The record of `oid` from its metadata and diff facts.
    fn into_record(
        self,
        oid: gix::ObjectId,
        patch_id: Option<kdelta_patch::PatchId>,
        added: u32,
        removed: u32,
        files: Vec<bstr::BString>,
        minhash: Option<MinHash>,
    ) -> CommitRecord {
        CommitRecord {
            oid,
            subject_norm: normalize_subject(&self.subject),
            subject: self.subject,
            parents: self.parents,
            author: self.author,
            author_time: self.author_time,
            commit_time: self.commit_time,
            patch_id,
            renamed_patch_id: None,
            added,
            removed,
            minhash,
            files,
            refs: self.refs,
            body: self.body,
            words: Vec::new(),
            incomplete: None,
        }
    }
}

/// The record of `oid` from what the pipeline found.
pub fn into_record(
    oid: gix::ObjectId,
    facts: CommitDiffFacts<VisitorSummary>,
) -> Result<CommitRecord, IndexError> {
    let meta = facts.lines.meta?;
    let mut record = meta.into_record(
        oid,
        facts.patch_id,
        facts.added,
        facts.removed,
        facts.files,
        facts.lines.minhash,
    );
    record.words = facts.lines.words;
    record.renamed_patch_id = facts.renamed_patch_id;
    Ok(record)
}

/// The record of `oid` whose diff could not be read (`reason`): its metadata and message
/// references, without patch-id, line counts, files or fingerprint.
pub fn incomplete_record(
    repo: &gix::Repository,
    oid: gix::ObjectId,
    reason: String,
) -> Result<CommitRecord, IndexError> {
    let mut record = Metadata::read(repo, oid)?.into_record(oid, None, 0, 0, Vec::new(), None);
    record.incomplete = Some(reason);
    Ok(record)
}

/// The commit message as a mail header and body, for the header parser.
fn as_mail(message: &[u8]) -> Vec<u8> {
    let mut mail = b"Subject: ".to_vec();
    let mut lines = message.splitn(2, |&b| b == b'\n');
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
