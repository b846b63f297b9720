//! The comparison as an HTML page: the distributions with their counts, each linking to its
//! changes, then one table of every change (a row per cluster, a column per distribution)
//! that filters by text, status and who carries it; it opens on the common delta.

use super::render::{intro, link_text, title};
use super::{ClusterRow, Comparison};
use crate::escape;
use crate::render::page::{self, badge, Column};
use kdelta_analysis::Status;
use std::fmt::{self, Write};

/// The comparison as a self-contained HTML page.
pub(super) fn html(out: &mut String, c: &Comparison) -> fmt::Result {
    page::head(out, &title(c), &c.generator, "")?;
    page::header_end(
        out,
        &page::Header {
            upstream: &c.upstream,
            generator: &c.generator,
            generated_at: c.generated_at.as_deref(),
            intro: &intro(c),
            parts: &[("distributions", "Distributions"), ("changes", "Changes")],
        },
    )?;
    distributions(out, c)?;
    writeln!(
        out,
        "<h2 id=\"changes\">Changes <span class=\"count\">({})</span></h2>",
        c.clusters.len()
    )?;
    filters(out, c)?;
    changes(out, c)?;
    page::foot(out)
}

/// The tokens a row's `data-carried` holds: `all`, `common`, `shared`, and for each
/// distribution D that carries it `in-D`, `common-D` when the row is common, `alone-D` when D
/// alone carries it.
fn carried(row: &ClusterRow) -> String {
    let mut tokens = vec!["all".to_string()];
    if row.common {
        tokens.push("common".into());
    }
    if row.carried_by() >= 2 {
        tokens.push("shared".into());
    }
    for (d, members) in row.carriers.iter().enumerate() {
        if !members.is_empty() {
            tokens.push(format!("in-{d}"));
            if row.common {
                tokens.push(format!("common-{d}"));
            }
            if row.carried_by() == 1 {
                tokens.push(format!("alone-{d}"));
            }
        }
    }
    tokens.join(" ")
}

fn distributions(out: &mut String, c: &Comparison) -> fmt::Result {
    let e = escape::html;
    writeln!(out, "<h2 id=\"distributions\">Distributions</h2>")?;
    writeln!(out, "<div class=\"scroll\"><table>")?;
    page::sortable_head(
        out,
        &[
            Column::text("distribution"),
            Column::text("queue"),
            Column::num("patches"),
            Column::num("not upstream"),
            Column::num("in the common delta"),
            Column::num("alone, not upstream"),
        ],
    )?;
    writeln!(out, "<tbody>")?;
    for (d, dist) in c.distributions.iter().enumerate() {
        let common = c
            .clusters
            .iter()
            .filter(|r| r.common && !r.carriers[d].is_empty())
            .count();
        writeln!(
            out,
            "<tr><td><a href=\"#carried=in-{d}\">{}</a></td><td><code>{}</code></td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\"><a href=\"#carried=common-{d}\">{common}</a></td>\
             <td class=\"num\"><a href=\"#carried=alone-{d}&amp;status={}\">{}</a></td></tr>",
            e(&dist.name),
            e(&dist.queue),
            dist.patches,
            dist.not_upstream(),
            not_upstream(),
            dist.unique
        )?;
    }
    writeln!(out, "</tbody></table></div>")
}

/// Every status but upstream, as a filter value.
fn not_upstream() -> String {
    Status::ALL
        .iter()
        .filter(|s| **s != Status::Upstream)
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn filters(out: &mut String, c: &Comparison) -> fmt::Result {
    let e = escape::html;
    page::filter_start(out, "Search", "patch name, subject, commit")?;
    writeln!(
        out,
        "<p><label for=\"filter-carried\">Show</label> <select id=\"filter-carried\" name=\"carried\">"
    )?;
    let mut choices = vec![
        ("all".to_string(), "every change".to_string()),
        ("common".into(), "the common delta".into()),
        ("shared".into(), "changes two or more carry".into()),
    ];
    for (d, dist) in c.distributions.iter().enumerate() {
        choices.push((format!("in-{d}"), format!("carried by {}", dist.name)));
    }
    for (d, dist) in c.distributions.iter().enumerate() {
        choices.push((
            format!("common-{d}"),
            format!("the common delta {} carries", dist.name),
        ));
    }
    for (d, dist) in c.distributions.iter().enumerate() {
        choices.push((format!("alone-{d}"), format!("only in {}", dist.name)));
    }
    // An empty common delta is said, and the page opens on every change instead.
    let opening = if c.summary.common == 0 {
        "all"
    } else {
        "common"
    };
    for (value, label) in &choices {
        let selected = if value == opening { " selected" } else { "" };
        writeln!(
            out,
            "<option value=\"{}\"{selected}>{}</option>",
            e(value),
            e(label)
        )?;
    }
    writeln!(out, "</select></p>")?;
    if c.summary.common == 0 {
        writeln!(
            out,
            "<p class=\"note\">The common delta is empty: no change that is not upstream is carried by two or more of these distributions. Every change is shown.</p>"
        )?;
    }
    let statuses: Vec<(String, String)> = Status::ALL
        .iter()
        .filter(|s| c.clusters.iter().any(|r| r.status == **s))
        .map(|s| (s.as_str().to_string(), badge(*s)))
        .collect();
    page::checkboxes(out, "Status", "status", &statuses)?;
    page::filter_end(out, "changes")
}

fn changes(out: &mut String, c: &Comparison) -> fmt::Result {
    let mut columns = vec![
        Column::num("#"),
        Column::text("change"),
        Column::text("status"),
        Column::text("upstream"),
    ];
    columns.extend(c.distributions.iter().map(|d| Column::text(&d.name)));
    columns.push(Column::text("linked by"));
    page::filter_table_start(out, &columns)?;
    for row in &c.clusters {
        change(out, c, row)?;
    }
    writeln!(out, "</tbody></table></div>")
}

fn change(out: &mut String, c: &Comparison, row: &ClusterRow) -> fmt::Result {
    let e = escape::html;
    let mut search = vec![row.title.clone()];
    search.extend(row.commit.iter().cloned());
    search.extend(row.carriers.iter().flatten().map(|m| m.name.clone()));
    let rank = Status::ALL
        .iter()
        .position(|s| *s == row.status)
        .unwrap_or(0);
    write!(
        out,
        "<tr id=\"change-{}\" data-status=\"{}\" data-carried=\"{}\" data-search=\"{}\">\
         <td class=\"num\">{}</td><td class=\"subject\">{}</td><td data-v=\"{rank}\">{}</td><td>{}</td>",
        row.id,
        row.status,
        carried(row),
        e(&search.join(" ").to_lowercase()),
        row.id,
        e(&row.title),
        badge(row.status),
        row.commit.as_deref().map_or(String::new(), |id| page::commit(
            c.commit_url.as_deref(),
            id,
            row.release.as_deref()
        ))
    )?;
    for members in &row.carriers {
        let names: Vec<String> = members
            .iter()
            .map(|m| {
                let status = if m.status == row.status {
                    String::new()
                } else {
                    format!(" {}", badge(m.status))
                };
                format!("<code>{}</code>{status}", e(&m.name))
            })
            .collect();
        write!(out, "<td class=\"pname\">{}</td>", names.join("<br>"))?;
    }
    let links: Vec<String> = row.links.iter().map(link_text).collect();
    writeln!(out, "<td class=\"why\">{}</td></tr>", e(&links.join("; ")))
}
