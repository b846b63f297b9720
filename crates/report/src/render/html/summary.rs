//! The summary of the HTML report: key figures, an inline SVG chart of the patches per
//! status, the patches to drop and to verify, the header claims that failed, the features.

use super::{badge, e, link, opt, status_colour, Page};
use crate::model::{Feature, Summary};
use std::fmt::{self, Write};

/// Height of one bar's row in the chart, in SVG units.
const ROW: usize = 28;
/// Width of the status labels left of the bars.
const LABEL: usize = 150;
/// Width of the longest bar.
const BAR: usize = 240;
/// Room right of the longest bar for its count.
const COUNT: usize = 50;

pub(super) fn write(out: &mut String, page: &Page) -> fmt::Result {
    let s = &page.report.summary;
    writeln!(
        out,
        "<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>"
    )?;
    writeln!(out, "<div class=\"overview\">")?;
    chart(out, s)?;
    figures(out, page)?;
    writeln!(out, "</div>")?;
    writeln!(out, "<div class=\"lists\">")?;
    name_list(
        out,
        page,
        "to-drop",
        "To drop at the next rebase",
        &s.to_drop,
    )?;
    name_list(
        out,
        page,
        "to-verify",
        "To verify: upstream replacement likely",
        &s.to_verify,
    )?;
    writeln!(out, "</div>")?;
    failed_claims(out, page)?;
    features(out, page)?;
    writeln!(out, "</section>")
}

/// Horizontal bars, one per status, coloured as the badges, each linking to its section.
fn chart(out: &mut String, s: &Summary) -> fmt::Result {
    let max = s
        .by_status
        .iter()
        .map(|c| c.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let width = LABEL + BAR + COUNT;
    let height = s.by_status.len() * ROW + 4;
    let spoken: Vec<String> = s
        .by_status
        .iter()
        .map(|c| format!("{} {}", c.count, c.status))
        .collect();
    writeln!(out, "<figure class=\"chart\">")?;
    writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"chart-title\">"
    )?;
    writeln!(
        out,
        "<title id=\"chart-title\">Patches per status: {}</title>",
        spoken.join(", ")
    )?;
    for (i, c) in s.by_status.iter().enumerate() {
        let bar = if c.count == 0 {
            0
        } else {
            (c.count * BAR).div_ceil(max).max(2)
        };
        let name = c.status.as_str();
        let linked = c.count > 0;
        if linked {
            write!(out, "<a href=\"#section-{name}\">")?;
        }
        write!(
            out,
            "<g transform=\"translate(0 {})\"><title>{name}: {} of {} patches ({}%)</title>\
             <text class=\"label\" x=\"{}\" y=\"18\" text-anchor=\"end\">{name}</text>\
             <rect x=\"{LABEL}\" y=\"4\" width=\"{bar}\" height=\"20\" rx=\"3\" fill=\"{}\"/>\
             <text class=\"count\" x=\"{}\" y=\"18\">{}</text></g>",
            2 + i * ROW,
            c.count,
            s.total,
            percent(c.count, s.total),
            LABEL - 10,
            status_colour(c.status),
            LABEL + bar + 6,
            c.count
        )?;
        writeln!(out, "{}", if linked { "</a>" } else { "" })?;
    }
    writeln!(out, "</svg>")?;
    writeln!(
        out,
        "<figcaption>Patches per status, {} in all. A bar leads to its section.</figcaption>\n</figure>",
        s.total
    )
}

/// `part` of `whole` in whole percent, rounded half up.
pub(super) fn percent(part: usize, whole: usize) -> usize {
    if whole == 0 {
        0
    } else {
        (part * 200 + whole) / (whole * 2)
    }
}

