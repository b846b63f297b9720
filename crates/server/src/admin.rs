//! `kdelta serve user …` and `kdelta serve token …`: accounts and API tokens, managed from
//! the shell on the server's database. A token is shown once, when it is made.

use crate::auth::secret;
use crate::ServerError;
use kdelta_db::{Db, DbError, Role, TokenId};

/// What to do.
#[derive(Clone, Debug)]
pub enum Admin {
    /// Add a user with a role on some distributions (or `*`), and a password or none.
    UserAdd {
        /// The name.
        name: String,
        /// The role.
        role: Role,
        /// Where (`*`: everywhere).
        distributions: Vec<String>,
        /// The password, if they sign in on the site.
        password: Option<String>,
    },
    /// Make an API token for a user.
    TokenCreate {
        /// Whose.
        user: String,
        /// What it is for.
        label: String,
    },
    /// Revoke a token.
    TokenRevoke {
        /// Which.
        id: i64,
    },
    /// List the tokens (never their values).
    TokenList,
    /// Back up everything but sessions as JSON, to a file (written whole or not at all) or
    /// standard output.
    Export {
        /// The file; standard output when none.
        to: Option<std::path::PathBuf>,
    },
    /// Restore a backup into an empty database.
    Import {
        /// The backup.
        from: std::path::PathBuf,
    },
}

/// Do `admin` on the database at `db_url`; what to print.
pub fn run_admin(db_url: &str, admin: Admin) -> Result<String, ServerError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| ServerError::Io {
            what: "starting the runtime".into(),
            source,
        })?;
    runtime.block_on(async {
        let db = Db::open(db_url).await?;
        let out = admin_on(&db, admin).await;
        db.close().await;
        out
    })
}

/// Do `admin` on `db`.
pub async fn admin_on(db: &Db, admin: Admin) -> Result<String, ServerError> {
    let now = kdelta_db::now();
    match admin {
        Admin::UserAdd {
            name,
            role,
            distributions,
            password,
        } => {
            let hash = password
                .as_deref()
                .map(secret::hash_password)
                .transpose()
                .map_err(fail)?;
            let id = db.add_user(&name, hash.as_deref(), now).await?;
            for d in &distributions {
                db.grant(id, d, role).await?;
            }
            Ok(format!(
                "user {name}: {} of {}",
                role.as_str(),
                distributions.join(", ")
            ))
        }
        Admin::TokenCreate { user, label } => {
            let token = create_token(db, &user, &label).await?;
            Ok(token)
        }
        Admin::TokenRevoke { id } => {
            if db.revoke_token(TokenId(id), now).await? {
                Ok(format!("token {id} revoked"))
            } else {
                Err(DbError::NotFound(format!("live token {id}")).into())
            }
        }
        Admin::Export { to } => {
            let backup = db.export().await?;
            let text = serde_json::to_string(&backup).map_err(DbError::from)?;
            match to {
                None => Ok(text),
                Some(path) => {
                    kdelta_annotations::write_atomically(&path, text.as_bytes()).map_err(
                        |source| ServerError::Io {
                            what: format!("writing {}", path.display()),
                            source,
                        },
                    )?;
                    Ok(format!("wrote {}", path.display()))
                }
            }
        }
        Admin::Import { from } => {
            let text = std::fs::read(&from).map_err(|source| ServerError::Io {
                what: format!("reading {}", from.display()),
                source,
            })?;
            let backup: kdelta_db::Backup = serde_json::from_slice(&text).map_err(|e| {
                ServerError::Demo(format!("{}: not a kdelta backup: {e}", from.display()))
            })?;
            db.import(&backup).await?;
            let rows: usize = backup.tables.values().map(Vec::len).sum();
            Ok(format!("restored {rows} rows from {}", from.display()))
        }
        Admin::TokenList => {
            let mut out = String::new();
            for t in db.tokens().await? {
                let state = match t.revoked_at {
                    Some(at) => format!("revoked {}", crate::pages::when(at)),
                    None => "live".into(),
                };
                out.push_str(&format!(
                    "{:>5}  {:<20}  {:<20}  made {}  {state}\n",
                    t.id.0,
                    t.user,
                    t.label,
                    crate::pages::when(t.created_at)
                ));
            }
            Ok(out.trim_end().to_string())
        }
    }
}

/// Make a token for `user`: its value (stored only as a digest).
pub async fn create_token(db: &Db, user: &str, label: &str) -> Result<String, ServerError> {
    let (found, _) = db
        .user_by_name(user)
        .await?
        .ok_or_else(|| DbError::NotFound(format!("user {user:?}")))?;
    let token = secret::random("kd_").map_err(fail)?;
    db.add_token(found.id, label, &secret::digest(&token), kdelta_db::now())
        .await?;
    Ok(token)
}

fn fail(e: secret::SecretError) -> ServerError {
    ServerError::Demo(e.to_string())
}
