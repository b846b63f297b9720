//! The plan as an HTML page: the count of each action, then one sortable table of the
//! patches (position, patch, action, why) that filters by text and action.

use super::RebaseReport;
use crate::escape;
use crate::render::page::{self, Column};
use kdelta_analysis::rebase::Action;
use std::fmt::{self, Write};

/// The action cells' style, which the report's style does not have.
const CSS: &str = "td.why{white-space:normal}td.why div{margin:.1rem 0}.action{font-weight:600}\
.action-drop-upstream,.action-drop-obsolete,.action-drop-replaced{color:#0a6b2f}\
.action-conflict,.action-blocked{color:#a1260d}.action-keep-refreshed{color:#7a5a00}\n";

/// The plan as a self-contained HTML page.
pub(super) fn html(out: &mut String, r: &RebaseReport) -> fmt::Result {
    page::head(out, &r.title(), &r.generator, CSS)?;
    page::header_end(
        out,
        &page::Header {
            upstream: &r.upstream,
            generator: &r.generator,
            generated_at: r.generated_at.as_deref(),
            intro: &r.intro(),
            parts: &[("actions", "Actions"), ("patches", "Patches")],
        },
    )?;
    actions(out, r)?;
    writeln!(out, "<h2 id=\"patches\">Patches</h2>")?;
    let choices: Vec<(String, String)> = Action::ALL
        .iter()
        .filter(|&&a| r.count(a) > 0)
        .map(|a| (a.as_str().to_string(), a.as_str().to_string()))
        .collect();
    page::filter_start(out, "Search", "patch name, file, commit")?;
    page::checkboxes(out, "Action", "action", &choices)?;
    page::filter_end(out, "patches")?;
    patches(out, r)?;
    page::foot(out)
}

fn actions(out: &mut String, r: &RebaseReport) -> fmt::Result {
    writeln!(
        out,
        "<h2 id=\"actions\">Actions</h2>\n<div class=\"scroll\"><table>"
    )?;
    page::sortable_head(out, &[Column::text("action"), Column::num("patches")])?;
    writeln!(out, "<tbody>")?;
    for a in Action::ALL {
        let n = r.count(a);
        if n > 0 {
            writeln!(
                out,
                "<tr><td><a href=\"#action={0}\" class=\"action action-{0}\">{0}</a></td><td class=\"num\">{n}</td></tr>",
                a.as_str()
            )?;
        }
    }
    writeln!(out, "</tbody></table></div>")
}

fn patches(out: &mut String, r: &RebaseReport) -> fmt::Result {
    let e = escape::html;
    page::filter_table_start(
        out,
        &[
            Column::num("#"),
            Column::text("patch"),
            Column::text("action"),
            Column::text("why"),
        ],
    )?;
    for (i, s) in r.steps.iter().enumerate() {
        let search = format!("{} {}", s.name, s.why.join(" ")).to_lowercase();
        let why: String = s
            .why
            .iter()
            .map(|w| format!("<div>{}</div>", e(w)))
            .collect();
        writeln!(
            out,
            "<tr data-action=\"{a}\" data-search=\"{}\"><td class=\"num\">{}</td>\
             <td class=\"pname\"><code>{}</code></td><td><span class=\"action action-{a}\">{a}</span></td>\
             <td class=\"why\">{why}</td></tr>",
            e(&search),
            i + 1,
            e(&s.name),
            a = s.action.as_str(),
        )?;
    }
    writeln!(out, "</tbody></table></div>")
}
