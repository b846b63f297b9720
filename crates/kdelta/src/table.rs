//! Rendering a queue for people (a table) and for scripts (JSON rows).

use bstr::ByteSlice;
use kdelta_patch::{Patch, RefKind, UpstreamRef};
use kdelta_queue::{Queue, QueueEntry};
use serde::Serialize;
use std::io::Write;

/// One patch as `kdelta queue --json` prints it.
#[derive(Serialize)]
pub struct JsonRow<'a> {
    position: usize,
    name: &'a str,
    location: &'a str,
    subject: Option<String>,
    author: Option<String>,
    date: Option<String>,
    files: Vec<String>,
    added: usize,
    removed: usize,
    refs: &'a [UpstreamRef],
    mainline: Option<&'a kdelta_patch::Mainline>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    guards: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    series_line: Option<usize>,
    size: usize,
    problems: Vec<&'a kdelta_patch::Problem>,
}

/// The JSON rows of a queue.
pub fn json_rows(queue: &Queue) -> Vec<JsonRow<'_>> {
    queue.entries.iter().map(json_row).collect()
}

fn json_row(entry: &QueueEntry) -> JsonRow<'_> {
    let patch = entry.patch.as_ref();
    let header = patch.map(|p| &p.header);
    JsonRow {
        position: entry.position,
        name: &entry.name,
        location: &entry.location,
        subject: header
            .and_then(|h| h.subject.as_ref())
            .map(|s| s.raw.clone()),
        author: header
            .and_then(|h| h.author.as_ref())
            .map(|a| a.to_str_lossy().into_owned()),
        date: header
            .and_then(|h| h.date.as_ref())
            .map(|d| d.to_str_lossy().into_owned()),
        files: patch.map(file_paths).unwrap_or_default(),
        added: patch.map_or(0, Patch::added),
        removed: patch.map_or(0, Patch::removed),
        refs: header.map_or(&[], |h| h.refs.as_slice()),
        mainline: header.and_then(|h| h.mainline.as_ref()),
        guards: &entry.guards,
        section: entry.section.as_deref(),
        series_line: entry.series_line,
        size: entry.size,
        problems: entry.all_problems().collect(),
    }
}

/// The paths a patch changes (new path, or old path for deletions; both for renames).
pub fn file_paths(patch: &Patch) -> Vec<String> {
    let mut out = Vec::new();
    for f in &patch.files {
        if let Some(old) = &f.old_path {
            if f.new_path.as_ref() != Some(old) {
                out.push(old.to_str_lossy().into_owned());
            }
        }
        if let Some(new) = &f.new_path {
            out.push(new.to_str_lossy().into_owned());
        }
    }
    out
}

/// A short summary of the upstream references: releases and abbreviated commits.
pub fn refs_summary(refs: &[UpstreamRef]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for r in refs {
        let part = match (r.kind, &r.commit, &r.release, &r.url) {
            (RefKind::Fixes, ..)
            | (RefKind::Link, ..)
            | (RefKind::ChangeId, ..)
            | (RefKind::References, ..) => continue,
            (_, Some(c), ..) => c.as_str().chars().take(12).collect(),
            (_, None, Some(rel), _) => rel.clone(),
            (RefKind::Forwarded | RefKind::Origin, None, None, Some(_)) => "forwarded".to_string(),
            _ => continue,
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts.join(",")
}

/// The UPSTREAM column: the `Patch-mainline:` state when it is not a release, then the refs.
fn upstream_summary(header: &kdelta_patch::Header) -> String {
    use kdelta_patch::Mainline;
    let state = match &header.mainline {
        Some(Mainline::Queued(_)) => "queued",
        Some(Mainline::Submitted(_)) => "submitted",
        Some(Mainline::No(_)) => "no",
        Some(Mainline::Never(_)) => "never",
        Some(Mainline::NotYet(_)) => "not-yet",
        Some(Mainline::NotApplicable) => "n/a",
        Some(Mainline::Obsolete) => "obsolete",
        _ => "",
    };
    let refs = refs_summary(&header.refs);
    match (state.is_empty(), refs.is_empty()) {
        (true, _) => refs,
        (false, true) => state.to_string(),
        (false, false) => format!("{state},{refs}"),
    }
}

/// The human table: one line per patch, then its problems indented under it.
pub fn write_table(out: &mut impl Write, queue: &Queue) -> std::io::Result<()> {
    let name_w = queue
        .entries
        .iter()
        .map(|e| crate::term::clean(&e.name).chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 48);
    writeln!(
        out,
        "{:>4}  {:<name_w$}  {:>6} {:>6} {:>5}  {:<26}  {:<24}  SUBJECT",
        "#", "NAME", "+", "-", "FILES", "UPSTREAM", "AUTHOR"
    )?;
    for entry in &queue.entries {
        write_row(out, entry, name_w)?;
    }
    let problems = queue
        .entries
        .iter()
        .filter(|e| e.all_problems().next().is_some())
        .count();
    writeln!(
        out,
        "{} patches from {} ({:?}); {} with problems",
        queue.entries.len(),
        queue.source,
        queue.layout,
        problems
    )
}

fn write_row(out: &mut impl Write, entry: &QueueEntry, name_w: usize) -> std::io::Result<()> {
    let patch = entry.patch.as_ref();
    let header = patch.map(|p| &p.header);
    let subject = header
        .and_then(|h| h.subject.as_ref())
        .map(|s| s.raw.clone())
        .unwrap_or_default();
    let author = header
        .and_then(|h| h.author.as_ref())
        .map(|a| a.to_str_lossy().into_owned())
        .unwrap_or_default();
    let refs = header.map(upstream_summary).unwrap_or_default();
    writeln!(
        out,
        "{:>4}  {:<name_w$}  {:>6} {:>6} {:>5}  {:<26}  {:<24}  {}",
        entry.position,
        clip(&entry.name, name_w),
        patch.map_or(0, Patch::added),
        patch.map_or(0, Patch::removed),
        patch.map_or(0, |p| p.files.len()),
        clip(&refs, 26),
        clip(&author, 24),
        clip(&subject, 80),
    )?;
    for p in entry.all_problems() {
        writeln!(out, "{:>4}  ! {p}", "")?;
    }
    Ok(())
}

/// Cut `text` to `width` characters, marking the cut with `…`. Control characters are
/// escaped first, so that the width is the one the terminal shows.
fn clip(text: &str, width: usize) -> String {
    let text = crate::term::clean(&text.replace(['\t', '\n', '\r'], " ")).into_owned();
    if text.chars().count() <= width {
        return text;
    }
    let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn a_cell_is_clipped_to_its_width_as_the_terminal_shows_it() {
        let cell = clip("\u{1b}]0;owned\u{7}title", 12);
        assert_eq!(cell, "\\x1b]0;owne…");
        assert_eq!(cell.chars().count(), 12);
        assert_eq!(clip("\u{1b}[2J", 12), "\\x1b[2J");
        assert_eq!(clip("plain", 12), "plain");
    }
}
