//! The history's renderers on the sample history: hostile text escaped, every table row as
//! wide as its header (CSV, Markdown, MediaWiki, HTML), and the HTML rows carrying the
//! tokens its filter reads.

use super::render_history;
use crate::render::Format;
use crate::sample::{sample_history, PWN_IMG, PWN_SCRIPT};

fn render(format: Format) -> String {
    render_history(&sample_history(), format).expect("rendered")
}

#[test]
fn no_hostile_text_survives_as_markup() {
    // JSON and CSV are data, not markup: they keep the text as it is (CSV guards formulas).
    for format in [Format::Html, Format::Markdown, Format::MediaWiki] {
        let out = render(format);
        assert!(!out.contains(PWN_IMG), "{format:?}");
        assert!(!out.contains(PWN_SCRIPT), "{format:?}");
    }
}

#[test]
fn csv_rows_are_as_wide_as_the_header() {
    let csv = render(Format::Csv);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("rendered").split(',').collect();
    assert_eq!(
        header[header.len() - 8..],
        [
            "added",
            "removed",
            "removed_upstream",
            "removed_dropped",
            "renamed",
            "refreshed",
            "disabled",
            "reenabled"
        ]
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 4);
    for row in rows {
        assert_eq!(row.split(',').count(), header.len(), "{row}");
    }
}

#[test]
fn markdown_and_wiki_rows_are_as_wide_as_the_header() {
    let md = render(Format::Markdown);
    let table: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    let width = table[0].matches('|').count();
    assert!(
        table.iter().all(|l| l.matches('|').count() == width),
        "{md}"
    );
    let wiki = render(Format::MediaWiki);
    let header = wiki
        .lines()
        .find(|l| l.starts_with("! "))
        .expect("rendered");
    let cells = header.matches("!!").count() + 1;
    for row in wiki.lines().filter(|l| l.starts_with("| v")) {
        assert_eq!(row.matches("||").count() + 1, cells, "{row}");
    }
}

#[test]
fn html_tables_have_a_cell_per_column_and_filter_tokens() {
    let page = render(Format::Html);
    for table in page.split("<table").skip(1) {
        let table = &table[..table.find("</table>").expect("rendered")];
        let columns = table[..table.find("</thead>").expect("rendered")]
            .matches("<th ")
            .count();
        for row in table.split("<tr").skip(2) {
            assert_eq!(row.matches("<td").count(), columns, "{row}");
        }
    }
    assert!(page.contains("<tr data-kind=\"upstream\" data-rev=\"all r1\""));
    assert!(page.contains("<tr data-kind=\"dropped\" data-rev=\"all r3\""));
    assert!(page.contains("<tr data-kind=\"renamed\" data-rev=\"all r1\""));
    assert!(page.contains("<tr data-kind=\"reenabled\" data-rev=\"all r2\""));
    assert!(page.contains("<span class=\"release\">v6.8</span>"));
}
