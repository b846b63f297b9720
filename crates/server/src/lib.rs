//! `kdelta serve`: the shared delta pages and their JSON API, over the snapshots of each
//! configured distribution's analysis, which a background worker keeps up to date.
//!
//! Storage is [`kdelta_db`] (SQLite by default, PostgreSQL for teams); the analysis is
//! [`kdelta_jobs`], as the CLI runs it. Pages are rendered on the server.

pub mod admin;
pub mod annotations;
pub mod api;
pub mod auth;
pub mod common;
pub mod config;
pub mod current;
pub mod decision;
pub mod demo;
pub mod error;
pub mod feed;
pub mod kept;
pub mod limiter;
pub mod overlay;
pub mod pages;
pub mod people;
pub mod push;
pub mod state;
pub mod view;
pub mod worker;
pub mod write;

use axum::routing::{get, post};
use axum::Router;
pub use config::{Config, DistributionConfig};
pub use error::ServerError;
use kdelta_db::Db;
use state::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::{watch, Notify};

/// How to serve.
pub struct Options {
    /// The database URL: `sqlite://FILE` or `postgres://…`.
    pub db: String,
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The configuration.
    pub config: Config,
    /// Make sure an `admin` account exists and print a new token of it (the demo).
    pub demo_admin: bool,
}

/// Every route.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home::get))
        .route("/distributions/{name}", get(pages::distribution::get))
        .route("/distributions/{name}/history", get(pages::history::get))
        .route("/common-delta", get(pages::common::get))
        .route("/api/v1/common-delta", get(api::common_delta))
        .route("/people", get(pages::people::get))
        .route("/login", get(pages::login::get).post(pages::login::post))
        .route("/logout", post(pages::login::logout))
        .route(
            "/distributions/{name}/patches/{*patch}",
            get(pages::patch::get).post(pages::patch::post),
        )
        .route(
            "/api/v1/distributions/{name}/patches/{*rest}",
            post(write::post).get(api::decision),
        )
        .route("/api/v1/events", get(api::events))
        .route("/events.atom", get(feed::get))
        .route("/api/v1/distributions/{name}/refresh", post(write::refresh))
        .route(
            "/api/v1/distributions/{name}/snapshots",
            post(push::post).layer(axum::extract::DefaultBodyLimit::max(push::MAX_PUSH)),
        )
        .route("/api/v1/people", get(api::people))
        .route("/api/v1/distributions", get(api::distributions))
        .route("/api/v1/distributions/{name}", get(api::distribution))
        .route("/api/v1/distributions/{name}/history", get(api::history))
        .route(
            "/api/v1/distributions/{name}/annotations.toml",
            get(api::annotations),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            kept::layer,
        ))
        .with_state(state)
}

/// Open the database and register the configured distributions: the state to serve.
pub async fn prepare(db_url: &str, config: Config) -> Result<AppState, ServerError> {
    let db = Db::open(db_url).await?;
    let now = kdelta_db::now();
    for d in &config.distributions {
        let json = serde_json::to_string(d).map_err(kdelta_db::DbError::from)?;
        db.upsert_distribution(&d.name, &json, now).await?;
    }
    Ok(AppState {
        db,
        config: Arc::new(config),
        wake: Arc::new(Notify::new()),
        worker: format!("pid{}", std::process::id()),
        common: Default::default(),
        limiter: Default::default(),
        reports: Default::default(),
        kept: Default::default(),
    })
}

/// A running server: where it listens, its state, and how to stop it.
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Its state.
    pub state: AppState,
    stop: watch::Sender<bool>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    worker: Option<tokio::task::JoinHandle<()>>,
}

/// Listen on `listen` and serve `state`, with the background worker when `worker`.
pub async fn start(
    state: AppState,
    listen: SocketAddr,
    worker: bool,
) -> Result<Running, ServerError> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|source| ServerError::Io {
            what: format!("listening on {listen}"),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Io {
        what: "the listening address".into(),
        source,
    })?;
    let (stop, stopped) = watch::channel(false);
    let mut until = stopped.clone();
    let router = app(state.clone());
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = until.wait_for(|s| *s).await;
        })
        .await
    });
    let worker = worker.then(|| tokio::spawn(worker::run(state.clone(), stopped)));
    Ok(Running {
        addr,
        state,
        stop,
        server,
        worker,
    })
}

impl Running {
    /// Stop: requests in flight finish, no new ones are taken; the worker stops after its
    /// current step (a refresh still analysing is given back to the queue).
    pub async fn stop(self) -> Result<(), ServerError> {
        let _ = self.stop.send(true);
        let served = self.server.await;
        if let Some(worker) = self.worker {
            let waited = tokio::time::timeout(std::time::Duration::from_secs(10), worker).await;
            if waited.is_err() {
                self.state.db.requeue_running(&self.state.worker).await?;
            }
        }
        self.state.db.close().await;
        match served {
            Ok(Ok(())) => Ok(()),
            Ok(Err(source)) => Err(ServerError::Io {
                what: "serving".into(),
                source,
            }),
            Err(e) => Err(ServerError::Io {
                what: "serving".into(),
                source: std::io::Error::other(e.to_string()),
            }),
        }
    }
}

/// Serve until SIGTERM or SIGINT (blocking; its own runtime).
pub fn run(options: Options) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Runtime::new().map_err(|source| ServerError::Io {
        what: "starting the runtime".into(),
        source,
    })?;
    let result = runtime.block_on(async {
        let state = prepare(&options.db, options.config).await?;
        if options.demo_admin {
            let token = demo_admin(&state.db).await?;
            eprintln!("kdelta serve: the demo's admin token (shown once): {token}");
        }
        let running = start(state, options.listen, true).await?;
        eprintln!("kdelta serve: listening on http://{}", running.addr);
        shutdown_signal().await;
        eprintln!("kdelta serve: stopping");
        running.stop().await
    });
    // An analysis still running in a blocking thread is not waited for: its job is queued again.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    result
}

/// An `admin` account with every right (made when missing), and a new token of it.
pub async fn demo_admin(db: &Db) -> Result<String, ServerError> {
    if db.user_by_name("admin").await?.is_none() {
        let id = db.add_user("admin", None, kdelta_db::now()).await?;
        db.grant(id, "*", kdelta_db::Role::Admin).await?;
    }
    admin::create_token(db, "admin", "demo").await
}

/// SIGTERM or SIGINT.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
