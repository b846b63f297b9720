//! The detail view of each patch: an `<article id="patch-N">`, hidden until it is the URL's
//! target (`#patch-N`, CSS `:target`, no script needed): status and how it was reached,
//! upstream commit, evidence, candidates, header claims, the annotation with its history,
//! who can upstream it, the header fields and the diffstat.

use super::{badge, e, flags, link, opt, serde_name, short, Page};
use crate::model::{AnnotationState, DiffStat, PatchReport};
use std::fmt::{self, Write};

/// Width of the longest diffstat bar, in pixels.
const BAR: usize = 120;

pub(super) fn write_all(out: &mut String, page: &Page) -> fmt::Result {
    writeln!(out, "<div id=\"details\">")?;
    let patches = &page.report.patches;
    for (i, p) in patches.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|i| patches.get(i));
        write_one(out, page, p, prev, patches.get(i + 1))?;
    }
    writeln!(out, "</div>")
}

fn write_one(
    out: &mut String,
    page: &Page,
    p: &PatchReport,
    prev: Option<&PatchReport>,
    next: Option<&PatchReport>,
) -> fmt::Result {
    let n = p.position;
    writeln!(
        out,
        "<article class=\"detail\" id=\"patch-{n}\" aria-labelledby=\"patch-{n}-h\">"
    )?;
    nav(out, p, prev, next)?;
    writeln!(
        out,
        "<h2 id=\"patch-{n}-h\"><span class=\"pos\">#{n}</span> <code>{}</code></h2>",
        e(&p.name)
    )?;
    if let Some(subject) = &p.subject {
        writeln!(out, "<p class=\"subject\">{}</p>", e(subject))?;
    }
    facts(out, p)?;
    evidence(out, p)?;
    candidates(out, page, p)?;
    claims(out, p)?;
    annotation(out, p)?;
    people(out, p)?;
    headers(out, p)?;
    diffstat(out, p)?;
    writeln!(out, "</article>")
}

/// Whom to send it to (MAINTAINERS) and who is active upstream on its files.
fn people(out: &mut String, p: &PatchReport) -> fmt::Result {
    if p.send_to.is_empty() && p.active_upstream.is_empty() {
        return Ok(());
    }
    writeln!(out, "<h3>Who can upstream it</h3>")?;
    for (title, lines) in [
        ("send to (MAINTAINERS)", &p.send_to),
        (
            "active upstream on its files, last 24 months",
            &p.active_upstream,
        ),
    ] {
        if lines.is_empty() {
            continue;
        }
        writeln!(out, "<p class=\"hint\">{title}</p><ul>")?;
        for line in lines {
            writeln!(out, "<li>{}</li>", e(line))?;
        }
        writeln!(out, "</ul>")?;
    }
    Ok(())
}

/// Previous, next, and close (back to the patch's row in the table).
fn nav(
    out: &mut String,
    p: &PatchReport,
    prev: Option<&PatchReport>,
    next: Option<&PatchReport>,
) -> fmt::Result {
    write!(out, "<nav class=\"detail-nav\" aria-label=\"Patches\">")?;
    if let Some(prev) = prev {
        write!(
            out,
            "<a href=\"#patch-{}\" rel=\"prev\">\u{2190} previous</a>",
            prev.position
        )?;
    }
    if let Some(next) = next {
        write!(
            out,
            "<a href=\"#patch-{}\" rel=\"next\">next \u{2192}</a>",
            next.position
        )?;
    }
    writeln!(
        out,
        "<a class=\"close\" href=\"#row-{}\" data-close=\"\">close \u{2715}</a></nav>",
        p.position
    )
}

/// A `<div><dt>…</dt><dd>…</dd></div>` of a fact list; `value` is markup.
fn fact(out: &mut String, term: &str, value: &str) -> fmt::Result {
    writeln!(out, "<div><dt>{term}</dt><dd>{value}</dd></div>")
}

