//! The frame of the comparison and history pages: a self-contained HTML document with the
//! report's style, a Content-Security-Policy that allows only the page's one inline script
//! (by its SHA-256), and that script, which sorts tables by their headers and filters the
//! table `#filter-table` from the form `#filters`, keeping the filter in the URL.
//!
//! A page marks a table's rows with `data-N` attributes, space-separated tokens, and puts a
//! control named `N` in the form; `q` searches the rows' `data-search`.

pub(crate) use super::html::badge;
use super::html::{content_security_policy, script_hash, status_css, CSS};
use crate::escape;
use crate::model::Upstream;
use std::fmt::{self, Write};

/// The pages' one script. It must hold no model data.
const SCRIPT: &str = include_str!("page/tables.js");

/// The document's head, with `css` after the report's style, and the top of its body up to
/// and including the `<h1>`.
pub(crate) fn head(out: &mut String, title: &str, generator: &str, css: &str) -> fmt::Result {
    document_head(out, title, generator, css, SCRIPT)?;
    writeln!(
        out,
        "<body>\n<header class=\"top\">\n<h1>{}</h1>",
        escape::html(title)
    )
}

/// The document up to `</head>`: the report's style and `css`, and a Content-Security-Policy
/// that lets only `script` run.
pub(crate) fn document_head(
    out: &mut String,
    title: &str,
    generator: &str,
    css: &str,
    script: &str,
) -> fmt::Result {
    let e = escape::html;
    writeln!(out, "<!doctype html>\n<html lang=\"en\">\n<head>")?;
    writeln!(out, "<meta charset=\"utf-8\">")?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        content_security_policy(&script_hash(script))
    )?;
    writeln!(out, "<meta name=\"color-scheme\" content=\"light\">")?;
    writeln!(
        out,
        "<meta name=\"generator\" content=\"{}\">",
        e(generator)
    )?;
    // An empty icon, so that no browser asks a server for /favicon.ico.
    writeln!(out, "<link rel=\"icon\" href=\"data:,\">")?;
    writeln!(out, "<title>{}</title>", e(title))?;
    writeln!(out, "<style>\n{CSS}{}{css}</style>\n</head>", status_css())
}

/// What the page's header says after its title.
pub(crate) struct Header<'a> {
    /// What was judged against.
    pub upstream: &'a Upstream,
    /// The tool.
    pub generator: &'a str,
    /// When.
    pub generated_at: Option<&'a str>,
    /// The page's first paragraph.
    pub intro: &'a str,
    /// The page's parts: `(id, title)`, linked from the header.
    pub parts: &'a [(&'a str, &'a str)],
}

/// The end of the page's header: what was judged against, by which tool and when, the
/// intro, and links to the page's parts.
pub(crate) fn header_end(out: &mut String, h: &Header) -> fmt::Result {
    let e = escape::html;
    let when = h.generated_at.map(|d| format!(", {d}")).unwrap_or_default();
    writeln!(
        out,
        "<p class=\"provenance\">Judged against {}; {}{}.</p>\n<p>{}</p>",
        e(&h.upstream.describe()),
        e(h.generator),
        e(&when),
        e(h.intro)
    )?;
    write!(out, "<nav aria-label=\"Contents\"><ul>")?;
    for (id, title) in h.parts {
        write!(out, "<li><a href=\"#{}\">{}</a></li>", e(id), e(title))?;
    }
    writeln!(out, "</ul></nav>\n</header>")
}

/// The script and the end of the document.
pub(crate) fn foot(out: &mut String) -> fmt::Result {
    writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>")
}

/// A column of a sortable table: its title and whether it sorts as numbers.
pub(crate) struct Column<'a> {
    pub title: &'a str,
    pub numeric: bool,
}

