//! Who may read what. A public site (the default, `public = true` in the configuration)
//! shows everything to everyone. A private one answers `401` to a caller without
//! credentials, and shows a caller only the distributions they have a role on (viewer or
//! above, there or on `*`): the pages and lists across distributions — home, the common
//! delta, people, events — are made of those distributions alone, so they tell nothing of
//! the others.

use super::{caller_of, Caller};
use crate::error::Failure;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The caller of a read, and what they may read.
pub struct Reader {
    /// Who, when they showed valid credentials.
    pub caller: Option<Caller>,
    /// Whether the site is public.
    public: bool,
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Failure> {
        let caller = caller_of(parts, state).await?;
        Reader::new(caller, state.config.public)
    }
}

/// [`Reader`] for a page: a refusal is a page too.
pub struct PageReader(pub Reader);

impl FromRequestParts<AppState> for PageReader {
    type Rejection = crate::error::PageFailure;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, crate::error::PageFailure> {
        Reader::from_request_parts(parts, state)
            .await
            .map(PageReader)
            .map_err(crate::error::PageFailure)
    }
}

impl Reader {
    /// A reader of a site that is `public` or not: `401` for no one on a private site.
    pub fn new(caller: Option<Caller>, public: bool) -> Result<Reader, Failure> {
        if !public && caller.is_none() {
            return Err(Failure::Unauthorized);
        }
        Ok(Reader { caller, public })
    }

    /// Whether they may read `distribution`.
    pub fn may_read(&self, distribution: &str) -> bool {
        self.public
            || self
                .caller
                .as_ref()
                .is_some_and(|c| c.role_on(distribution).is_some())
    }

    /// `403` unless they may read `distribution`.
    pub fn check(&self, distribution: &str) -> Result<(), Failure> {
        if self.may_read(distribution) {
            return Ok(());
        }
        let who = self
            .caller
            .as_ref()
            .map_or("nobody", |c| c.user.name.as_str());
        Err(Failure::Forbidden(format!(
            "{who} may not read {distribution}"
        )))
    }

    /// The configured distributions they may read, in the configuration's order; `None`
    /// when that is all of them.
    pub fn readable(&self, state: &AppState) -> Option<Vec<String>> {
        let all = &state.config.distributions;
        let names: Vec<String> = all
            .iter()
            .filter(|d| self.may_read(&d.name))
            .map(|d| d.name.clone())
            .collect();
        (names.len() < all.len()).then_some(names)
    }
}

#[cfg(test)]
mod tests {
    use super::{Caller, Reader};
    use crate::auth::Via;
    use kdelta_db::{Role, User, UserId};

    fn caller(grants: &[(&str, Role)]) -> Caller {
        Caller {
            user: User {
                id: UserId(1),
                name: "ada".into(),
            },
            grants: grants.iter().map(|(d, r)| (d.to_string(), *r)).collect(),
            via: Via::Token,
        }
    }

    #[test]
    fn a_public_site_is_read_by_anyone() {
        let r = Reader::new(None, true).expect("public");
        assert!(r.may_read("debian"));
    }

    #[test]
    fn a_private_site_needs_a_role_on_the_distribution() {
        assert!(Reader::new(None, false).is_err());
        let r = Reader::new(Some(caller(&[("debian", Role::Viewer)])), false).expect("ok");
        assert!(r.may_read("debian"));
        assert!(!r.may_read("suse"));
        assert!(r.check("suse").is_err());
        let all = Reader::new(Some(caller(&[("*", Role::Viewer)])), false).expect("ok");
        assert!(all.may_read("suse"));
    }
}
