//! The report formats, and writing them: each renderer turns the one [`Report`] model into
//! text; [`write_reports`] writes the chosen formats into a directory, each file through a
//! temporary file renamed into place, so a reader never sees a partial report.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod mediawiki;
pub(crate) mod page;
#[cfg(test)]
mod snapshots_tests;

use crate::model::Report;
use crate::ReportError;
use std::path::{Path, PathBuf};

/// A report format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// A self-contained web page.
    Html,
    /// Markdown for git forges.
    Markdown,
    /// MediaWiki markup to paste over a wiki page.
    MediaWiki,
    /// The serialised model.
    Json,
    /// One row per patch.
    Csv,
}

impl Format {
    /// Every format, in the order they are written.
    pub const ALL: [Format; 5] = [
        Format::Html,
        Format::Markdown,
        Format::MediaWiki,
        Format::Json,
        Format::Csv,
    ];

    /// The name `--format` takes (`html`, `md`, `mediawiki`, `json`, `csv`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::MediaWiki => "mediawiki",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    /// The file it is written to (`report.html`…).
    pub fn file_name(self) -> String {
        format!("report.{}", self.name())
    }

    /// The format called `name`.
    pub fn parse(name: &str) -> Result<Format, ReportError> {
        let name = name.trim().to_ascii_lowercase();
        let alias = match name.as_str() {
            "markdown" => "md",
            "wiki" => "mediawiki",
            other => other,
        };
        Format::ALL
            .into_iter()
            .find(|f| f.name() == alias)
            .ok_or(ReportError::UnknownFormat(name))
    }
}

/// The report in `format`.
pub fn render(report: &Report, format: Format) -> Result<String, ReportError> {
    Ok(match format {
        Format::Html => html::render(report),
        Format::Markdown => markdown::render(report),
        Format::MediaWiki => mediawiki::render(report),
        Format::Json => json::render(report)?,
        Format::Csv => csv::render(report),
    })
}

/// One sentence saying what was judged against what, by which tool, when.
pub fn provenance(report: &Report) -> String {
    let against = report.upstream.describe();
    let when = report
        .generated_at
        .as_deref()
        .map(|d| format!(", {d}"))
        .unwrap_or_default();
    format!(
        "{} patches of {} judged against {against}; {}{when}.",
        report.summary.total, report.queue, report.generator
    )
}

/// How many of get_maintainer.pl's lines the Markdown and MediaWiki pages show per patch.
pub(crate) const SEND_TO: usize = 4;

/// Whom to send `p` to, as the text pages show it: get_maintainer.pl's first lines, when the
/// patch still has to go upstream (needs work or in progress); `None` otherwise.
pub(crate) fn send_to(p: &crate::model::PatchReport) -> Option<Vec<&str>> {
    use kdelta_analysis::Status;
    let pending = matches!(p.status, Status::NeedsWork | Status::InProgress);
    (pending && !p.send_to.is_empty())
        .then(|| p.send_to.iter().take(SEND_TO).map(String::as_str).collect())
}

/// Whom to send the patches of `group`'s feature to, as the pages show it under the
/// feature's heading in a section of `status`: only where the patches still have to go
/// upstream; `None` otherwise.
pub(crate) fn feature_send_to<'a>(
    report: &'a crate::model::Report,
    status: kdelta_analysis::Status,
    group: &crate::model::Group,
) -> Option<Vec<&'a str>> {
    use kdelta_analysis::Status;
    let feature = report.feature(group.feature.as_deref()?)?;
    let pending = matches!(status, Status::NeedsWork | Status::InProgress);
    (pending && !feature.send_to.is_empty()).then(|| {
        feature
            .send_to
            .iter()
            .take(SEND_TO)
            .map(String::as_str)
            .collect()
    })
}

/// The links of `group`'s feature.
pub(crate) fn feature_links<'a>(
    report: &'a crate::model::Report,
    group: &crate::model::Group,
) -> &'a [String] {
    group
        .feature
        .as_deref()
        .and_then(|name| report.feature(name))
        .map_or(&[], |f| f.links.as_slice())
}

/// The paragraphs a text page writes under a feature's heading in a section of `status`:
/// `Links: …` (each link a `url_link(url)`, or `text(link)` when it is no URL, joined by
/// `link_sep`) and `Send to: …` (see [`feature_send_to`]), when there is something to say.
pub(crate) fn feature_paragraphs(
    report: &crate::model::Report,
    status: kdelta_analysis::Status,
    group: &crate::model::Group,
    text: impl Fn(&str) -> String,
    url_link: impl Fn(&str) -> String,
    link_sep: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    let links: Vec<String> = feature_links(report, group)
        .iter()
        .map(|link| match crate::escape::url(link) {
            Some(url) => url_link(&url),
            None => text(link),
        })
        .collect();
    if !links.is_empty() {
        out.push(format!("Links: {}", links.join(link_sep)));
    }
    if let Some(to) = feature_send_to(report, status, group) {
        let to: Vec<String> = to.into_iter().map(&text).collect();
        out.push(format!("Send to: {}", to.join(", ")));
    }
    out
}

