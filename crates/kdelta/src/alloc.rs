//! The global allocator: mimalloc, told to keep the memory a run frees instead of handing
//! it back to the kernel.
//!
//! The index allocates many short-lived buffers on several threads (blobs, pack cache
//! entries, line tables), where mimalloc is markedly faster than the system allocator. By
//! default mimalloc returns ("purges") freed pages to the kernel after a delay, and every
//! reuse then faults the pages in again and has the kernel clear them: ~6% of an index
//! run's CPU on xen.git (docs/PERFORMANCE.md). A kdelta run is short and its memory is
//! bounded by its caches, so it keeps what it frees.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc v3's `mimalloc.h` (the sys crate names no constant
/// for it); a test checks it against the option's default value.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Never purge freed memory in this process.
#[allow(unsafe_code)]
pub fn keep_freed_memory() {
    // SAFETY: `mi_option_set` stores a value in mimalloc's option table, which mimalloc
    // reads atomically; any value is valid for this option (-1: never purge).
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    /// The option at `PURGE_DELAY` is the purge delay: its default in mimalloc v3 is 1000 ms
    /// (unless the environment overrides it).
    #[test]
    #[allow(unsafe_code)]
    fn purge_delay_is_the_option_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reading an option has no preconditions.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(default, 1000);
    }
}
