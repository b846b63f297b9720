//! The comparison in every report format. Each renders the same three parts: the
//! distributions with their counts, the common delta (a cluster per row, a column per
//! distribution), and what each distribution carries alone. All patch text is escaped.

use super::{ClusterRow, Comparison};
use crate::escape;
use crate::render::{short, Format};
use crate::ReportError;
use kdelta_analysis::compare::Link;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The comparison in `format`.
pub fn render_comparison(c: &Comparison, format: Format) -> Result<String, ReportError> {
    crate::render::render_document(
        c,
        format,
        &crate::render::Writers {
            html: super::html::html,
            markdown,
            mediawiki,
            csv,
        },
    )
}

/// Write the comparison in each of `formats` into `dir` as `compare.EXT`.
pub fn write_comparison(
    c: &Comparison,
    dir: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>, ReportError> {
    crate::render::write_formats(dir, "compare", formats, |format| {
        render_comparison(c, format)
    })
}

/// What joined a cluster, in words.
pub fn link_text(link: &Link) -> String {
    match link {
        Link::SameCommit(c) => format!("same upstream commit {}", short(c)),
        Link::SamePatchId(_) => "same patch-id".to_string(),
        Link::SimilarLines(p) => format!("{p}% similar lines"),
        Link::SameSubject(_) => "same subject, a file in common".to_string(),
        Link::SameFeature(f) => format!("same annotated feature {f}"),
    }
}

fn links(row: &ClusterRow) -> String {
    row.links
        .iter()
        .map(link_text)
        .collect::<Vec<_>>()
        .join("; ")
}

pub(super) fn title(c: &Comparison) -> String {
    let names: Vec<&str> = c.distributions.iter().map(|d| d.name.as_str()).collect();
    format!("Kernel delta compared: {}", names.join(", "))
}

pub(super) fn intro(c: &Comparison) -> String {
    let s = &c.summary;
    format!(
        "{} distinct changes over {} queues; {} carried by two or more distributions, {} of them not upstream (the common delta); {} carried by one distribution alone.",
        s.clusters,
        c.distributions.len(),
        s.shared,
        s.common,
        s.unique
    )
}

/// Each distribution's patches in a row, `name (status)` joined.
fn cell(row: &ClusterRow, d: usize) -> String {
    row.carriers[d]
        .iter()
        .map(|m| format!("{} ({})", m.name, m.status))
        .collect::<Vec<_>>()
        .join("; ")
}

fn common(c: &Comparison) -> impl Iterator<Item = &ClusterRow> {
    c.clusters.iter().filter(|r| r.common)
}

fn alone(c: &Comparison, d: usize) -> impl Iterator<Item = &ClusterRow> {
    c.clusters.iter().filter(move |r| {
        r.carried_by() == 1
            && !r.carriers[d].is_empty()
            && r.status != kdelta_analysis::Status::Upstream
    })
}

fn markdown(out: &mut String, c: &Comparison) -> std::fmt::Result {
    let md = escape::markdown;
    writeln!(out, "# {}\n\n{}\n", md(&title(c)), md(&intro(c)))?;
    writeln!(
        out,
        "| distribution | queue | patches | not upstream | alone |\n|---|---|---:|---:|---:|"
    )?;
    for d in &c.distributions {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            md(&d.name),
            md(&d.queue),
            d.patches,
            d.not_upstream(),
            d.unique
        )?;
    }
    writeln!(out, "\n## Common delta ({})\n", c.summary.common)?;
    let header: Vec<String> = c.distributions.iter().map(|d| md(&d.name)).collect();
    writeln!(
        out,
        "| # | change | status | {} | linked by |",
        header.join(" | ")
    )?;
    writeln!(out, "|---:|---|---|{}---|", "---|".repeat(header.len()))?;
    for row in common(c) {
        let cells: Vec<String> = (0..c.distributions.len())
            .map(|d| md(&cell(row, d)))
            .collect();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            row.id,
            md(&row.title),
            row.status,
            cells.join(" | "),
            md(&links(row))
        )?;
    }
    for (d, dist) in c.distributions.iter().enumerate() {
        writeln!(out, "\n## Only in {} ({})\n", md(&dist.name), dist.unique)?;
        for row in alone(c, d) {
            writeln!(
                out,
                "- {}: {} ({})",
                md(&cell(row, d)),
                md(&row.title),
                row.status
            )?;
        }
    }
    Ok(())
}

fn mediawiki(out: &mut String, c: &Comparison) -> std::fmt::Result {
    let wiki = escape::wiki;
    writeln!(out, "== {} ==\n{}\n", wiki(&title(c)), wiki(&intro(c)))?;
    writeln!(
        out,
        "=== Common delta ===\n{{| class=\"wikitable sortable\"\n! # !! Change !! Status"
    )?;
    for d in &c.distributions {
        write!(out, " !! {}", wiki(&d.name))?;
    }
    writeln!(out, " !! Linked by")?;
    for row in common(c) {
        write!(
            out,
            "|-\n| {} || {} || {}",
            row.id,
            wiki(&row.title),
            row.status
        )?;
        for d in 0..c.distributions.len() {
            write!(out, " || {}", wiki(&cell(row, d)))?;
        }
        writeln!(out, " || {}", wiki(&links(row)))?;
    }
    writeln!(out, "|}}\n")?;
    for (d, dist) in c.distributions.iter().enumerate() {
        writeln!(out, "=== Only in {} ===", wiki(&dist.name))?;
        for row in alone(c, d) {
            writeln!(
                out,
                "* {}: {} ({})",
                wiki(&cell(row, d)),
                wiki(&row.title),
                row.status
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn csv(out: &mut String, c: &Comparison) -> std::fmt::Result {
    let mut header = vec![
        "cluster",
        "change",
        "status",
        "commit",
        "release",
        "common",
        "linked_by",
    ]
    .into_iter()
    .map(str::to_string)
    .collect::<Vec<_>>();
    header.extend(c.distributions.iter().map(|d| d.name.clone()));
    let line: Vec<String> = header.iter().map(|h| escape::csv(h)).collect();
    write!(out, "{}\r\n", line.join(","))?;
    for row in &c.clusters {
        let mut fields = vec![
            row.id.to_string(),
            row.title.clone(),
            row.status.to_string(),
            row.commit.clone().unwrap_or_default(),
            row.release.clone().unwrap_or_default(),
            row.common.to_string(),
            links(row),
        ];
        fields.extend((0..c.distributions.len()).map(|d| cell(row, d)));
        let line: Vec<String> = fields.iter().map(|f| escape::csv(f)).collect();
        write!(out, "{}\r\n", line.join(","))?;
    }
    Ok(())
}
