//! The plan's renderers on the sample plan: hostile text escaped, every table row as wide
//! as its header, the HTML rows carrying the tokens its filter reads, and a snapshot of
//! the Markdown.

use super::render_rebase;
use crate::render::Format;
use crate::sample::{sample_rebase, PWN_IMG, PWN_SCRIPT};

fn render(format: Format) -> String {
    render_rebase(&sample_rebase(), format).expect("rendered")
}

#[test]
fn no_hostile_text_survives_as_markup() {
    for format in [Format::Html, Format::Markdown, Format::MediaWiki] {
        let out = render(format);
        assert!(!out.contains(PWN_IMG), "{format:?}");
        assert!(!out.contains(PWN_SCRIPT), "{format:?}");
    }
}

#[test]
fn rows_are_as_wide_as_the_header() {
    let csv = render(Format::Csv);
    let mut lines = csv.split("\r\n").filter(|l| !l.is_empty());
    assert_eq!(lines.next(), Some("position,patch,action,why"));
    assert_eq!(lines.count(), 5);
    let md = render(Format::Markdown);
    let table: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(table.len(), 7, "{md}");
    let width = table[0].matches(" | ").count();
    for row in &table[2..] {
        assert!(row.matches(" | ").count() >= width, "{row}");
    }
}

#[test]
fn the_page_counts_each_action_and_marks_rows_for_its_filter() {
    let html = render(Format::Html);
    assert!(html.contains("<tr data-action=\"conflict\""), "{html}");
    assert!(html.contains("<input type=\"checkbox\" name=\"action\" value=\"keep-refreshed\">"));
    assert!(
        !html.contains("value=\"drop-obsolete\""),
        "no such step: no such filter"
    );
    assert!(html.contains("5 patches onto the tree linux-6.12.107, pushed with GNU patch&#39;s rules, fuzz up to 2: 1 drop-upstream, 1 keep, 1 keep-refreshed, 1 conflict, 1 blocked."), "{html}");
}

#[test]
fn json_is_the_plan() {
    let json: serde_json::Value = serde_json::from_str(&render(Format::Json)).expect("json");
    assert_eq!(json["steps"][1]["action"], "drop-upstream");
    assert_eq!(json["steps"].as_array().map(Vec::len), Some(5));
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!(render(Format::Markdown));
}