fn facts(out: &mut String, p: &PatchReport) -> fmt::Result {
    writeln!(out, "<dl class=\"facts\">")?;
    fact(out, "status", &format!("{}{}", badge(p.status), flags(p)))?;
    fact(out, "machine status", &badge(p.machine_status))?;
    if let Some(o) = &p.status_override {
        let applied = if o.applied {
            "applied"
        } else {
            "not applied: the annotation is stale"
        };
        let value = format!(
            "{} <span class=\"hint\">{applied}</span><br>{}",
            badge(o.status),
            e(&o.reason)
        );
        fact(out, "set by hand", &value)?;
    }
    let confidence = format!(
        "{:.2} <meter min=\"0\" max=\"1\" value=\"{:.2}\"></meter>",
        p.confidence, p.confidence
    );
    fact(out, "confidence", &confidence)?;
    if let Some(commit) = &p.commit {
        let shown = match &p.commit_url {
            Some(url) => link(url, commit),
            None => e(commit),
        };
        fact(out, "upstream commit", &format!("<code>{shown}</code>"))?;
    }
    if let Some(release) = &p.release {
        fact(out, "first release", &e(release))?;
    }
    if let Some(posted) = crate::render::posted(p) {
        let shown = match &p.posted_url {
            Some(url) => link(url, &posted),
            None => e(&posted),
        };
        let subject = p.posted.as_ref().map(|x| e(&x.subject)).unwrap_or_default();
        fact(
            out,
            "posted",
            &format!("{shown}<br><span class=\"hint\">{subject}</span>"),
        )?;
    }
    if let Some(author) = &p.author {
        fact(out, "author", &e(author))?;
    }
    if let Some(date) = &p.date {
        fact(out, "date", &e(date))?;
    }
    writeln!(out, "</dl>")
}

/// A sub-section heading of the detail view.
fn heading(out: &mut String, title: &str, count: usize) -> fmt::Result {
    writeln!(
        out,
        "<h3>{title} <span class=\"count\">({count})</span></h3>"
    )
}

fn evidence(out: &mut String, p: &PatchReport) -> fmt::Result {
    heading(out, "Evidence", p.evidence.len())?;
    if p.evidence.is_empty() {
        return writeln!(out, "<p class=\"none\">None.</p>");
    }
    writeln!(out, "<ul class=\"evidence\">")?;
    for ev in &p.evidence {
        // What the fact contributed: the hypothesis it speaks for, and how strongly.
        let weight = match &ev.hypothesis {
            Some(h) => format!(
                " <span class=\"weight\">for {} {:+.2}</span>",
                e(h.as_str()),
                ev.weight
            ),
            None => String::new(),
        };
        writeln!(
            out,
            "<li><span class=\"kind\">{}</span>{weight} {}</li>",
            e(&serde_name(&ev.kind)),
            e(&ev.detail)
        )?;
    }
    writeln!(out, "</ul>")
}

fn candidates(out: &mut String, page: &Page, p: &PatchReport) -> fmt::Result {
    heading(out, "Upstream candidates", p.candidates.len())?;
    if p.candidates.is_empty() {
        return writeln!(out, "<p class=\"none\">None.</p>");
    }
    writeln!(
        out,
        "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">commit</th>\
         <th scope=\"col\">subject</th><th scope=\"col\">release</th>\
         <th scope=\"col\" class=\"num\">score</th><th scope=\"col\" class=\"num\">similarity</th>\
         <th scope=\"col\">reasons</th><th scope=\"col\">in target</th></tr></thead>\n<tbody>"
    )?;
    for c in &p.candidates {
        let commit = match page.commit_url(&c.commit) {
            Some(url) => link(&url, short(&c.commit)),
            None => e(short(&c.commit)),
        };
        let reasons: Vec<String> = c.reasons.iter().map(|r| e(r)).collect();
        writeln!(
            out,
            "<tr><td><code title=\"{}\">{commit}</code></td><td>{}</td><td>{}</td>\
             <td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td><td>{}</td><td>{}</td></tr>",
            e(&c.commit),
            e(&c.subject),
            opt(&c.release),
            c.score,
            c.similarity,
            reasons.join(", "),
            if c.in_target { "yes" } else { "no" }
        )?;
    }
    writeln!(out, "</tbody></table></div>")
}

fn claims(out: &mut String, p: &PatchReport) -> fmt::Result {
    heading(out, "Header claims", p.claims.len())?;
    if p.claims.is_empty() {
        return writeln!(out, "<p class=\"none\">None.</p>");
    }
    writeln!(
        out,
        "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">header</th>\
         <th scope=\"col\">says</th><th scope=\"col\" class=\"num\">line</th>\
         <th scope=\"col\">check</th><th scope=\"col\">why</th></tr></thead>\n<tbody>"
    )?;
    for c in &p.claims {
        let check = serde_name(&c.check);
        writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td class=\"num\">{}</td>\
             <td><span class=\"check ck-{check}\">{check}</span></td><td>{}</td></tr>",
            e(&c.header),
            e(&c.text),
            c.line,
            e(&c.detail)
        )?;
    }
    writeln!(out, "</tbody></table></div>")
}

