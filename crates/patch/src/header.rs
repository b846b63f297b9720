//! The header of a patch: everything before its first diff, normalised into facts.
//!
//! A header may be a git format-patch mail (RFC 2822 fields, folded lines, MIME
//! encoded-words), a SUSE kernel-source header (`Patch-mainline:`, `Git-commit:` …),
//! a DEP-3 header (`Description:`, `Origin:`, `Forwarded:` …) or free quilt text.
//! The free text is kept as the description; trailers and backport lines in it
//! become [`UpstreamRef`]s too.
//!
//! How [`parse_header`] reads a header:
//!
//! 1. An mbox `From <sha> Mon Sep 17 00:00:00 2001` first (non-blank) line gives
//!    [`Header::mail_commit`] and makes the header a mail.
//! 2. The *top block* is the run of `Name: value` lines (with folded continuation
//!    lines) at the start, up to the first blank line. In a mail any name is a
//!    field there; otherwise only known names (SUSE, DEP-3, mail, trailers, `X-…`).
//!    Everything in the top block is a field, `Acked-by:` of a SUSE header too.
//! 3. The rest is the *body*, up to a `---` line (format-patch's separator, after
//!    which comes the diffstat). In it, a line starting with a SUSE or DEP-3 field
//!    name (`Patch-mainline:`, `Origin:`, `From:` …) is a field even between
//!    paragraphs of free text; a line (indented or not) starting with a trailer
//!    name (`Signed-off-by:`, `Fixes:`, `Link:`, `Cc:`, any `…-by:` …) is a
//!    trailer; everything else is free text (a name in capitals, like the `BUG:`
//!    of an oops, is never a SUSE/DEP-3 field). After a mail's header, `From:`,
//!    `Subject:` and `Date:` fields alone in the first body paragraph override the
//!    mail's, as `git am` does.
//! 4. [`Header::description`] is the DEP-3 long description (`Description:`
//!    continuation lines, ` .` being an empty line) followed by the free text;
//!    fields and trailers are left out of it, backport lines
//!    (`commit <sha> upstream.`, `(cherry picked from commit <sha>)`) stay in.
//!    Runs of blank lines become one and the text is trimmed.
//! 5. The subject is `Subject:`, else the first line of `Description:`, else the
//!    first line of free text that is not a backport line (it then stays in the
//!    description too).
//! 6. [`Header::refs`] come from fields, trailers and backport lines, in line order.

mod extract;
mod names;
#[cfg(test)]
mod tests;

use crate::mail::{
    decode_encoded_words, is_blank, is_continuation, mail_from_commit, normalize_mailbox,
};
use crate::mail::{is_mbox_from_line, split_field, unfold};
use crate::refs::{Mainline, RefKind, UpstreamRef};
use crate::subject::Subject;
use crate::Problem;
use bstr::{BString, ByteSlice};
use serde::Serialize;

/// One `Name: value` field from the header or a trailer from the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The field name as written (`Patch-mainline`, `Signed-off-by` …).
    pub name: String,
    /// The value, unfolded, with MIME encoded-words decoded (serialised as lossy UTF-8).
    #[serde(serialize_with = "lossy::text")]
    pub value: BString,
    /// The 1-based line in the patch where the field starts.
    pub line: usize,
}

/// Facts from a patch header.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Header {
    /// `From <sha> Mon Sep 17 …` commit id of a format-patch mail, when present.
    pub mail_commit: Option<crate::CommitId>,
    /// The author (`From:` or DEP-3 `Author:`), decoded, `Name <email>`.
    #[serde(serialize_with = "lossy::optional")]
    pub author: Option<BString>,
    /// The date as written (`Date:`, DEP-3 `Last-Update:` is kept as a field).
    #[serde(serialize_with = "lossy::optional")]
    pub date: Option<BString>,
    /// The subject (`Subject:`, DEP-3 `Description:`/`Subject:` first line, or the first line of free text).
    pub subject: Option<Subject>,
    /// Every structured field of the header area, in order.
    pub fields: Vec<Field>,
    /// Trailers of the message body (`Signed-off-by:`, `Link:`, `Fixes:`, `Cc:` …), in order.
    pub trailers: Vec<Field>,
    /// The free text of the message (body before the diff), without fields and trailers.
    #[serde(serialize_with = "lossy::text")]
    pub description: BString,
    /// Every reference to upstream found in the header, typed.
    pub refs: Vec<UpstreamRef>,
    /// The normalised `Patch-mainline:` state, when the header has one.
    pub mainline: Option<Mainline>,
}

