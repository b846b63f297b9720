//! A distribution's page: its newest report, as `kdelta report` writes it (sections,
//! features, the filter, the patches to drop at the next rebase), in the site's frame, with
//! the error of a failed refresh above it. Before the first snapshot: what the refresh does.

use crate::auth::read::PageReader;
use crate::error::{Failure, PageFailure};
use crate::state::AppState;
use crate::view::{configured, DistributionView};
use axum::extract::{Path, State};
use axum::response::Response;
use kdelta_report::render::html::{policy, render_in_site, Site};
use maud::html;

/// `GET /distributions/{name}`.
pub async fn get(
    State(state): State<AppState>,
    Path(name): Path<String>,
    PageReader(reader): PageReader,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageFailure> {
    let d = configured(&state, &name).map_err(PageFailure)?;
    reader.check(&d.name).map_err(PageFailure)?;
    let stored = state
        .db
        .distribution(&d.name)
        .await?
        .ok_or_else(|| PageFailure(Failure::NotFound(format!("distribution {name:?}"))))?;
    let Some(current) = crate::current::current(&state, stored.id)
        .await
        .map_err(PageFailure)?
    else {
        let view = DistributionView::of(&state, d).await.map_err(PageFailure)?;
        let body = html! {
            @if d.queue.is_none() {
                p {
                    "No report yet. The server does not read this distribution's queue: its "
                    "team sends the report with " code { "kdelta push URL SPEC|report.json" } "."
                }
            } @else {
                p { "No analysis yet: " (view.refresh_state()) "." }
            }
            @if let Some(error) = &view.failed { p role="alert" { strong { "error: " } (error) } }
        };
        return Ok(super::page(&view.title, body));
    };
    let html = current.html.get_or_init(|| {
        let notice = current.failed.as_ref().map(|e| {
            format!(
                "The last refresh failed; this is the analysis of {}. Error: {e}",
                super::when(current.taken_at)
            )
        });
        let history = format!("{}/history", super::distribution_path(&name));
        let mut links = super::SITE.to_vec();
        links.push((history.as_str(), "History"));
        let site = Site {
            links: &links,
            notice: notice.as_deref(),
        };
        crate::current::Body::new(render_in_site(&current.report, &site).into_bytes())
    });
    Ok(html.respond(&headers, super::html_response("", &policy())))
}
