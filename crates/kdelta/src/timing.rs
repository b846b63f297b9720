//! `KDELTA_TIMING`: when it is set, the steps of a run and when each ended go to stderr.
//! The libraries only record their steps ([`Timings`]); this is where they are shown.

use kdelta_upstream::Timings;
use std::time::{Duration, Instant};

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

/// Say that step `name` of a job started at `started` ends now.
pub fn phase(name: &str, started: Instant) {
    step(name, started.elapsed());
}

/// Say the steps a library recorded.
pub fn steps(timings: &Timings) {
    for (name, at) in timings.steps() {
        step(name, *at);
    }
}
