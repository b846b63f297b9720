//! `kdelta serve`: the shared delta pages and API for the distributions of a configuration
//! file, on an embedded SQLite file or PostgreSQL, kept up to date by a background worker.
//! `kdelta serve --demo` serves the built-in demo's three distributions. `kdelta serve user
//! add` and `kdelta serve token create|revoke|list` manage accounts and API tokens;
//! `kdelta serve export|import` back up and restore.

use crate::Outcome;
use anyhow::Context;
use kdelta_server::admin::{run_admin, Admin};
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Arguments of `kdelta serve`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    admin: Option<AdminCommand>,
    /// The configuration file (TOML): the distributions to serve, each with its queue,
    /// upstream and annotations
    #[arg(long, value_name = "FILE", required_unless_present = "demo")]
    config: Option<PathBuf>,
    /// The database: sqlite://FILE or postgres://USER@HOST/DB [default: sqlite://kdelta-serve.sqlite
    /// beside the configuration file]
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// The address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Serve the built-in demo: three distributions that carry some of the same patches,
    /// written to --demo-dir with their configuration; prints an admin token
    #[arg(long, conflicts_with = "config")]
    demo: bool,
    /// Where --demo writes the demo
    #[arg(long, value_name = "DIR", default_value = "kdelta-serve-demo")]
    demo_dir: PathBuf,
}

/// Accounts and tokens.
#[derive(clap::Subcommand)]
enum AdminCommand {
    /// Manage accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens
    #[command(subcommand)]
    Token(TokenCommand),
    /// Back up everything the service stores but sign-in sessions, as JSON
    Export {
        /// The file to write [default: standard output]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Restore a backup of `kdelta serve export` into an empty database
    Import {
        /// The backup
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// The database an admin command works on.
#[derive(clap::Args)]
struct DbArgs {
    /// The database (as `kdelta serve --db`)
    #[arg(long, value_name = "URL", required_unless_present = "config")]
    db: Option<String>,
    /// The server's configuration file: its default database
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(clap::Subcommand)]
enum UserCommand {
    /// Add an account with a role on some distributions
    Add {
        /// The account's name (shown as who made a change)
        name: String,
        /// viewer, member, maintainer or admin
        #[arg(long, default_value = "member", value_parser = parse_role)]
        role: kdelta_db::Role,
        /// A distribution the role is on, or * for all (repeatable)
        #[arg(long = "distribution", value_name = "NAME", required = true)]
        distributions: Vec<String>,
        /// Read a password from standard input, to sign in on the site (else: tokens only)
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(clap::Subcommand)]
enum TokenCommand {
    /// Make an API token for an account; it is printed once
    Create {
        /// The account
        #[arg(long)]
        user: String,
        /// What the token is for (`ci`, `push from build host`)
        #[arg(long, default_value = "api")]
        label: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a token by its id (`kdelta serve token list`)
    Revoke {
        /// The token's id
        id: i64,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the tokens (ids, accounts, labels; never the tokens)
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

fn parse_role(text: &str) -> Result<kdelta_db::Role, String> {
    kdelta_db::Role::parse(text)
        .ok_or_else(|| format!("{text:?}: expected viewer, member, maintainer or admin"))
}

/// Serve until SIGTERM or SIGINT, or do an admin command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if let Some(admin) = args.admin {
        return run_admin_command(admin);
    }
    let config_path = match &args.config {
        Some(path) => path.clone(),
        None => {
            let path = kdelta_server::demo::write(&args.demo_dir)?;
            crate::term::say!(
                "kdelta serve: the demo is in {}, served as {} says",
                args.demo_dir.display(),
                path.display()
            );
            path
        }
    };
    let config = kdelta_server::Config::load(&config_path)?;
    let db = database(args.db, Some(&config_path))?;
    kdelta_server::run(kdelta_server::Options {
        db,
        listen: args.listen,
        config,
        demo_admin: args.demo,
    })?;
    Ok(Outcome::Clean)
}

fn run_admin_command(admin: AdminCommand) -> anyhow::Result<Outcome> {
    let (db, admin) = match admin {
        AdminCommand::User(UserCommand::Add {
            name,
            role,
            distributions,
            password_stdin,
            db,
        }) => {
            let password = password_stdin.then(read_password).transpose()?;
            let admin = Admin::UserAdd {
                name,
                role,
                distributions,
                password,
            };
            (db, admin)
        }
        AdminCommand::Token(TokenCommand::Create { user, label, db }) => {
            (db, Admin::TokenCreate { user, label })
        }
        AdminCommand::Token(TokenCommand::Revoke { id, db }) => (db, Admin::TokenRevoke { id }),
        AdminCommand::Token(TokenCommand::List { db }) => (db, Admin::TokenList),
        AdminCommand::Export { output, db } => (db, Admin::Export { to: output }),
        AdminCommand::Import { file, db } => (db, Admin::Import { from: file }),
    };
    let url = database(db.db, db.config.as_deref())?;
    // A backup goes out exact (it is JSON, whose strings escape what a terminal must not see).
    let exact = matches!(admin, Admin::Export { to: None });
    let out = run_admin(&url, admin)?;
    if !out.is_empty() {
        let mut stdout = crate::term::stdout(exact);
        writeln!(stdout, "{out}")?;
        stdout.flush()?;
    }
    Ok(Outcome::Clean)
}

/// The database URL: given, or the SQLite file beside the configuration.
fn database(given: Option<String>, config: Option<&Path>) -> anyhow::Result<String> {
    if let Some(url) = given {
        return Ok(url);
    }
    let config = config.context("give --db URL or --config FILE")?;
    // A bare file name (`--config serve.toml`) lives in the current directory.
    let dir = match config.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let dir = std::path::absolute(dir)?;
    Ok(format!(
        "sqlite://{}",
        dir.join("kdelta-serve.sqlite").display()
    ))
}

/// The first line of standard input.
fn read_password() -> anyhow::Result<String> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let password = text.lines().next().unwrap_or("").to_string();
    anyhow::ensure!(!password.is_empty(), "no password on standard input");
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_lies_beside_the_configuration_even_named_bare() {
        let here = std::path::absolute(".").expect("current directory");
        let bare = database(None, Some(Path::new("serve.toml"))).expect("a bare name");
        assert_eq!(
            bare,
            format!("sqlite://{}", here.join("kdelta-serve.sqlite").display())
        );
        let nested = database(None, Some(Path::new("/srv/kdelta/serve.toml"))).expect("a path");
        assert_eq!(nested, "sqlite:///srv/kdelta/kdelta-serve.sqlite");
        let given = database(Some("postgres://u@h/d".into()), None).expect("given");
        assert_eq!(given, "postgres://u@h/d");
    }
}