impl Header {
    /// The first field called `name` (ASCII case-insensitive).
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// Every field called `name` (ASCII case-insensitive), in order.
    pub fn fields_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields
            .iter()
            .filter(move |f| f.name.eq_ignore_ascii_case(name))
    }

    /// Every trailer called `name` (ASCII case-insensitive), in order.
    pub fn trailers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.trailers
            .iter()
            .filter(move |f| f.name.eq_ignore_ascii_case(name))
    }

    /// The references of one kind, in order.
    pub fn refs_of(&self, kind: RefKind) -> impl Iterator<Item = &UpstreamRef> + '_ {
        self.refs.iter().filter(move |r| r.kind == kind)
    }
}

/// Byte strings serialised as text (invalid UTF-8 replaced by U+FFFD), which is
/// what JSON readers want; the bytes themselves stay exact in memory.
mod lossy {
    use bstr::{BString, ByteSlice};
    use serde::Serializer;

    /// Serialise `bytes` as a string.
    pub(super) fn text<S: Serializer>(bytes: &BString, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&bytes.to_str_lossy())
    }

    /// Serialise optional `bytes` as a string or null.
    pub(super) fn optional<S: Serializer>(
        bytes: &Option<BString>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => s.serialize_some(&*bytes.to_str_lossy()),
            None => s.serialize_none(),
        }
    }
}

/// One line of the header text.
#[derive(Clone, Copy)]
struct Line<'a> {
    /// The bytes, without the line break (and a `\r` before it).
    text: &'a [u8],
    /// The 1-based line number in the patch.
    no: usize,
}

/// Where a field stands, which decides whose `From:`/`Subject:`/`Date:` wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Zone {
    /// In-body header of a mail (first body paragraph): wins over the mail header.
    InBody,
    /// The top block.
    Top,
    /// Between or after paragraphs of free text.
    Body,
}

/// A field or trailer as found, before it is turned into facts.
struct Found<'a> {
    /// The name in lower case.
    lower: String,
    /// The field (value unfolded and decoded).
    field: Field,
    /// The value of its first line, decoded (a DEP-3 `Description:`'s short description).
    head: BString,
    /// Its continuation lines, as written.
    continuations: Vec<&'a [u8]>,
    /// Where it stands.
    zone: Zone,
    /// Whether it is a body trailer rather than a field.
    trailer: bool,
}

/// A body line of free text.
struct Prose<'a> {
    /// The line.
    line: Line<'a>,
    /// Whether the line is a backport reference (never taken as the subject).
    is_ref: bool,
}

/// Everything found while reading a header, before facts are chosen.
#[derive(Default)]
struct Scan<'a> {
    /// Fields and trailers, in order.
    found: Vec<Found<'a>>,
    /// Free-text lines of the body, in order.
    prose: Vec<Prose<'a>>,
    /// References made by backport lines of the free text.
    line_refs: Vec<UpstreamRef>,
    /// What went wrong.
    problems: Vec<Problem>,
}

/// The longest header field value kept, in bytes.
pub const MAX_FIELD: usize = 4096;

