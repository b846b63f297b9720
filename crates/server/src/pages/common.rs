//! The common delta: the changes two or more distributions carry that are not upstream,
//! each with its patch in every distribution, its status there, and who owns it there (the
//! team's annotations). The page the shared wiki never managed to keep.

use crate::auth::read::PageReader;
use crate::common::common_delta;
use crate::error::PageFailure;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};

/// `GET /common-delta`.
pub async fn get(
    State(state): State<AppState>,
    PageReader(reader): PageReader,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageFailure> {
    let common = common_delta(&state, reader.readable(&state))
        .await
        .map_err(PageFailure)?;
    let main = common.main.get_or_init(|| render(&common).into_string());
    if let Some(caller) = &reader.caller {
        // Signed in: the navigation says who (the page's body is still the kept one).
        let text = super::page_text(Some(caller), TITLE, PreEscaped(main.clone()));
        return Ok(super::html_response(text, super::POLICY));
    }
    let page = common.html.get_or_init(|| {
        let text = super::page_text(None, TITLE, PreEscaped(main.clone()));
        crate::current::Body::new(text.into_bytes())
    });
    Ok(page.respond(&headers, super::html_response("", super::POLICY)))
}

const TITLE: &str = "Common delta";

/// The page's body.
fn render(common: &crate::common::CommonDelta) -> Markup {
    let c = &common.comparison;
    let rows: Vec<_> = c.clusters.iter().filter(|r| r.common).collect();
    let body = html! {
        p {
            (rows.len()) " changes carried by two or more of the " (c.distributions.len())
            " distributions and not upstream, of " (c.summary.clusters) " changes in all. "
            "A change is its patches in every queue that make it: the same upstream commit or "
            "patch-id, similar changed lines, the same subject on the same file, or a feature "
            "the teams' annotations share."
        }
        table {
            thead {
                tr {
                    th scope="col" class="num" { "#" }
                    th scope="col" { "Change" }
                    th scope="col" { "Most advanced" }
                    @for d in &c.distributions { th scope="col" { (d.name) } }
                }
            }
            tbody {
                @for row in &rows {
                    tr {
                        td class="num" { (row.id) }
                        td { (row.title) }
                        td { (badge(row.status.as_str())) }
                        @for (q, members) in row.carriers.iter().enumerate() {
                            td { (carrier(common, q, members)) }
                        }
                    }
                }
            }
        }
    };
    body
}

/// A distribution's patches of a change: each linked to its detail in the report, with its
/// status and owner.
fn carrier(
    common: &crate::common::CommonDelta,
    q: usize,
    members: &[kdelta_report::compare::MemberCell],
) -> Markup {
    html! {
        @for m in members {
            @let patch = common.patches.get(q).and_then(|p| p.get(&m.name));
            div {
                @match patch {
                    Some(_) => a href=(super::patch_path(&common.names[q], &m.name)) { code { (m.name) } },
                    None => code { (m.name) },
                }
                " " (badge(m.status.as_str()))
                @if let Some(owner) = patch.and_then(|p| p.owner.as_deref()) {
                    br; "owner: " (owner)
                }
            }
        }
    }
}

/// A status as the reports show it.
fn badge(status: &str) -> Markup {
    html! { span class=(format!("badge st-{status}")) { (status) } }
}
