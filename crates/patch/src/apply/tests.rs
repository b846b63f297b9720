//! Tests of the tree check: hand-made cases, and a law over random edits.

use super::*;
use crate::diff::parse_diffs;

fn file_diff(text: &str) -> FileDiff {
    let (mut files, problems) = parse_diffs(text.as_bytes(), 1, 1);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(files.len(), 1, "{text}");
    files.remove(0)
}

/// Lines `int vN = N;` for N in 1..=20.
fn original() -> Vec<String> {
    (1..=20).map(|i| format!("int v{i} = {i};")).collect()
}

fn bytes(lines: &[String]) -> Vec<u8> {
    lines
        .iter()
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect()
}

/// Changes line 11 of [`original`] to `int v11 = 42;`.
const ONE_HUNK: &str = "--- a/f.c\n+++ b/f.c\n@@ -8,7 +8,7 @@ int f(void)\n int v8 = 8;\n int v9 = 9;\n int v10 = 10;\n-int v11 = 11;\n+int v11 = 42;\n int v12 = 12;\n int v13 = 13;\n int v14 = 14;\n";

fn patched() -> Vec<String> {
    let mut lines = original();
    lines[10] = "int v11 = 42;".into();
    lines
}

fn check(diff: &str, target: &[String]) -> FileCheck {
    check_file(&file_diff(diff), &bytes(target), &CheckOptions::default())
}

fn found(line: usize, offset: isize, fuzz: usize) -> Option<Found> {
    Some(Found { line, offset, fuzz })
}

#[test]
fn applies_to_the_original() {
    let result = check(ONE_HUNK, &original());
    assert_eq!(result.state, FileState::Applies);
    assert_eq!(result.hunks[0].state, HunkState::Applies);
    assert_eq!(result.hunks[0].pre, found(8, 0, 0));
    assert_eq!(result.hunks[0].post, None);
    assert_eq!(result.added_present, (0, 1));
}

#[test]
fn applied_to_the_patched_file() {
    let result = check(ONE_HUNK, &patched());
    assert_eq!(result.state, FileState::Applied);
    assert_eq!(result.hunks[0].state, HunkState::Applied);
    assert_eq!(result.hunks[0].pre, None);
    assert_eq!(result.hunks[0].post, found(8, 0, 0));
    assert_eq!(result.added_present, (1, 1));
}

#[test]
fn shifted_code_reports_the_offset() {
    let mut later: Vec<String> = (0..5).map(|i| format!("/* new {i} */")).collect();
    later.extend(original());
    let result = check(ONE_HUNK, &later);
    assert_eq!(result.state, FileState::Applies);
    assert_eq!(result.hunks[0].pre, found(13, 5, 0));

    let earlier = &patched()[3..];
    let result = check(ONE_HUNK, earlier);
    assert_eq!(result.state, FileState::Applied);
    assert_eq!(result.hunks[0].post, found(5, -3, 0));
}

#[test]
fn changed_context_needs_fuzz() {
    let mut target = original();
    target[7] = "int v8 = 88;".into();
    let result = check(ONE_HUNK, &target);
    assert_eq!(result.state, FileState::Applies);
    // The first context line is ignored: the match starts a line later, the hunk
    // itself is where its header says.
    assert_eq!(result.hunks[0].pre, found(9, 0, 1));

    let strict = CheckOptions {
        max_fuzz: 0,
        ..CheckOptions::default()
    };
    let result = check_file(&file_diff(ONE_HUNK), &bytes(&target), &strict);
    assert_eq!(result.state, FileState::Conflicts);
    assert_eq!(result.hunks[0].state, HunkState::Neither);

    target[13] = "int v14 = 0;".into();
    target[8] = "int v9 = 0;".into();
    assert_eq!(check(ONE_HUNK, &target).hunks[0].pre, found(10, 0, 2));

    target[9] = "int v10 = 0;".into();
    assert_eq!(check(ONE_HUNK, &target).state, FileState::Conflicts);
}

