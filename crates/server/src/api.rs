//! The JSON API under `/api/v1/` (documented in docs/API.md): the same data as the pages.
//! Responses carry an ETag; a request whose `If-None-Match` holds it gets `304` and no body.
//! Lists are paged with `limit` and a `next` link.

use crate::auth::Reader;
use crate::error::{ApiFailure, Failure};
use crate::state::AppState;
use crate::view::{configured, DistributionView};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The most items a page of a list holds, and the default.
const MAX_LIMIT: usize = 500;

/// Paging of a list: at most `limit` items, older than the item `before` (an id).
#[derive(Deserialize)]
pub struct Paging {
    limit: Option<usize>,
    before: Option<i64>,
}

/// `GET /api/v1/distributions`.
pub async fn distributions(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let mut views = DistributionView::all(&state).await.map_err(ApiFailure)?;
    views.retain(|v| reader.may_read(&v.name));
    let body = serde_json::json!({ "distributions": views });
    Ok(json_with_etag(&headers, &body.to_string(), None))
}

/// `GET /api/v1/distributions/{name}`: the newest report model.
pub async fn distribution(
    State(state): State<AppState>,
    Path(name): Path<String>,
    reader: Reader,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let d = configured(&state, &name).map_err(ApiFailure)?;
    reader.check(&d.name).map_err(ApiFailure)?;
    let stored = state
        .db
        .distribution(&d.name)
        .await?
        .ok_or_else(|| ApiFailure(Failure::NotFound(format!("distribution {name:?}"))))?;
    let current = crate::current::current(&state, stored.id)
        .await
        .map_err(ApiFailure)?
        .ok_or_else(|| ApiFailure(Failure::NotFound(format!("analysis of {name:?} yet"))))?;
    let json = current.json.get_or_init(|| {
        crate::current::Body::new(serde_json::to_vec(&current.report).unwrap_or_default())
    });
    let tag = format!("\"{}\"", current.key.replace('"', ""));
    Ok(kept_json(&headers, json, tag))
}

/// `GET /api/v1/distributions/{name}/history?limit=N&before=ID`: snapshots, newest first.
pub async fn history(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(paging): Query<Paging>,
    reader: Reader,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let d = configured(&state, &name).map_err(ApiFailure)?;
    reader.check(&d.name).map_err(ApiFailure)?;
    let view = DistributionView::of(&state, d).await.map_err(ApiFailure)?;
    let limit = paging.limit.unwrap_or(MAX_LIMIT).clamp(1, MAX_LIMIT);
    let mut all = state.db.snapshots(view.stored.id).await?;
    all.reverse();
    let page: Vec<_> = all
        .into_iter()
        .filter(|s| paging.before.is_none_or(|b| s.id.0 < b))
        .take(limit + 1)
        .collect();
    let next = (page.len() > limit).then(|| {
        let last = page[limit - 1].id.0;
        format!("/api/v1/distributions/{name}/history?limit={limit}&before={last}")
    });
    let page = &page[..page.len().min(limit)];
    let body = serde_json::json!({ "snapshots": page, "next": next });
    Ok(json_with_etag(&headers, &body.to_string(), None))
}

/// `GET /api/v1/distributions/{name}/annotations.toml`: the team's annotations file with
/// the site's decisions written into it.
pub async fn annotations(
    State(state): State<AppState>,
    Path(name): Path<String>,
    reader: Reader,
) -> Result<Response, ApiFailure> {
    reader.check(&name).map_err(ApiFailure)?;
    crate::annotations::export(&state, &name).await
}

/// `GET /api/v1/common-delta`: the comparison of the newest snapshots (the model `kdelta
/// compare` writes), with the distributions' names in URLs.
pub async fn common_delta(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let common = crate::common::common_delta(&state, reader.readable(&state))
        .await
        .map_err(ApiFailure)?;
    let json = common.json.get_or_init(|| {
        let body = serde_json::json!({
            "names": common.names,
            "comparison": common.comparison,
        });
        crate::current::Body::new(body.to_string().into_bytes())
    });
    let tag = format!("\"c{:016x}\"", json.digest);
    Ok(kept_json(&headers, json, tag))
}

/// `GET /api/v1/people`: every owner with what they own, per distribution.
pub async fn people(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let common = crate::common::common_delta(&state, reader.readable(&state))
        .await
        .map_err(ApiFailure)?;
    let body = serde_json::json!({ "people": crate::people::people(&common) });
    Ok(json_with_etag(&headers, &body.to_string(), None))
}

