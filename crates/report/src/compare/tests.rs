//! The comparison's renderers on the sample comparison: every format escapes the hostile
//! texts, the HTML rows carry the tokens its filter reads, and every table row has as many
//! cells as its header.

use super::render_comparison;
use crate::render::Format;
use crate::sample::{sample_comparison, PWN_IMG, PWN_SCRIPT};

fn html() -> String {
    render_comparison(&sample_comparison(), Format::Html).expect("rendered")
}

#[test]
fn no_hostile_text_survives_as_markup() {
    // JSON and CSV are data, not markup: they keep the text as it is (CSV guards formulas).
    for format in [Format::Html, Format::Markdown, Format::MediaWiki] {
        let out = render_comparison(&sample_comparison(), format).expect("rendered");
        assert!(!out.contains(PWN_IMG), "{format:?}");
        assert!(!out.contains(PWN_SCRIPT), "{format:?}");
    }
    let page = html();
    assert_eq!(
        page.matches("<script>").count(),
        1,
        "only the page's own script"
    );
    assert!(!page.contains("<img"));
    let csv = render_comparison(&sample_comparison(), Format::Csv).expect("rendered");
    assert!(!csv.contains(",=cmd") && !csv.contains(",\"=cmd"), "{csv}");
}

#[test]
fn rows_carry_what_the_filter_reads() {
    let page = html();
    // Change 2: openSUSE and the third distribution, in progress: common.
    let row = page
        .lines()
        .find(|l| l.starts_with("<tr id=\"change-2\""))
        .expect("change 2");
    assert!(row.contains(
        "data-status=\"in-progress\" data-carried=\"all common shared in-0 common-0 in-2 common-2\""
    ));
    // Change 4: openSUSE alone.
    let row = page
        .lines()
        .find(|l| l.starts_with("<tr id=\"change-4\""))
        .expect("change 4");
    assert!(row.contains("data-carried=\"all in-0 alone-0\""), "{row}");
    // The page opens on the common delta, and every choice is there.
    assert!(page.contains("<option value=\"common\" selected>the common delta</option>"));
    for value in ["all", "shared", "in-1", "common-1", "alone-2"] {
        assert!(
            page.contains(&format!("<option value=\"{value}\"")),
            "{value}"
        );
    }
    // The upstream change links its commit through the template.
    assert!(page.contains(
        "<a href=\"https://git.kernel.org/linus/0123456789abcdef0123456789abcdef01234567\""
    ));
}

#[test]
fn every_row_has_a_cell_per_column() {
    let page = html();
    let table = &page[page.find("id=\"filter-table\"").expect("rendered")..];
    let table = &table[..table.find("</table>").expect("rendered")];
    let columns = table[..table.find("</thead>").expect("rendered")]
        .matches("<th ")
        .count();
    assert_eq!(columns, 4 + 3 + 1);
    for row in table.split("<tr ").skip(1).filter(|r| r.starts_with("id=")) {
        assert_eq!(row.matches("<td").count(), columns, "{row}");
    }
    let csv = render_comparison(&sample_comparison(), Format::Csv).expect("rendered");
    assert!(csv.starts_with(
        "cluster,change,status,commit,release,common,linked_by,openSUSE,Debian,\"'=cmd"
    ));
}

#[test]
fn an_empty_common_delta_is_said_and_the_page_opens_on_every_change() {
    let mut comparison = sample_comparison();
    for row in &mut comparison.clusters {
        row.common = false;
    }
    comparison.summary.common = 0;
    let page = render_comparison(&comparison, Format::Html).expect("rendered");
    assert!(page.contains("<option value=\"all\" selected>every change</option>"));
    assert!(!page.contains("<option value=\"common\" selected>"));
    assert!(page.contains("The common delta is empty"), "said");
}
