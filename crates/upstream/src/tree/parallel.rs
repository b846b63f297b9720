//! Work through numbered items with a few threads.

use super::TreeError;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// At most this many threads read and search files (the target machines have 2 cores).
const MAX_THREADS: usize = 2;

/// Run `step(worker, i)` for every `i` in `0..count`, spread over up to [`MAX_THREADS`]
/// threads, each with its own worker made by `make`. Stops at the first error. Returns
/// the workers.
pub(super) fn for_each<W: Send>(
    describe: &str,
    count: usize,
    make: impl Fn() -> Result<W, TreeError> + Sync,
    step: impl Fn(&mut W, usize) -> Result<(), TreeError> + Sync,
) -> Result<Vec<W>, TreeError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_THREADS)
        .min(count.max(1));
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let work = || -> Result<W, TreeError> {
        let mut worker = make()?;
        while !failed.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                break;
            }
            if let Err(e) = step(&mut worker, i) {
                failed.store(true, Ordering::Relaxed);
                return Err(e);
            }
        }
        Ok(worker)
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(TreeError::Internal {
                        source_name: describe.to_string(),
                        message: "a worker thread panicked".into(),
                    })
                })
            })
            .collect()
    })
}
