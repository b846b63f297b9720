//! Reading a cached tree index back must refuse any damaged file with a message, and never
//! panic, whatever lookups follow.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Past a valid header of this build (else the reader stops at the header), and as is.
    let mut bytes = kdelta_upstream::tree::cache::index_header();
    bytes.extend_from_slice(data);
    let _ = kdelta_upstream::tree::cache::check_index_bytes(&bytes);
    let _ = kdelta_upstream::tree::cache::check_index_bytes(data);
});
