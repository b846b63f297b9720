//! Writes to a patch's decisions: `POST /api/v1/distributions/{name}/patches/{patch}/notes`,
//! `/claims`, `/owner`, `/feature` and `/overrides` (the patch's name may hold slashes). Each body names the
//! `version` of the decisions it was based on; a write on an older version gets `409` with
//! the current decisions. Credentials are checked before anything is looked up.

use crate::auth::{csrf_header, require, MaybeCaller};
use crate::decision::{link, text, Claim, ClaimState, Decision, Note, Override};
use crate::error::{ApiFailure, Failure};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kdelta_analysis::Status;
use kdelta_db::{DecisionWrite, Role, Written};
use serde::Deserialize;

/// A write's body: the version it is based on, and the change.
#[derive(Deserialize)]
pub struct Body {
    /// The version of the decisions the write was based on (0: there were none).
    pub version: i64,
    /// A note's text, an override's reason, the owner or the feature (none clears those).
    pub text: Option<String>,
    /// A link (a posting).
    pub link: Option<String>,
    /// A claim's state.
    pub state: Option<ClaimState>,
    /// An override's status, or `null` to clear it.
    pub status: Option<Status>,
}

/// The role a write needs: members note, claim, set the owner and feature; maintainers
/// override the status.
pub fn role_for(what: &str) -> Option<Role> {
    match what {
        "notes" | "claims" | "owner" | "feature" => Some(Role::Member),
        "overrides" => Some(Role::Maintainer),
        _ => None,
    }
}

