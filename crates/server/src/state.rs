//! What every request handler and the worker share.

use crate::config::Config;
use kdelta_db::Db;
use std::sync::Arc;
use tokio::sync::Notify;

/// The server's shared state.
#[derive(Clone)]
pub struct AppState {
    /// The storage.
    pub db: Db,
    /// The configuration.
    pub config: Arc<Config>,
    /// Wakes the worker (a refresh was requested).
    pub wake: Arc<Notify>,
    /// This process's worker name, on the jobs it claims.
    pub worker: String,
    /// The current report of each distribution.
    pub reports: Arc<crate::current::Reports>,
    /// Answers kept for readers without credentials.
    pub kept: Arc<crate::kept::Kept>,
    /// Failed sign-ins.
    pub limiter: Arc<crate::limiter::Limiter>,
    /// The common delta of the newest snapshots, once computed: of every distribution
    /// (`None`), or of those a reader of a private site may read.
    pub common: Arc<tokio::sync::Mutex<crate::common::Kept>>,
}