#[test]
fn unrelated_content_conflicts() {
    let other: Vec<String> = (0..30).map(|i| format!("static int w{i};")).collect();
    let result = check(ONE_HUNK, &other);
    assert_eq!(result.state, FileState::Conflicts);
    assert_eq!(result.hunks[0].state, HunkState::Neither);
    assert_eq!((result.hunks[0].pre, result.hunks[0].post), (None, None));
    assert_eq!(result.added_present, (0, 1));
}

const TWO_HUNKS: &str = "--- a/f.c\n+++ b/f.c\n@@ -1,5 +1,6 @@\n int v1 = 1;\n int v2 = 2;\n+int v2b = 2;\n int v3 = 3;\n int v4 = 4;\n int v5 = 5;\n@@ -14,7 +15,6 @@\n int v14 = 14;\n int v15 = 15;\n int v16 = 16;\n-int v17 = 17;\n int v18 = 18;\n int v19 = 19;\n int v20 = 20;\n";

#[test]
fn one_hunk_applied_and_one_not_is_partial() {
    let mut target = original();
    target.insert(2, "int v2b = 2;".into());
    let result = check(TWO_HUNKS, &target);
    assert_eq!(result.state, FileState::Partial);
    assert_eq!(result.hunks[0].state, HunkState::Applied);
    assert_eq!(result.hunks[1].state, HunkState::Applies);
    // The second hunk's old side moved down by the line the first one added.
    assert_eq!(result.hunks[1].pre, found(15, 1, 0));

    let mut both = target.clone();
    both.remove(17);
    assert_eq!(check(TWO_HUNKS, &both).state, FileState::Applied);
    assert_eq!(check(TWO_HUNKS, &original()).state, FileState::Applies);
}

#[test]
fn whitespace_changes_need_the_option() {
    let spaced: Vec<String> = original()
        .iter()
        .map(|l| format!("\t{}  ", l.replace(' ', "  ")))
        .collect();
    assert_eq!(check(ONE_HUNK, &spaced).state, FileState::Conflicts);

    let loose = CheckOptions {
        ignore_whitespace: true,
        ..CheckOptions::default()
    };
    let diff = file_diff(ONE_HUNK);
    let result = check_file(&diff, &bytes(&spaced), &loose);
    assert_eq!(
        result.state,
        FileState::Conflicts,
        "leading whitespace stays"
    );

    let respaced: Vec<String> = original()
        .iter()
        .map(|l| format!("{}  \r", l.replace(' ', " \t ")))
        .collect();
    assert_eq!(check(ONE_HUNK, &respaced).state, FileState::Conflicts);
    let result = check_file(&diff, &bytes(&respaced), &loose);
    assert_eq!(result.state, FileState::Applies);
    assert_eq!(result.hunks[0].pre, found(8, 0, 0));
}

const CREATION: &str =
    "diff --git a/new.c b/new.c\nnew file mode 100644\n--- /dev/null\n+++ b/new.c\n@@ -0,0 +1,3 @@\n+int a;\n+int b;\n+int c;\n";

#[test]
fn creation_diff_is_applied_when_its_content_is_there() {
    let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let result = check(CREATION, &lines(&["int a;", "int b;", "int c;"]));
    assert_eq!(result.state, FileState::Applied);
    assert_eq!(result.hunks[0].post, found(1, 0, 0));
    assert_eq!(result.added_present, (3, 3));

    let grown = lines(&["// SPDX", "int a;", "int b;", "int c;", "int d;"]);
    assert_eq!(check(CREATION, &grown).state, FileState::Applied);

    let other = lines(&["int a;", "int c;"]);
    let result = check(CREATION, &other);
    assert_eq!(result.state, FileState::Conflicts);
    assert_eq!(result.added_present, (2, 3));
    assert_eq!(check(CREATION, &[]).state, FileState::Conflicts);
}

#[test]
fn deletion_diff_applies_when_the_old_content_is_there() {
    let diff = "diff --git a/old.c b/old.c\ndeleted file mode 100644\n--- a/old.c\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-int a;\n-int b;\n-int c;\n";
    let content: Vec<String> = ["int a;", "int b;", "int c;"].map(String::from).into();
    let result = check(diff, &content);
    assert_eq!(result.state, FileState::Applies);
    assert_eq!(result.hunks[0].pre, found(1, 0, 0));
    assert_eq!(result.hunks[0].post, None);
    assert_eq!(check(diff, &content[1..]).state, FileState::Conflicts);
}

