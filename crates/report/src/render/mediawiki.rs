//! `report.mediawiki`: the delta page in the shape distributions keep on their wikis, to paste
//! over the hand-edited one: a `==` heading for the distribution and release, a `===` heading
//! per status, features as `====` headings with their note, bulleted patch names with notes.

use crate::escape::{self, wiki};
use crate::model::{Group, PatchReport, Report, Section};
use kdelta_analysis::Status;
use std::fmt::Write;

/// Characters of evidence on a patch's line.
const EVIDENCE_CHARS: usize = 200;

/// The report as MediaWiki markup.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = write_all(&mut out, report);
    out
}

fn write_all(out: &mut String, report: &Report) -> std::fmt::Result {
    writeln!(out, "== {} ==", wiki(&report.title()))?;
    writeln!(out, "''{}''\n", wiki(&crate::render::provenance(report)))?;
    summary(out, report)?;
    for section in &report.sections {
        write_section(out, report, section)?;
    }
    if !report.stale_annotations.is_empty() {
        writeln!(out, "=== Stale annotations ===")?;
        for s in &report.stale_annotations {
            writeln!(out, "* {}: {}", wiki(&s.patch), wiki(&s.detail))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn summary(out: &mut String, report: &Report) -> std::fmt::Result {
    writeln!(out, "{{| class=\"wikitable\"\n! Status !! Patches")?;
    for c in report.summary.by_status.iter().filter(|c| c.count > 0) {
        writeln!(out, "|-\n| {} || {}", c.status, c.count)?;
    }
    writeln!(
        out,
        "|-\n| '''total''' || '''{}'''\n|}}\n",
        report.summary.total
    )
}

fn write_section(out: &mut String, report: &Report, section: &Section) -> std::fmt::Result {
    writeln!(out, "=== {} ===", wiki(&section.title))?;
    writeln!(out, "''{}''\n", wiki(&section.advice))?;
    let grouped = section.groups.iter().any(|g| g.feature.is_some());
    for group in &section.groups {
        if grouped {
            group_heading(out, report, section.status, group)?;
        }
        for name in &group.patches {
            if let Some(patch) = report.patch(name) {
                writeln!(out, "{}", bullet(patch))?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The heading of a group, then the feature's note and owner, each a paragraph of its own
/// (lines not parted by a blank one run into one paragraph).
fn group_heading(
    out: &mut String,
    report: &Report,
    status: Status,
    group: &Group,
) -> std::fmt::Result {
    let Some(feature) = &group.feature else {
        return writeln!(out, "==== Other patches ====");
    };
    writeln!(out, "==== {} ====", wiki(feature))?;
    if let Some(note) = &group.note {
        writeln!(out, "{}\n", wiki(note))?;
    }
    if let Some(owner) = &group.owner {
        writeln!(out, "Owner: {}\n", wiki(owner))?;
    }
    let url_link = |url: &str| format!("[{url}]");
    for line in crate::render::feature_paragraphs(report, status, group, wiki, url_link, " ") {
        writeln!(out, "{line}\n")?;
    }
    Ok(())
}

/// `* name: subject (commit …, release …; owner …): note`
fn bullet(p: &PatchReport) -> String {
    let mut line = format!("* {}", wiki(&p.name));
    if let Some(subject) = &p.subject {
        line.push_str(&format!(": {}", wiki(subject)));
    }
    let mut facts = Vec::new();
    if let Some(commit) = &p.commit {
        let short = crate::render::short(commit);
        facts.push(match p.commit_url.as_deref().and_then(escape::url) {
            Some(url) => format!("commit [{url} {}]", wiki(short)),
            None => format!("commit {}", wiki(short)),
        });
    }
    if let Some(release) = &p.release {
        facts.push(format!("in {}", wiki(release)));
    }
    if let Some(owner) = &p.owner {
        facts.push(format!("owner {}", wiki(owner)));
    }
    if let Some(posted) = crate::render::posted(p) {
        facts.push(match p.posted_url.as_deref().and_then(escape::url) {
            Some(url) => format!("[{url} {}]", wiki(&posted)),
            None => wiki(&posted),
        });
    }
    if let Some(o) = p.status_override.as_ref().filter(|o| o.applied) {
        facts.push(format!("set by hand: {}", wiki(&o.reason)));
    }
    if p.stale.is_some() {
        facts.push("'''stale annotation'''".to_string());
    }
    if !facts.is_empty() {
        line.push_str(&format!(" ({})", facts.join("; ")));
    }
    for note in &p.notes {
        line.push_str(&format!(" — {}", wiki(note)));
    }
    if p.notes.is_empty() {
        if let Some(e) = p.evidence.first() {
            let detail = crate::render::brief(&e.detail, EVIDENCE_CHARS);
            line.push_str(&format!(" — {}", wiki(&detail)));
        }
    }
    for link in &p.links {
        match escape::url(link) {
            Some(url) => line.push_str(&format!(" [{url}]")),
            None => line.push_str(&format!(" {}", wiki(link))),
        }
    }
    if let Some(to) = crate::render::send_to(p) {
        let to: Vec<String> = to.into_iter().map(wiki).collect();
        line.push_str(&format!("\n** send to: {}", to.join(", ")));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::render;
    use crate::sample::{hostile_report, sample_report};
    use kdelta_analysis::Status;

    #[test]
    fn a_link_brings_no_magic_word_signature_or_markup() {
        let mut report = sample_report();
        report.patches[0].links = vec![
            "https://example.org/__NOTOC__~~~~".into(),
            "https://example.org/''x''".into(),
        ];
        let out = render(&report);
        assert!(
            out.contains(" [https://example.org/%5F%5FNOTOC%5F%5F%7E%7E%7E%7E]"),
            "{out}"
        );
        assert!(!out.contains("__NOTOC__"), "{out}");
        // Not a plain URL: shown as text, inside <nowiki>.
        assert!(
            out.contains("<nowiki>https://example.org/&#39;&#39;x&#39;&#39;</nowiki>"),
            "{out}"
        );
    }

    #[test]
    fn patches_still_to_upstream_say_whom_to_send_them_to() {
        let mut report = sample_report();
        for p in &mut report.patches {
            p.send_to = vec![format!("Rev Iewer <r@example.org> (reviewer:{})", p.name)];
        }
        let out = render(&report);
        let sent: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("** send to:"))
            .collect();
        let waiting = report
            .patches
            .iter()
            .filter(|p| matches!(p.status, Status::NeedsWork | Status::InProgress))
            .count();
        assert_eq!(sent.len(), waiting, "{out}");
        assert!(
            sent[0].contains("<nowiki>Rev Iewer &lt;r@example.org&gt;"),
            "{}",
            sent[0]
        );
    }

    /// The markup outside the `<nowiki>` spans of `out`, checking that every span is closed
    /// and holds no `<` or `>`: nothing inside can close it or be a tag.
    fn outside_nowiki(out: &str) -> String {
        let (open, close) = ("<nowiki>", "</nowiki>");
        let mut outside = String::new();
        let mut rest = out;
        while let Some(start) = rest.find(open) {
            outside.push_str(&rest[..start]);
            let inner = &rest[start + open.len()..];
            let end = inner.find(close).expect("a closed nowiki span");
            let text = &inner[..end];
            assert!(!text.contains(['<', '>']), "markup in a span: {text}");
            rest = &inner[end + close.len()..];
        }
        outside.push_str(rest);
        outside
    }

    #[test]
    fn hostile_text_stays_inside_nowiki() {
        let out = render(&hostile_report());
        assert_eq!(
            out.matches("<nowiki>").count(),
            out.matches("</nowiki>").count()
        );
        let outside = outside_nowiki(&out);
        assert!(!outside.contains("</nowiki>"), "a stray close");
        for marker in [
            "<script",
            "<img",
            "<!--",
            "javascript",
            "cmd|",
            "Pwned",
            "[[",
            "{{",
            "~~~~",
            "[x]",
        ] {
            assert!(!outside.contains(marker), "{marker} outside nowiki");
        }
        // The hostile texts' line breaks became spaces: no line starts with their markup.
        for line in out.lines().filter(|l| l.contains("Pwned")) {
            assert!(line.contains("javascript"), "a line of its own: {line}");
        }
    }
}
