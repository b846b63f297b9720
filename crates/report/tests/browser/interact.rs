//! The pages used as a user would, through the DevTools protocol ([`cdp`](super::cdp)):
//! sorting by a header, typing in the search box, ticking a status, choosing what the
//! comparison shows, closing a detail view; the URL follows the filter.

use super::*;

/// `page` open in Chromium, at `fragment`, to click and type in.
fn tab(chromium: &Path, page: &Path, fragment: &str) -> cdp::Tab {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let run = RUN.fetch_add(1, Ordering::SeqCst);
    let dir = page.parent().expect("the page's directory");
    let profile = dir.join(format!("cdp-profile-{}-{run}", std::process::id()));
    let url = format!("file://{}#{fragment}", page.display());
    cdp::Tab::open(chromium, &url, &profile)
}

/// The ids of the rows of `table` that show, in their order on the page.
fn shown_ids(tab: &mut cdp::Tab, table: &str) -> Vec<String> {
    let ids = tab.eval(&format!(
        "Array.from(document.querySelectorAll('{table} tbody tr')).filter(r => !r.hidden).map(r => r.id)"
    ));
    serde_json::from_value(ids).expect("a list of ids")
}

/// Type `text` in the field `id` as a user would.
fn type_in(tab: &mut cdp::Tab, id: &str, text: &str) {
    tab.eval(&format!(
        "(() => {{ const f = document.getElementById('{id}'); f.value = {}; \
         f.dispatchEvent(new Event('input', {{bubbles: true}})); }})()",
        serde_json::Value::from(text)
    ));
}

fn hash(tab: &mut cdp::Tab) -> String {
    tab.eval("location.hash")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
#[ignore = "needs chromium: cargo test -p kdelta-report --test browser -- --include-ignored"]
fn typing_and_ticking_filter_the_report_and_the_url_follows() {
    let chromium = browser();
    let mut tab = tab(&chromium, page(), "");
    assert_eq!(shown_ids(&mut tab, "#patch-table").len(), 9);
    type_in(&mut tab, "filter-q", "netfront");
    assert_eq!(shown_ids(&mut tab, "#patch-table"), ["row-3"]);
    assert_eq!(hash(&mut tab), "#q=netfront");
    type_in(&mut tab, "filter-q", "");
    tab.eval("document.querySelector('input[name=status][value=upstream]').click()");
    let upstream: Vec<String> = positions(Status::Upstream)
        .iter()
        .map(|p| format!("row-{p}"))
        .collect();
    assert_eq!(shown_ids(&mut tab, "#patch-table"), upstream);
    assert_eq!(hash(&mut tab), "#status=upstream");
    assert!(
        tab.eval("document.getElementById('filter-count').textContent")
            .as_str()
            .is_some_and(|t| t.starts_with(&format!("{} of 9", upstream.len()))),
        "the count follows"
    );
}

#[test]
#[ignore = "needs chromium: cargo test -p kdelta-report --test browser -- --include-ignored"]
fn clicking_a_header_sorts_the_report_and_again_reverses_it() {
    let chromium = browser();
    let mut tab = tab(&chromium, page(), "");
    let confidences = |tab: &mut cdp::Tab| -> Vec<f64> {
        let values = tab.eval(
            "Array.from(document.querySelectorAll('#patch-table tbody tr')).map(r => parseFloat(r.cells[4].textContent))",
        );
        serde_json::from_value(values).expect("numbers")
    };
    let click = "document.querySelector('#patch-table th button[data-col=\"4\"]').click()";
    tab.eval(click);
    let up = confidences(&mut tab);
    assert!(up.windows(2).all(|w| w[0] <= w[1]), "ascending: {up:?}");
    tab.eval(click);
    let down = confidences(&mut tab);
    assert!(
        down.windows(2).all(|w| w[0] >= w[1]),
        "descending: {down:?}"
    );
    assert_eq!(
        tab.eval("document.querySelector('#patch-table th[aria-sort]').textContent"),
        "confidence"
    );
}

#[test]
#[ignore = "needs chromium: cargo test -p kdelta-report --test browser -- --include-ignored"]
fn choosing_what_the_comparison_shows_and_sorting_it() {
    let chromium = browser();
    let mut tab = tab(&chromium, compare_page(), "");
    assert_eq!(
        shown_ids(&mut tab, "#filter-table"),
        ["change-2", "change-3"]
    );
    tab.eval(
        "(() => { const s = document.getElementById('filter-carried'); s.value = 'all'; \
         s.dispatchEvent(new Event('change', {bubbles: true})); })()",
    );
    assert_eq!(shown_ids(&mut tab, "#filter-table").len(), 6);
    assert_eq!(hash(&mut tab), "#carried=all");
    let click = "document.querySelector('#filter-table th button[data-col=\"0\"]').click()";
    tab.eval(click);
    tab.eval(click);
    let ids = shown_ids(&mut tab, "#filter-table");
    assert_eq!(ids.first().map(String::as_str), Some("change-6"), "{ids:?}");
    assert_eq!(ids.last().map(String::as_str), Some("change-1"), "{ids:?}");
    // A link of the distributions table sets the filter.
    tab.eval("document.querySelector('a[href=\"#carried=alone-0&status=' + 'replacement-likely,in-progress,needs-work,downstream-only,obsolete,unknown\"]').click()");
    tab.wait_for("location.hash.startsWith('#carried=alone-0')");
    assert_eq!(shown_ids(&mut tab, "#filter-table"), ["change-4"]);
}

#[test]
#[ignore = "needs chromium: cargo test -p kdelta-report --test browser -- --include-ignored"]
fn closing_a_detail_view_goes_back_to_the_filtered_table() {
    let chromium = browser();
    let mut tab = tab(&chromium, page(), "q=netfront");
    assert_eq!(shown_ids(&mut tab, "#patch-table"), ["row-3"]);
    tab.eval("document.querySelector('#row-3 a[href=\"#patch-3\"]').click()");
    tab.wait_for("location.hash === '#patch-3'");
    tab.eval("document.querySelector('#patch-3 a[data-close]').click()");
    tab.wait_for("location.hash === '#q=netfront'");
    assert_eq!(shown_ids(&mut tab, "#patch-table"), ["row-3"]);
    // Escape closes it too.
    tab.eval("location.hash = 'patch-3'");
    tab.wait_for("location.hash === '#patch-3'");
    tab.eval("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))");
    tab.wait_for("location.hash === '#q=netfront'");
}