#[test]
fn a_diff_without_hunks_has_no_hunks() {
    let diff = "diff --git a/x.c b/y.c\nsimilarity index 100%\nrename from x.c\nrename to y.c\n";
    let result = check(diff, &original());
    assert_eq!(result.state, FileState::NoHunks);
    assert!(result.hunks.is_empty());
    assert_eq!(result.added_present, (0, 0));
}

#[test]
fn context_only_images_are_never_fuzzed() {
    // A pure insertion: its pre-image is context only.
    let diff = "--- a/f.c\n+++ b/f.c\n@@ -8,6 +8,7 @@\n int v8 = 8;\n int v9 = 9;\n int v10 = 10;\n+int v10b = 10;\n int v11 = 11;\n int v12 = 12;\n int v13 = 13;\n";
    assert_eq!(check(diff, &original()).state, FileState::Applies);

    let mut target = original();
    target[7] = "int v8 = 88;".into();
    assert_eq!(check(diff, &target).state, FileState::Conflicts);

    // Its post-image has the added line, so fuzz may find it.
    target.insert(10, "int v10b = 10;".into());
    let result = check(diff, &target);
    assert_eq!(result.state, FileState::Applied);
    assert_eq!(result.hunks[0].post, found(9, 0, 1));
}

#[test]
fn both_images_present_is_ambiguous() {
    let mut target = original();
    target.extend(patched()[7..14].iter().cloned());
    let result = check(ONE_HUNK, &target);
    assert_eq!(result.state, FileState::Ambiguous);
    assert_eq!(result.hunks[0].state, HunkState::Ambiguous);
    assert_eq!(result.hunks[0].pre, found(8, 0, 0));
    assert_eq!(result.hunks[0].post, found(21, 13, 0));
}

#[test]
fn later_hunks_are_looked_for_after_the_earlier_offset() {
    // The code moved down by 20 lines, and a copy of the second hunk's old lines sits
    // 2 lines before the second hunk's stated place: the first hunk's offset wins.
    let mut target: Vec<String> = (0..20).map(|i| format!("/* new {i} */")).collect();
    target.extend(original());
    let copy: Vec<String> = original()[13..20].to_vec();
    target.splice(11..11, copy);
    let result = check(TWO_HUNKS, &target);
    assert_eq!(result.state, FileState::Applies);
    assert_eq!(result.hunks[0].pre, found(28, 27, 0));
    assert_eq!(result.hunks[1].pre, found(41, 27, 0));

    // Alone, the second hunk would find the copy, nearer to its stated line.
    let second = "--- a/f.c\n+++ b/f.c\n@@ -14,7 +14,6 @@\n int v14 = 14;\n int v15 = 15;\n int v16 = 16;\n-int v17 = 17;\n int v18 = 18;\n int v19 = 19;\n int v20 = 20;\n";
    assert_eq!(check(second, &target).hunks[0].pre, found(12, -2, 0));
}

#[test]
fn nearest_match_wins_and_later_on_a_tie() {
    let diff = "--- a/f.c\n+++ b/f.c\n@@ -5,1 +5,1 @@\n-x\n+y\n";
    let target = |at: &[usize]| -> Vec<String> {
        (0..10)
            .map(|i| if at.contains(&i) { "x" } else { "." }.to_string())
            .collect()
    };
    assert_eq!(check(diff, &target(&[1, 6])).hunks[0].pre, found(7, 2, 0));
    assert_eq!(check(diff, &target(&[2, 6])).hunks[0].pre, found(7, 2, 0));
    assert_eq!(check(diff, &target(&[2, 7])).hunks[0].pre, found(3, -2, 0));
    assert_eq!(check(diff, &target(&[4, 9])).hunks[0].pre, found(5, 0, 0));
}

