//! The one table of every patch, with the filter form above it. The script sorts it when a
//! column header is clicked and hides the rows the filter does not match; it reads the status
//! (`data-status`) and the text to search (`data-search`) from each row, and a column's sort
//! key from a cell's `data-v` or its text (`data-type="num"` on the header for numbers).

use super::{badge, e, flags, link_to, opt, short, status_rank, Page};
use crate::model::PatchReport;
use std::fmt::{self, Write};

/// The columns: heading, whether they sort as numbers.
const COLUMNS: [(&str, bool); 9] = [
    ("#", true),
    ("patch", false),
    ("subject", false),
    ("status", true),
    ("confidence", true),
    ("owner", false),
    ("feature", false),
    ("upstream", false),
    ("first evidence", false),
];

pub(super) fn write(out: &mut String, page: &Page) -> fmt::Result {
    writeln!(
        out,
        "<section id=\"patches\" aria-labelledby=\"patches-h\">\n<h2 id=\"patches-h\">All patches</h2>"
    )?;
    filters(out, page)?;
    writeln!(
        out,
        "<div class=\"scroll\">\n<table id=\"patch-table\" class=\"patches\">"
    )?;
    writeln!(
        out,
        "<caption>Every patch in queue order. A column heading sorts by it; a name opens the \
         patch's details.</caption>"
    )?;
    header(out)?;
    writeln!(out, "<tbody>")?;
    for p in &page.report.patches {
        row(out, p)?;
    }
    writeln!(out, "</tbody>\n</table>\n</div>\n</section>")
}

/// The text filter, one checkbox per status that has patches, and the count shown.
fn filters(out: &mut String, page: &Page) -> fmt::Result {
    let total = page.report.patches.len();
    writeln!(
        out,
        "<form id=\"filters\" class=\"filters\" role=\"search\" aria-label=\"Filter the patches\" \
         data-table=\"patch-table\">"
    )?;
    writeln!(
        out,
        "<p class=\"query\"><label for=\"filter-q\">Filter</label> \
         <input type=\"search\" id=\"filter-q\" name=\"q\" autocomplete=\"off\" spellcheck=\"false\" \
         placeholder=\"name, subject, owner, feature or commit\"></p>"
    )?;
    writeln!(
        out,
        "<fieldset id=\"filter-status\"><legend>Status <span class=\"hint\">(none ticked: all)</span></legend>"
    )?;
    for c in page.report.summary.by_status.iter().filter(|c| c.count > 0) {
        let name = c.status.as_str();
        writeln!(
            out,
            "<label class=\"chip\"><input type=\"checkbox\" name=\"status\" value=\"{name}\"> {} <span class=\"count\">{}</span></label>",
            badge(c.status),
            c.count
        )?;
    }
    writeln!(out, "</fieldset>")?;
    writeln!(
        out,
        "<p class=\"actions\"><button type=\"reset\">Clear</button> \
         <output id=\"filter-count\" for=\"filter-q filter-status\" data-noun=\"patches\" aria-live=\"polite\">{total} of {total} patches</output></p>"
    )?;
    writeln!(
        out,
        "<noscript><p class=\"hint\">Sorting and filtering need JavaScript; the details of a \
         patch open without it.</p></noscript>\n</form>"
    )
}

fn header(out: &mut String) -> fmt::Result {
    write!(out, "<thead><tr>")?;
    for (i, (title, numeric)) in COLUMNS.iter().enumerate() {
        let kind = if *numeric { " data-type=\"num\"" } else { "" };
        let sorted = if i == 0 {
            " aria-sort=\"ascending\""
        } else {
            ""
        };
        write!(
            out,
            "<th scope=\"col\"{kind}{sorted}><button type=\"button\" data-col=\"{i}\">{title}</button></th>"
        )?;
    }
    writeln!(out, "</tr></thead>")
}

fn row(out: &mut String, p: &PatchReport) -> fmt::Result {
    write!(
        out,
        "<tr id=\"row-{}\" data-status=\"{}\" data-search=\"{}\">",
        p.position,
        p.status.as_str(),
        e(&search_text(p))
    )?;
    write!(out, "<td class=\"num\">{}</td>", p.position)?;
    write!(out, "<td class=\"pname\">{}</td>", link_to(p))?;
    write!(out, "<td class=\"subject\">{}</td>", opt(&p.subject))?;
    write!(
        out,
        "<td class=\"status\" data-v=\"{}\">{}{}</td>",
        status_rank(p.status),
        badge(p.status),
        flags(p)
    )?;
    write!(out, "<td class=\"num\">{:.2}</td>", p.confidence)?;
    write!(
        out,
        "<td>{}</td><td>{}</td>",
        opt(&p.owner),
        opt(&p.feature)
    )?;
    write!(out, "<td class=\"commit\">{}</td>", upstream(p))?;
    let why = p.evidence.first();
    writeln!(
        out,
        "<td class=\"why\" title=\"{}\">{}</td></tr>",
        why.map(|w| super::serde_name(&w.kind)).unwrap_or_default(),
        why.map(|w| e(&w.detail)).unwrap_or_default()
    )
}

/// What the text filter matches: name, subject, owner, feature and commit, lower case.
fn search_text(p: &PatchReport) -> String {
    let parts = [
        Some(p.name.as_str()),
        p.subject.as_deref(),
        p.owner.as_deref(),
        p.feature.as_deref(),
        p.commit.as_deref(),
    ];
    let text: Vec<&str> = parts.into_iter().flatten().collect();
    text.join("\n").to_lowercase()
}

/// The upstream commit, short and linked when its URL is a plain one, and its release.
fn upstream(p: &PatchReport) -> String {
    let Some(commit) = &p.commit else {
        return String::new();
    };
    let url = p.commit_url.as_deref().and_then(crate::escape::url);
    let shown = match url {
        Some(url) => format!(
            "<a href=\"{}\" rel=\"noreferrer\" title=\"{}\"><code>{}</code></a>",
            e(&url),
            e(commit),
            e(short(commit))
        ),
        None => format!("<code title=\"{}\">{}</code>", e(commit), e(short(commit))),
    };
    match &p.release {
        Some(release) => format!("{shown} <span class=\"release\">{}</span>", e(release)),
        None => shown,
    }
}
