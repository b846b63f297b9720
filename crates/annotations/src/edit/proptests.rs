//! Property: any sequence of edits, with any strings (quotes, newlines, control characters,
//! any Unicode), yields a file that parses and holds exactly the values set, and leaves the
//! other annotations as they were.

use super::*;
use proptest::prelude::*;

const EXAMPLE: &str = include_str!("../../testdata/example.toml");
const EXAMPLE_PATCH: &str = "patches.xen/xen-blkback-multi-page-ring";
const FILE: &str = "kdelta-annotations.toml";

/// One edit of a sequence.
#[derive(Clone, Debug)]
enum Op {
    Owner(Option<String>),
    Feature(Option<String>),
    Status(Option<(Status, String)>),
    Note(String),
    Link(String),
    FeatureNote(Option<String>),
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zé😀 \"'\\\\\n\r\t#=\\[\\]{},.:]{0,16}",
        Just(String::new()),
        Just("\"\"\"".to_string()),
        Just("'''\n".to_string()),
    ]
}

fn status() -> impl Strategy<Value = Status> {
    proptest::sample::select(Status::ALL.to_vec())
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        proptest::option::of(text()).prop_map(Op::Owner),
        proptest::option::of(text()).prop_map(Op::Feature),
        proptest::option::of((status(), text().prop_map(|r| format!("r{r}")))).prop_map(Op::Status),
        text().prop_map(Op::Note),
        // Links are URLs (anything else is refused): with characters markup cares about.
        "[a-z0-9/._~()*'\"\\[\\]-]{1,20}"
            .prop_map(|p| Op::Link(format!("https://example.org/{p}"))),
        proptest::option::of(text()).prop_map(Op::FeatureNote),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("patches.xen/new.patch".to_string()),
        Just(EXAMPLE_PATCH.to_string()),
        "[a-z\"'. /\\\\é]{1,12}",
    ]
}

fn change(value: &Option<String>) -> Option<Change<String>> {
    Some(value.clone().map_or(Change::Clear, Change::Set))
}

fn patch_edit(op: &Op) -> PatchEdit {
    let mut edit = PatchEdit {
        by: "prop".into(),
        on: "2026-11-26".into(),
        ..Default::default()
    };
    match op {
        Op::Owner(owner) => edit.owner = change(owner),
        Op::Feature(feature) => edit.feature = change(feature),
        Op::Status(Some((status, reason))) => {
            edit.status = Some(Change::Set(*status));
            edit.reason = Some(Change::Set(reason.clone()));
        }
        Op::Status(None) => {
            edit.status = Some(Change::Clear);
            edit.reason = Some(Change::Clear);
        }
        Op::Note(note) => edit.add_notes = vec![note.clone()],
        Op::Link(link) => edit.add_links = vec![link.clone()],
        Op::FeatureNote(_) => {}
    }
    edit
}

/// What the annotation of the edited patch must hold, and the feature's note.
#[derive(Default)]
struct Expected {
    patch: PatchAnnotation,
    feature_note: Option<String>,
}

impl Expected {
    fn apply(&mut self, op: &Op) {
        let patch = &mut self.patch;
        let add = |list: &mut Vec<String>, value: &String| {
            if !value.trim().is_empty() && !list.contains(value) {
                list.push(value.clone());
            }
        };
        match op {
            Op::Owner(owner) => patch.owner = owner.clone(),
            Op::Feature(feature) => patch.feature = feature.clone(),
            Op::Status(status) => {
                patch.status = status.as_ref().map(|(s, _)| *s);
                patch.reason = status.as_ref().map(|(_, r)| r.clone());
            }
            Op::Note(note) => add(&mut patch.notes, note),
            Op::Link(link) => add(&mut patch.links, link),
            Op::FeatureNote(note) => self.feature_note = note.clone(),
        }
    }
}

fn apply(text: &str, patch: &str, op: &Op) -> String {
    let result = match op {
        Op::FeatureNote(note) => {
            let edit = FeatureEdit {
                note: change(note),
                ..Default::default()
            };
            edit_feature(text, FILE, "feature \"x\"", &edit)
        }
        _ => edit_patch(text, FILE, patch, &patch_edit(op)),
    };
    match result {
        Ok(out) => out,
        Err(e) => panic!("{e}\n--- on ---\n{text}\n--- with {op:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn edits_yield_files_that_parse_and_hold_the_values_set(
        start_with_example in any::<bool>(),
        patch in name(),
        ops in proptest::collection::vec(op(), 1..8),
    ) {
        let mut text = if start_with_example { EXAMPLE.to_string() } else { String::new() };
        let before = Annotations::parse(&text, FILE).expect("the start parses");
        let mut expected = Expected {
            patch: before.patches.get(&patch).cloned().unwrap_or_default(),
            ..Default::default()
        };
        for op in &ops {
            text = apply(&text, &patch, op);
            expected.apply(op);
            let parsed = Annotations::parse(&text, FILE).expect("checked by the edit");
            let got = parsed.patches.get(&patch).cloned().unwrap_or_default();
            prop_assert_eq!(&got.owner, &expected.patch.owner);
            prop_assert_eq!(&got.feature, &expected.patch.feature);
            prop_assert_eq!(&got.status, &expected.patch.status);
            prop_assert_eq!(&got.reason, &expected.patch.reason);
            prop_assert_eq!(&got.notes, &expected.patch.notes);
            prop_assert_eq!(&got.links, &expected.patch.links);
            let note = parsed.features.get("feature \"x\"").and_then(|f| f.note.clone());
            prop_assert_eq!(&note, &expected.feature_note);
            for (name, annotation) in &before.patches {
                if *name != patch {
                    let now = parsed.patches.get(name).map(|a| PatchAnnotation { line: 0, ..a.clone() });
                    prop_assert_eq!(Some(PatchAnnotation { line: 0, ..annotation.clone() }), now);
                }
            }
        }
    }
}
