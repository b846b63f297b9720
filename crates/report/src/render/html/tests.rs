//! The HTML renderer on the sample reports ([`crate::sample`]): structure, escaping of
//! hostile text, the Content-Security-Policy's script hash, determinism.

use super::*;
use crate::sample::{empty_report, hostile_report, sample_report};

/// The page without its script: what the model could have put there.
fn outside_script(html: &str) -> String {
    let start = html.find("<script>").expect("a script");
    let end = html[start..].find("</script>").expect("a closed script") + start;
    format!("{}{}", &html[..start], &html[end..])
}

/// Every tag of `html` (outside the script), as written between `<` and `>`.
fn tags(html: &str) -> Vec<String> {
    let html = outside_script(html);
    html.split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or("").to_string())
        .collect()
}

/// A tag with its quoted attribute values left out: element and attribute names.
fn names_of(tag: &str) -> String {
    tag.split('"').step_by(2).collect::<Vec<_>>().join("\"\"")
}

#[test]
fn has_every_part_and_a_row_and_detail_per_patch() {
    let report = sample_report();
    let html = render(&report);
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("<title>Kernel delta: openSUSE 13.1</title>"));
    for id in [
        "summary",
        "sections",
        "patches",
        "stale",
        "to-drop",
        "to-verify",
        "features",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    for section in &report.sections {
        let id = format!("id=\"section-{}\"", section.status.as_str());
        assert!(html.contains(&id), "{id}");
    }
    for p in &report.patches {
        let n = p.position;
        assert_eq!(html.matches(&format!("<tr id=\"row-{n}\"")).count(), 1);
        assert_eq!(
            html.matches(&format!("<article class=\"detail\" id=\"patch-{n}\""))
                .count(),
            1
        );
        assert!(html.contains(&format!("<a class=\"name\" href=\"#patch-{n}\">")));
    }
    assert_eq!(html.matches("<tr id=\"row-").count(), report.patches.len());
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(html.contains("data-status=\"upstream\""));
}

