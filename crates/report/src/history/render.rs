//! The history in every report format.

use super::HistoryReport;
use crate::escape;
use crate::render::Format;
use crate::ReportError;
use kdelta_analysis::history::{Fate, Step};
use kdelta_analysis::Status;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The history in `format`.
pub fn render_history(h: &HistoryReport, format: Format) -> Result<String, ReportError> {
    crate::render::render_document(
        h,
        format,
        &crate::render::Writers {
            html: super::html::html,
            markdown,
            mediawiki,
            csv,
        },
    )
}

/// Write the history in each of `formats` into `dir` as `history.EXT`.
pub fn write_history(
    h: &HistoryReport,
    dir: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>, ReportError> {
    crate::render::write_formats(dir, "history", formats, |format| render_history(h, format))
}

pub(super) fn title(h: &HistoryReport) -> String {
    format!("Kernel delta over time: {}", h.distribution)
}

pub(super) fn intro(h: &HistoryReport) -> String {
    let first = h.steps.first().map_or("", |s| s.label.as_str());
    let last = h.steps.last().map_or("", |s| s.label.as_str());
    format!(
        "{} revisions from {first} to {last}; {} patch contents analysed, {} entries reused from earlier revisions.",
        h.steps.len(),
        h.work.analysed,
        h.work.reused
    )
}

pub(super) fn count(step: &Step, status: Status) -> usize {
    step.by_status
        .iter()
        .find(|t| t.status == status)
        .map_or(0, |t| t.count)
}

pub(super) fn fate(f: Fate) -> &'static str {
    match f {
        Fate::Upstream => "upstream",
        Fate::Replaced => "replaced upstream",
        Fate::Obsolete => "obsolete",
        Fate::Dropped => "dropped",
    }
}

fn removed_text(step: &Step) -> Vec<String> {
    step.removed
        .iter()
        .map(|r| match (&r.release, r.fate) {
            (Some(release), Fate::Upstream) => format!("{} (upstream in {release})", r.name),
            _ => format!("{} ({})", r.name, fate(r.fate)),
        })
        .collect()
}

/// The changes a revision made, counted: CSV column name, title, count.
pub(super) fn changes(step: &Step) -> [(&'static str, &'static str, usize); 8] {
    let fates = |f: Fate| step.removed.iter().filter(|r| r.fate == f).count();
    [
        ("added", "added", step.added.len()),
        ("removed", "removed", step.removed.len()),
        ("removed_upstream", "went upstream", fates(Fate::Upstream)),
        ("removed_dropped", "dropped", fates(Fate::Dropped)),
        ("renamed", "renamed", step.renamed.len()),
        ("refreshed", "refreshed", step.refreshed.len()),
        ("disabled", "disabled", step.disabled.len()),
        ("reenabled", "re-enabled", step.reenabled.len()),
    ]
}

/// The titles of [`changes`].
pub(super) fn change_titles() -> Vec<&'static str> {
    changes(&Step::default()).iter().map(|c| c.1).collect()
}

/// Whether a revision changed nothing worth listing.
fn quiet(step: &Step) -> bool {
    step.added.is_empty()
        && step.removed.is_empty()
        && step.renamed.is_empty()
        && step.disabled.is_empty()
        && step.reenabled.is_empty()
}

fn markdown(out: &mut String, h: &HistoryReport) -> std::fmt::Result {
    let md = escape::markdown;
    writeln!(out, "# {}\n\n{}\n", md(&title(h)), md(&intro(h)))?;
    write!(out, "| revision | patches |")?;
    for s in Status::ALL {
        write!(out, " {s} |")?;
    }
    let titles = change_titles();
    writeln!(out, " {} |", titles.join(" | "))?;
    writeln!(
        out,
        "|---|---:|{}",
        "---:|".repeat(Status::ALL.len() + titles.len())
    )?;
    for step in &h.steps {
        write!(out, "| {} | {} |", md(&step.label), step.patches)?;
        for s in Status::ALL {
            write!(out, " {} |", count(step, s))?;
        }
        for (_, _, n) in changes(step) {
            write!(out, " {n} |")?;
        }
        writeln!(out)?;
    }
    for step in &h.steps {
        if quiet(step) {
            continue;
        }
        writeln!(out, "\n## {}\n", md(&step.label))?;
        for name in &step.added {
            writeln!(out, "- added {}", md(name))?;
        }
        for text in removed_text(step) {
            writeln!(out, "- removed {}", md(&text))?;
        }
        for (from, to) in &step.renamed {
            writeln!(out, "- renamed {} → {}", md(from), md(to))?;
        }
        if !step.disabled.is_empty() {
            writeln!(
                out,
                "- {} patches commented out in the series",
                step.disabled.len()
            )?;
        }
        if !step.reenabled.is_empty() {
            writeln!(out, "- {} patches enabled again", step.reenabled.len())?;
        }
    }
    Ok(())
}

