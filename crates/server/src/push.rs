//! `POST /api/v1/distributions/{name}/snapshots`: a report model pushed by `kdelta push` for
//! a distribution the server does not analyse (it has no `queue` in the configuration),
//! stored as its newest snapshot. It needs a maintainer of the distribution. With the
//! patches' facts it takes part in the common delta; without, it is shown alone.

use crate::auth::{csrf_header, require, MaybeCaller};
use crate::error::{ApiFailure, Failure};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kdelta_db::Role;
use kdelta_jobs::push::{Pushed, Taken};

/// The largest push taken: a report of thousands of patches with their facts.
pub const MAX_PUSH: usize = 256 << 20;

/// `POST /api/v1/distributions/{name}/snapshots`: `201` with the new snapshot.
pub async fn post(
    State(state): State<AppState>,
    Path(name): Path<String>,
    MaybeCaller(caller): MaybeCaller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiFailure> {
    let caller =
        require(caller, &name, Role::Maintainer, csrf_header(&headers)).map_err(ApiFailure)?;
    let config = crate::view::configured(&state, &name).map_err(ApiFailure)?;
    if config.queue.is_some() {
        let why = format!("the server analyses {name} itself: ask for a refresh instead");
        return Err(ApiFailure(Failure::BadRequest(why)));
    }
    let mut pushed: Pushed = serde_json::from_slice(&body).map_err(|e| {
        ApiFailure(Failure::BadRequest(format!(
            "the body is not a report model with its facts: {e}"
        )))
    })?;
    // The site names the distribution as its configuration does, whoever pushed.
    pushed.report.distribution = config.title().to_string();
    if config.release.is_some() {
        pushed.report.release = config.release.clone();
    }
    let stored = state
        .db
        .distribution(&config.name)
        .await?
        .ok_or_else(|| ApiFailure(Failure::NotFound(format!("distribution {name:?}"))))?;
    let inputs = format!(
        "pushed by {} digest {:016x}",
        caller.user.name,
        crate::current::fnv(&body)
    );
    let patches = pushed.report.patches.len() as i64;
    let facts = pushed.facts.as_deref();
    let now = kdelta_db::now();
    let id = crate::worker::store(&state, stored.id, &pushed.report, facts, &inputs, now).await?;
    let taken = Taken {
        distribution: name,
        snapshot: id.0,
        patches,
        clustered: pushed.facts.is_some(),
    };
    Ok((StatusCode::CREATED, Json(taken)).into_response())
}
