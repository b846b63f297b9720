//! `report.html`: the delta report as one self-contained page: a summary with a chart, the
//! sections by status and feature, one sortable and filterable table of every patch, and a
//! detail view per patch (`#patch-N`, shown by CSS `:target`, so it works without script).
//!
//! Nothing is fetched: the style and the one script are inline, and a Content-Security-Policy
//! allows only that script, by its SHA-256, so not even an escaping mistake could run injected
//! script. Everything from the model is escaped with [`escape::html`]; the script holds no
//! data and reads what it needs from the DOM (`data-` attributes). The filter state lives in
//! the URL (`report.html#q=blk&status=upstream,obsolete`) so a filtered view can be shared.
//! The output is deterministic: the same model gives the same bytes.

mod detail;
mod sections;
mod summary;
mod table;
#[cfg(test)]
mod tests;

use super::short;
use crate::escape;
use crate::model::{PatchReport, Report};
use base64::Engine as _;
use kdelta_analysis::Status;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt::{self, Write};

/// The page's style; the status colours are appended by [`status_css`].
pub(crate) const CSS: &str = include_str!("html/report.css");

/// The page's one script: sorting (shared with the comparison and history pages), filtering
/// and the URL state. It must hold no model data.
const SCRIPT: &str = concat!(
    include_str!("page/tables.js"),
    include_str!("html/report.js")
);

/// The report as a self-contained HTML page.
pub fn render(report: &Report) -> String {
    render_in_site(report, &Site::default())
}

/// What a site adds to a report's page: links that head it in a navigation bar
/// (`(href, label)`, within the site), and a notice (the last refresh failed…).
#[derive(Default)]
pub struct Site<'a> {
    /// The site's links.
    pub links: &'a [(&'a str, &'a str)],
    /// A notice shown first.
    pub notice: Option<&'a str>,
}

/// The report as a page of a site. The page is otherwise [`render`]'s.
pub fn render_in_site(report: &Report, site: &Site<'_>) -> String {
    let mut page = Page::new(report);
    page.site = site.links;
    page.notice = site.notice;
    let mut out = String::with_capacity(8192 + report.patches.len() * 6144);
    // Writing to a String cannot fail.
    let _ = page.write(&mut out);
    out
}

/// The report's style, with the status colours: for other pages that look like it.
pub fn stylesheet() -> String {
    format!("{CSS}{}", status_css())
}

/// The Content-Security-Policy of [`render`]'s page (for a server to send it as a header too).
pub fn policy() -> String {
    content_security_policy(&script_hash(SCRIPT))
}

/// The Content-Security-Policy of the page: nothing may load, only inline style, and only
/// the script whose SHA-256 is `script_hash`.
pub(crate) fn content_security_policy(script_hash: &str) -> String {
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
         script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
}

/// The base64 SHA-256 of `script`, as CSP `script-src 'sha256-…'` expects.
pub(crate) fn script_hash(script: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()))
}

/// The report being rendered, with its patches by name.
struct Page<'a> {
    report: &'a Report,
    by_name: HashMap<&'a str, &'a PatchReport>,
    /// The site's links, when the page is part of one.
    site: &'a [(&'a str, &'a str)],
    /// The site's notice.
    notice: Option<&'a str>,
}

impl<'a> Page<'a> {
    fn new(report: &'a Report) -> Page<'a> {
        let by_name = report
            .patches
            .iter()
            .map(|p| (p.name.as_str(), p))
            .collect();
        Page {
            report,
            by_name,
            site: &[],
            notice: None,
        }
    }

    fn write(&self, out: &mut String) -> fmt::Result {
        head(out, self.report)?;
        body_top(out, self.report, self.site)?;
        if let Some(notice) = self.notice {
            writeln!(
                out,
                "<p role=\"alert\" style=\"border:2px solid #b00;padding:0.5rem 1rem\">{}</p>",
                e(notice)
            )?;
        }
        summary::write(out, self)?;
        sections::write(out, self)?;
        table::write(out, self)?;
        sections::write_stale(out, self)?;
        detail::write_all(out, self)?;
        writeln!(out, "</main>")?;
        writeln!(
            out,
            "<footer><p>{}</p></footer>",
            e(&crate::render::provenance(self.report))
        )?;
        writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>")
    }

    /// The patch called `name`, if it is in the queue.
    fn patch(&self, name: &str) -> Option<&'a PatchReport> {
        self.by_name.get(name).copied()
    }

    /// A link to the detail view of the patch called `name`, or the name as code when the
    /// queue has no such patch.
    fn patch_link(&self, name: &str) -> String {
        match self.patch(name) {
            Some(p) => link_to(p),
            None => format!("<code>{}</code>", e(name)),
        }
    }