fn annotation(out: &mut String, p: &PatchReport) -> fmt::Result {
    let state = match p.annotation {
        AnnotationState::None => "none",
        AnnotationState::Current => "written for this version of the patch",
        AnnotationState::Unrecorded => "written by hand, without a fingerprint: unchecked",
        AnnotationState::Stale => "stale: written for another version",
    };
    writeln!(
        out,
        "<h3>Annotation <span class=\"hint\">{state}</span></h3>"
    )?;
    if let Some(stale) = &p.stale {
        writeln!(
            out,
            "<p class=\"warning\" role=\"note\">\u{26a0} Stale annotation: {}</p>",
            e(stale)
        )?;
    }
    if p.annotation == AnnotationState::None {
        return Ok(());
    }
    writeln!(out, "<dl class=\"facts\">")?;
    fact(out, "owner", &opt(&p.owner))?;
    fact(out, "feature", &opt(&p.feature))?;
    if let Some(v) = &p.verified {
        fact(out, "verified", &format!("by {} on {}", e(&v.by), e(&v.on)))?;
    }
    writeln!(out, "</dl>")?;
    if !p.notes.is_empty() {
        writeln!(out, "<h4>Notes</h4>\n<ul class=\"notes\">")?;
        for note in &p.notes {
            writeln!(out, "<li>{}</li>", e(note))?;
        }
        writeln!(out, "</ul>")?;
    }
    if !p.links.is_empty() {
        writeln!(out, "<h4>Links</h4>\n<ul class=\"links\">")?;
        for l in &p.links {
            writeln!(out, "<li>{}</li>", link(l, l))?;
        }
        writeln!(out, "</ul>")?;
    }
    history(out, p)
}

fn history(out: &mut String, p: &PatchReport) -> fmt::Result {
    if p.history.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<h4>History</h4>\n<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">on</th>\
         <th scope=\"col\">by</th><th scope=\"col\">change</th></tr></thead>\n<tbody>"
    )?;
    for h in &p.history {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&h.on),
            e(&h.by),
            e(&h.change)
        )?;
    }
    writeln!(out, "</tbody></table></div>")
}

fn headers(out: &mut String, p: &PatchReport) -> fmt::Result {
    heading(out, "Header fields", p.headers.len())?;
    if p.headers.is_empty() {
        return writeln!(out, "<p class=\"none\">None.</p>");
    }
    writeln!(
        out,
        "<div class=\"scroll\"><table class=\"headers\">\n<tbody>"
    )?;
    for h in &p.headers {
        writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            e(&h.name),
            e(&h.value)
        )?;
    }
    writeln!(out, "</tbody></table></div>")
}

fn diffstat(out: &mut String, p: &PatchReport) -> fmt::Result {
    heading(out, "Files", p.diffstat.len())?;
    if p.diffstat.is_empty() {
        return writeln!(out, "<p class=\"none\">None.</p>");
    }
    let most = p
        .diffstat
        .iter()
        .map(|d| d.added + d.removed)
        .max()
        .unwrap_or(0)
        .max(1);
    writeln!(
        out,
        "<div class=\"scroll\"><table class=\"diffstat\">\n<thead><tr><th scope=\"col\">file</th>\
         <th scope=\"col\" class=\"num\">added</th><th scope=\"col\" class=\"num\">removed</th>\
         <th scope=\"col\"><span class=\"sr\">changes</span></th></tr></thead>\n<tbody>"
    )?;
    for d in &p.diffstat {
        writeln!(
            out,
            "<tr><td><code>{}</code></td><td class=\"num add\">+{}</td>\
             <td class=\"num del\">\u{2212}{}</td><td>{}</td></tr>",
            e(&d.path),
            d.added,
            d.removed,
            bar(d, most)
        )?;
    }
    let added: usize = p.diffstat.iter().map(|d| d.added).sum();
    let removed: usize = p.diffstat.iter().map(|d| d.removed).sum();
    writeln!(
        out,
        "</tbody>\n<tfoot><tr><th scope=\"row\">{} files</th><td class=\"num add\">+{added}</td>\
         <td class=\"num del\">\u{2212}{removed}</td><td></td></tr></tfoot></table></div>",
        p.diffstat.len()
    )
}

/// A tiny bar: green for the lines added, red for the lines removed, scaled to the file
/// with the most changes.
fn bar(d: &DiffStat, most: usize) -> String {
    let scale = |n: usize| if n == 0 { 0 } else { (n * BAR).div_ceil(most) };
    let (added, removed) = (scale(d.added), scale(d.removed));
    format!(
        "<svg class=\"spark\" width=\"{BAR}\" height=\"10\" viewBox=\"0 0 {BAR} 10\" aria-hidden=\"true\">\
         <rect width=\"{added}\" height=\"10\" fill=\"#2da44e\"/>\
         <rect x=\"{added}\" width=\"{removed}\" height=\"10\" fill=\"#cf222e\"/></svg>"
    )
}
