//! One archived mail as the facts kdelta keeps: its ids and thread links, list, date and
//! author, parsed subject, kind (patch, cover letter, reply), the stable patch-id and
//! changed-line features of its diff, and what its prose says ([`crate::reply`]).

use crate::headers::Headers;
use crate::mime::body_text;
use crate::reply::{read_prose, Prose};
use bstr::{BString, ByteSlice};
use kdelta_patch::diff::{find_diff_start, git_text, parse_diffs, LineKind};
use kdelta_patch::patchid::stable_patch_id;
use kdelta_patch::{FileDiff, PatchId, Subject};
use kdelta_upstream::minhash::line_feature;
use serde::Serialize;

/// What a mail is, for the delta.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A `[PATCH …]` mail (or a mail with a diff) that is not a reply.
    Patch,
    /// The `0/N` cover letter of a series.
    Cover,
    /// A reply (`Re:`) or anything else in a thread.
    Reply,
    /// Neither a patch nor a reply (pull requests, announcements, questions).
    Other,
}

impl Kind {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Patch => "patch",
            Kind::Cover => "cover",
            Kind::Reply => "reply",
            Kind::Other => "other",
        }
    }

    /// The kind a stored name stands for.
    pub fn parse(name: &str) -> Kind {
        match name {
            "patch" => Kind::Patch,
            "cover" => Kind::Cover,
            "reply" => Kind::Reply,
            _ => Kind::Other,
        }
    }
}

/// The facts of one mail.
#[derive(Clone, Debug)]
pub struct Message {
    /// `Message-ID`, without brackets (synthesised from the locator when missing).
    pub message_id: String,
    /// `In-Reply-To` (else the last of `References`).
    pub in_reply_to: Option<String>,
    /// `References`, oldest first.
    pub references: Vec<String>,
    /// The list it came through (`List-Id`, `X-Mailing-List`), when the mail says.
    pub list: Option<String>,
    /// `Date`, seconds since the epoch, when it can be read.
    pub date: Option<i64>,
    /// `From`, as `Name <email>`.
    pub author: String,
    /// The sender's address, lower case.
    pub email: String,
    /// The parsed subject.
    pub subject: Subject,
    /// What the mail is.
    pub kind: Kind,
    /// The stable patch-id of its diff.
    pub patch_id: Option<PatchId>,
    /// Feature hashes of its changed lines (as the upstream index hashes them).
    pub features: Vec<u64>,
    /// Files its diff touches.
    pub files: Vec<BString>,
    /// Lines added and removed.
    pub added: u32,
    /// Lines removed.
    pub removed: u32,
    /// Trailers, change-id, links and "applied" facts of its prose.
    pub prose: Prose,
}

/// Whether a bracket tag marks a patch posting (`PATCH`, `RFC`, `PATCH v2 3/7` …).
fn is_patch_tag(tag: &str) -> bool {
    let upper = tag.to_ascii_uppercase();
    upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "PATCH" || w == "RFC" || w == "RESEND")
        && !upper.contains("GIT PULL")
}

