//! When the steps of a library job ended, counted from the start of the job (or of the
//! part of it that records them), kept for the caller to show: libraries never print (the
//! CLI prints them when `KDELTA_TIMING` is set).

use std::time::{Duration, Instant};

/// The steps of a job, in order, each with the time it ended at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timings {
    steps: Vec<(String, Duration)>,
}

impl Timings {
    /// Record that `what` ended at `at`.
    pub fn record(&mut self, what: impl Into<String>, at: Duration) {
        self.steps.push((what.into(), at));
    }

    /// Record that `what` ends now, `started` being when the job started.
    pub fn since(&mut self, what: impl Into<String>, started: Instant) {
        self.record(what, started.elapsed());
    }

    /// Move every step of `other` to the end of these.
    pub fn append(&mut self, other: &mut Timings) {
        self.steps.append(&mut other.steps);
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[(String, Duration)] {
        &self.steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_keep_their_order_across_appends() {
        let mut first = Timings::default();
        first.record("read", Duration::from_millis(5));
        let mut second = Timings::default();
        second.record("index", Duration::from_millis(7));
        first.append(&mut second);
        let names: Vec<&str> = first.steps().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["read", "index"]);
        assert!(second.steps().is_empty());
    }
}
