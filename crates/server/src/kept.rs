//! Answers kept whole for readers without credentials: a page or API answer is rendered once
//! per state of the database (its [`Stamp`]: snapshots, refreshes, decisions) and served
//! again from memory while the stamp holds. What a request costs then is one small query —
//! which also sees changes other server processes made. A signed-in reader's pages (they
//! carry the forms and the name of who is signed in) are rendered each time.

use crate::auth::{identify, Caller, Identified, Via};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kdelta_db::Stamp;
use std::collections::HashMap;
use std::sync::Mutex;

/// The most bytes kept; more clears the store.
const MAX_BYTES: usize = 256 << 20;

/// The largest answer kept.
const MAX_ANSWER: usize = 64 << 20;

/// The answers kept, and the stamp they hold for.
#[derive(Default)]
pub struct Kept {
    inner: Mutex<Store>,
}

#[derive(Default)]
struct Store {
    stamp: Option<Stamp>,
    answers: HashMap<Key, Answer>,
    bytes: usize,
}

/// What an answer is kept under: the URI, whether it is compressed, and who reads it.
type Key = (String, bool, String);

#[derive(Clone)]
struct Answer {
    headers: HeaderMap,
    body: Bytes,
}

impl Kept {
    /// The answer kept for `key` at `stamp`.
    fn get(&self, stamp: Stamp, key: &Key) -> Option<Answer> {
        let mut store = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if store.stamp != Some(stamp) {
            *store = Store {
                stamp: Some(stamp),
                ..Store::default()
            };
            return None;
        }
        store.answers.get(key).cloned()
    }

    /// Keep `answer` for `key` at `stamp`.
    fn put(&self, stamp: Stamp, key: Key, answer: Answer) {
        let mut store = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if store.stamp != Some(stamp) {
            return;
        }
        if store.bytes + answer.body.len() > MAX_BYTES {
            store.answers.clear();
            store.bytes = 0;
        }
        store.bytes += answer.body.len();
        if let Some(old) = store.answers.insert(key, answer) {
            store.bytes -= old.body.len();
        }
    }
}

/// Whether a request may be answered from (and kept in) the store: a `GET` of anything but
/// the sign-in page and the annotations export (made from the team's file as it is on disk
/// now, not from the database).
fn keepable(request: &Request) -> bool {
    request.method() == Method::GET
        && !request.uri().path().starts_with("/login")
        && !request.uri().path().ends_with("/annotations.toml")
}

/// The middleware: answer from the store, or answer and keep.
pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if !keepable(&request) {
        return next.run(request).await;
    }
    // Looked up once here (no query without credentials), and handed to the handler.
    let Ok(caller) = identify(request.headers(), &state).await else {
        return next.run(request).await;
    };
    let reader = reader_key(caller.as_ref());
    request.extensions_mut().insert(Identified(caller));
    let Ok(stamp) = state.db.stamp().await else {
        return next.run(request).await;
    };
    let key = (
        request.uri().to_string(),
        crate::current::accepts_gzip(request.headers()),
        reader,
    );
    let etag_wanted = request.headers().get(header::IF_NONE_MATCH).cloned();
    if let Some(answer) = state.kept.get(stamp, &key) {
        return respond(answer, etag_wanted.as_ref());
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_ANSWER).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let answer = Answer {
        headers: parts.headers.clone(),
        body: body.clone(),
    };
    state.kept.put(stamp, key, answer);
    Response::from_parts(parts, Body::from(body))
}

/// Who reads, as far as an answer can differ by it: the account, its roles, and the CSRF
/// token of its session; empty for no one.
fn reader_key(caller: Option<&Caller>) -> String {
    let Some(c) = caller else {
        return String::new();
    };
    let mut grants: Vec<String> = c
        .grants
        .iter()
        .map(|(d, r)| format!("{d}={}", r.as_str()))
        .collect();
    grants.sort();
    let csrf = match &c.via {
        Via::Session { csrf } => csrf.as_str(),
        Via::Token => "",
    };
    format!(
        "{}\n{}\n{}\n{csrf}",
        c.user.id.0,
        c.user.name,
        grants.join(",")
    )
}

/// A kept answer; `304` when the client has it (its ETag).
fn respond(answer: Answer, wanted: Option<&header::HeaderValue>) -> Response {
    let tag = answer.headers.get(header::ETAG);
    let has = match (tag.and_then(|t| t.to_str().ok()), wanted) {
        (Some(tag), Some(wanted)) => wanted
            .to_str()
            .is_ok_and(|wanted| crate::api::etag_held(wanted, tag)),
        _ => false,
    };
    if has {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        if let Some(tag) = tag {
            response.headers_mut().insert(header::ETAG, tag.clone());
        }
        return response;
    }
    let mut response = Response::new(Body::from(answer.body));
    *response.headers_mut() = answer.headers;
    response
}
