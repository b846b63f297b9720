use super::*;
use crate::diff::parse_diffs;

fn diff(text: &str) -> FileDiff {
    let (mut files, problems) = parse_diffs(text.as_bytes(), 1, 1);
    assert!(problems.is_empty(), "{problems:?}");
    files.remove(0)
}

fn numbered(n: usize) -> String {
    (1..=n).map(|i| format!("l{i}\n")).collect()
}

const MIDDLE: &str = "--- a/f\n+++ b/f\n@@ -4,7 +4,7 @@\n l4\n l5\n l6\n-l7\n+L7\n l8\n l9\n l10\n";

#[test]
fn an_exact_hunk_applies_at_its_line() {
    let out = patch_file(
        &diff(MIDDLE),
        Some(numbered(20).as_bytes()),
        &PatchOptions::default(),
    );
    assert_eq!(
        out.hunks,
        vec![Placed::Applied {
            line: 4,
            offset: 0,
            fuzz: 0
        }]
    );
    assert_eq!(out.bytes, numbered(20).replace("l7\n", "L7\n").into_bytes());
}

#[test]
fn a_moved_hunk_applies_at_an_offset_and_the_next_hunk_starts_there() {
    let d = diff("--- a/f\n+++ b/f\n@@ -2,3 +2,3 @@\n l2\n-l3\n+L3\n l4\n@@ -10,3 +10,3 @@\n l10\n-l11\n+L11\n l12\n");
    let input = format!("x\ny\n{}", numbered(20));
    let out = patch_file(&d, Some(input.as_bytes()), &PatchOptions::default());
    assert_eq!(
        out.hunks,
        vec![
            Placed::Applied {
                line: 4,
                offset: 2,
                fuzz: 0
            },
            Placed::Applied {
                line: 12,
                offset: 2,
                fuzz: 0
            },
        ]
    );
}

#[test]
fn changed_context_needs_fuzz_and_keeps_the_file_s_own_lines() {
    let input = numbered(20).replace("l4\n", "NEW4\n");
    let out = patch_file(
        &diff(MIDDLE),
        Some(input.as_bytes()),
        &PatchOptions::default(),
    );
    assert_eq!(
        out.hunks,
        vec![Placed::Applied {
            line: 4,
            offset: 0,
            fuzz: 1
        }]
    );
    assert!(String::from_utf8_lossy(&out.bytes).contains("NEW4\nl5\nl6\nL7\n"));
    let strict = PatchOptions {
        max_fuzz: 0,
        ..PatchOptions::default()
    };
    let out = patch_file(&diff(MIDDLE), Some(input.as_bytes()), &strict);
    assert_eq!(out.hunks, vec![Placed::Failed { line: 4 }]);
    assert_eq!(out.bytes, input.as_bytes(), "a failed hunk changes nothing");
}

#[test]
fn a_changed_line_is_never_fuzzed_away() {
    let input = numbered(20).replace("l7\n", "other\n");
    let out = patch_file(
        &diff(MIDDLE),
        Some(input.as_bytes()),
        &PatchOptions::default(),
    );
    assert!(!out.clean());
}

#[test]
fn a_hunk_at_the_start_with_short_leading_context_only_matches_line_one() {
    let d = diff("--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-l1\n+L1\n l2\n l3\n l4\n");
    let moved = format!("x\n{}", numbered(6));
    let out = patch_file(&d, Some(moved.as_bytes()), &PatchOptions::default());
    assert_eq!(out.hunks, vec![Placed::Failed { line: 1 }]);
    let out = patch_file(&d, Some(numbered(6).as_bytes()), &PatchOptions::default());
    assert!(out.clean());
}

#[test]
fn a_hunk_at_the_end_with_short_trailing_context_only_matches_the_end() {
    let d = diff("--- a/f\n+++ b/f\n@@ -3,3 +3,4 @@\n l3\n l4\n l5\n+l6\n");
    let out = patch_file(&d, Some(numbered(5).as_bytes()), &PatchOptions::default());
    assert_eq!(out.bytes, numbered(6).into_bytes());
    // Three lines of context before, none after: fuzz 2 does not make up for it.
    let longer = patch_file(&d, Some(numbered(9).as_bytes()), &PatchOptions::default());
    assert_eq!(longer.hunks, vec![Placed::Failed { line: 3 }]);
}

#[test]
fn a_created_file_fails_on_a_file_that_exists() {
    let d = diff("--- /dev/null\n+++ b/new\n@@ -0,0 +1,2 @@\n+one\n+two\n");
    let out = patch_file(&d, None, &PatchOptions::default());
    assert_eq!(out.bytes, b"one\ntwo\n");
    let out = patch_file(&d, Some(b"there\n"), &PatchOptions::default());
    assert!(!out.clean());
}

#[test]
fn a_deleted_file_is_removed() {
    let d = diff("--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-one\n-two\n");
    let out = patch_file(&d, Some(b"one\ntwo\n"), &PatchOptions::default());
    assert!(out.removed && out.clean());
}

#[test]
fn a_missing_final_newline_is_a_difference() {
    let d = diff("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
    let out = patch_file(&d, Some(b"a\nb"), &PatchOptions::default());
    assert!(!out.clean(), "b without a newline is not the hunk's b");
    let d = diff("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n");
    let out = patch_file(&d, Some(b"a\nb"), &PatchOptions::default());
    assert_eq!(out.bytes, b"a\nc");
}

#[test]
fn blanks_may_differ_with_ignore_whitespace() {
    let input = numbered(20)
        .replace("l5\n", "l5  \n")
        .replace("l8\n", "l8\t\n");
    let loose = PatchOptions {
        max_fuzz: 0,
        ignore_whitespace: true,
    };
    assert!(patch_file(&diff(MIDDLE), Some(input.as_bytes()), &loose).hunks[0].applied());
    assert!(!similar(b"l8", b"\tl8"), "leading blanks still count");
    assert!(similar(b"a  b ", b"a\tb"));
}

#[test]
fn hunks_are_placed_in_order_never_before_an_earlier_change() {
    // The second hunk's code is only found above the first one: patch does not look
    // there.
    let d = diff(
        "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -8,3 +8,3 @@\n x\n-y\n+Y\n z\n",
    );
    let out = patch_file(
        &d,
        Some(b"x\ny\nz\na\nb\nc\nq\nq\nq\nq\n"),
        &PatchOptions::default(),
    );
    assert!(out.hunks[0].applied());
    assert_eq!(out.hunks[1], Placed::Failed { line: 8 });
}
