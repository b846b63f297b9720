//! People: who is working on what, across distributions, and what each person changed on
//! the site lately.

use crate::auth::read::PageReader;
use crate::error::PageFailure;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use maud::html;

/// The changes the page looks at, and how many it lists per person.
const RECENT: i64 = 200;
const PER_PERSON: usize = 10;

/// `GET /people`.
pub async fn get(
    State(state): State<AppState>,
    PageReader(reader): PageReader,
) -> Result<Response, PageFailure> {
    let common = crate::common::common_delta(&state, reader.readable(&state))
        .await
        .map_err(PageFailure)?;
    let people = crate::people::people(&common);
    let filter = kdelta_db::EventFilter {
        limit: RECENT,
        ..Default::default()
    };
    let events = crate::view::readable_events(&state, &reader, filter)
        .await
        .map_err(PageFailure)?;
    let mut by_person: std::collections::BTreeMap<&str, Vec<&kdelta_db::Event>> =
        Default::default();
    for e in &events {
        by_person.entry(e.actor.as_str()).or_default().push(e);
    }
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
        h2 { "Changes by person" }
        p { "The newest " (RECENT) " changes made on this site, by who made them." }
        @if by_person.is_empty() { p { "No change recorded on this site yet." } }
        @for (person, changes) in &by_person {
            section {
                h3 {
                    (person) " "
                    a href=(format!("/events.atom?person={}", super::percent(person, ""))) { "(feed)" }
                }
                ul {
                    @for e in changes.iter().take(PER_PERSON) {
                        li {
                            (super::when(e.at)) " — " (e.what) " on "
                            a href=(super::patch_path(&e.distribution, &e.patch)) { code { (e.patch) } }
                            " (" (e.distribution) ")"
                        }
                    }
                    @if changes.len() > PER_PERSON {
                        li { "and " (changes.len() - PER_PERSON) " more" }
                    }
                }
            }
        }
    };
    Ok(super::page_for(reader.caller.as_ref(), "People", body))
}
