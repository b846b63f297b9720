//! Who is calling, and what they may do. A caller shows an API token (`Authorization:
//! Bearer kd_…`) or a session cookie; only hashes of both are stored. Passwords are hashed
//! with argon2. A write needs a role on the distribution written to; a session's write also
//! needs its CSRF token (a token's write does not: no browser sends it by itself).

pub mod read;
pub mod secret;

pub use read::Reader;

use crate::error::Failure;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use kdelta_db::{Role, User};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "kdelta_session";

/// The header a session's write carries its CSRF token in (forms carry it as `csrf`).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How a caller showed who they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    /// An API token.
    Token,
    /// A browser session, with its CSRF token.
    Session {
        /// The token its writes must carry.
        csrf: String,
    },
}

/// A signed-in caller.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Who.
    pub user: User,
    /// Their roles: per distribution name, or `*` for all.
    pub grants: Vec<(String, Role)>,
    /// How they showed it.
    pub via: Via,
}

impl Caller {
    /// Their role on `distribution` (the highest of its own and of `*`).
    pub fn role_on(&self, distribution: &str) -> Option<Role> {
        self.grants
            .iter()
            .filter(|(d, _)| d == distribution || d == "*")
            .map(|(_, r)| *r)
            .max()
    }
}

/// The caller of a request, if they showed valid credentials.
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Failure> {
        Ok(MaybeCaller(caller_of(parts, state).await?))
    }
}

/// The caller a request was already identified as (by [`crate::kept`]), kept in its
/// extensions so that it is looked up once.
#[derive(Clone)]
pub struct Identified(pub Option<Caller>);

/// The caller of a request: as already identified, else from its headers.
pub async fn caller_of(parts: &Parts, state: &AppState) -> Result<Option<Caller>, Failure> {
    match parts.extensions.get::<Identified>() {
        Some(Identified(caller)) => Ok(caller.clone()),
        None => identify(&parts.headers, state).await,
    }
}

/// The caller the headers show: a bearer token first, else a session cookie.
pub async fn identify(headers: &HeaderMap, state: &AppState) -> Result<Option<Caller>, Failure> {
    if let Some(token) = bearer(headers) {
        let Some(user) = state.db.user_by_token(&secret::digest(token)).await? else {
            return Ok(None);
        };
        let grants = state.db.grants(user.id).await?;
        return Ok(Some(Caller {
            user,
            grants,
            via: Via::Token,
        }));
    }
    let Some(key) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let now = kdelta_db::now();
    let Some((user, csrf)) = state.db.session(&secret::digest(key), now).await? else {
        return Ok(None);
    };
    let grants = state.db.grants(user.id).await?;
    Ok(Some(Caller {
        user,
        grants,
        via: Via::Session { csrf },
    }))
}

/// Allow a write to `distribution` that needs `role`: `401` without credentials (before
/// anything is looked up), `403` without the role or, for a session, without its CSRF token.
pub fn require(
    caller: Option<Caller>,
    distribution: &str,
    role: Role,
    csrf: Option<&str>,
) -> Result<Caller, Failure> {
    let caller = caller.ok_or(Failure::Unauthorized)?;
    if let Via::Session { csrf: expected } = &caller.via {
        if !csrf.is_some_and(|given| secret::same(given, expected)) {
            return Err(Failure::Forbidden(
                "a write from a session needs its CSRF token".into(),
            ));
        }
    }
    match caller.role_on(distribution) {
        Some(have) if have >= role => Ok(caller),
        _ => Err(Failure::Forbidden(format!(
            "{} is not a {} of {distribution}",
            caller.user.name,
            role.as_str()
        ))),
    }
}

/// The CSRF header of a request.
pub fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The value of cookie `name`.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_db::UserId;

    fn caller(grants: &[(&str, Role)], via: Via) -> Caller {
        Caller {
            user: User {
                id: UserId(1),
                name: "ada".into(),
            },
            grants: grants.iter().map(|(d, r)| (d.to_string(), *r)).collect(),
            via,
        }
    }

    #[test]
    fn roles_per_distribution() {
        let member_of_a = caller(&[("a", Role::Member)], Via::Token);
        assert!(require(Some(member_of_a.clone()), "a", Role::Member, None).is_ok());
        assert!(matches!(
            require(Some(member_of_a.clone()), "b", Role::Member, None),
            Err(Failure::Forbidden(_))
        ));
        assert!(matches!(
            require(Some(member_of_a), "a", Role::Maintainer, None),
            Err(Failure::Forbidden(_))
        ));
        let viewer = caller(&[("a", Role::Viewer)], Via::Token);
        assert!(matches!(
            require(Some(viewer), "a", Role::Member, None),
            Err(Failure::Forbidden(_))
        ));
        let admin = caller(&[("*", Role::Admin), ("a", Role::Viewer)], Via::Token);
        assert!(require(Some(admin), "a", Role::Maintainer, None).is_ok());
        assert!(matches!(
            require(None, "a", Role::Member, None),
            Err(Failure::Unauthorized)
        ));
    }

    #[test]
    fn a_session_write_needs_its_csrf_token() {
        let session = caller(&[("a", Role::Member)], Via::Session { csrf: "c1".into() });
        assert!(matches!(
            require(Some(session.clone()), "a", Role::Member, None),
            Err(Failure::Forbidden(_))
        ));
        assert!(matches!(
            require(Some(session.clone()), "a", Role::Member, Some("c2")),
            Err(Failure::Forbidden(_))
        ));
        assert!(require(Some(session), "a", Role::Member, Some("c1")).is_ok());
    }

    #[test]
    fn cookies_and_bearers() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; kdelta_session=xyz; b=2".parse().expect("header"),
        );
        h.insert(
            header::AUTHORIZATION,
            "Bearer kd_abc".parse().expect("header"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("xyz"));
        assert_eq!(bearer(&h), Some("kd_abc"));
    }
}