/// `POST /api/v1/distributions/{name}/patches/{patch}/{notes|claims|owner|feature|overrides}`.
pub async fn post(
    State(state): State<AppState>,
    Path((name, rest)): Path<(String, String)>,
    MaybeCaller(caller): MaybeCaller,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiFailure> {
    let (patch, what) = rest
        .rsplit_once('/')
        .ok_or_else(|| ApiFailure(Failure::NotFound(format!("write {rest:?}"))))?;
    let role =
        role_for(what).ok_or_else(|| ApiFailure(Failure::NotFound(format!("write {what:?}"))))?;
    let caller = require(caller, &name, role, csrf_header(&headers)).map_err(ApiFailure)?;
    // The body is read once the caller may write: a write without credentials gets 401
    // whatever it holds.
    let body: Body = serde_json::from_slice(&body)
        .map_err(|e| ApiFailure(Failure::BadRequest(format!("the body: {e}"))))?;
    let (decision, version) = write(&state, &name, patch, what, &caller.user.name, &body)
        .await
        .map_err(ApiFailure)?;
    Ok(Json(serde_json::json!({ "version": version, "decision": decision })).into_response())
}

/// Apply the write `what` to `patch` of distribution `name` by `by`.
pub async fn write(
    state: &AppState,
    name: &str,
    patch: &str,
    what: &str,
    by: &str,
    body: &Body,
) -> Result<(Decision, i64), Failure> {
    let config = crate::view::configured(state, name)?;
    let stored = state
        .db
        .distribution(&config.name)
        .await?
        .ok_or_else(|| Failure::NotFound(format!("distribution {name:?}")))?;
    let fingerprint = fingerprint(state, stored.id, patch).await?;
    let current = state.db.decision(stored.id, patch).await?;
    let (before, version) = match &current {
        Some(c) => (
            serde_json::from_str::<Decision>(&c.state).map_err(internal)?,
            c.version,
        ),
        None => (Decision::default(), 0),
    };
    if body.version != version {
        return Err(conflict(&before, version));
    }
    let now = kdelta_db::now();
    let after = change(&before, what, by, now, body).map_err(Failure::BadRequest)?;
    let after_text = serde_json::to_string(&after).map_err(internal)?;
    let before_text = match &current {
        Some(c) => c.state.clone(),
        None => "null".into(),
    };
    let written = state
        .db
        .write_decision(&DecisionWrite {
            distribution: stored.id,
            patch,
            based_on: version,
            state: &after_text,
            before: &before_text,
            fingerprint: fingerprint.as_deref(),
            what,
            by,
            now,
        })
        .await?;
    match written {
        Written::Done(version) => Ok((after, version)),
        Written::Conflict(now) => {
            let (d, v) = match now {
                Some(c) => (serde_json::from_str(&c.state).map_err(internal)?, c.version),
                None => (Decision::default(), 0),
            };
            Err(conflict(&d, v))
        }
    }
}

/// `before` with the change `what` made.
fn change(
    before: &Decision,
    what: &str,
    by: &str,
    at: i64,
    body: &Body,
) -> Result<Decision, String> {
    let mut after = before.clone();
    match what {
        "notes" => {
            let text = text("the note", body.text.as_deref().unwrap_or(""))?;
            after.notes.push(Note {
                text,
                by: by.into(),
                at,
            });
            if let Some(l) = &body.link {
                after.links.push(link(l)?);
            }
        }
        "claims" => {
            let state = body
                .state
                .ok_or("a claim needs a state: claimed, posted, merged or abandoned")?;
            let link = body.link.as_deref().map(link).transpose()?;
            if state == ClaimState::Posted && link.is_none() {
                return Err("a posted claim needs the link to the posting".into());
            }
            after.claim = Some(Claim {
                by: by.into(),
                state,
                link,
                at,
            });
        }
        "owner" | "feature" => {
            // A text sets it; none (or null) clears it.
            let value = match body.text.as_deref() {
                Some(t) => Some(text(what, t)?),
                None => None,
            };
            if what == "owner" {
                after.owner = value;
            } else {
                after.feature = value;
            }
        }
        _ => {
            after.status = match body.status {
                Some(status) => Some(Override {
                    status,
                    reason: text("the reason", body.text.as_deref().unwrap_or(""))?,
                    by: by.into(),
                    at,
                }),
                None => None,
            };
        }
    }
    Ok(after)
}

/// The patch's fingerprint in the newest snapshot (`patch-id:…`); `404` when the newest
/// snapshot has no such patch.
async fn fingerprint(
    state: &AppState,
    distribution: kdelta_db::DistributionId,
    patch: &str,
) -> Result<Option<String>, Failure> {
    let current = crate::current::current(state, distribution)
        .await?
        .ok_or_else(|| Failure::NotFound("analysis yet".into()))?;
    if current.report.patch(patch).is_none() {
        return Err(Failure::NotFound(format!("patch {patch:?}")));
    }
    Ok(current.fingerprints.get(patch).cloned())
}

fn conflict(current: &Decision, version: i64) -> Failure {
    Failure::Conflict(serde_json::json!({ "version": version, "decision": current }))
}

fn internal(e: impl std::fmt::Display) -> Failure {
    eprintln!("kdelta serve: {e}");
    Failure::Internal
}

/// `POST /api/v1/distributions/{name}/refresh`: queue a refresh now (a maintainer's token,
/// e.g. from the packaging repository's CI). `202` with whether one was queued (`false`:
/// one is queued already).
pub async fn refresh(
    State(state): State<AppState>,
    Path(name): Path<String>,
    MaybeCaller(caller): MaybeCaller,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let caller =
        require(caller, &name, Role::Maintainer, csrf_header(&headers)).map_err(ApiFailure)?;
    let config = crate::view::configured(&state, &name).map_err(ApiFailure)?;
    if config.queue.is_none() {
        let why = format!("the server does not read {name}'s queue: push its reports instead");
        return Err(ApiFailure(Failure::BadRequest(why)));
    }
    let stored = state
        .db
        .distribution(&config.name)
        .await?
        .ok_or_else(|| ApiFailure(Failure::NotFound(format!("distribution {name:?}"))))?;
    let by = format!("user {}", caller.user.name);
    let queued = state
        .db
        .request_refresh(stored.id, &by, kdelta_db::now())
        .await?;
    state.wake.notify_one();
    let body = serde_json::json!({ "queued": queued });
    Ok((axum::http::StatusCode::ACCEPTED, Json(body)).into_response())
}
