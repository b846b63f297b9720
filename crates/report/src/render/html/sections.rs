//! The sections of the HTML report, one per status in model order, their patches grouped by
//! feature with the feature's note and owner; and the list of stale annotations.

use super::{badge, e, flags, opt, Page};
use crate::model::{Group, Section, StaleReason};
use std::fmt::{self, Write};

pub(super) fn write(out: &mut String, page: &Page) -> fmt::Result {
    writeln!(
        out,
        "<section id=\"sections\" aria-labelledby=\"sections-h\">\n<h2 id=\"sections-h\">By status</h2>"
    )?;
    if page.report.sections.is_empty() {
        writeln!(out, "<p class=\"none\">The queue has no patches.</p>")?;
    }
    for section in &page.report.sections {
        write_section(out, page, section)?;
    }
    writeln!(out, "</section>")
}

fn write_section(out: &mut String, page: &Page, section: &Section) -> fmt::Result {
    let name = section.status.as_str();
    let count: usize = section.groups.iter().map(|g| g.patches.len()).sum();
    writeln!(
        out,
        "<section class=\"status-section st-{name}\" id=\"section-{name}\" aria-labelledby=\"section-{name}-h\">"
    )?;
    writeln!(
        out,
        "<h3 id=\"section-{name}-h\">{} {} <span class=\"count\">({count})</span></h3>",
        badge(section.status),
        e(&section.title)
    )?;
    writeln!(out, "<p class=\"advice\">{}</p>", e(&section.advice))?;
    let grouped = section.groups.iter().any(|g| g.feature.is_some());
    for group in &section.groups {
        write_group(out, page, section, group, grouped)?;
    }
    writeln!(out, "</section>")
}

fn write_group(
    out: &mut String,
    page: &Page,
    section: &Section,
    group: &Group,
    grouped: bool,
) -> fmt::Result {
    writeln!(out, "<div class=\"group\">")?;
    if grouped {
        match &group.feature {
            Some(feature) => {
                write!(out, "<h4>Feature: {}", e(feature))?;
                if let Some(owner) = &group.owner {
                    write!(out, " <span class=\"owner\">owner: {}</span>", e(owner))?;
                }
                writeln!(out, "</h4>")?;
                if let Some(note) = &group.note {
                    writeln!(out, "<p class=\"note\">{}</p>", e(note))?;
                }
                feature_facts(out, page, section, group)?;
            }
            None => writeln!(out, "<h4>Other patches</h4>")?,
        }
    }
    writeln!(out, "<ul class=\"patch-list\">")?;
    for name in &group.patches {
        match page.patch(name) {
            Some(p) => writeln!(
                out,
                "<li>{} <span class=\"subject\">{}</span>{}</li>",
                super::link_to(p),
                opt(&p.subject),
                flags(p)
            )?,
            None => writeln!(out, "<li>{}</li>", page.patch_link(name))?,
        }
    }
    writeln!(out, "</ul>\n</div>")
}

/// The links of a group's feature, and whom to send its patches to while they still have to
/// go upstream.
fn feature_facts(out: &mut String, page: &Page, section: &Section, group: &Group) -> fmt::Result {
    let links = crate::render::feature_links(page.report, group);
    if !links.is_empty() {
        let links: Vec<String> = links.iter().map(|l| super::link(l, l)).collect();
        writeln!(out, "<p class=\"note\">Links: {}</p>", links.join(", "))?;
    }
    if let Some(to) = crate::render::feature_send_to(page.report, section.status, group) {
        let to: Vec<String> = to.into_iter().map(e).collect();
        writeln!(
            out,
            "<p class=\"note\">Send to: <span class=\"send-to\">{}</span></p>",
            to.join(", ")
        )?;
    }
    Ok(())
}

/// Annotations written for another version of their patch, or for a patch that is gone.
pub(super) fn write_stale(out: &mut String, page: &Page) -> fmt::Result {
    let stale = &page.report.stale_annotations;
    if stale.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<section id=\"stale\" aria-labelledby=\"stale-h\">\n<h2 id=\"stale-h\">Stale annotations ({})</h2>",
        stale.len()
    )?;
    writeln!(
        out,
        "<p class=\"advice\">Written for another version of the patch, or for a patch that is \
         gone: their status overrides are not applied. Check them and record the patch anew.</p>"
    )?;
    writeln!(
        out,
        "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">patch</th>\
         <th scope=\"col\">why</th><th scope=\"col\" class=\"num\">line</th>\
         <th scope=\"col\">override</th><th scope=\"col\">owner</th><th scope=\"col\">feature</th>\
         <th scope=\"col\">detail</th></tr></thead>\n<tbody>"
    )?;
    for s in stale {
        let reason = match s.reason {
            StaleReason::Changed => "changed",
            StaleReason::Gone => "gone",
        };
        writeln!(
            out,
            "<tr><td>{}</td><td><span class=\"flag warn\">{reason}</span></td><td class=\"num\">{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            page.patch_link(&s.patch),
            s.line,
            s.status.map(badge).unwrap_or_default(),
            opt(&s.owner),
            opt(&s.feature),
            e(&s.detail)
        )?;
    }
    writeln!(out, "</tbody></table></div>\n</section>")
}
