//! The history as an HTML page: the chart of patches per status over the revisions, a
//! sortable table of the revisions, and one table of every change (added, removed and where
//! it went, renamed, refreshed, disabled, re-enabled) that filters by text, kind and revision.

use super::render::{change_titles, changes, chart, count, fate, intro, title};
use super::HistoryReport;
use crate::escape;
use crate::render::page::{self, Column};
use kdelta_analysis::history::{Fate, Step};
use kdelta_analysis::Status;
use std::fmt::{self, Write};

/// The chart's legend, which the report's style does not have.
const CSS: &str = ".legend span{margin-right:1rem;font-size:.85rem}.legend i{display:inline-block;\
width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}.history-chart{overflow-x:auto}td.rev{white-space:nowrap}\n";

/// The history as a self-contained HTML page.
pub(super) fn html(out: &mut String, h: &HistoryReport) -> fmt::Result {
    page::head(out, &title(h), &h.generator, CSS)?;
    page::header_end(
        out,
        &page::Header {
            upstream: &h.upstream,
            generator: &h.generator,
            generated_at: h.generated_at.as_deref(),
            intro: &intro(h),
            parts: &[
                ("chart", "Patches per status"),
                ("revisions", "Revisions"),
                ("changes", "Changes"),
            ],
        },
    )?;
    writeln!(
        out,
        "<h2 id=\"chart\">Patches per status</h2>\n<div class=\"history-chart\">"
    )?;
    chart(out, h)?;
    writeln!(out, "</div>")?;
    revisions(out, h)?;
    writeln!(out, "<h2 id=\"changes\">Changes</h2>")?;
    filters(out, h)?;
    events(out, h)?;
    page::foot(out)
}

fn revisions(out: &mut String, h: &HistoryReport) -> fmt::Result {
    writeln!(
        out,
        "<h2 id=\"revisions\">Revisions</h2>\n<div class=\"scroll\"><table>"
    )?;
    let mut columns = vec![Column::text("revision"), Column::num("patches")];
    columns.extend(Status::ALL.iter().map(|s| Column::num(s.as_str())));
    columns.extend(change_titles().into_iter().map(Column::num));
    page::sortable_head(out, &columns)?;
    writeln!(out, "<tbody>")?;
    for (i, step) in h.steps.iter().enumerate() {
        // The first revision's patches are its start, not changes: it has no filter.
        let label = if i == 0 {
            escape::html(&step.label)
        } else {
            format!("<a href=\"#rev=r{i}\">{}</a>", escape::html(&step.label))
        };
        write!(
            out,
            "<tr><td class=\"rev\" data-v=\"{i}\">{label}</td><td class=\"num\">{}</td>",
            step.patches
        )?;
        for s in Status::ALL {
            write!(out, "<td class=\"num\">{}</td>", count(step, s))?;
        }
        for (_, _, n) in changes(step) {
            write!(out, "<td class=\"num\">{n}</td>")?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></div>")
}

/// The kinds of change, as filter values and labels.
const KINDS: [(&str, &str); 9] = [
    ("added", "added"),
    ("upstream", "removed: upstream"),
    ("replaced", "removed: replaced upstream"),
    ("obsolete", "removed: obsolete"),
    ("dropped", "removed: dropped"),
    ("renamed", "renamed"),
    ("refreshed", "refreshed"),
    ("disabled", "disabled"),
    ("reenabled", "re-enabled"),
];

fn fate_kind(f: Fate) -> &'static str {
    match f {
        Fate::Upstream => "upstream",
        Fate::Replaced => "replaced",
        Fate::Obsolete => "obsolete",
        Fate::Dropped => "dropped",
    }
}

fn filters(out: &mut String, h: &HistoryReport) -> fmt::Result {
    let e = escape::html;
    page::filter_start(out, "Search", "patch name, commit")?;
    writeln!(
        out,
        "<p><label for=\"filter-rev\">Revision</label> <select id=\"filter-rev\" name=\"rev\">\n\
         <option value=\"all\" selected>every revision</option>"
    )?;
    for (i, step) in h.steps.iter().enumerate().skip(1) {
        writeln!(out, "<option value=\"r{i}\">{}</option>", e(&step.label))?;
    }
    writeln!(out, "</select></p>")?;
    let kinds: Vec<(String, String)> = KINDS.iter().map(|(v, l)| (v.to_string(), e(l))).collect();
    page::checkboxes(out, "Change", "kind", &kinds)?;
    page::filter_end(out, "changes")
}

/// One row of the changes table.
struct Event<'a> {
    kind: &'static str,
    name: &'a str,
    commit: Option<&'a str>,
    release: Option<&'a str>,
    note: String,
}

fn step_events(step: &Step) -> Vec<Event<'_>> {
    let plain = |kind, name| Event {
        kind,
        name,
        commit: None,
        release: None,
        note: String::new(),
    };
    let mut events: Vec<Event> = step.added.iter().map(|n| plain("added", n)).collect();
    events.extend(step.removed.iter().map(|r| Event {
        kind: fate_kind(r.fate),
        name: &r.name,
        commit: r.commit.as_deref(),
        release: r.release.as_deref(),
        note: fate(r.fate).to_string(),
    }));
    events.extend(step.renamed.iter().map(|(from, to)| Event {
        note: format!("was {from}"),
        ..plain("renamed", to)
    }));
    events.extend(step.refreshed.iter().map(|n| plain("refreshed", n)));
    events.extend(step.disabled.iter().map(|n| plain("disabled", n)));
    events.extend(step.reenabled.iter().map(|n| plain("reenabled", n)));
    events
}

fn events(out: &mut String, h: &HistoryReport) -> fmt::Result {
    let e = escape::html;
    page::filter_table_start(
        out,
        &[
            Column::text("revision"),
            Column::text("change"),
            Column::text("patch"),
            Column::text("upstream"),
            Column::text("note"),
        ],
    )?;
    // The first revision has no changes: everything in it is "added".
    for (i, step) in h.steps.iter().enumerate().skip(1) {
        for ev in step_events(step) {
            let label = KINDS
                .iter()
                .find(|(v, _)| *v == ev.kind)
                .map_or(ev.kind, |k| k.1);
            let search = format!("{} {} {}", ev.name, ev.commit.unwrap_or(""), ev.note);
            writeln!(
                out,
                "<tr data-kind=\"{}\" data-rev=\"all r{i}\" data-search=\"{}\"><td class=\"rev\" data-v=\"{i}\">{}</td>\
                 <td><span class=\"kind\">{}</span></td><td class=\"pname\"><code>{}</code></td><td>{}</td>\
                 <td class=\"why\">{}</td></tr>",
                ev.kind,
                e(&search.to_lowercase()),
                e(&step.label),
                e(label),
                e(ev.name),
                ev.commit.map_or(String::new(), |c| page::commit(
                    h.commit_url.as_deref(),
                    c,
                    ev.release
                )),
                e(&ev.note)
            )?;
        }
    }
    writeln!(out, "</tbody></table></div>")
}
