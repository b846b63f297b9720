use crate::{Annotations, FeatureAnnotation, HistoryEntry, PatchAnnotation, Problem, Verified};
use kdelta_analysis::Status;

const EXAMPLE: &str = include_str!("../../testdata/example.toml");
const FILE: &str = "kdelta-annotations.toml";
const PATCH: &str = "patches.xen/xen-blkback-multi-page-ring";

fn error(text: &str) -> String {
    match Annotations::parse(text, FILE) {
        Ok(parsed) => panic!("parsed: {parsed:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_documented_example_parses() {
    let parsed = Annotations::parse(EXAMPLE, FILE).expect("the example parses");
    let feature = FeatureAnnotation {
        note: Some("Multi-page rings for blkback/blkfront".into()),
        owner: Some("Jan Beulich <jbeulich@suse.com>".into()),
        links: vec!["https://lore.kernel.org/xen-devel/...".into()],
        line: 3,
    };
    assert_eq!(parsed.features["blkback-multi-page-ring"], feature);
    let patch = PatchAnnotation {
        status: Some(Status::ReplacementLikely),
        reason: Some("upstream has max_ring_page_order".into()),
        feature: Some("blkback-multi-page-ring".into()),
        owner: Some("Jan Beulich <jbeulich@suse.com>".into()),
        notes: vec!["compare with xen-blkback/xenbus.c first".into()],
        links: vec!["https://bugzilla.suse.com/show_bug.cgi?id=1".into()],
        verified: Some(Verified {
            by: "Ada Lovelace".into(),
            on: "2026-11-25".into(),
        }),
        fingerprint: Some(
            "patch-id:0123456789abcdef0123456789abcdef01234567"
                .parse()
                .expect("valid"),
        ),
        history: vec![HistoryEntry {
            on: "2026-11-25".into(),
            by: "ada".into(),
            change: "owner: Jan Beulich <jbeulich@suse.com>; feature: blkback-multi-page-ring"
                .into(),
        }],
        line: 8,
    };
    assert_eq!(parsed.patches[PATCH], patch);
    assert_eq!(parsed.patches.len(), 1);
}

#[test]
fn an_empty_file_has_no_annotations() {
    let parsed = Annotations::parse("# nothing yet\n", FILE).expect("parses");
    assert_eq!(parsed, Annotations::default());
}

#[test]
fn annotations_serialise_for_reports() {
    let parsed = Annotations::parse(EXAMPLE, FILE).expect("the example parses");
    let json = serde_json::to_value(&parsed.patches[PATCH]).expect("serialises");
    assert_eq!(json["status"], "replacement-likely");
    assert_eq!(json["verified"]["by"], "Ada Lovelace");
    assert_eq!(
        json["fingerprint"],
        "patch-id:0123456789abcdef0123456789abcdef01234567"
    );
    assert_eq!(json["line"], 8);
}

#[test]
fn other_toml_spellings_of_the_same_data_are_read() {
    let text = r#"
[patches]
"a.patch" = { owner = "me", notes = [] }

[patches.b.verified]
by = "ada"
on = 2026-11-25

[[patches.b.history]]
on = 2026-11-26
by = "ada"
change = "verified"
"#;
    let parsed = Annotations::parse(text, FILE).expect("parses");
    assert_eq!(parsed.patches["a.patch"].owner.as_deref(), Some("me"));
    assert_eq!(parsed.patches["a.patch"].line, 3);
    let b = &parsed.patches["b"];
    assert_eq!(
        b.verified.as_ref().map(|v| v.on.as_str()),
        Some("2026-11-25")
    );
    assert_eq!(b.history[0].on, "2026-11-26");
    assert_eq!(b.line, 5);
}

#[test]
fn a_reason_without_status_is_a_note() {
    let text = "[patches.a]\nreason = \"the analysis is right\"\n";
    let parsed = Annotations::parse(text, FILE).expect("parses");
    assert_eq!(parsed.patches["a"].status, None);
    assert_eq!(
        parsed.patches["a"].reason.as_deref(),
        Some("the analysis is right")
    );
}

#[test]
fn a_toml_syntax_error_names_file_line_and_column() {
    let message = error("[patches.a]\nowner = \"x\"\nnotes = [\"a\"\n");
    assert!(
        message.starts_with("kdelta-annotations.toml:3:13: unclosed array"),
        "{message}"
    );
    let message = error("[patches.a]\nowner = \"x\"\nowner = \"y\"\n");
    assert_eq!(message, "kdelta-annotations.toml:3:1: duplicate key");
}

#[test]
fn unknown_keys_are_errors_not_ignored() {
    let message = error("[patches.a]\nowner = \"x\"\nownr = \"y\"\n");
    assert_eq!(
        message,
        "kdelta-annotations.toml:3:1: unknown key \"ownr\": expected one of feature, owner, \
         status, reason, notes, links, verified, fingerprint, history"
    );
    let message = error("[patch.a]\nowner = \"x\"\n");
    assert_eq!(
        message,
        "kdelta-annotations.toml:1:2: unknown key \"patch\": expected one of patches, features"
    );
    let message = error("[features.f]\nnotes = \"x\"\n");
    assert!(message.starts_with("kdelta-annotations.toml:2:1: unknown key \"notes\""));
    let message = error("[patches.a]\nverified = { by = \"x\", on = \"2026-01-01\", at = 1 }\n");
    assert_eq!(
        message,
        "kdelta-annotations.toml:2:43: unknown key \"at\": expected one of by, on"
    );
}

#[test]
fn an_unknown_status_names_the_known_ones() {
    let message = error("\n[patches.a]\nstatus = \"needswork\"\nreason = \"r\"\n");
    assert_eq!(
        message,
        "kdelta-annotations.toml:3:10: unknown status \"needswork\": expected one of upstream, \
         replacement-likely, in-progress, needs-work, downstream-only, obsolete, unknown"
    );
}

#[test]
fn a_status_without_reason_is_an_error() {
    let message = error("[patches.a]\nowner = \"x\"\nstatus = \"obsolete\"\n");
    assert_eq!(
        message,
        "kdelta-annotations.toml:3:1: a status override needs a reason"
    );
    let message = error("[patches.a]\nstatus = \"obsolete\"\nreason = \"  \"\n");
    assert!(
        message.ends_with("a status override needs a reason"),
        "{message}"
    );
}

#[test]
fn bad_dates_are_errors() {
    let message = error("[patches.a]\nverified = { by = \"x\", on = \"25.11.2026\" }\n");
    assert_eq!(
        message,
        "kdelta-annotations.toml:2:29: \"25.11.2026\" is not a date: expected YYYY-MM-DD"
    );
    let text =
        "[patches.a]\nhistory = [\n  { on = \"2026-02-30\", by = \"x\", change = \"y\" },\n]\n";
    assert!(error(text).starts_with("kdelta-annotations.toml:3:10: \"2026-02-30\" is not a date"));
    let text = "[patches.a]\nverified = { by = \"x\", on = 2026-11-25T10:00:00Z }\n";
    assert!(error(text).contains("is not a date"));
}

#[test]
fn a_bad_fingerprint_is_an_error() {
    let message = error("[patches.a]\nfingerprint = \"0123456789abcdef\"\n");
    assert!(
        message
            .starts_with("kdelta-annotations.toml:2:15: \"0123456789abcdef\" is not a fingerprint"),
        "{message}"
    );
}

#[test]
fn wrong_types_and_missing_keys_are_errors() {
    let message = error("[patches.a]\nowner = 5\n");
    assert_eq!(
        message,
        "kdelta-annotations.toml:2:9: owner: expected a string, found integer"
    );
    let message = error("[patches.a]\nnotes = [\"a\", 1]\n");
    assert_eq!(
        message,
        "kdelta-annotations.toml:2:15: notes: expected an array of strings, found integer"
    );
    let message = error("[patches]\na = 1\n");
    assert_eq!(
        message,
        "kdelta-annotations.toml:2:5: a: expected a table, found integer"
    );
    let message = error("patches = 1\n");
    assert!(message.contains("patches: expected a table of names, found integer"));
    let message = error("[patches.a]\nhistory = [{ on = \"2026-01-01\", by = \"x\" }]\n");
    assert_eq!(
        message,
        "kdelta-annotations.toml:2:12: a history entry needs `change`"
    );
    let message = error("[patches.a]\nhistory = [\"x\"]\n");
    assert!(
        message.contains("history: expected an array of tables"),
        "{message}"
    );
    let error = Annotations::parse("[patches.a]\nstatus = \"up\"\n", FILE).expect_err("bad");
    assert!(matches!(error.problem(), Some(Problem::UnknownStatus(_))));
}