#[test]
fn added_present_counts_distinct_non_trivial_lines() {
    let diff = "--- a/f.c\n+++ b/f.c\n@@ -1,1 +1,8 @@\n int v1 = 1;\n+foo(bar);\n+foo(bar); \t\n+}\n+\n+\treturn 0;\n+baz();\n+foo(bar);\n";
    let target: Vec<String> = ["int v1 = 1;", "foo(bar);", "}", "return 0;"]
        .map(String::from)
        .into();
    let result = check(diff, &target);
    // `foo(bar);` with and without trailing whitespace differ unless it is ignored;
    // `baz();` is missing; `}`, the blank line and `return 0;` are trivial.
    assert_eq!(result.added_present, (1, 3));
    let loose = CheckOptions {
        ignore_whitespace: true,
        ..CheckOptions::default()
    };
    let result = check_file(&file_diff(diff), &bytes(&target), &loose);
    assert_eq!(result.added_present, (1, 2));
}

#[test]
fn normalizing_collapses_and_trims_whitespace() {
    assert_eq!(normalize(b"  a \t b \r", true).as_ref(), b" a b");
    assert_eq!(normalize(b"  a \t b \r", false).as_ref(), b"  a \t b \r");
    assert!(matches!(normalize(b" a b", true), Cow::Borrowed(_)));
    assert!(matches!(normalize(b"a\tb", true), Cow::Owned(_)));
    assert_eq!(normalize(b" \t ", true).as_ref(), b"");
    assert!(is_trivial(b"\t} else {"));
    assert!(is_trivial(b" });"));
    assert!(!is_trivial(b"\treturn -EINVAL;"));
}

#[test]
fn a_big_repetitive_target_stays_cheap() {
    // 20000 alternating lines and 100 hunks whose old side never occurs: every
    // candidate position of the rarest line is tried and rejected at each fuzz level.
    let target: Vec<String> = (0..20_000)
        .map(|i| if i % 2 == 0 { "a" } else { "b" }.to_string())
        .collect();
    let mut diff = String::from("--- a/f\n+++ b/f\n");
    for h in 0..100 {
        let start = h * 200 + 1;
        diff += &format!("@@ -{start},7 +{start},7 @@\n a\n b\n a\n-a\n+c\n b\n a\n b\n");
    }
    let result = check(&diff, &target);
    assert_eq!(result.hunks.len(), 100);
    assert_eq!(result.state, FileState::Conflicts);
    assert!(result.hunks.iter().all(|h| h.state == HunkState::Neither));
}

mod law {
    //! The law: a diff applies to the file it was made from and is applied in the
    //! file it makes, each hunk exactly where its header says.
    use super::*;
    use proptest::prelude::*;

    const CONTEXT: usize = 3;
    const WORDS: [&str; 7] = ["a", "b", "c", "a ", "", "x();", "}"];

    #[derive(Clone, Debug)]
    struct Edit {
        gap: usize,
        delete: usize,
        insert: Vec<String>,
    }

    fn word() -> impl Strategy<Value = String> {
        (0..WORDS.len()).prop_map(|i| WORDS[i].to_string())
    }

    fn edit() -> impl Strategy<Value = Edit> {
        (0usize..14, 0usize..4, prop::collection::vec(word(), 0..4)).prop_map(
            |(gap, delete, insert)| Edit {
                gap,
                delete,
                insert,
            },
        )
    }

    /// The whole old file as diff lines: kept, removed and added lines in order.
    fn script(old: &[String], edits: &[Edit]) -> Vec<(LineKind, String)> {
        let mut ops: Vec<(LineKind, String)> = Vec::new();
        let mut at = 0;
        let take = |ops: &mut Vec<(LineKind, String)>, kind: LineKind, from: usize, to: usize| {
            ops.extend(old[from..to].iter().map(|l| (kind, l.clone())));
            to
        };
        for edit in edits {
            at = take(
                &mut ops,
                LineKind::Context,
                at,
                (at + edit.gap).min(old.len()),
            );
            at = take(
                &mut ops,
                LineKind::Removed,
                at,
                (at + edit.delete).min(old.len()),
            );
            ops.extend(edit.insert.iter().map(|l| (LineKind::Added, l.clone())));
        }
        take(&mut ops, LineKind::Context, at, old.len());
        ops
    }

