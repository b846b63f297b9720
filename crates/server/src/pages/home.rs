//! Home: every distribution with its patches per status, and its last refresh.

use crate::auth::read::PageReader;
use crate::error::PageFailure;
use crate::state::AppState;
use crate::view::DistributionView;
use axum::extract::State;
use axum::response::Response;
use kdelta_analysis::Status;
use maud::html;

/// `GET /`.
pub async fn get(
    State(state): State<AppState>,
    PageReader(reader): PageReader,
) -> Result<Response, PageFailure> {
    let mut views = DistributionView::all(&state).await.map_err(PageFailure)?;
    views.retain(|v| reader.may_read(&v.name));
    let common = crate::common::common_delta(&state, reader.readable(&state))
        .await
        .map_err(PageFailure)?;
    let shared = |name: &str| -> usize {
        let Some(q) = common.names.iter().position(|n| n == name) else {
            return 0;
        };
        let c = &common.comparison;
        c.clusters
            .iter()
            .filter(|r| r.common && !r.carriers[q].is_empty())
            .count()
    };
    let size = common
        .comparison
        .clusters
        .iter()
        .filter(|r| r.common)
        .count();
    let body = html! {
        p { "The patches each distribution carries on top of upstream, as last analysed, per status." }
        p {
            a href="/common-delta" { "The common delta" } ": " (size)
            " changes carried by two or more distributions and not upstream."
        }
        // Wide with every status: it scrolls rather than run past the window.
        div style="overflow-x:auto" { table style="font-size:0.92em" {
            thead {
                tr {
                    th scope="col" { "Distribution" }
                    th scope="col" { "Release" }
                    th scope="col" class="num" { "Patches" }
                    @for status in Status::ALL { (super::status_header(status)) }
                    th scope="col" class="num" style="white-space:normal" { "In the common delta" }
                    th scope="col" { "Last refresh" }
                }
            }
            tbody {
                @for v in &views {
                    tr {
                        td { a href=(super::distribution_path(&v.name)) { (v.title) } }
                        td { (v.release.as_deref().unwrap_or("")) }
                        @match &v.snapshot {
                            Some(s) => {
                                td class="num" { (s.patches) }
                                @for status in Status::ALL {
                                    td class="num" { (s.counts.get(status.as_str()).copied().unwrap_or(0)) }
                                }
                            }
                            None => {
                                td class="num" { "–" }
                                @for _ in Status::ALL { td class="num" { "–" } }
                            }
                        }
                        td class="num" { (shared(&v.name)) }
                        td {
                            (v.refresh_state())
                            @if let Some(error) = &v.failed {
                                br;
                                strong { "error: " } (error)
                            }
                        }
                    }
                }
            }
        }
    } };
    Ok(super::page_for(
        reader.caller.as_ref(),
        "Distributions",
        body,
    ))
}
