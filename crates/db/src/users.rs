//! Accounts: users (with an argon2 password hash, or none for token-only accounts), what
//! each may do where (a role per distribution, or for all: `*`), API tokens and browser
//! sessions. Only hashes of tokens and session keys are stored.

use crate::{Db, DbError};
use serde::Serialize;

/// A user's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct UserId(pub i64);

/// A token's id (to revoke it by).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct TokenId(pub i64);

/// A user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    /// The id.
    pub id: UserId,
    /// The name (unique; shown as who made a change).
    pub name: String,
}

/// What a user may do on a distribution, each role including the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Read, where reading is not public.
    Viewer,
    /// Record decisions: claims, notes, owners, features.
    Member,
    /// Also override statuses and request refreshes.
    Maintainer,
    /// Everything, including accounts.
    Admin,
}

impl Role {
    /// Every role, least first.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Member, Role::Maintainer, Role::Admin];

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Member => "member",
            Role::Maintainer => "maintainer",
            Role::Admin => "admin",
        }
    }

    /// The role called `name`.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// A token as listed (never its value).
#[derive(Clone, Debug, Serialize)]
pub struct TokenInfo {
    /// Its id.
    pub id: TokenId,
    /// Whose.
    pub user: String,
    /// What it is for.
    pub label: String,
    /// When it was made.
    pub created_at: i64,
    /// When it was revoked.
    pub revoked_at: Option<i64>,
}

impl Db {
    /// Add the user `name` (with a password hash, or none).
    pub async fn add_user(
        &self,
        name: &str,
        password_hash: Option<&str>,
        now: i64,
    ) -> Result<UserId, DbError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(password_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(id,)| UserId(id))
            .ok_or_else(|| DbError::Exists(format!("user {name:?}")))
    }

    /// Set the password hash of `user`.
    pub async fn set_password(&self, user: UserId, hash: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The user called `name`, with their password hash.
    pub async fn user_by_name(
        &self,
        name: &str,
    ) -> Result<Option<(User, Option<String>)>, DbError> {
        let row: Option<(i64, String, Option<String>)> =
            sqlx::query_as("SELECT id, name, password_hash FROM users WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(id, name, hash)| {
            (
                User {
                    id: UserId(id),
                    name,
                },
                hash,
            )
        }))
    }

    /// Give `user` `role` on `distribution` (a name, or `*` for all), replacing what they had there.
    pub async fn grant(&self, user: UserId, distribution: &str, role: Role) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO grants (user_id, distribution, role) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, distribution) DO UPDATE SET role = excluded.role",
        )
        .bind(user.0)
        .bind(distribution)
        .bind(role.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// What `user` may do where: `(distribution or *, role)`.
    pub async fn grants(&self, user: UserId) -> Result<Vec<(String, Role)>, DbError> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT distribution, role FROM grants WHERE user_id = $1")
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(d, r)| Some((d, Role::parse(&r)?)))
            .collect())
    }

    /// Store a token of `user` by its hash.
    pub async fn add_token(
        &self,
        user: UserId,
        label: &str,
        hash: &str,
        now: i64,
    ) -> Result<TokenId, DbError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO tokens (user_id, label, hash, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(user.0)
        .bind(label)
        .bind(hash)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(TokenId(id))
    }

    /// Revoke token `id`; whether it was live.
    pub async fn revoke_token(&self, id: TokenId, now: i64) -> Result<bool, DbError> {
        let done =
            sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(id.0)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every token, newest first.
    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, DbError> {
        let rows: Vec<(i64, String, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT t.id, u.name, t.label, t.created_at, t.revoked_at
             FROM tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, user, label, created_at, revoked_at)| TokenInfo {
                id: TokenId(id),
                user,
                label,
                created_at,
                revoked_at,
            })
            .collect())
    }

    /// The user whose live token hashes to `hash`.
    pub async fn user_by_token(&self, hash: &str) -> Result<Option<User>, DbError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT u.id, u.name FROM tokens t JOIN users u ON u.id = t.user_id
             WHERE t.hash = $1 AND t.revoked_at IS NULL",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, name)| User {
            id: UserId(id),
            name,
        }))
    }

    /// Start a session for `user`, by the hash of its key, with its CSRF token.
    pub async fn add_session(
        &self,
        hash: &str,
        user: UserId,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hash)
        .bind(user.0)
        .bind(csrf)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The user and CSRF token of the live session whose key hashes to `hash`.
    pub async fn session(&self, hash: &str, now: i64) -> Result<Option<(User, String)>, DbError> {
        let row: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT u.id, u.name, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.hash = $1 AND s.expires_at > $2",
        )
        .bind(hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, name, csrf)| {
            (
                User {
                    id: UserId(id),
                    name,
                },
                csrf,
            )
        }))
    }

    /// End the session whose key hashes to `hash`.
    pub async fn end_session(&self, hash: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE hash = $1")
            .bind(hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