/// `GET /api/v1/distributions/{name}/patches/{patch}/decision`: the patch's decisions and
/// their version (0 and empty when there are none), and whether they were made on the
/// patch as it is now.
pub async fn decision(
    State(state): State<AppState>,
    Path((name, rest)): Path<(String, String)>,
    reader: Reader,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let patch = rest
        .strip_suffix("/decision")
        .ok_or_else(|| ApiFailure(Failure::NotFound(format!("{rest:?}"))))?;
    let d = configured(&state, &name).map_err(ApiFailure)?;
    reader.check(&d.name).map_err(ApiFailure)?;
    let view = DistributionView::of(&state, d).await.map_err(ApiFailure)?;
    let stored = state.db.decision(view.stored.id, patch).await?;
    let body = match stored {
        Some(s) => serde_json::json!({
            "version": s.version,
            "decision": serde_json::from_str::<serde_json::Value>(&s.state).unwrap_or_default(),
            "fingerprint": s.fingerprint,
            "updated_at": s.updated_at,
            "updated_by": s.updated_by,
        }),
        None => serde_json::json!({
            "version": 0,
            "decision": crate::decision::Decision::default(),
        }),
    };
    Ok(json_with_etag(&headers, &body.to_string(), None))
}

/// What `GET /api/v1/events` filters on.
#[derive(Deserialize)]
pub struct EventQuery {
    distribution: Option<String>,
    patch: Option<String>,
    person: Option<String>,
    limit: Option<usize>,
    before: Option<i64>,
}

/// `GET /api/v1/events?distribution=&patch=&person=&limit=&before=`: changes, newest first.
pub async fn events(
    State(state): State<AppState>,
    Query(q): Query<EventQuery>,
    reader: Reader,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    if let Some(name) = &q.distribution {
        reader.check(name).map_err(ApiFailure)?;
    }
    let distribution = crate::view::stored_id(&state, q.distribution.as_deref())
        .await
        .map_err(ApiFailure)?;
    let limit = q.limit.unwrap_or(MAX_LIMIT).clamp(1, MAX_LIMIT);
    let filter = kdelta_db::EventFilter {
        distribution,
        patch: q.patch.clone(),
        actor: q.person.clone(),
        before: q.before,
        limit: limit as i64 + 1,
    };
    let mut events = crate::view::readable_events(&state, &reader, filter)
        .await
        .map_err(ApiFailure)?;
    let next = (events.len() > limit).then(|| {
        events.truncate(limit);
        let last = events.last().map_or(0, |e| e.id);
        let mut url = format!("/api/v1/events?limit={limit}&before={last}");
        for (key, value) in [
            ("distribution", &q.distribution),
            ("patch", &q.patch),
            ("person", &q.person),
        ] {
            if let Some(v) = value {
                url.push_str(&format!("&{key}={}", crate::pages::percent(v, "")));
            }
        }
        url
    });
    let events: Vec<serde_json::Value> = events
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id, "at": e.at, "person": e.actor, "distribution": e.distribution,
                "patch": e.patch, "what": e.what, "version": e.version,
                "before": serde_json::from_str::<serde_json::Value>(&e.before).unwrap_or_default(),
                "after": serde_json::from_str::<serde_json::Value>(&e.after).unwrap_or_default(),
            })
        })
        .collect();
    let body = serde_json::json!({ "events": events, "next": next });
    Ok(json_with_etag(&headers, &body.to_string(), None))
}

/// A kept JSON body with the ETag `tag` (compressed for a client that accepts it); `304`
/// when the request already has it.
fn kept_json(headers: &HeaderMap, json: &crate::current::Body, tag: String) -> Response {
    if matches(headers, &tag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
    }
    let response = (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::ETAG, tag),
        ],
        "",
    )
        .into_response();
    json.respond(headers, response)
}

/// Whether the request's `If-None-Match` holds `tag`.
fn matches(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| etag_held(v, tag))
}

/// Whether an `If-None-Match` value holds `tag` (or is `*`).
pub(crate) fn etag_held(if_none_match: &str, tag: &str) -> bool {
    if_none_match
        .split(',')
        .any(|t| t.trim() == tag || t.trim() == "*")
}

/// A JSON response with an ETag (`tag`, or a digest of `body`); `304` when the request
/// already has it.
fn json_with_etag(headers: &HeaderMap, body: &str, tag: Option<String>) -> Response {
    let tag = tag.unwrap_or_else(|| format!("\"{:016x}\"", crate::current::fnv(body.as_bytes())));
    if matches(headers, &tag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::ETAG, tag),
        ],
        body.to_string(),
    )
        .into_response()
}