/// Parse one mail; `fallback_id` names it when it has no `Message-ID`.
pub fn parse_message(mail: &[u8], fallback_id: &str) -> Message {
    let (headers, body) = Headers::split(mail);
    let raw_subject = headers.text("subject").unwrap_or_default();
    let subject = Subject::parse(&raw_subject);
    let is_reply = is_reply_subject(&raw_subject);
    let text = body_text(&headers, body);
    let diff_start = find_diff_start(&text).filter(|_| !is_reply);
    let prose_end = diff_start.as_ref().map_or(text.len(), |s| s.offset);
    let prose = read_prose(&text[..prose_end], is_reply);
    let files = diff_start
        .map(|s| parse_diffs(&text[s.offset..], s.line + 1, 1).0)
        .unwrap_or_default();
    let patch_tag = subject.tags.iter().any(|t| is_patch_tag(t));
    let kind = if is_reply {
        Kind::Reply
    } else if !files.is_empty() {
        Kind::Patch
    } else if patch_tag && subject.number.is_some_and(|(n, _)| n == 0) {
        Kind::Cover
    } else if headers.raw("in-reply-to").is_some() {
        Kind::Reply
    } else {
        Kind::Other
    };
    let references = headers.ids("references");
    let in_reply_to = headers
        .ids("in-reply-to")
        .into_iter()
        .next()
        .or_else(|| references.last().cloned());
    let author = headers
        .raw("from")
        .map(|v| {
            kdelta_patch::mail::normalize_mailbox(&kdelta_patch::mail::decode_encoded_words(v).0)
        })
        .unwrap_or_default()
        .to_str_lossy()
        .into_owned();
    Message {
        message_id: headers
            .ids("message-id")
            .into_iter()
            .next()
            .unwrap_or_else(|| format!("{fallback_id}@kdelta.invalid")),
        in_reply_to,
        references,
        list: list_of(&headers),
        date: headers.text("date").and_then(|d| parse_date(&d)),
        email: email_of(&author),
        author,
        subject,
        kind,
        patch_id: (!files.is_empty())
            .then(|| stable_patch_id(&git_text(&files)))
            .flatten(),
        features: features_of(&files),
        added: files.iter().map(|f| f.added as u32).sum(),
        removed: files.iter().map(|f| f.removed as u32).sum(),
        files: touched(&files),
        prose,
    }
}

/// Whether a subject marks a reply or forward (`Re:`, `AW:`, `Fwd:` …).
fn is_reply_subject(subject: &str) -> bool {
    let lower = subject.trim_start().to_ascii_lowercase();
    ["re:", "re :", "aw:", "sv:", "fwd:", "fw:", "re[", "antw:"]
        .iter()
        .any(|m| lower.starts_with(m))
}

/// The list named by `List-Id` (`<linux-kbuild.vger.kernel.org>`) or `X-Mailing-List`.
fn list_of(headers: &Headers) -> Option<String> {
    if let Some(id) = headers.raw("list-id") {
        if let Some(first) = crate::headers::message_ids(id).into_iter().next() {
            return Some(first);
        }
        if let (Some(lt), Some(gt)) = (id.find_byte(b'<'), id.rfind_byte(b'>')) {
            if lt < gt {
                return Some(id[lt + 1..gt].to_str_lossy().trim().to_string());
            }
        }
    }
    headers
        .text("x-mailing-list")
        .map(|l| l.trim_matches(['<', '>', ' ']).to_string())
        .filter(|l| !l.is_empty())
}

/// The address of a `Name <email>` mailbox (or the mailbox itself), lower case.
pub fn email_of(author: &str) -> String {
    let inner = match (author.rfind('<'), author.rfind('>')) {
        (Some(lt), Some(gt)) if lt < gt => &author[lt + 1..gt],
        _ => author,
    };
    inner.trim().to_ascii_lowercase()
}

/// Seconds since the epoch of an RFC 2822 date; comments in parentheses are dropped.
pub fn parse_date(text: &str) -> Option<i64> {
    let cleaned = match text.find('(') {
        Some(open) => text[..open].trim(),
        None => text.trim(),
    };
    gix::date::parse(cleaned, None).ok().map(|t| t.seconds)
}

/// The feature hashes of the added and removed lines (binary files have none), sorted.
pub fn features_of(files: &[FileDiff]) -> Vec<u64> {
    let mut out: Vec<u64> = files
        .iter()
        .filter(|f| !f.binary)
        .flat_map(|f| f.hunks.iter().flat_map(|h| &h.lines))
        .filter_map(|line| match line.kind {
            LineKind::Added => line_feature(b'+', &line.text),
            LineKind::Removed => line_feature(b'-', &line.text),
            LineKind::Context => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Paths a diff touches, old and new, each once.
fn touched(files: &[FileDiff]) -> Vec<BString> {
    let mut out: Vec<BString> = Vec::new();
    for f in files {
        for path in [f.old_path.as_ref(), f.new_path.as_ref()]
            .into_iter()
            .flatten()
        {
            if !out.contains(path) {
                out.push(path.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
