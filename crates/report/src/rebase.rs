//! The rebase plan as a report, in every format: how many patches each action takes, then
//! one row per patch (its action and why). The HTML page filters the rows by text and
//! action; Markdown and MediaWiki give one table; JSON and CSV the same rows as data.

mod html;
#[cfg(test)]
mod tests;

use crate::escape;
use crate::model::Upstream;
use crate::render::Format;
use crate::ReportError;
use kdelta_analysis::rebase::{Action, Step};
use serde::Serialize;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// A whole plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RebaseReport {
    /// The JSON schema version ([`crate::SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The tool that wrote it.
    pub generator: String,
    /// When, or `None` for reproducible output.
    pub generated_at: Option<String>,
    /// The queue (its source).
    pub queue: String,
    /// What the queue moves onto.
    pub upstream: Upstream,
    /// How hunks were placed (`GNU patch rules, fuzz up to 2`).
    pub rules: String,
    /// One step per patch, in queue order.
    pub steps: Vec<Step>,
}

impl RebaseReport {
    /// How many steps take `action`.
    pub fn count(&self, action: Action) -> usize {
        self.steps.iter().filter(|s| s.action == action).count()
    }

    fn title(&self) -> String {
        format!("Rebase plan: {}", self.queue)
    }

    fn intro(&self) -> String {
        let counts: Vec<String> = Action::ALL
            .iter()
            .map(|&a| (a, self.count(a)))
            .filter(|(_, n)| *n > 0)
            .map(|(a, n)| format!("{n} {}", a.as_str()))
            .collect();
        format!(
            "{} patches onto {}, pushed with {}: {}.",
            self.steps.len(),
            self.upstream.describe(),
            self.rules,
            counts.join(", ")
        )
    }
}

/// The plan in `format`.
pub fn render_rebase(r: &RebaseReport, format: Format) -> Result<String, ReportError> {
    crate::render::render_document(
        r,
        format,
        &crate::render::Writers {
            html: html::html,
            markdown,
            mediawiki,
            csv,
        },
    )
}

/// Write the plan in each of `formats` into `dir` as `plan.EXT`.
pub fn write_rebase(
    r: &RebaseReport,
    dir: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>, ReportError> {
    crate::render::write_formats(dir, "plan", formats, |format| render_rebase(r, format))
}

fn markdown(out: &mut String, r: &RebaseReport) -> std::fmt::Result {
    let md = escape::markdown;
    writeln!(out, "# {}\n\n{}\n", md(&r.title()), md(&r.intro()))?;
    writeln!(out, "| # | patch | action | why |\n|---:|---|---|---|")?;
    for (i, s) in r.steps.iter().enumerate() {
        let why: Vec<String> = s.why.iter().map(|w| md(w)).collect();
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            i + 1,
            md(&s.name),
            s.action.as_str(),
            why.join("<br>")
        )?;
    }
    Ok(())
}

fn mediawiki(out: &mut String, r: &RebaseReport) -> std::fmt::Result {
    let wiki = escape::wiki;
    writeln!(out, "== {} ==\n{}\n", wiki(&r.title()), wiki(&r.intro()))?;
    writeln!(
        out,
        "{{| class=\"wikitable sortable\"\n! # !! Patch !! Action !! Why"
    )?;
    for (i, s) in r.steps.iter().enumerate() {
        let why: Vec<String> = s.why.iter().map(|w| wiki(w)).collect();
        writeln!(
            out,
            "|-\n| {} || {} || {} || {}",
            i + 1,
            wiki(&s.name),
            s.action.as_str(),
            why.join("<br />")
        )?;
    }
    writeln!(out, "|}}")
}

fn csv(out: &mut String, r: &RebaseReport) -> std::fmt::Result {
    write!(out, "position,patch,action,why\r\n")?;
    for (i, s) in r.steps.iter().enumerate() {
        write!(
            out,
            "{},{},{},{}\r\n",
            i + 1,
            escape::csv(&s.name),
            s.action.as_str(),
            escape::csv(&s.why.join("; "))
        )?;
    }
    Ok(())
}
