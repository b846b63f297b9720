//! `kdelta serve`: the shared delta pages and API for the distributions of a configuration
//! file, on an embedded SQLite file or PostgreSQL, kept up to date by a background worker.
//! `kdelta serve --demo` serves the built-in demo's three distributions.

use crate::Outcome;
use anyhow::Context;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Arguments of `kdelta serve`.
#[derive(clap::Args)]
pub struct Args {
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
    /// written to --demo-dir with their configuration
    #[arg(long, conflicts_with = "config")]
    demo: bool,
    /// Where --demo writes the demo
    #[arg(long, value_name = "DIR", default_value = "kdelta-serve-demo")]
    demo_dir: PathBuf,
}

/// Serve until SIGTERM or SIGINT.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let config_path = match (&args.config, args.demo) {
        (Some(path), _) => path.clone(),
        (None, _) => {
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
    let db = match args.db {
        Some(url) => url,
        None => {
            let dir = config_path
                .parent()
                .context("the configuration file has no directory")?;
            let dir = std::path::absolute(dir)?;
            format!("sqlite://{}", dir.join("kdelta-serve.sqlite").display())
        }
    };
    kdelta_server::run(kdelta_server::Options {
        db,
        listen: args.listen,
        config,
    })?;
    Ok(Outcome::Clean)
}
