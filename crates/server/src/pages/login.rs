//! Signing in and out. The sign-in form is protected from cross-site posting by a token in
//! a cookie and the form alike; attempts are limited per account and per address; a
//! session is a random key in an HttpOnly, Secure, SameSite=Strict cookie, stored as a
//! digest, with its own CSRF token for the forms it posts.

use crate::auth::{cookie, secret, MaybeCaller, Via, SESSION_COOKIE};
use crate::error::{Failure, PageFailure};
use crate::state::AppState;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;
use std::net::SocketAddr;

/// The cookie holding the sign-in form's token.
const LOGIN_COOKIE: &str = "kdelta_login";

/// How long a session lasts, in seconds.
const SESSION_SECONDS: i64 = 14 * 24 * 3600;

/// At most this many failed sign-ins per account, and per address, in [`WINDOW`] seconds.
const ATTEMPTS: u32 = 5;

/// The window of [`ATTEMPTS`], in seconds.
const WINDOW: i64 = 300;

/// Where to go after signing in.
#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// [`ATTEMPTS`], for the limiter.
pub fn attempts() -> u32 {
    ATTEMPTS
}

/// [`WINDOW`], for the limiter.
pub fn window() -> i64 {
    WINDOW
}

/// `GET /login`.
pub async fn get(Query(next): Query<Next>) -> Result<Response, PageFailure> {
    let token = secret::random("").map_err(|_| PageFailure(Failure::Internal))?;
    let mut response = form(&token, next.next.as_deref(), None);
    set_cookie(
        &mut response,
        &format!(
            "{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; Secure; SameSite=Strict; Max-Age=3600"
        ),
    );
    Ok(response)
}

fn form(token: &str, next: Option<&str>, error: Option<&str>) -> Response {
    let body = html! {
        @if let Some(error) = error { p role="alert" { strong { (error) } } }
        form method="post" action="/login" {
            input type="hidden" name="token" value=(token);
            input type="hidden" name="next" value=(next.unwrap_or("/"));
            p { label { "Name " input type="text" name="name" autocomplete="username" required; } }
            p { label { "Password " input type="password" name="password" autocomplete="current-password" required; } }
            p { button type="submit" { "Sign in" } }
        }
        p { "Accounts are made on the server: " code { "kdelta serve user add NAME --password-stdin" } "." }
    };
    super::page("Sign in", body)
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct Login {
    name: String,
    password: String,
    token: String,
    next: Option<String>,
}

/// `POST /login`.
pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(login): Form<Login>,
) -> Result<Response, PageFailure> {
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if expected.is_empty() || !secret::same(expected, &login.token) {
        return Err(PageFailure(Failure::Forbidden(
            "the sign-in form expired: load it again".into(),
        )));
    }
    let now = kdelta_db::now();
    let keys = [
        format!("name:{}", login.name),
        format!("addr:{}", peer.ip()),
    ];
    if state.limiter.blocked(&keys, now) {
        let mut response = form(
            &login.token,
            login.next.as_deref(),
            Some("Too many attempts: wait a few minutes."),
        );
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(response);
    }
    let found = state.db.user_by_name(&login.name).await?;
    let user = found.and_then(|(user, hash)| {
        hash.filter(|h| secret::verify_password(&login.password, h))
            .map(|_| user)
    });
    let Some(user) = user else {
        state.limiter.failed(&keys, now);
        let mut response = form(
            &login.token,
            login.next.as_deref(),
            Some("Wrong name or password."),
        );
        *response.status_mut() = StatusCode::UNAUTHORIZED;
        return Ok(response);
    };
    let key = secret::random("").map_err(|_| PageFailure(Failure::Internal))?;
    let csrf = secret::random("").map_err(|_| PageFailure(Failure::Internal))?;
    state
        .db
        .add_session(
            &secret::digest(&key),
            user.id,
            &csrf,
            now,
            now + SESSION_SECONDS,
        )
        .await?;
    let mut response = redirect(&safe_next(login.next.as_deref()));
    set_cookie(
        &mut response,
        &format!("{SESSION_COOKIE}={key}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={SESSION_SECONDS}"),
    );
    set_cookie(
        &mut response,
        &format!("{LOGIN_COOKIE}=; Path=/login; Max-Age=0"),
    );
    Ok(response)
}

/// The sign-out form's field.
#[derive(Deserialize)]
pub struct Logout {
    csrf: String,
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    headers: HeaderMap,
    Form(form): Form<Logout>,
) -> Result<Response, PageFailure> {
    if let Some(crate::auth::Caller {
        via: Via::Session { csrf },
        ..
    }) = &caller
    {
        if !secret::same(csrf, &form.csrf) {
            return Err(PageFailure(Failure::Forbidden(
                "the form expired: load the page again".into(),
            )));
        }
        if let Some(key) = cookie(&headers, SESSION_COOKIE) {
            state.db.end_session(&secret::digest(key)).await?;
        }
    }
    let mut response = redirect("/");
    set_cookie(
        &mut response,
        &format!("{SESSION_COOKIE}=; Path=/; Max-Age=0"),
    );
    Ok(response)
}

/// `next` when it is a path on this site, else `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".into(),
    }
}

/// A `303 See Other` to `to`.
pub fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

fn set_cookie(response: &mut Response, value: &str) {
    if let Ok(v) = value.parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/distributions/x")), "/distributions/x");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