impl<'a> Column<'a> {
    pub(crate) fn text(title: &'a str) -> Column<'a> {
        Column {
            title,
            numeric: false,
        }
    }

    pub(crate) fn num(title: &'a str) -> Column<'a> {
        Column {
            title,
            numeric: true,
        }
    }
}

/// A table's `<thead>`, each column's title a button that sorts by it.
pub(crate) fn sortable_head(out: &mut String, columns: &[Column]) -> fmt::Result {
    write!(out, "<thead><tr>")?;
    for (i, c) in columns.iter().enumerate() {
        let kind = if c.numeric {
            " class=\"num\" data-type=\"num\""
        } else {
            ""
        };
        write!(
            out,
            "<th scope=\"col\"{kind}><button type=\"button\" data-col=\"{i}\">{}</button></th>",
            escape::html(c.title)
        )?;
    }
    writeln!(out, "</tr></thead>")
}

/// The start of the page's filterable table (the one its filter script reads): the
/// scrolling box, the table, its sortable head and the opening `<tbody>`; the caller writes
/// the rows and `</tbody></table></div>`.
pub(crate) fn filter_table_start(out: &mut String, columns: &[Column]) -> fmt::Result {
    writeln!(
        out,
        "<div class=\"scroll\"><table id=\"filter-table\" class=\"patches\">"
    )?;
    sortable_head(out, columns)?;
    writeln!(out, "<tbody>")
}

/// An upstream commit, short, linked through the commit-URL `template` when there is one,
/// and its first release.
pub(crate) fn commit(template: Option<&str>, commit: &str, release: Option<&str>) -> String {
    let short = super::short(commit);
    let id = match template {
        Some(t) => super::html::link(&crate::build::commit_url(t, commit), short),
        None => escape::html(short),
    };
    match release {
        Some(r) => format!(
            "<code>{id}</code> <span class=\"release\">{}</span>",
            escape::html(r)
        ),
        None => format!("<code>{id}</code>"),
    }
}

/// The filter form's search box and the start of the form.
pub(crate) fn filter_start(out: &mut String, label: &str, placeholder: &str) -> fmt::Result {
    writeln!(
        out,
        "<form id=\"filters\" class=\"filters\" role=\"search\">\n<p><label for=\"filter-q\">{}</label> \
         <input type=\"search\" id=\"filter-q\" name=\"q\" placeholder=\"{}\" autocomplete=\"off\"></p>",
        escape::html(label),
        escape::html(placeholder)
    )
}

/// A group of checkboxes named `name`: each `(value, label)`; none checked shows every row.
pub(crate) fn checkboxes(
    out: &mut String,
    legend: &str,
    name: &str,
    choices: &[(String, String)],
) -> fmt::Result {
    let e = escape::html;
    writeln!(
        out,
        "<fieldset><legend>{} <span class=\"hint\">(none: all)</span></legend>",
        e(legend)
    )?;
    for (value, label) in choices {
        writeln!(
            out,
            "<label class=\"chip\"><input type=\"checkbox\" name=\"{}\" value=\"{}\"> {}</label>",
            e(name),
            e(value),
            label
        )?;
    }
    writeln!(out, "</fieldset>")
}

/// The end of the filter form: reset, and the count of rows shown (`N of M noun`).
pub(crate) fn filter_end(out: &mut String, noun: &str) -> fmt::Result {
    writeln!(
        out,
        "<p><button type=\"reset\">Reset</button><output id=\"filter-count\" data-noun=\"{}\" \
         aria-live=\"polite\"></output></p>\n</form>",
        escape::html(noun)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_exactly_the_script_on_the_page() {
        let mut out = String::new();
        head(&mut out, "t", "kdelta", "").expect("rendered");
        foot(&mut out).expect("rendered");
        let hash = script_hash(SCRIPT);
        assert!(out.contains(&format!("'sha256-{hash}'")));
        assert_eq!(out.matches("<script>").count(), 1);
        assert!(out.contains(&format!("<script>{SCRIPT}</script>")));
    }

    #[test]
    fn headers_are_escaped_and_typed() {
        let mut out = String::new();
        sortable_head(&mut out, &[Column::text("<b>"), Column::num("n")]).expect("rendered");
        assert!(out.contains("&lt;b&gt;"));
        assert!(out.contains("data-type=\"num\"><button type=\"button\" data-col=\"1\">n<"));
    }
}
