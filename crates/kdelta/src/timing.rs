//! `KDELTA_TIMING`: when it is set, the steps of a run and when each ended go to stderr.
//! The libraries record their steps and the jobs tell the observer; this is where they are shown.

use std::time::Duration;

/// Whether `KDELTA_TIMING` asks for the steps.
pub fn enabled() -> bool {
    std::env::var_os("KDELTA_TIMING").is_some()
}

/// Say that step `name` ended `at` after its job started.
pub fn step(name: &str, at: Duration) {
    if enabled() {
        crate::term::say!("kdelta: {name} done at {:.2} s", at.as_secs_f64());
    }
}