/// Parse the header text of one patch. `first_line` is the 1-based line number
/// of `text`'s first line in the patch file, so that problems name real lines.
pub fn parse_header(text: &[u8], first_line: usize) -> (Header, Vec<Problem>) {
    let lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, t)| Line {
            text: t,
            no: first_line.saturating_add(i),
        })
        .collect();
    let mut header = Header::default();
    let mut scan = Scan::default();
    let mut start = 0;
    let leading_blanks = lines.iter().take_while(|l| is_blank(l.text)).count();
    let from_line = lines
        .get(leading_blanks)
        .filter(|l| is_mbox_from_line(l.text));
    let mail = from_line.is_some();
    if let Some(first) = from_line {
        header.mail_commit = mail_from_commit(first.text);
        if let Some(commit) = &header.mail_commit {
            let text = first.text.get(5..).unwrap_or_default().to_str_lossy();
            let r = UpstreamRef {
                commit: Some(commit.clone()),
                ..UpstreamRef::new(RefKind::MailFrom, text, first.no)
            };
            header.refs.push(r);
        }
        start = leading_blanks + 1;
    }
    let body = scan.top_block(&lines, start, mail);
    let in_body = if mail || body > start {
        in_body_headers(&lines, body)
    } else {
        0..0
    };
    scan.body(&lines, body, in_body);
    scan.into_header(header)
}

/// The line range of a mail's in-body header: the first body paragraph, when it
/// holds nothing but `From:`, `Subject:` and `Date:` fields (and their folds).
fn in_body_headers(lines: &[Line], body: usize) -> std::ops::Range<usize> {
    let start = (body..lines.len()).find(|&i| lines.get(i).is_some_and(|l| !is_blank(l.text)));
    let Some(start) = start else { return 0..0 };
    let mut end = start;
    while let Some(line) = lines.get(end).filter(|l| !is_blank(l.text)) {
        let in_body_field = split_field(line.text).is_some_and(|(name, _)| {
            [&b"from"[..], b"subject", b"date"]
                .iter()
                .any(|n| name.eq_ignore_ascii_case(n))
        });
        let folded = end > start && is_continuation(line.text);
        if !(in_body_field || folded) {
            return 0..0;
        }
        end += 1;
    }
    start..end
}

/// Whether `line` ends the description: format-patch's `---` separator.
fn is_separator(line: &[u8]) -> bool {
    line.trim_ascii_end() == b"---"
}

