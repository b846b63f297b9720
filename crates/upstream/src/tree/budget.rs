//! A bound on the bytes in flight between the thread that reads an archive and the
//! thread that searches it, so that a run of huge files cannot pile up in memory.

use std::sync::{Condvar, Mutex};

/// Bytes handed over but not yet released, with a limit.
pub(super) struct Budget {
    limit: usize,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    in_flight: usize,
    /// The consumer has gone: never wait again.
    closed: bool,
}

impl Budget {
    /// A budget of `limit` bytes.
    pub(super) fn new(limit: usize) -> Budget {
        Budget {
            limit,
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        }
    }

    /// Wait until `bytes` more fit (a single oversized item is let through when nothing
    /// else is in flight), then count them.
    pub(super) fn acquire(&self, bytes: usize) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        while !state.closed && state.in_flight > 0 && state.in_flight + bytes > self.limit {
            state = match self.changed.wait(state) {
                Ok(state) => state,
                Err(_) => return,
            };
        }
        state.in_flight += bytes;
    }

    /// Give `bytes` back.
    pub(super) fn release(&self, bytes: usize) {
        if let Ok(mut state) = self.state.lock() {
            state.in_flight = state.in_flight.saturating_sub(bytes);
        }
        self.changed.notify_all();
    }

    /// A guard that stops all waiting when dropped (the consumer finished or failed).
    pub(super) fn consumer(&self) -> Consumer<'_> {
        Consumer(self)
    }
}

/// Held by the consuming side; see [`Budget::consumer`].
pub(super) struct Consumer<'b>(&'b Budget);

impl Consumer<'_> {
    /// Give `bytes` back.
    pub(super) fn release(&self, bytes: usize) {
        self.0.release(bytes);
    }
}

impl Drop for Consumer<'_> {
    fn drop(&mut self) {
        if let Ok(mut state) = self.0.state.lock() {
            state.closed = true;
        }
        self.0.changed.notify_all();
    }
}