    /// The ranges of `ops` that make hunks: each change with `CONTEXT` lines around,
    /// merged when they touch, as diff does.
    fn hunk_ranges(ops: &[(LineKind, String)]) -> Vec<(usize, usize)> {
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for (i, _) in ops
            .iter()
            .enumerate()
            .filter(|(_, (k, _))| *k != LineKind::Context)
        {
            let (lo, hi) = (i.saturating_sub(CONTEXT), (i + CONTEXT + 1).min(ops.len()));
            match ranges.last_mut() {
                Some(last) if lo <= last.1 => last.1 = hi,
                _ => ranges.push((lo, hi)),
            }
        }
        ranges
    }

    /// Unified diff text for `ops`.
    fn render(ops: &[(LineKind, String)]) -> String {
        let count =
            |ops: &[(LineKind, String)], skip| ops.iter().filter(|(k, _)| *k != skip).count();
        let mut text = String::from("--- a/f\n+++ b/f\n");
        for (lo, hi) in hunk_ranges(ops) {
            let (old_before, new_before) = (
                count(&ops[..lo], LineKind::Added),
                count(&ops[..lo], LineKind::Removed),
            );
            let (old_lines, new_lines) = (
                count(&ops[lo..hi], LineKind::Added),
                count(&ops[lo..hi], LineKind::Removed),
            );
            let start = |before, lines| if lines == 0 { before } else { before + 1 };
            text += &format!(
                "@@ -{},{old_lines} +{},{new_lines} @@\n",
                start(old_before, old_lines),
                start(new_before, new_lines)
            );
            for (kind, line) in &ops[lo..hi] {
                let mark = match kind {
                    LineKind::Context => ' ',
                    LineKind::Added => '+',
                    LineKind::Removed => '-',
                };
                text += &format!("{mark}{line}\n");
            }
        }
        text
    }

    fn text(lines: &[String]) -> Vec<u8> {
        bytes(lines)
    }

    proptest! {
        #[test]
        fn a_diff_applies_to_its_old_file_and_is_applied_in_its_new_one(
            old in prop::collection::vec(word(), 1..40),
            edits in prop::collection::vec(edit(), 1..5),
            ignore_whitespace in any::<bool>(),
            shift in 0usize..6,
        ) {
            let ops = script(&old, &edits);
            let new: Vec<String> = ops.iter().filter(|(k, _)| *k != LineKind::Removed).map(|(_, l)| l.clone()).collect();
            prop_assume!(!new.is_empty() && ops.iter().any(|(k, _)| *k != LineKind::Context));
            let (files, problems) = parse_diffs(render(&ops).as_bytes(), 1, 1);
            prop_assert!(problems.is_empty(), "{:?}", problems);
            prop_assert_eq!(files.len(), 1);
            let diff = &files[0];
            let options = CheckOptions { ignore_whitespace, ..CheckOptions::default() };

            let before = check_file(diff, &text(&old), &options);
            prop_assert!(matches!(before.state, FileState::Applies | FileState::Ambiguous), "{:?}", before);
            for hunk in &before.hunks {
                prop_assert!(matches!(hunk.state, HunkState::Applies | HunkState::Ambiguous));
                prop_assert_eq!(hunk.pre.map(|f| (f.offset, f.fuzz)), Some((0, 0)));
            }

            let after = check_file(diff, &text(&new), &options);
            prop_assert!(matches!(after.state, FileState::Applied | FileState::Ambiguous), "{:?}", after);
            for hunk in &after.hunks {
                prop_assert!(matches!(hunk.state, HunkState::Applied | HunkState::Ambiguous));
                prop_assert_eq!(hunk.post.map(|f| (f.offset, f.fuzz)), Some((0, 0)));
            }
            let (present, total) = after.added_present;
            prop_assert_eq!(present, total);

            // Moved down by `shift` lines, each hunk is found, and no farther from where
            // the previous hunk's offset points than the true place is.
            let mut shifted: Vec<String> = (0..shift).map(|i| format!("/* new {i} */")).collect();
            shifted.extend(old.iter().cloned());
            let moved = check_file(diff, &text(&shifted), &options);
            let mut drift = 0;
            for hunk in &moved.hunks {
                let pre = hunk.pre;
                prop_assert!(pre.is_some(), "{:?}", moved);
                let offset = pre.map_or(0, |f| f.offset);
                prop_assert!(offset.abs_diff(drift) <= (shift as isize).abs_diff(drift));
                drift = offset;
            }
        }
    }
}
