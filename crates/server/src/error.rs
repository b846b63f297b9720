//! Errors: why the server could not start, and what a request that failed answers (a page
//! for the pages, JSON for the API). A database failure is logged and answered 500 without
//! its details, which may name the database.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The configuration is wrong.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The database could not be opened or used.
    #[error(transparent)]
    Db(#[from] kdelta_db::DbError),
    /// The address could not be listened on, or serving failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// Why it failed.
        source: std::io::Error,
    },
    /// The demo could not be written, or a secret made.
    #[error("{0}")]
    Demo(String),
}

/// What a failed request answers.
#[derive(Debug)]
pub enum Failure {
    /// Nothing is there (what was asked for).
    NotFound(String),
    /// The request needs credentials and has none (or none that hold).
    Unauthorized,
    /// The caller may not do this (why).
    Forbidden(String),
    /// The request makes no sense (why).
    BadRequest(String),
    /// Another write came first: the current state, as JSON.
    Conflict(serde_json::Value),
    /// The server failed; the details went to the log.
    Internal,
}

impl From<kdelta_db::DbError> for Failure {
    fn from(e: kdelta_db::DbError) -> Failure {
        eprintln!("kdelta serve: {e}");
        Failure::Internal
    }
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::NotFound(_) => StatusCode::NOT_FOUND,
            Failure::Unauthorized => StatusCode::UNAUTHORIZED,
            Failure::Forbidden(_) => StatusCode::FORBIDDEN,
            Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::Conflict(_) => StatusCode::CONFLICT,
            Failure::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> String {
        match self {
            Failure::NotFound(what) => format!("no {what}"),
            Failure::Unauthorized => {
                "sign in, or send an API token (Authorization: Bearer …)".into()
            }
            Failure::Forbidden(why) | Failure::BadRequest(why) => why.clone(),
            Failure::Conflict(_) => {
                "someone else changed it first: here is what it is now; make your change on that"
                    .into()
            }
            Failure::Internal => "the server failed; its log says why".into(),
        }
    }
}

/// A failure answered as a page.
#[derive(Debug)]
pub struct PageFailure(pub Failure);

impl From<kdelta_db::DbError> for PageFailure {
    fn from(e: kdelta_db::DbError) -> PageFailure {
        PageFailure(e.into())
    }
}

impl IntoResponse for PageFailure {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let message = self.0.message();
        let body = maud::html! {
            p { (message) }
            @if matches!(self.0, Failure::Unauthorized) { p { a href="/login" { "Sign in" } } }
        };
        (
            status,
            crate::pages::page(status.canonical_reason().unwrap_or("Error"), body),
        )
            .into_response()
    }
}

/// A failure answered as JSON: `{"error": "…"}`.
#[derive(Debug)]
pub struct ApiFailure(pub Failure);

impl From<kdelta_db::DbError> for ApiFailure {
    fn from(e: kdelta_db::DbError) -> ApiFailure {
        ApiFailure(e.into())
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "error": self.0.message() });
        if let Failure::Conflict(current) = &self.0 {
            body["current"] = current.clone();
        }
        let mut response = (self.0.status(), axum::Json(body)).into_response();
        if matches!(self.0, Failure::Unauthorized) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        ApiFailure(self).into_response()
    }
}
