//! Failed sign-ins counted per key (an account, an address) over a window, in memory: a
//! key with too many recent failures is refused until the window passes.

use std::collections::HashMap;
use std::sync::Mutex;

/// The counts.
#[derive(Default)]
pub struct Limiter {
    failures: Mutex<HashMap<String, (u32, i64)>>,
}

impl Limiter {
    /// Whether any of `keys` has had too many failures in the window before `now`.
    pub fn blocked(&self, keys: &[String], now: i64) -> bool {
        let Ok(map) = self.failures.lock() else {
            return true;
        };
        keys.iter().any(|k| {
            map.get(k).is_some_and(|(n, since)| {
                *n >= crate::pages::login::attempts() && now - since < crate::pages::login::window()
            })
        })
    }

    /// Count a failure of `keys` at `now`.
    pub fn failed(&self, keys: &[String], now: i64) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| now - *since < crate::pages::login::window());
        }
        for k in keys {
            let entry = map.entry(k.clone()).or_insert((0, now));
            if now - entry.1 >= crate::pages::login::window() {
                *entry = (0, now);
            }
            entry.0 += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Limiter;

    #[test]
    fn too_many_failures_block_until_the_window_passes() {
        let l = Limiter::default();
        let keys = ["name:ada".to_string()];
        for _ in 0..5 {
            assert!(!l.blocked(&keys, 100));
            l.failed(&keys, 100);
        }
        assert!(l.blocked(&keys, 101));
        assert!(!l.blocked(&["name:bob".to_string()], 101));
        assert!(!l.blocked(&keys, 100 + 300));
    }
}
