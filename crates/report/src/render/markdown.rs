//! `report.md`: the delta page in Markdown for git forges: a summary, then one section per
//! status with a table per feature, then the stale annotations and failed claims.

use crate::escape::{self, markdown as md};
use crate::model::{Group, PatchReport, Report, Section};
use kdelta_analysis::Status;
use std::fmt::Write;

/// Characters of evidence in a table cell.
const EVIDENCE_CHARS: usize = 200;

/// The report as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = write_all(&mut out, report);
    out
}

fn write_all(out: &mut String, report: &Report) -> std::fmt::Result {
    writeln!(out, "# Kernel delta: {}\n", md(&report.title()))?;
    writeln!(out, "{}\n", md(&crate::render::provenance(report)))?;
    summary(out, report)?;
    for section in &report.sections {
        write_section(out, report, section)?;
    }
    stale(out, report)?;
    Ok(())
}

fn summary(out: &mut String, report: &Report) -> std::fmt::Result {
    let s = &report.summary;
    writeln!(out, "## Summary\n")?;
    writeln!(out, "| status | patches |\n|---|---:|")?;
    for c in s.by_status.iter().filter(|c| c.count > 0) {
        writeln!(out, "| {} | {} |", c.status, c.count)?;
    }
    writeln!(out, "| **total** | **{}** |\n", s.total)?;
    name_list(out, "To drop at the next rebase", &s.to_drop)?;
    name_list(out, "To verify, upstream replacement likely", &s.to_verify)?;
    if !s.by_feature.is_empty() {
        writeln!(out, "### Features\n")?;
        writeln!(
            out,
            "| feature | owner | patches | statuses | note |\n|---|---|---:|---|---|"
        )?;
        for (f, count) in report.features.iter().zip(&s.by_feature) {
            let statuses: Vec<String> = count
                .by_status
                .iter()
                .map(|c| format!("{} {}", c.count, c.status))
                .collect();
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md(&f.name),
                md(f.owner.as_deref().unwrap_or("")),
                count.count,
                statuses.join(", "),
                md(f.note.as_deref().unwrap_or(""))
            )?;
        }
        writeln!(out)?;
    }
    if !s.failed_claims.is_empty() {
        writeln!(out, "### Header claims that did not check out\n")?;
        for c in &s.failed_claims {
            writeln!(
                out,
                "- {} line {}: {}: {}",
                code(&c.patch),
                c.line,
                code(&format!("{}: {}", c.header, c.text)),
                md(&c.detail)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn name_list(out: &mut String, title: &str, names: &[String]) -> std::fmt::Result {
    if names.is_empty() {
        return Ok(());
    }
    writeln!(out, "**{title} ({}):**\n", names.len())?;
    for name in names {
        writeln!(out, "- {}", code(name))?;
    }
    writeln!(out)
}

fn write_section(out: &mut String, report: &Report, section: &Section) -> std::fmt::Result {
    let count: usize = section.groups.iter().map(|g| g.patches.len()).sum();
    writeln!(out, "## {} ({count})\n", md(&section.title))?;
    writeln!(out, "_{}_\n", md(&section.advice))?;
    let grouped = section.groups.iter().any(|g| g.feature.is_some());
    for group in &section.groups {
        if grouped {
            group_heading(out, report, section.status, group)?;
        }
        writeln!(
            out,
            "| patch | subject | confidence | owner | upstream | why |\n|---|---|---:|---|---|---|"
        )?;
        for name in &group.patches {
            if let Some(patch) = report.patch(name) {
                patch_row(out, patch)?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

fn group_heading(
    out: &mut String,
    report: &Report,
    status: Status,
    group: &Group,
) -> std::fmt::Result {
    match &group.feature {
        Some(feature) => {
            writeln!(out, "### Feature: {}\n", md(feature))?;
            if let Some(note) = &group.note {
                writeln!(out, "{}\n", md(note))?;
            }
            if let Some(owner) = &group.owner {
                writeln!(out, "Owner: {}\n", md(owner))?;
            }
            let url_link = |url: &str| format!("[{}]({url})", md(url));
            for line in crate::render::feature_paragraphs(report, status, group, md, url_link, ", ")
            {
                writeln!(out, "{line}\n")?;
            }
        }
        None => writeln!(out, "### Other patches\n")?,
    }
    Ok(())
}

fn patch_row(out: &mut String, p: &PatchReport) -> std::fmt::Result {
    let mut name = code(&p.name);
    if p.stale.is_some() {
        name.push_str(" ⚠ stale annotation");
    }
    if let Some(o) = p.status_override.as_ref().filter(|o| o.applied) {
        name.push_str(&format!(" (set by hand: {})", md(&o.reason)));
    }
    let upstream = match (&p.commit, &p.commit_url) {
        (Some(commit), url) => {
            let short = crate::render::short(commit);
            let shown = match url.as_deref().and_then(escape::url) {
                Some(url) => format!("[{}]({url})", md(short)),
                None => code(short),
            };
            match &p.release {
                Some(release) => format!("{shown} ({})", md(release)),
                None => shown,
            }
        }
        (None, _) => String::new(),
    };
    let mut why = p
        .evidence
        .first()
        .map(|e| md(&crate::render::brief(&e.detail, EVIDENCE_CHARS)))
        .unwrap_or_default();
    for note in &p.notes {
        why.push_str(&format!("<br>Note: {}", md(note)));
    }
    for link in &p.links {
        match escape::url(link) {
            Some(url) => why.push_str(&format!("<br>[{}]({url})", md(link))),
            None => why.push_str(&format!("<br>{}", md(link))),
        }
    }
    if let Some(posted) = crate::render::posted(p) {
        match p.posted_url.as_deref().and_then(escape::url) {
            Some(url) => why.push_str(&format!("<br>[{}]({url})", md(&posted))),
            None => why.push_str(&format!("<br>{}", md(&posted))),
        }
    }
    if let Some(to) = crate::render::send_to(p) {
        let to: Vec<String> = to.into_iter().map(md).collect();
        why.push_str(&format!("<br>Send to: {}", to.join(", ")));
    }
    writeln!(
        out,
        "| {} | {} | {:.2} | {} | {} | {} |",
        name,
        md(p.subject.as_deref().unwrap_or("")),
        p.confidence,
        md(p.owner.as_deref().unwrap_or("")),
        upstream,
        why
    )
}

fn stale(out: &mut String, report: &Report) -> std::fmt::Result {
    if report.stale_annotations.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "## Stale annotations ({})\n",
        report.stale_annotations.len()
    )?;
    writeln!(out, "_Written for another version of the patch, or for a patch that is gone; their status overrides are not applied._\n")?;
    for s in &report.stale_annotations {
        writeln!(
            out,
            "- {} (line {}): {}: {}",
            code(&s.patch),
            s.line,
            match s.reason {
                crate::model::StaleReason::Changed => "changed",
                crate::model::StaleReason::Gone => "gone",
            },
            md(&s.detail)
        )?;
    }
    writeln!(out)
}

/// A name as inline code, or as escaped text when it holds what a code span cannot: a
/// backtick or a line break would end it, a `|` would end a table cell even inside it, and
/// `<` or `>` would be markup to a renderer that does not know code spans.
fn code(name: &str) -> String {
    if name.contains(['`', '\n', '\r', '|', '<', '>']) {
        md(name)
    } else {
        format!("`{name}`")
    }
}

#[cfg(test)]
mod tests {
    use super::render;
    use crate::sample::hostile_report;

    /// Whether the character at byte `i` of `text` follows an odd number of backslashes.
    fn escaped(text: &str, i: usize) -> bool {
        let slashes = text[..i].bytes().rev().take_while(|&b| b == b'\\').count();
        slashes % 2 == 1
    }

    /// The unescaped `|` of a table line.
    fn pipes(line: &str) -> usize {
        line.match_indices('|')
            .filter(|&(i, _)| !escaped(line, i))
            .count()
    }

    #[test]
    fn a_link_cannot_break_out_of_its_markdown_link() {
        let mut report = crate::sample::sample_report();
        report.patches[0].links = vec!["https://example.org/x)**bold**".into()];
        let out = super::render(&report);
        assert!(!out.contains(")**bold**"), "{out}");
        assert!(
            out.contains("(https://example.org/x%29%2A%2Abold%2A%2A)"),
            "{out}"
        );
    }

    #[test]
    fn patches_still_to_upstream_say_whom_to_send_them_to() {
        let mut report = crate::sample::sample_report();
        for p in &mut report.patches {
            p.send_to = vec![format!(
                "Rev Iewer <r@example.org> (reviewer:{})",
                p.position
            )];
        }
        let out = render(&report);
        let sent: Vec<&str> = out
            .lines()
            .filter(|l| l.contains("<br>Send to: "))
            .collect();
        let waiting = report
            .patches
            .iter()
            .filter(|p| {
                use kdelta_analysis::Status;
                matches!(p.status, Status::NeedsWork | Status::InProgress)
            })
            .count();
        assert_eq!(sent.len(), waiting, "{out}");
        assert!(
            sent[0].contains("Send to: Rev Iewer \\<r@example.org\\>"),
            "{}",
            sent[0]
        );
    }

    #[test]
    fn hostile_text_makes_no_html_and_no_link() {
        let out = render(&hostile_report());
        for (i, _) in out.match_indices('<') {
            let start = (0..=i.saturating_sub(40))
                .rev()
                .find(|&k| out.is_char_boundary(k))
                .unwrap_or(0);
            let around = &out[start..];
            // `<br>` between the notes of a table cell is the renderer's own.
            assert!(
                escaped(&out, i) || out[i..].starts_with("<br>"),
                "a raw < in: {}",
                around.lines().next().unwrap_or("")
            );
        }
        assert!(!out.contains("](javascript:"));
        for (i, _) in out.match_indices("](") {
            let target = &out[i + 2..];
            assert!(
                escaped(&out, i) || target.starts_with("https://"),
                "a link to {}",
                target.lines().next().unwrap_or("")
            );
        }
    }

    #[test]
    fn hostile_text_stays_in_its_line_and_cell() {
        let out = render(&hostile_report());
        // Every row of a table has as many cells as its header.
        let mut header = None;
        for line in out.lines() {
            if !line.starts_with('|') {
                header = None;
                continue;
            }
            let cells = pipes(line);
            assert_eq!(*header.get_or_insert(cells), cells, "a broken row: {line}");
        }
        // The hostile texts' line breaks became spaces: "Pwned" stays on the line of the
        // "javascript:" that comes before it.
        for line in out.lines().filter(|l| l.contains("Pwned")) {
            assert!(line.contains("javascript"), "a line of its own: {line}");
        }
    }
}