impl<'a> Scan<'a> {
    /// Read the top block from `start`; returns the index of the first body line.
    fn top_block(&mut self, lines: &[Line<'a>], start: usize, mail: bool) -> usize {
        let mut i = start;
        while let Some(line) = lines.get(i) {
            if is_blank(line.text) {
                return i + 1;
            }
            let Some((name, value)) = split_field(line.text) else {
                return i;
            };
            let lower = name.to_ascii_lowercase().to_str_lossy().into_owned();
            let known = names::is_top_field(&lower)
                && (names::is_trailer(&lower) || !names::is_shouted(name));
            if !mail && !known {
                return i;
            }
            let end = continuation_end(lines, i + 1, |_| true);
            self.push(lines, i..end, name, value, Zone::Top, false);
            i = end;
        }
        i
    }

    /// Read the body from `start` up to the `---` separator.
    fn body(&mut self, lines: &[Line<'a>], start: usize, in_body: std::ops::Range<usize>) {
        let mut i = start;
        while let Some(line) = lines.get(i) {
            if is_separator(line.text) {
                return;
            }
            let Some((name, value, trailer)) = structured(line.text) else {
                let is_ref = self.line_ref(line);
                self.prose.push(Prose {
                    line: *line,
                    is_ref,
                });
                i += 1;
                continue;
            };
            let end = if line.text.first().is_some_and(u8::is_ascii_whitespace) {
                i + 1
            } else {
                continuation_end(lines, i + 1, |l| structured(l).is_none())
            };
            let zone = if in_body.contains(&i) {
                Zone::InBody
            } else {
                Zone::Body
            };
            self.push(lines, i..end, name, value, zone, trailer);
            i = end;
        }
    }

    /// Record the field or trailer on `lines[range]` (first line and folds).
    fn push(
        &mut self,
        lines: &[Line<'a>],
        range: std::ops::Range<usize>,
        name: &[u8],
        value: &[u8],
        zone: Zone,
        trailer: bool,
    ) {
        let Some(first) = lines.get(range.start) else {
            return;
        };
        let continuations: Vec<&[u8]> = lines
            .get(range.start + 1..range.end)
            .unwrap_or_default()
            .iter()
            .map(|l| l.text)
            .collect();
        let unfolded = unfold(value, continuations.iter().copied());
        let (value, head) = if trailer {
            (unfolded, BString::from(value.trim_ascii_end()))
        } else {
            let (decoded, errors) = decode_encoded_words(&unfolded);
            self.problems
                .extend(errors.into_iter().map(|e| Problem::new(first.no, e)));
            (decoded, decode_encoded_words(value.trim_ascii_end()).0)
        };
        let name = name.to_str_lossy().into_owned();
        let lower = name.to_ascii_lowercase();
        let field = Field {
            name,
            value,
            line: first.no,
        };
        self.found.push(Found {
            lower,
            field,
            head,
            continuations,
            zone,
            trailer,
        });
    }

    /// Whether free-text `line` is a backport line; its reference is recorded.
    fn line_ref(&mut self, line: &Line) -> bool {
        let Some(r) = extract::line_ref(&line.text.to_str_lossy(), line.no) else {
            return false;
        };
        self.line_refs.push(r);
        true
    }
}

impl Scan<'_> {
    /// Choose the facts: author, date, subject, description, fields, trailers, refs.
    fn into_header(mut self, mut header: Header) -> (Header, Vec<Problem>) {
        // A field longer than any real one (a 200 MB subject) is cut, and said to be:
        // every copy of it downstream (report, JSON, HTML) would cost that much again.
        for found in &mut self.found {
            let value = &mut found.field.value;
            if value.len() > MAX_FIELD {
                let long = value.len();
                value.truncate(MAX_FIELD);
                self.problems.push(Problem::new(
                    found.field.line,
                    format!(
                        "{}: {long} bytes long, cut to its first {MAX_FIELD}",
                        found.field.name
                    ),
                ));
            }
        }
        // SUSE patches name their origin in `From:` (a URL) and the person in `Author:`.
        let person = |f: &&Found<'_>| f.field.value.contains(&b'@');
        header.author = self
            .pick(&["from"])
            .filter(person)
            .or_else(|| self.pick(&["author"]).filter(person))
            .or_else(|| self.pick(&["from", "author"]))
            .map(|f| normalize_mailbox(&f.field.value));
        header.date = self.pick(&["date"]).map(|f| f.field.value.clone());
        let dep3 = self.pick(&["description"]);
        let (dep3_subject, skip) = dep3.map_or((None, 0), short_description);
        let mut cut = None;
        header.subject = self
            .pick(&["subject"])
            .map(|f| f.field.value.to_str_lossy().into_owned())
            .filter(|s| !s.trim().is_empty())
            .or(dep3_subject)
            .or_else(|| {
                let (text, no) = self.first_prose_line()?;
                // Fields were cut above; a line of free text is cut the same way.
                if text.len() > MAX_FIELD {
                    let message = format!(
                        "subject: {} bytes long, cut to its first {MAX_FIELD}",
                        text.len()
                    );
                    cut = Some(Problem::new(no, message));
                }
                Some(
                    text[..text.len().min(MAX_FIELD)]
                        .to_str_lossy()
                        .into_owned(),
                )
            })
            .map(|s| Subject::parse(&s));
        header.description = self.description(dep3, skip);
        self.problems.extend(cut);
        let mut refs = std::mem::take(&mut header.refs);
        for found in std::mem::take(&mut self.found) {
            let value = found.field.value.to_str_lossy();
            if let Some(r) =
                extract::field_refs(&found.lower, &value, found.field.line, &mut self.problems)
            {
                refs.push(r);
            }
            if found.lower == "patch-mainline" && header.mainline.is_none() {
                header.mainline = Some(Mainline::parse(&value));
            }
            if found.trailer {
                header.trailers.push(found.field)
            } else {
                header.fields.push(found.field)
            }
        }
        refs.append(&mut self.line_refs);
        refs.sort_by_key(|r| r.line);
        header.refs = refs;
        (header, self.problems)
    }

    /// The first field (not trailer) with one of `names`, the in-body header first,
    /// then the top block, then the rest.
    fn pick(&self, names: &[&str]) -> Option<&Found<'_>> {
        [Zone::InBody, Zone::Top, Zone::Body]
            .into_iter()
            .find_map(|zone| {
                self.found
                    .iter()
                    .find(|f| !f.trailer && f.zone == zone && names.contains(&f.lower.as_str()))
            })
    }

    /// The first non-blank line of free text that is not a backport line, trimmed, with
    /// its line number.
    fn first_prose_line(&self) -> Option<(&[u8], usize)> {
        let line = self
            .prose
            .iter()
            .find(|p| !p.is_ref && !is_blank(p.line.text))?;
        Some((line.line.text.trim_ascii(), line.line.no))
    }

    /// The DEP-3 long description (`dep3`'s continuation lines after the first
    /// `skip`) and the free text.
    fn description(&self, dep3: Option<&Found<'_>>, skip: usize) -> BString {
        let mut lines: Vec<&[u8]> = Vec::new();
        let long = dep3.map(|f| f.continuations.as_slice()).unwrap_or_default();
        for line in long.iter().skip(skip) {
            let line = line
                .strip_prefix(b" ")
                .or_else(|| line.strip_prefix(b"\t"))
                .unwrap_or(line);
            lines.push(if line.trim_ascii() == b"." { b"" } else { line });
        }
        lines.push(b"");
        lines.extend(self.prose.iter().map(|p| p.line.text));
        join_paragraphs(&lines)
    }
}

/// A DEP-3 `Description:`'s short description and how many continuation lines it
/// used: its first line, or its first continuation line when the first is empty.
fn short_description(dep3: &Found<'_>) -> (Option<String>, usize) {
    if !is_blank(&dep3.head) {
        return (Some(dep3.head.to_str_lossy().into_owned()), 0);
    }
    let used = dep3
        .continuations
        .iter()
        .position(|l| !is_blank(l) && l.trim_ascii() != b".");
    match used {
        Some(i) => {
            let line = dep3.continuations.get(i).copied().unwrap_or_default();
            (Some(line.trim_ascii().to_str_lossy().into_owned()), i + 1)
        }
        None => (None, 0),
    }
}

/// Join lines with `\n`: trailing blanks cut, runs of blank lines made one, blank
/// lines at either end dropped.
fn join_paragraphs(lines: &[&[u8]]) -> BString {
    let mut out = BString::default();
    let mut blank = false;
    for line in lines {
        let line = line.trim_ascii_end();
        if line.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push(b'\n');
            if blank {
                out.push(b'\n');
            }
        }
        blank = false;
        out.extend_from_slice(line);
    }
    out
}

/// The first index from `from` that is not a continuation line accepted by `more`.
fn continuation_end(lines: &[Line], from: usize, more: impl Fn(&[u8]) -> bool) -> usize {
    let mut end = from;
    while lines
        .get(end)
        .is_some_and(|l| is_continuation(l.text) && more(l.text.trim_ascii_start()))
    {
        end += 1;
    }
    end
}

/// A body line's field or trailer: `(name, value, is_trailer)`. Trailers may be
/// indented; SUSE and DEP-3 fields must start the line.
fn structured(line: &[u8]) -> Option<(&[u8], &[u8], bool)> {
    let trimmed = line.trim_ascii_start();
    if let Some((name, value)) = split_field(trimmed) {
        let lower = name.to_ascii_lowercase().to_str_lossy().into_owned();
        if names::is_trailer(&lower) {
            return Some((name, value, true));
        }
        if names::is_patch_field(&lower) && !names::is_shouted(name) && trimmed.len() == line.len()
        {
            return Some((name, value, false));
        }
    }
    None
}
