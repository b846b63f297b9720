//! A distribution's history: its patches per status in every stored snapshot.

use crate::auth::read::PageReader;
use crate::error::PageFailure;
use crate::state::AppState;
use crate::view::{configured, DistributionView};
use axum::extract::{Path, State};
use axum::response::Response;
use kdelta_analysis::Status;
use maud::html;

/// `GET /distributions/{name}/history`.
pub async fn get(
    State(state): State<AppState>,
    Path(name): Path<String>,
    PageReader(reader): PageReader,
) -> Result<Response, PageFailure> {
    let d = configured(&state, &name).map_err(PageFailure)?;
    reader.check(&d.name).map_err(PageFailure)?;
    let caller = reader.caller;
    let view = DistributionView::of(&state, d).await.map_err(PageFailure)?;
    let snapshots = state.db.snapshots(view.stored.id).await?;
    let body = html! {
        p { a href=(super::distribution_path(&name)) { "The newest analysis" } }
        table style="font-size:0.92em" {
            thead {
                tr {
                    th scope="col" { "Analysed" }
                    th scope="col" class="num" { "Patches" }
                    @for status in Status::ALL { (super::status_header(status)) }
                    th scope="col" { "Inputs" }
                }
            }
            tbody {
                @for s in snapshots.iter().rev() {
                    tr {
                        td { (super::when(s.taken_at)) }
                        td class="num" { (s.patches) }
                        @for status in Status::ALL {
                            td class="num" { (s.counts.get(status.as_str()).copied().unwrap_or(0)) }
                        }
                        td { code style="word-break:break-all" { (s.inputs) } }
                    }
                }
            }
        }
    };
    let title = format!("{}: history", view.title);
    Ok(super::page_for(caller.as_ref(), &title, body))
}
