//! The HTML report in a real browser: headless Chromium loads the page with a filter in the
//! URL (`#q=…&status=…`) and dumps the DOM after the script ran; the rows the filter does not
//! match carry `hidden`, and nothing a patch says ran as script.
//!
//! Other tests click and type in the page through the DevTools protocol ([`cdp`]): sorting by a
//! header, typing in the search box, ticking a status, choosing what the comparison shows; the
//! URL follows the filter.
//!
//! The tests are ignored by `cargo test --workspace` (they need Chromium);
//! `cargo test -p kdelta-report --test browser -- --include-ignored` runs them, and fails when
//! there is no `chromium` (or `chromium-browser`) binary. `.ci/run` installs it and runs them.
//! The page is kept at `target/tmp/kdelta-report-browser/report.html` for a look.

#[path = "browser/cdp.rs"]
mod cdp;

use kdelta_analysis::Status;
use kdelta_report::model::Report;
use kdelta_report::render::Format;
use kdelta_report::sample::hostile_report;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long one browser run may take.
const TIMEOUT: Duration = Duration::from_secs(90);

/// The page's report: the sample's eight patches and a ninth whose every text is hostile, its
/// images and scripts setting `data-pwned` on the body if they ever ran.
fn report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(hostile_report)
}

/// The Chromium binary, if one is installed.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"].iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium: these tests are ignored unless asked for (`-- --include-ignored`), and then a
/// missing browser fails them rather than letting them pass untested.
fn browser() -> PathBuf {
    chromium().expect("chromium not installed (neither chromium nor chromium-browser on PATH); .ci/run installs it")
}

/// `html` written as `target/tmp/kdelta-report-browser/NAME`.
fn write_page(name: &str, html: String) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kdelta-report-browser");
    std::fs::create_dir_all(&dir).expect("create the page's directory");
    let path = dir.join(name);
    std::fs::write(&path, html).expect("write the page");
    path
}

/// The sample report written once for all tests: `report.html`.
fn page() -> &'static Path {
    static PAGE: OnceLock<PathBuf> = OnceLock::new();
    PAGE.get_or_init(|| write_page("report.html", kdelta_report::render::html::render(report())))
}

/// The DOM of the report page with `fragment` after its script ran.
fn dump_dom(chromium: &Path, fragment: &str) -> String {
    let dom = dump_page(chromium, page(), fragment);
    assert!(
        dom.contains("id=\"patch-table\""),
        "no table in the dump of #{fragment}"
    );
    dom
}

/// The DOM of `page` with `fragment` after its script ran, as headless Chromium dumps it.
fn dump_page(chromium: &Path, page: &Path, fragment: &str) -> String {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let dir = page.parent().expect("the page's directory");
    let run = RUN.fetch_add(1, Ordering::SeqCst);
    let id = format!("{}-{run}", std::process::id());
    let profile = dir.join(format!("profile-{id}"));
    let out_path = dir.join(format!("dom-{id}.html"));
    let err_path = dir.join(format!("dom-{id}.err"));
    let url = format!("file://{}#{fragment}", page.display());
    let mut child = Command::new(chromium)
        .args(cdp::HEADLESS)
        .arg("--virtual-time-budget=2000")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("create the dump"))
        .stderr(std::fs::File::create(&err_path).expect("create the log"))
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium took over {TIMEOUT:?} on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let dom = std::fs::read_to_string(&out_path).expect("read the dump");
    let log = std::fs::read_to_string(&err_path).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&profile);
    let _ = std::fs::remove_file(&out_path);
    let _ = std::fs::remove_file(&err_path);
    assert!(
        status.success(),
        "chromium failed on {url}: {status}\n{log}"
    );
    assert!(
        dom.contains("id=\"filter-count\""),
        "no filter in the dump of {url}:\n{log}"
    );
    dom
}

/// The start tag beginning at `from`, up to its `>` outside quoted values.
fn start_tag(html: &str, from: usize) -> &str {
    let mut quoted = false;
    for (i, c) in html[from..].char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return &html[from..=from + i],
            _ => {}
        }
    }
    &html[from..]
}

