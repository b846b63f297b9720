//! Tests of the diff parser on hand-written diffs of every form.

use super::*;

fn parse(text: &str) -> (Vec<FileDiff>, Vec<Problem>) {
    parse_diffs(text.as_bytes(), 1, 1)
}

#[test]
fn git_diff_with_two_files() {
    let (files, problems) = parse(
        "diff --git a/drivers/xen/a.c b/drivers/xen/a.c\nindex 1111111..2222222 100644\n--- a/drivers/xen/a.c\n+++ b/drivers/xen/a.c\n@@ -1,3 +1,3 @@ int f(void)\n a\n-b\n+c\n d\ndiff --git a/b.c b/b.c\nnew file mode 100644\nindex 0000000..3333333\n--- /dev/null\n+++ b/b.c\n@@ -0,0 +1,2 @@\n+x\n+y\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(files.len(), 2);
    assert_eq!(
        files[0].new_path.as_ref().map(|p| p.to_string()).as_deref(),
        Some("drivers/xen/a.c")
    );
    assert_eq!((files[0].added, files[0].removed), (1, 1));
    assert_eq!(files[0].hunks[0].section, "int f(void)");
    assert_eq!(files[0].index, Some(("1111111".into(), "2222222".into())));
    assert_eq!(files[0].new_mode, Some(0o100644));
    assert_eq!(files[1].change, ChangeKind::Added);
    assert_eq!(files[1].old_path, None);
    assert_eq!(files[1].line, 10);
    assert_eq!(files[1].added_lines().collect::<Vec<_>>(), ["x", "y"]);
}

#[test]
fn diff_nurp_with_timestamps_and_odd_prefixes() {
    let (files, problems) = parse(
        "Index: head/drivers/x.c\n===================================================================\n--- 13.1.orig/drivers/x.c\t2013-10-01 12:00:00.000000000 +0200\n+++ 13.1/drivers/x.c\t2013-10-02 12:00:00.000000000 +0200\n@@ -10,2 +10,3 @@\n a\n+b\n c\ndiff -Nurp 13.1.orig/new.h 13.1/new.h\n--- 13.1.orig/new.h\t1970-01-01 01:00:00.000000000 +0100\n+++ 13.1/new.h\t2013-10-02 12:00:00.000000000 +0200\n@@ -0,0 +1 @@\n+#define X 1\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(files.len(), 2);
    assert_eq!(
        files[0].old_path.as_ref().map(|p| p.to_string()).as_deref(),
        Some("drivers/x.c")
    );
    assert_eq!(files[0].change, ChangeKind::Modified);
    assert_eq!(files[1].change, ChangeKind::Added);
    assert_eq!(
        files[1].new_path.as_ref().map(|p| p.to_string()).as_deref(),
        Some("new.h")
    );
}

#[test]
fn rename_copy_mode_and_binary() {
    let (files, problems) = parse(
        "diff --git a/old name.c b/new name.c\nsimilarity index 90%\nrename from old name.c\nrename to new name.c\n--- a/old name.c\n+++ b/new name.c\n@@ -1 +1 @@\n-x\n+y\ndiff --git a/s.sh b/s.sh\nold mode 100644\nnew mode 100755\ndiff --git a/img.png b/img.png\nindex 1234567..89abcde 100644\nGIT binary patch\nliteral 5\nMcmZ?wbhEHb00\n\nliteral 0\nHcmV?d00001\n\ndiff --git a/c.c b/d.c\ncopy from c.c\ncopy to d.c\ndiff --git a/bin b/bin\nindex 1111111..2222222 100644\nBinary files a/bin and b/bin differ\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(files.len(), 5);
    assert_eq!(files[0].change, ChangeKind::Renamed);
    assert_eq!(
        files[0].old_path.as_ref().map(|p| p.to_string()).as_deref(),
        Some("old name.c")
    );
    assert_eq!(
        files[0].new_path.as_ref().map(|p| p.to_string()).as_deref(),
        Some("new name.c")
    );
    assert_eq!(files[0].similarity, Some(90));
    assert_eq!(
        (files[1].old_mode, files[1].new_mode),
        (Some(0o100644), Some(0o100755))
    );
    assert!(files[2].binary && files[2].hunks.is_empty());
    assert_eq!(files[3].change, ChangeKind::Copied);
    assert!(files[4].binary);
}

#[test]
fn no_newline_marker_and_crlf() {
    let (files, problems) = parse("--- a/x\r\n+++ b/x\r\n@@ -1 +1 @@\r\n-a\r\n\\ No newline at end of file\r\n+b\r\n\\ No newline at end of file\r\n");
    assert!(problems.is_empty(), "{problems:?}");
    let lines = &files[0].hunks[0].lines;
    assert!(lines[0].no_newline && lines[1].no_newline);
    assert_eq!(lines[1].text, "b\r");
    assert_eq!(
        files[0].new_path.as_ref().map(|p| p.to_string()).as_deref(),
        Some("x")
    );
}

#[test]
fn blank_line_counts_as_context() {
    let (files, problems) = parse("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(files[0].hunks[0].lines.len(), 4);
}

#[test]
fn truncated_hunk_is_a_problem_with_its_line() {
    let (files, problems) = parse("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n");
    assert_eq!(files.len(), 1);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 3);
    assert!(problems[0].message.contains("ends inside a hunk"));
    assert!(files[0].truncated, "the file diff says it is cut short");
    let (whole, _) = parse("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
    assert!(!whole[0].truncated);
}

#[test]
fn text_between_diffs_is_ignored_and_garbage_in_hunk_reported() {
    let (files, problems) = parse("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\nGARBAGE\nsome quilt comment\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n");
    assert_eq!(files.len(), 2);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 5);
}

#[test]
fn quoted_git_paths() {
    let (files, _) = parse("diff --git \"a/t\\303\\251st\" \"b/t\\303\\251st\"\nnew file mode 100644\nindex 0000000..e69de29\n");
    assert_eq!(
        files[0].new_path.as_ref().map(|p| p.to_string()).as_deref(),
        Some("tést")
    );
    assert_eq!(files[0].change, ChangeKind::Added);
}

#[test]
fn strip_zero_and_short_paths() {
    let (files, problems) = parse_diffs(b"--- x.c\n+++ x.c\n@@ -1 +1 @@\n-a\n+b\n", 1, 1);
    assert_eq!(
        files[0].new_path.as_ref().map(|p| p.to_string()).as_deref(),
        Some("x.c")
    );
    assert_eq!(problems.len(), 2);
    let (_, problems) = parse_diffs(b"--- x.c\n+++ x.c\n@@ -1 +1 @@\n-a\n+b\n", 1, 0);
    assert!(problems.is_empty());
}

#[test]
fn finds_the_start_of_diffs() {
    let text = b"Subject: x\n\nbody\n---\n a.c | 2 +-\n\ndiff --git a/a.c b/a.c\n";
    assert_eq!(find_diff_start(text).map(|s| s.line), Some(6));
    let quilt = b"free text\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n";
    assert_eq!(find_diff_start(quilt).map(|s| s.line), Some(1));
    assert_eq!(find_diff_start(b"just text\n--- not a diff\n"), None);
}

#[test]
fn hunk_header_forms() {
    assert_eq!(
        parse_hunk_header(b"@@ -1 +1 @@"),
        Some((1, 1, 1, 1, &b""[..]))
    );
    assert_eq!(
        parse_hunk_header(b"@@ -0,0 +1,20 @@ f"),
        Some((0, 0, 1, 20, &b"f"[..]))
    );
    assert_eq!(parse_hunk_header(b"@@ -x +1 @@"), None);
}

#[test]
fn tab_led_line_in_a_hunk_is_context_like_gnu_patch() {
    let (files, problems) = parse("--- a/K\n+++ b/K\n@@ -1,3 +1,3 @@\n a\n\tselect X\n-b\n+c\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(files[0].hunks[0].lines[1].text, "\tselect X");
}

mod roundtrip {
    //! The law: rendering hunks as unified text and parsing them back gives the same lines.
    use super::*;
    use proptest::prelude::*;

    fn line_kind() -> impl Strategy<Value = LineKind> {
        prop_oneof![
            Just(LineKind::Context),
            Just(LineKind::Added),
            Just(LineKind::Removed)
        ]
    }

    fn hunk_lines() -> impl Strategy<Value = Vec<(LineKind, String)>> {
        prop::collection::vec((line_kind(), "[ -~\t]{0,20}"), 1..30)
    }

    fn render(files: &[Vec<(LineKind, String)>]) -> String {
        let mut out = String::new();
        for (i, lines) in files.iter().enumerate() {
            let old = lines.iter().filter(|(k, _)| *k != LineKind::Added).count();
            let new = lines
                .iter()
                .filter(|(k, _)| *k != LineKind::Removed)
                .count();
            out += &format!(
                "diff --git a/f{i} b/f{i}\n--- a/f{i}\n+++ b/f{i}\n@@ -1,{old} +1,{new} @@\n"
            );
            for (kind, text) in lines {
                let mark = match kind {
                    LineKind::Context => ' ',
                    LineKind::Added => '+',
                    LineKind::Removed => '-',
                };
                out += &format!("{mark}{text}\n");
            }
        }
        out
    }

    proptest! {
        #[test]
        fn parse_inverts_render(files in prop::collection::vec(hunk_lines(), 1..5)) {
            let (parsed, problems) = parse_diffs(render(&files).as_bytes(), 1, 1);
            prop_assert!(problems.is_empty(), "{:?}", problems);
            prop_assert_eq!(parsed.len(), files.len());
            for (file, lines) in parsed.iter().zip(&files) {
                let got: Vec<(LineKind, String)> =
                    file.hunks[0].lines.iter().map(|l| (l.kind, l.text.to_string())).collect();
                prop_assert_eq!(&got, lines);
                prop_assert_eq!(file.added, lines.iter().filter(|(k, _)| *k == LineKind::Added).count());
            }
        }

        #[test]
        fn never_panics_and_lines_stay_in_range(text in prop::collection::vec(any::<u8>(), 0..2000)) {
            let lines = text.iter().filter(|&&b| b == b'\n').count() + 1;
            let (files, problems) = parse_diffs(&text, 1, 1);
            prop_assert!(problems.iter().all(|p| p.line <= lines));
            prop_assert!(files.iter().all(|f| f.line >= 1 && f.line <= lines));
        }
    }
}

#[test]
fn a_hunk_ended_by_other_text_or_a_line_it_has_no_room_for_is_cut_short() {
    // The fuzzer's case: a mail header where the hunk's remaining lines should be.
    let early = "--- a/x\n+++ b/x\n@@ -1,3 +1,4 @@\n a\nSubject: [PATCH] more\n";
    let (files, problems) = parse(early);
    assert!(files[0].truncated, "{problems:?}");
    assert_eq!(problems[0].line, 5);
    assert!(problems[0].message.starts_with("hunk ends early"));
    // Two context lines where the header counts one old line and two new ones.
    let (files, problems) = parse("--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n a\n b\n");
    assert!(files[0].truncated, "{problems:?}");
    assert_eq!(
        problems[0].message,
        "hunk has more lines than its header counts"
    );
    // The next file is whole.
    let two =
        "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\ntext\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n";
    let (files, _) = parse(two);
    assert_eq!((files[0].truncated, files[1].truncated), (true, false));
}
