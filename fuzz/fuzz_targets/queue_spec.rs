//! `QueueSpec::parse` must not panic on any text: a SPEC is typed by users and scripts.
//! What it parses to names a path or a repository taken from the text itself.
#![no_main]

use kdelta_queue::QueueSpec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if text.len() > 4096 {
        return;
    }
    if let Ok(spec) = QueueSpec::parse(&text) {
        let named = match &spec {
            QueueSpec::Path(p) => p.clone(),
            QueueSpec::GitRev { repo, .. } | QueueSpec::GitRange { repo, .. } => repo.clone(),
        };
        let named = named.to_string_lossy().into_owned();
        assert!(
            text.contains(named.trim_end_matches('/')),
            "{named:?} from {text:?}"
        );
    }
});