/// The attribute names of a start tag (its quoted values left out).
fn attribute_names(tag: &str) -> Vec<String> {
    let names: String = tag.split('"').step_by(2).collect::<Vec<_>>().join(" ");
    names
        .trim_start_matches('<')
        .trim_end_matches('>')
        .split(|c: char| c.is_whitespace() || c == '=')
        .filter(|w| !w.is_empty())
        .skip(1)
        .map(str::to_string)
        .collect()
}

/// The positions of the table's rows the DOM shows (no `hidden` attribute), in DOM order.
fn visible_rows(dom: &str) -> Vec<usize> {
    visible(dom, "<tr id=\"row-")
}

/// The numbers after `prefix` of the start tags the DOM shows (no `hidden` attribute).
fn visible(dom: &str, prefix: &str) -> Vec<usize> {
    let mut shown = Vec::new();
    for (at, _) in dom.match_indices(prefix) {
        let tag = start_tag(dom, at);
        let n: String = tag[prefix.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !attribute_names(tag).iter().any(|a| a == "hidden") {
            shown.push(n.parse().expect("a row number"));
        }
    }
    shown
}

/// The positions of the report's patches whose status is `status`.
fn positions(status: Status) -> Vec<usize> {
    report()
        .patches
        .iter()
        .filter(|p| p.status == status)
        .map(|p| p.position)
        .collect()
}

#[test]
#[ignore = "needs chromium: cargo test -p kdelta-report --test browser -- --include-ignored"]
fn the_status_in_the_url_filters_the_rows() {
    let chromium = browser();
    let dom = dump_dom(&chromium, "status=upstream");
    assert_eq!(dom.matches("<tr id=\"row-").count(), report().patches.len());
    assert_eq!(visible_rows(&dom), positions(Status::Upstream));
    assert!(dom.contains("2 of 9 patches"), "the count shown");

    let dom = dump_dom(&chromium, "status=upstream,obsolete");
    let mut both = positions(Status::Upstream);
    both.extend(positions(Status::Obsolete));
    assert_eq!(visible_rows(&dom), both);
}

#[test]
#[ignore = "needs chromium: cargo test -p kdelta-report --test browser -- --include-ignored"]
fn the_text_in_the_url_filters_the_rows() {
    let chromium = browser();
    let dom = dump_dom(&chromium, "q=netfront");
    assert_eq!(visible_rows(&dom), [3]);

    // Words are all required, case does not matter, and both filters combine.
    let dom = dump_dom(&chromium, "q=FIX%20journal");
    assert_eq!(visible_rows(&dom), [2]);
    let dom = dump_dom(&chromium, "q=fix&status=upstream");
    assert_eq!(visible_rows(&dom), [1, 2]);
    let dom = dump_dom(&chromium, "q=alice&status=upstream");
    assert_eq!(visible_rows(&dom), Vec::<usize>::new());
}

#[test]
#[ignore = "needs chromium: cargo test -p kdelta-report --test browser -- --include-ignored"]
fn without_a_filter_every_row_shows() {
    let chromium = browser();
    let dom = dump_dom(&chromium, "patch-3");
    assert_eq!(visible_rows(&dom), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert!(dom.contains("9 of 9 patches"));
}

#[test]
#[ignore = "needs chromium: cargo test -p kdelta-report --test browser -- --include-ignored"]
fn nothing_a_patch_says_runs() {
    let chromium = browser();
    // The hostile patch, the ninth, is shown (its row and its detail view), and nothing of it
    // ran.
    for fragment in ["q=evil", "patch-9"] {
        let dom = dump_dom(&chromium, fragment);
        assert!(visible_rows(&dom).contains(&9), "{fragment}");
        assert!(
            !dom.contains("data-pwned=\""),
            "injected code ran on #{fragment}"
        );
        let body = dom.find("<body").expect("a body");
        let body_tag = start_tag(&dom, body);
        assert!(
            !body_tag.contains("data-pwned"),
            "injected code ran: {body_tag}"
        );
        assert!(
            !dom.contains("<img"),
            "an injected image element on #{fragment}"
        );
        assert_eq!(
            dom.matches("<script").count(),
            1,
            "an injected script element"
        );
        assert!(!dom.contains("href=\"javascript:"));
        assert!(
            dom.contains("setAttribute('data-pwned','1')"),
            "the text is still shown"
        );
    }
}

/// The sample comparison's page: `compare.html`.
fn compare_page() -> &'static Path {
    static PAGE: OnceLock<PathBuf> = OnceLock::new();
    PAGE.get_or_init(|| {
        let c = kdelta_report::sample::sample_comparison();
        let html = kdelta_report::compare::render_comparison(&c, Format::Html).expect("render");
        write_page("compare.html", html)
    })
}

#[test]
#[ignore = "needs chromium: cargo test -p kdelta-report --test browser -- --include-ignored"]
fn the_comparison_opens_on_the_common_delta_and_filters_from_the_url() {
    let chromium = browser();
    let changes = |fragment: &str| {
        let dom = dump_page(&chromium, compare_page(), fragment);
        assert!(!dom.contains("data-pwned=\""), "injected code ran");
        assert_eq!(dom.matches("<script").count(), 1);
        visible(&dom, "<tr id=\"change-")
    };
    assert_eq!(changes(""), [2, 3], "the common delta");
    assert_eq!(changes("carried=all"), [1, 2, 3, 4, 5, 6]);
    assert_eq!(changes("carried=alone-2"), [6]);
    assert_eq!(changes("carried=in-1&status=upstream"), [1]);
    assert_eq!(changes("carried=common-1"), [3]);
    assert_eq!(changes("carried=all&q=NETFRONT"), [2]);
}

#[test]
#[ignore = "needs chromium: cargo test -p kdelta-report --test browser -- --include-ignored"]
fn the_history_filters_its_changes_from_the_url() {
    let chromium = browser();
    let h = kdelta_report::sample::sample_history();
    let html = kdelta_report::history::render_history(&h, Format::Html).expect("render");
    let page = write_page("history.html", html);
    let kinds = |fragment: &str| {
        let dom = dump_page(&chromium, &page, fragment);
        assert!(!dom.contains("data-pwned=\""), "injected code ran");
        let mut shown = Vec::new();
        for (at, _) in dom.match_indices("<tr data-kind=\"") {
            let tag = start_tag(&dom, at);
            if !attribute_names(tag).iter().any(|a| a == "hidden") {
                let kind = &tag["<tr data-kind=\"".len()..];
                shown.push(kind[..kind.find('"').expect("a kind")].to_string());
            }
        }
        shown
    };
    let all = kinds("");
    assert_eq!(all.len(), 7, "{all:?}");
    assert_eq!(kinds("kind=upstream,dropped"), ["upstream", "dropped"]);
    assert_eq!(kinds("rev=r2"), ["added", "reenabled"]);
    assert_eq!(kinds("q=c2.patch"), ["renamed"]);
}

#[test]
#[ignore = "needs chromium: cargo test -p kdelta-report --test browser -- --include-ignored"]
fn the_rebase_plan_filters_its_patches_from_the_url() {
    let chromium = browser();
    let r = kdelta_report::sample::sample_rebase();
    let html = kdelta_report::rebase::render_rebase(&r, Format::Html).expect("render");
    let page = write_page("plan.html", html);
    let actions = |fragment: &str| {
        let dom = dump_page(&chromium, &page, fragment);
        assert!(!dom.contains("data-pwned=\""), "injected code ran");
        let mut shown = Vec::new();
        for (at, _) in dom.match_indices("<tr data-action=\"") {
            let tag = start_tag(&dom, at);
            if !attribute_names(tag).iter().any(|a| a == "hidden") {
                let action = &tag["<tr data-action=\"".len()..];
                shown.push(action[..action.find('"').expect("an action")].to_string());
            }
        }
        shown
    };
    assert_eq!(
        actions(""),
        [
            "keep",
            "drop-upstream",
            "keep-refreshed",
            "conflict",
            "blocked"
        ]
    );
    assert_eq!(actions("action=conflict,blocked"), ["conflict", "blocked"]);
    assert_eq!(actions("q=refresh.patch"), ["keep-refreshed"]);
}

#[path = "browser/interact.rs"]
mod interact;
