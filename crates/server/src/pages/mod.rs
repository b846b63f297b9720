//! The server's HTML pages, rendered on the server with maud (which escapes everything it
//! is given), in the reports' look, under a Content-Security-Policy that lets nothing load
//! or run: these pages have no script.

pub mod common;
pub mod distribution;
pub mod history;
pub mod home;
pub mod people;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// The pages' Content-Security-Policy: inline style only.
pub const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The links at the top of every page.
pub const SITE: &[(&str, &str)] = &[
    ("/", "Distributions"),
    ("/common-delta", "Common delta"),
    ("/people", "People"),
];

/// A whole page: `title` and `body` in the site's frame.
pub fn page(title: &str, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light";
                link rel="icon" href="data:,";
                title { (title) " · kdelta" }
                // The reports' own style: a constant, no data.
                style { (PreEscaped(kdelta_report::render::html::stylesheet())) }
            }
            body {
                nav.site aria-label="Site" {
                    ul style="display:flex;gap:1.25rem;list-style:none;margin:0;padding:0.5rem 1rem;border-bottom:1px solid #ccc" {
                        @for (href, label) in SITE {
                            li { a href=(href) { (label) } }
                        }
                    }
                }
                header.top { h1 { (title) } }
                main { (body) }
                footer { p { "kdelta " (env!("CARGO_PKG_VERSION")) } }
            }
        }
    };
    html_response(markup.into_string(), POLICY)
}

/// An HTML response with its Content-Security-Policy and no sniffing or framing.
pub fn html_response(body: String, policy: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, policy),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        body,
    )
        .into_response()
}

/// `secs` since the epoch, as people read it.
pub fn when(secs: i64) -> String {
    kdelta_jobs::clock::format_time(secs)
}

/// The URL path of a distribution's page (names are URL-safe: see `config::valid_name`).
pub fn distribution_path(name: &str) -> String {
    format!("/distributions/{name}")
}