/// The key figures, each a tile.
fn figures(out: &mut String, page: &Page) -> fmt::Result {
    let s = &page.report.summary;
    let tiles = [
        ("patches", s.total, "#patches"),
        ("to drop", s.to_drop.len(), "#to-drop"),
        ("to verify", s.to_verify.len(), "#to-verify"),
        (
            "failed header claims",
            s.failed_claims.len(),
            "#failed-claims",
        ),
        ("statuses set by hand", s.overridden, "#patches"),
        ("stale annotations", s.stale, "#stale"),
    ];
    writeln!(out, "<dl class=\"figures\">")?;
    for (what, count, target) in tiles {
        let warn = if count > 0 && (target == "#stale" || target == "#failed-claims") {
            " warn"
        } else {
            ""
        };
        writeln!(
            out,
            "<div class=\"tile{warn}\"><dt>{what}</dt><dd><a href=\"{target}\">{count}</a></dd></div>"
        )?;
    }
    writeln!(out, "</dl>")
}

/// A list of patch names with their subjects, `None.` when empty.
fn name_list(
    out: &mut String,
    page: &Page,
    id: &str,
    title: &str,
    names: &[String],
) -> fmt::Result {
    writeln!(
        out,
        "<section class=\"names\" id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h3 id=\"{id}-h\">{title} ({})</h3>",
        names.len()
    )?;
    if names.is_empty() {
        return writeln!(out, "<p class=\"none\">None.</p>\n</section>");
    }
    writeln!(out, "<ul>")?;
    for name in names {
        let subject = page
            .patch(name)
            .map(|p| opt(&p.subject))
            .unwrap_or_default();
        writeln!(
            out,
            "<li>{} <span class=\"subject\">{subject}</span></li>",
            page.patch_link(name)
        )?;
    }
    writeln!(out, "</ul>\n</section>")
}

fn failed_claims(out: &mut String, page: &Page) -> fmt::Result {
    let claims = &page.report.summary.failed_claims;
    writeln!(
        out,
        "<section id=\"failed-claims\" aria-labelledby=\"failed-claims-h\">\n\
         <h3 id=\"failed-claims-h\">Header claims that did not check out ({})</h3>",
        claims.len()
    )?;
    if claims.is_empty() {
        return writeln!(out, "<p class=\"none\">None.</p>\n</section>");
    }
    writeln!(
        out,
        "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">patch</th>\
         <th scope=\"col\" class=\"num\">line</th><th scope=\"col\">claim</th>\
         <th scope=\"col\">why it does not hold</th></tr></thead>\n<tbody>"
    )?;
    for c in claims {
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td><code>{}: {}</code></td><td>{}</td></tr>",
            page.patch_link(&c.patch),
            c.line,
            e(&c.header),
            e(&c.text),
            e(&c.detail)
        )?;
    }
    writeln!(out, "</tbody></table></div>\n</section>")
}

fn features(out: &mut String, page: &Page) -> fmt::Result {
    let features = &page.report.features;
    if features.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<section id=\"features\" aria-labelledby=\"features-h\">\n\
         <h3 id=\"features-h\">Features ({})</h3>",
        features.len()
    )?;
    writeln!(
        out,
        "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">feature</th>\
         <th scope=\"col\">owner</th><th scope=\"col\" class=\"num\">patches</th>\
         <th scope=\"col\">statuses</th><th scope=\"col\">note</th></tr></thead>\n<tbody>"
    )?;
    for f in features {
        feature_row(out, page, f)?;
    }
    writeln!(out, "</tbody></table></div>\n</section>")
}

fn feature_row(out: &mut String, page: &Page, f: &Feature) -> fmt::Result {
    let count = page
        .report
        .summary
        .by_feature
        .iter()
        .find(|c| c.feature == f.name);
    let statuses: Vec<String> = count
        .map(|c| {
            c.by_status
                .iter()
                .map(|s| {
                    format!(
                        "<span class=\"tally\">{} {}</span>",
                        s.count,
                        badge(s.status)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut note = opt(&f.note);
    for l in &f.links {
        let _ = write!(note, " <span class=\"link\">{}</span>", link(l, l));
    }
    writeln!(
        out,
        "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{note}</td></tr>",
        e(&f.name),
        opt(&f.owner),
        count.map(|c| c.count).unwrap_or(f.patches.len()),
        statuses.join(" ")
    )
}