    /// The URL of an upstream `commit`, from the report's template, when it is a plain URL.
    fn commit_url(&self, commit: &str) -> Option<String> {
        let template = self.report.commit_url.as_deref()?;
        let url = crate::build::commit_url(template, commit);
        escape::url(&url)
    }
}

fn head(out: &mut String, report: &Report) -> fmt::Result {
    let title = format!("Kernel delta: {}", report.title());
    super::page::document_head(out, &title, &report.generator, "", SCRIPT)
}

fn body_top(out: &mut String, report: &Report, site: &[(&str, &str)]) -> fmt::Result {
    writeln!(out, "<body>")?;
    if !site.is_empty() {
        // Styled in place, so that the report's own style (and its snapshots) stay as they are.
        write!(
            out,
            "<nav class=\"site\" aria-label=\"Site\"><ul style=\"display:flex;gap:1.25rem;\
             list-style:none;margin:0;padding:0.5rem 1rem;border-bottom:1px solid #ccc\">"
        )?;
        for (href, label) in site {
            // Links within the site only.
            let href = if href.starts_with('/') { href } else { "#" };
            write!(out, "<li><a href=\"{}\">{}</a></li>", e(href), e(label))?;
        }
        writeln!(out, "</ul></nav>")?;
    }
    writeln!(
        out,
        "<a class=\"skip\" href=\"#patches\">Skip to the table of patches</a>"
    )?;
    writeln!(out, "<header class=\"top\">")?;
    writeln!(out, "<h1>Kernel delta: {}</h1>", e(&report.title()))?;
    writeln!(
        out,
        "<p class=\"provenance\">{}</p>",
        e(&crate::render::provenance(report))
    )?;
    write!(
        out,
        "<nav aria-label=\"Contents\"><ul><li><a href=\"#summary\">Summary</a></li>\
         <li><a href=\"#sections\">By status</a></li>\
         <li><a href=\"#patches\">All patches</a></li>"
    )?;
    if !report.stale_annotations.is_empty() {
        write!(out, "<li><a href=\"#stale\">Stale annotations</a></li>")?;
    }
    writeln!(out, "</ul></nav>\n</header>\n<main>")
}

/// Text from the model, escaped for HTML content and quoted attribute values.
fn e(text: &str) -> String {
    escape::html(text)
}

/// Optional text from the model, escaped; empty when absent.
fn opt(text: &Option<String>) -> String {
    text.as_deref().map(e).unwrap_or_default()
}

/// `text` as a link to `url` when [`escape::url`] accepts it, else as plain text.
pub(crate) fn link(url: &str, text: &str) -> String {
    match escape::url(url) {
        Some(url) => format!("<a href=\"{}\" rel=\"noreferrer\">{}</a>", e(&url), e(text)),
        None => e(text),
    }
}

/// A link to a patch's detail view, its name as code.
fn link_to(p: &PatchReport) -> String {
    format!(
        "<a class=\"name\" href=\"#patch-{}\">{}</a>",
        p.position,
        e(&p.name)
    )
}

/// A coloured badge naming `status`.
pub(crate) fn badge(status: Status) -> String {
    let s = status.as_str();
    format!("<span class=\"badge st-{s}\">{s}</span>")
}

/// The marks of a patch next to its status: "set by hand" when a status override is applied,
/// a warning when its annotation is stale.
fn flags(p: &PatchReport) -> String {
    let mut out = String::new();
    if let Some(o) = p.status_override.as_ref().filter(|o| o.applied) {
        let _ = write!(
            out,
            " <span class=\"flag hand\" title=\"{}\">set by hand</span>",
            e(&o.reason)
        );
    }
    if let Some(stale) = &p.stale {
        let _ = write!(
            out,
            " <span class=\"flag warn\" title=\"{}\">\u{26a0} stale annotation</span>",
            e(stale)
        );
    }
    out
}

/// The colour of a status: bars, badges and borders. Dark enough for text on white.
pub(crate) fn status_colour(status: Status) -> &'static str {
    match status {
        Status::Upstream => "#1a7f37",
        Status::ReplacementLikely => "#0e7490",
        Status::InProgress => "#0550ae",
        Status::NeedsWork => "#9a6700",
        Status::DownstreamOnly => "#6639ba",
        Status::Obsolete => "#c4232d",
        Status::Unknown => "#57606a",
    }
}

/// The index of a status in [`Status::ALL`]: the table sorts statuses in report order.
fn status_rank(status: Status) -> usize {
    Status::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap_or(Status::ALL.len())
}

/// One CSS rule per status setting `--c`, its colour.
pub(crate) fn status_css() -> String {
    let mut css = String::new();
    for status in Status::ALL {
        let _ = writeln!(
            css,
            ".st-{}{{--c:{}}}",
            status.as_str(),
            status_colour(status)
        );
    }
    css
}

/// A unit enum's serde name (`patch-id`, `contradicted`).
fn serde_name(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
