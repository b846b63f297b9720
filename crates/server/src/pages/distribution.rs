//! A distribution's page: its newest report, as `kdelta report` writes it (sections,
//! features, the filter, the patches to drop at the next rebase), in the site's frame, with
//! the error of a failed refresh above it. Before the first snapshot: what the refresh does.

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
) -> Result<Response, PageFailure> {
    let d = configured(&state, &name).map_err(PageFailure)?;
    let view = DistributionView::of(&state, d).await.map_err(PageFailure)?;
    let Some(snapshot) = state.db.latest_snapshot(view.stored.id).await? else {
        let body = html! {
            p { "No analysis yet: " (view.refresh_state()) "." }
            @if let Some(error) = &view.failed { p role="alert" { strong { "error: " } (error) } }
        };
        return Ok(super::page(&view.title, body));
    };
    let mut report = kdelta_report::render::json::parse(&snapshot.report).map_err(|e| {
        eprintln!("kdelta serve: the snapshot of {name} does not read: {e}");
        PageFailure(Failure::Internal)
    })?;
    let decisions = state.db.decisions(view.stored.id).await?;
    let fingerprints = crate::overlay::fingerprints(snapshot.facts.as_deref());
    crate::overlay::apply(&mut report, &decisions, &fingerprints);
    let notice = view.failed.as_ref().map(|e| {
        format!(
            "The last refresh failed; this is the analysis of {}. Error: {e}",
            super::when(snapshot.summary.taken_at)
        )
    });
    let history = format!("{}/history", super::distribution_path(&name));
    let mut links = super::SITE.to_vec();
    links.push((history.as_str(), "History"));
    let site = Site {
        links: &links,
        notice: notice.as_deref(),
    };
    Ok(super::html_response(
        render_in_site(&report, &site),
        &policy(),
    ))
}
