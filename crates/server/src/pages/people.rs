//! People: who is working on what, across distributions.

use crate::auth::read::PageReader;
use crate::error::PageFailure;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use maud::html;

/// `GET /people`.
pub async fn get(
    State(state): State<AppState>,
    PageReader(reader): PageReader,
) -> Result<Response, PageFailure> {
    let common = crate::common::common_delta(&state, reader.readable(&state))
        .await
        .map_err(PageFailure)?;
    let people = crate::people::people(&common);
    let body = html! {
        p {
            "Who owns the upstreaming of which patches and features, as each team's annotations say, "
            "and where each stands."
        }
        @if people.is_empty() {
            p { "No annotation names an owner yet." }
        }
        @for (person, works) in &people {
            section {
                h2 { (person) }
                table {
                    thead { tr {
                        th scope="col" { "Distribution" }
                        th scope="col" { "Owns" }
                        th scope="col" { "Status" }
                    } }
                    tbody {
                        @for w in works {
                            tr {
                                td { a href=(super::distribution_path(&w.distribution)) { (w.title) } }
                                td {
                                    @match w.position {
                                        Some(_) => a href=(super::patch_path(&w.distribution, &w.name)) { code { (w.name) } },
                                        None => { "feature " strong { (w.name) } " (" (w.patches) " patches)" },
                                    }
                                }
                                td { span class=(format!("badge st-{}", w.status.as_str())) { (w.status.as_str()) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(super::page_for(reader.caller.as_ref(), "People", body))
}
