//! Every convention's rules must not panic on any patch, and name lines of the text; a fix
//! applied to any text either is refused with a reason or leaves the field's line in it.
#![no_main]

use kdelta_lint::fix::apply;
use kdelta_lint::{Convention, Fix};
use kdelta_patch::{ParseOptions, Patch};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let patch = Patch::parse(data, &ParseOptions::default());
    let lines = data.split(|&b| b == b'\n').count();
    for convention in Convention::ALL {
        for f in convention.check("p.patch", &patch) {
            assert!(f.line <= lines.max(1), "{f:?} beyond {lines} lines");
        }
    }
    let fix = Fix::set([
        ("Patch-mainline", "v6.12".to_string()),
        ("Git-commit", "0123456789abcdef0123456789abcdef01234567".to_string()),
    ]);
    if let Ok(out) = apply(data, &patch, &[&fix]) {
        for set in &fix.set {
            let line = format!("{}: {}", set.field, set.value);
            let has = out
                .split(|&b| b == b'\n')
                .any(|l| l.eq_ignore_ascii_case(line.as_bytes()) || l.strip_suffix(b"\r").is_some_and(|l| l.eq_ignore_ascii_case(line.as_bytes())));
            assert!(has, "{line} not in the fixed text");
        }
    }
});
