use super::*;
use crate::apply::{patch_file, PatchOptions, Placed};
use crate::Patch;

const PATCH: &str = "From: A <a@example.org>\nSubject: [PATCH] f: two changes\n\nWhy it matters.\n---\n f | 4 ++--\n\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@ int main(void)\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n@@ -20,7 +20,7 @@\n l20\n l21\n l22\n-l23\n+L23\n l24\n l25\n l26\n-- \n2.43.0\n";

fn numbered(n: usize) -> String {
    (1..=n).map(|i| format!("l{i}\n")).collect()
}

#[test]
fn a_refreshed_patch_keeps_its_text_and_applies_exactly_where_it_went() {
    let patch = Patch::parse(PATCH.as_bytes(), &Default::default());
    // The file moved on: two lines on top, a context line of the first hunk changed.
    let target = format!("top\ntop\n{}", numbered(30)).replace("l3\n", "l3 changed\n");
    let file = &patch.files[0];
    let applied = patch_file(file, Some(target.as_bytes()), &PatchOptions::default());
    assert!(applied.clean());
    assert!(applied.fuzz() > 0, "{:?}", applied.hunks);
    let hunks: Vec<Hunk> = applied.as_applied.iter().flatten().cloned().collect();
    let text = rewrite(PATCH.as_bytes(), &patch.files, &[Some(hunks)]);
    let text = String::from_utf8(text).expect("utf8");
    assert!(text.starts_with("From: A <a@example.org>\nSubject: [PATCH] f: two changes\n\nWhy it matters.\n---\n f | 4 ++--\n\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -4,7 +4,7 @@ int main(void)\n l2\n l3 changed\n"), "{text}");
    assert!(text.ends_with("-- \n2.43.0\n"), "{text}");
    let again = Patch::parse(text.as_bytes(), &Default::default());
    let exact = PatchOptions {
        max_fuzz: 0,
        ..PatchOptions::default()
    };
    let reapplied = patch_file(&again.files[0], Some(target.as_bytes()), &exact);
    assert!(
        reapplied.hunks.iter().all(|h| matches!(
            h,
            Placed::Applied {
                offset: 0,
                fuzz: 0,
                ..
            }
        )),
        "{:?}",
        reapplied.hunks
    );
    assert_eq!(reapplied.bytes, applied.bytes);
}

#[test]
fn hunks_brought_together_are_merged() {
    let d = "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -5,3 +5,3 @@\n d\n-e\n+E\n f\n";
    let patch = Patch::parse(d.as_bytes(), &Default::default());
    let hunks = merged(&patch.files[0].hunks);
    assert_eq!(hunks.len(), 2, "a line apart: kept apart");
    let mut moved = patch.files[0].hunks.clone();
    moved[1].old_start = 3;
    moved[1].new_start = 3;
    moved[1].lines[0].text = "c".into();
    let hunks = merged(&moved);
    assert_eq!(hunks.len(), 1);
    assert_eq!(
        String::from_utf8_lossy(&render(&hunks)),
        "@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n-e\n+E\n f\n"
    );
}