/// The first 12 characters of a commit id (characters, not bytes: the model holds any text).
/// At most `max` characters of `text`, cut at a word boundary with `…` when longer: the
/// evidence of a patch in one line of a wiki page or a table cell (the full text is in the
/// JSON and the HTML detail view).
/// A patch's posting in words: `posted v3 to LIST on DATE; latest v4; applied to TREE`.
pub(crate) fn posted(p: &crate::model::PatchReport) -> Option<String> {
    let posted = p.posted.as_ref()?;
    let mut text = format!(
        "posted v{} to {} on {}",
        posted.latest_version,
        posted.list.as_deref().unwrap_or("a list"),
        day(posted.latest_date)
    );
    match &posted.applied_to {
        Some(tree) if !tree.is_empty() => text.push_str(&format!("; applied to {tree}")),
        Some(_) => text.push_str("; applied"),
        None if !posted.reviews.is_empty() => {
            text.push_str(&format!("; reviewed ({})", posted.reviews.len()))
        }
        None => text.push_str(&format!("; replies: {}", posted.replies)),
    }
    Some(text)
}

/// `YYYY-MM-DD` of seconds since the epoch (`?` when unknown).
fn day(secs: Option<i64>) -> String {
    secs.map_or_else(|| "?".into(), kdelta_patch::day::iso_day)
}

pub(crate) fn brief(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end())
}

pub(crate) fn short(commit: &str) -> &str {
    let end = commit
        .char_indices()
        .nth(12)
        .map(|(i, _)| i)
        .unwrap_or(commit.len());
    &commit[..end]
}

/// Write `report` in each of `formats` into `dir` (created if missing); returns the files.
pub fn write_reports(
    report: &Report,
    dir: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>, ReportError> {
    write_formats(dir, "report", formats, |format| render(report, format))
}

/// Write `STEM.EXT` into `dir` (created if missing) for each of `formats`, rendered by
/// `render`; returns the files written. All are rendered, then written together: when one
/// cannot be written, none of the files there is replaced.
pub fn write_formats(
    dir: &Path,
    stem: &str,
    formats: &[Format],
    mut render: impl FnMut(Format) -> Result<String, ReportError>,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut files = Vec::with_capacity(formats.len());
    for &format in formats {
        let path = dir.join(format!("{stem}.{}", format.name()));
        files.push((path, render(format)?.into_bytes()));
    }
    std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
    kdelta_annotations::write_all_atomically(&files)
        .map_err(|(path, e)| ReportError::io(&path, e))?;
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// The hand-written formats of a document (its JSON is its serialisation).
pub(crate) struct Writers<T> {
    pub html: fn(&mut String, &T) -> std::fmt::Result,
    pub markdown: fn(&mut String, &T) -> std::fmt::Result,
    pub mediawiki: fn(&mut String, &T) -> std::fmt::Result,
    pub csv: fn(&mut String, &T) -> std::fmt::Result,
}

/// `doc` in `format`, by its `writers` (writing into a `String` cannot fail).
pub(crate) fn render_document<T: serde::Serialize>(
    doc: &T,
    format: Format,
    writers: &Writers<T>,
) -> Result<String, ReportError> {
    let mut out = String::new();
    let write = match format {
        Format::Html => writers.html,
        Format::Markdown => writers.markdown,
        Format::MediaWiki => writers.mediawiki,
        Format::Csv => writers.csv,
        Format::Json => {
            return Ok(serde_json::to_string_pretty(doc).map_err(ReportError::Json)? + "\n")
        }
    };
    let _ = write(&mut out, doc);
    Ok(out)
}

/// Write `data` to `path` through a temporary file in the same directory, renamed into place
/// (with the old file's permissions, or `rw-r--r--`).
pub fn write_atomically(path: &Path, data: &[u8]) -> Result<(), ReportError> {
    kdelta_annotations::write_atomically(path, data).map_err(|e| ReportError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brief_cuts_long_text_at_a_word() {
        assert_eq!(brief("short", 10), "short");
        assert_eq!(
            brief("five of ten names exist upstream", 20),
            "five of ten names…"
        );
        assert_eq!(brief("ééééééééééé", 4), "éééé…");
    }

    #[test]
    fn formats_by_name_and_alias() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.name()).ok(), Some(f));
        }
        assert_eq!(Format::parse("Markdown").ok(), Some(Format::Markdown));
        assert!(matches!(
            Format::parse("pdf"),
            Err(ReportError::UnknownFormat(_))
        ));
    }
}
