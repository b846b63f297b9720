//! The report formats, and writing them: each renderer turns the one [`Report`] model into
//! text; [`write_reports`] writes the chosen formats into a directory, each file through a
//! temporary file renamed into place, so a reader never sees a partial report.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod mediawiki;

use crate::model::Report;
use crate::ReportError;
use std::io::Write;
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
    let mut against = Vec::new();
    if let Some(repo) = &report.upstream.repository {
        let at = report.upstream.at.as_deref().unwrap_or("HEAD");
        against.push(format!("upstream {repo} at {at}"));
    }
    if let Some(tree) = &report.upstream.tree {
        against.push(format!("the tree {tree}"));
    }
    let against = if against.is_empty() {
        "its own headers only".to_string()
    } else {
        against.join(" and ")
    };
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

/// Write `report` in each of `formats` into `dir` (created if missing); returns the files.
pub fn write_reports(
    report: &Report,
    dir: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
    let mut written = Vec::new();
    for &format in formats {
        let path = dir.join(format.file_name());
        write_atomically(&path, render(report, format)?.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// Write `data` to `path` through a temporary file in the same directory, renamed into place.
pub fn write_atomically(path: &Path, data: &[u8]) -> Result<(), ReportError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| ReportError::io(dir, e))?;
    file.write_all(data).map_err(|e| ReportError::io(path, e))?;
    file.as_file()
        .sync_all()
        .map_err(|e| ReportError::io(path, e))?;
    file.persist(path)
        .map_err(|e| ReportError::io(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