#[test]
fn sections_follow_the_model_order() {
    let report = sample_report();
    let html = render(&report);
    let at: Vec<usize> = report
        .sections
        .iter()
        .map(|s| {
            let id = format!("id=\"section-{}\"", s.status.as_str());
            html.find(&id).expect("section present")
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    assert!(html.contains("<h4>Feature: xen-net <span class=\"owner\">owner: Alice</span></h4>"));
    assert!(html.contains("Multi-queue netfront, being upstreamed"));
}

#[test]
fn marks_overrides_and_stale_annotations() {
    let report = sample_report();
    let html = render(&report);
    let row = |name: &str| {
        let n = report.patch(name).expect("a sample patch").position;
        let start = html.find(&format!("<tr id=\"row-{n}\"")).expect("row");
        let end = html[start..].find("</tr>").expect("row end") + start;
        html[start..end].to_string()
    };
    let by_hand = row("patches.suse/nvme-default-queue-depth.patch");
    let stale = row("patches.kernel.org/old-ide-quirk.patch");
    let upstream = row("patches.suse/blk-mq-fix-requeue-hang.patch");
    assert!(by_hand.contains("set by hand"));
    assert!(
        !stale.contains("set by hand"),
        "a stale override is not applied"
    );
    assert!(stale.contains("stale annotation"));
    assert!(upstream.contains(
        "href=\"https://git.kernel.org/linus/0123456789abcdef0123456789abcdef01234567\""
    ));
    assert!(upstream.contains("<span class=\"release\">v6.1</span>"));
    assert!(html.contains("not applied: the annotation is stale"));
    assert!(html.contains("<td>owner set to Alice</td>"));
}

#[test]
fn hostile_text_stays_text() {
    let html = render(&hostile_report());
    assert_eq!(html.matches("<script").count(), 1, "only our own script");
    assert!(!html.contains("<img"));
    assert!(!html.contains("href=\"javascript:"));
    assert!(!html.to_lowercase().contains("href=\"javascript"));
    for tag in tags(&html) {
        let lower = names_of(&tag).to_lowercase();
        assert!(!lower.contains("onerror"), "a handler in a tag: <{tag}>");
        assert!(
            !lower.contains("javascript"),
            "a script URL in a tag: <{tag}>"
        );
        assert!(!lower.starts_with("script"), "a script tag: <{tag}>");
    }
    // The text is still there, escaped.
    assert!(html.contains(
        "&lt;img src=x onerror=&quot;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&quot;&gt;"
    ));
    assert!(html.contains(
        "&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;2&#39;)&lt;/script&gt;&quot;&#39;"
    ));
    // Only the plain http(s) links became links; the others are text.
    assert!(html.contains("javascript:alert(4)"));
    assert!(!html.contains("href=\"https://x/\""));
}

#[test]
fn the_script_holds_no_model_text() {
    let html = render(&hostile_report());
    let start = html.find("<script>").expect("script") + "<script>".len();
    let end = html[start..].find("</script>").expect("end") + start;
    assert_eq!(&html[start..end], SCRIPT);
    assert!(!SCRIPT.contains("</"), "the script could close its element");
}

#[test]
fn the_policy_allows_exactly_the_inline_script() {
    let html = render(&sample_report());
    let start = html.find("<script>").expect("script") + "<script>".len();
    let end = html[start..].find("</script>").expect("end") + start;
    let digest = Sha256::digest(&html.as_bytes()[start..end]);
    let hash = base64::engine::general_purpose::STANDARD.encode(digest);
    let policy = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{hash}';"
    );
    assert!(
        html.contains(&policy),
        "no policy with the script's hash {hash}"
    );
    assert_eq!(hash.len(), 44);
}

#[test]
fn loads_nothing_from_anywhere() {
    let html = render(&sample_report());
    for tag in tags(&html) {
        let lower = tag.to_lowercase();
        assert!(!lower.contains("src="), "<{tag}>");
        let name = lower.split_whitespace().next().unwrap_or("");
        if name == "link" {
            assert!(lower.contains("href=\"data:"), "<{tag}>");
        }
    }
    assert!(!html.contains("@import") && !html.contains("url("));
}

#[test]
fn the_same_model_gives_the_same_bytes() {
    assert_eq!(render(&sample_report()), render(&sample_report()));
    assert_eq!(render(&hostile_report()), render(&hostile_report()));
}

#[test]
fn an_empty_queue_still_renders() {
    let html = render(&empty_report());
    assert!(html.contains("The queue has no patches."));
    assert!(html.contains("0 of 0 patches"));
    assert!(html.ends_with("</html>\n"));
}

#[test]
fn percentages_round_half_up() {
    assert_eq!(summary::percent(1, 3), 33);
    assert_eq!(summary::percent(1, 8), 13);
    assert_eq!(summary::percent(0, 0), 0);
}

/// `KDELTA_HTML_SAMPLE=/tmp/sample.html cargo test -p kdelta-report html_sample` writes the
/// sample page there, to look at in a browser. Either way the page must be a whole document
/// listing every patch of the sample.
#[test]
fn html_sample_written_on_request() {
    let report = sample_report();
    let page = render(&report);
    assert!(page.starts_with("<!doctype html>") && page.ends_with("</html>\n"));
    for p in &report.patches {
        assert!(
            page.contains(&crate::escape::html(&p.name)),
            "{} missing",
            p.name
        );
    }
    if let Some(path) = std::env::var_os("KDELTA_HTML_SAMPLE") {
        std::fs::write(&path, page).expect("write the sample page");
    }
}

#[test]
fn a_site_page_has_its_links_and_notice_escaped() {
    let report = sample_report();
    let links = [("/", "Home <b>"), ("javascript:alert(1)", "bad")];
    let site = Site {
        links: &links,
        notice: Some("refresh failed: <script>x</script>"),
    };
    let html = render_in_site(&report, &site);
    assert!(html.contains("<a href=\"/\">Home &lt;b&gt;</a>"));
    assert!(
        html.contains("<a href=\"#\">bad</a>"),
        "only links within the site"
    );
    assert!(html.contains("refresh failed: &lt;script&gt;x&lt;/script&gt;"));
    assert_eq!(html.matches("<script>").count(), 1);
    // Without a site, the page is the plain report.
    assert_eq!(render_in_site(&report, &Site::default()), render(&report));
}
