//! The server's HTML pages, rendered on the server with maud (which escapes everything it
//! is given), in the reports' look, under a Content-Security-Policy that lets nothing load
//! or run: these pages have no script.

pub mod common;
pub mod distribution;
pub mod history;
pub mod home;
pub mod login;
pub mod patch;
pub mod people;

use crate::auth::{Caller, Via};
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
    page_for(None, title, body)
}

/// A whole page for `caller` (the navigation says who is signed in, with a form to sign out).
pub fn page_for(caller: Option<&Caller>, title: &str, body: Markup) -> Response {
    html_response(page_text(caller, title, body), POLICY)
}

/// The text of [`page_for`].
pub fn page_text(caller: Option<&Caller>, title: &str, body: Markup) -> String {
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
                        li style="margin-left:auto" { (who(caller)) }
                    }
                }
                header.top { h1 { (title) } }
                main { (body) }
                footer { p { "kdelta " (env!("CARGO_PKG_VERSION")) } }
            }
        }
    };
    markup.into_string()
}

/// Who is signed in, with a form to sign out; or a link to sign in.
fn who(caller: Option<&Caller>) -> Markup {
    match caller {
        Some(c) => html! {
            "Signed in as " strong { (c.user.name) }
            @if let Via::Session { csrf } = &c.via {
                form method="post" action="/logout" style="display:inline;margin-left:0.75rem" {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" { "Sign out" }
                }
            }
        },
        None => html! { a href="/login" { "Sign in" } },
    }
}

/// A status as a column heading of counts: it may break after its hyphen, so that a table
/// of every status fits a laptop's window.
pub fn status_header(status: kdelta_analysis::Status) -> Markup {
    html! {
        th scope="col" class="num" style="white-space:normal" {
            (status.as_str().replace('-', "-\u{200B}"))
        }
    }
}

/// An HTML response with its Content-Security-Policy and no sniffing or framing.
pub fn html_response(body: impl Into<axum::body::Body>, policy: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, policy),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        body.into(),
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

/// The URL path of a patch's page: its name percent-encoded, slashes kept.
pub fn patch_path(name: &str, patch: &str) -> String {
    format!("/distributions/{name}/patches/{}", percent(patch, "/+@"))
}

/// `text` percent-encoded for a URL, but for letters, digits, `-._~` and the bytes of `keep`.
pub use kdelta_patch::refs::percent_encode as percent;

#[cfg(test)]
mod tests {
    #[test]
    fn patch_paths_are_encoded() {
        assert_eq!(
            super::patch_path("debian", "bugfix/all/a b#c?.patch"),
            "/distributions/debian/patches/bugfix/all/a%20b%23c%3F.patch"
        );
        assert_eq!(super::percent("a/b c&d", ""), "a%2Fb%20c%26d");
    }
}