fn mediawiki(out: &mut String, h: &HistoryReport) -> std::fmt::Result {
    let wiki = escape::wiki;
    writeln!(out, "== {} ==\n{}\n", wiki(&title(h)), wiki(&intro(h)))?;
    write!(out, "{{| class=\"wikitable\"\n! Revision !! Patches")?;
    for s in Status::ALL {
        write!(out, " !! {s}")?;
    }
    for title in change_titles() {
        write!(out, " !! {title}")?;
    }
    writeln!(out)?;
    for step in &h.steps {
        write!(out, "|-\n| {} || {}", wiki(&step.label), step.patches)?;
        for s in Status::ALL {
            write!(out, " || {}", count(step, s))?;
        }
        for (_, _, n) in changes(step) {
            write!(out, " || {n}")?;
        }
        writeln!(out)?;
    }
    writeln!(out, "|}}")?;
    for step in &h.steps {
        let removed = removed_text(step);
        if step.added.is_empty() && removed.is_empty() {
            continue;
        }
        writeln!(out, "\n=== {} ===", wiki(&step.label))?;
        for name in &step.added {
            writeln!(out, "* added {}", wiki(name))?;
        }
        for text in removed {
            writeln!(out, "* removed {}", wiki(&text))?;
        }
    }
    Ok(())
}

fn csv(out: &mut String, h: &HistoryReport) -> std::fmt::Result {
    let mut header = vec!["revision".to_string(), "patches".to_string()];
    header.extend(Status::ALL.iter().map(|s| s.to_string()));
    header.extend(changes(&Step::default()).iter().map(|c| c.0.to_string()));
    write!(out, "{}\r\n", header.join(","))?;
    for step in &h.steps {
        let mut fields = vec![escape::csv(&step.label), step.patches.to_string()];
        fields.extend(Status::ALL.iter().map(|&s| count(step, s).to_string()));
        fields.extend(changes(step).iter().map(|c| c.2.to_string()));
        write!(out, "{}\r\n", fields.join(","))?;
    }
    Ok(())
}

/// Stacked bars, one per revision, patches per status.
pub(super) fn chart(out: &mut String, h: &HistoryReport) -> std::fmt::Result {
    let (left, top, plot_h) = (44.0, 10.0, 220.0);
    let bar = (900.0 / h.steps.len().max(1) as f64).clamp(4.0, 40.0);
    let width = left + bar * h.steps.len() as f64 + 20.0;
    let max = h.steps.iter().map(|s| s.patches).max().unwrap_or(0).max(1) as f64;
    let scale = plot_h / max;
    writeln!(
        out,
        "<svg role=\"img\" aria-label=\"patches per status per revision\" width=\"{width:.0}\" height=\"{:.0}\" viewBox=\"0 0 {width:.0} {:.0}\">",
        top + plot_h + 70.0,
        top + plot_h + 70.0
    )?;
    writeln!(
        out,
        "<text x=\"0\" y=\"{:.0}\" font-size=\"11\">{}</text>",
        top + 10.0,
        max as usize
    )?;
    writeln!(
        out,
        "<text x=\"0\" y=\"{:.0}\" font-size=\"11\">0</text>",
        top + plot_h
    )?;
    let every = (h.steps.len() / 12).max(1);
    for (i, step) in h.steps.iter().enumerate() {
        let x = left + bar * i as f64;
        let mut y = top + plot_h;
        for status in Status::ALL {
            let n = count(step, status);
            if n == 0 {
                continue;
            }
            let height = n as f64 * scale;
            y -= height;
            writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{height:.1}\" fill=\"{}\"><title>{}: {n} {status}</title></rect>",
                (bar - 1.0).max(1.0),
                crate::render::html::status_colour(status),
                escape::html(&step.label)
            )?;
        }
        if i % every == 0 {
            writeln!(
                out,
                "<text x=\"{x:.1}\" y=\"{:.0}\" font-size=\"10\" transform=\"rotate(60 {x:.1} {:.0})\">{}</text>",
                top + plot_h + 12.0,
                top + plot_h + 12.0,
                escape::html(&step.label)
            )?;
        }
    }
    writeln!(out, "</svg>\n<p class=\"legend\">")?;
    for status in Status::ALL {
        writeln!(
            out,
            "<span><i style=\"background:{}\"></i>{status}</span>",
            crate::render::html::status_colour(status)
        )?;
    }
    writeln!(out, "</p>")
}
