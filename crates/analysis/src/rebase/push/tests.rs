//! Pushing a small queue onto a tree written here: offsets, files the queue creates,
//! conflicts and the patches they block, dropped patches.

use super::{push_queue, Push, PushAs};
use crate::tree::TargetTree;
use kdelta_patch::apply::{PatchOptions, Placed};
use kdelta_upstream::tree::TreeSource;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn numbered(n: usize) -> String {
    (1..=n).map(|i| format!("line {i}\n")).collect()
}

fn patch(subject: &str, diff: &str) -> String {
    format!("Subject: {subject}\n\n{diff}")
}

fn pushes(
    patches: &[(&str, String)],
    how: &[PushAs],
) -> Result<Vec<Option<Push>>, Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    // Upstream moved a.c's code down by two lines.
    std::fs::write(
        tmp.path().join("a.c"),
        format!("new 1\nnew 2\n{}", numbered(30)),
    )?;
    let tree = TargetTree::open(&TreeSource::Dir(tmp.path().into()), None)?;
    let queue = crate::testing::queue(patches);
    Ok(push_queue(&queue, &tree, how, &PatchOptions::default()))
}

fn hunks(push: &Option<Push>) -> Vec<Placed> {
    push.iter()
        .flat_map(|p| &p.files)
        .flat_map(|f| f.hunks.clone())
        .collect()
}

#[test]
fn patches_apply_on_what_the_earlier_ones_left() -> TestResult {
    let moved = patch(
        "a: five",
        "--- a/a.c\n+++ b/a.c\n@@ -4,3 +4,3 @@\n line 4\n-line 5\n+line five\n line 6\n",
    );
    let create = patch(
        "b: new",
        "--- /dev/null\n+++ b/b.c\n@@ -0,0 +1,3 @@\n+int b;\n+int frob_level = 3;\n+int c;\n",
    );
    let on_b = patch("b: more", "--- a/b.c\n+++ b/b.c\n@@ -1,3 +1,3 @@\n int b;\n-int frob_level = 3;\n+int frob_level = 4;\n int c;\n");
    let on_a = patch(
        "a: on five",
        "--- a/a.c\n+++ b/a.c\n@@ -4,3 +4,4 @@\n line 4\n line five\n+line 5.5\n line 6\n",
    );
    let got = pushes(
        &[("1", moved), ("2", create), ("3", on_b), ("4", on_a)],
        &[PushAs::Apply; 4],
    )?;
    assert_eq!(
        hunks(&got[0]),
        [Placed::Applied {
            line: 6,
            offset: 2,
            fuzz: 0
        }]
    );
    assert!(
        got.iter().all(|p| p.as_ref().is_some_and(Push::clean)),
        "{got:#?}"
    );
    Ok(())
}

#[test]
fn a_hunk_needing_a_failed_or_dropped_patch_s_lines_is_blocked_by_it() -> TestResult {
    let conflict = patch("a: frob", "--- a/a.c\n+++ b/a.c\n@@ -4,3 +4,4 @@\n line 4\n-line gone\n+int frob_level = 3;\n line 6\n");
    let on_it = patch("a: frob more", "--- a/a.c\n+++ b/a.c\n@@ -4,3 +4,3 @@\n line 4\n-int frob_level = 3;\n+int frob_level = 4;\n line 6\n");
    let create = patch(
        "x: new",
        "--- /dev/null\n+++ b/x.c\n@@ -0,0 +1,2 @@\n+int x_start(void);\n+int x_stop(void);\n",
    );
    let on_x = patch("x: more", "--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n int x_start(void);\n-int x_stop(void);\n+int x_halt(void);\n");
    let own = patch(
        "a: own conflict",
        "--- a/a.c\n+++ b/a.c\n@@ -10,3 +10,3 @@\n nothing\n-like\n+this\n here\n",
    );
    let got = pushes(
        &[
            ("1", conflict),
            ("2", on_it),
            ("3", create),
            ("4", on_x),
            ("5", own),
        ],
        &[
            PushAs::Apply,
            PushAs::Apply,
            PushAs::Lost,
            PushAs::Apply,
            PushAs::Apply,
        ],
    )?;
    let files = |i: usize| got[i].as_ref().map(|p| p.files.clone()).unwrap_or_default();
    assert!(files(0)[0].blocked_by.is_empty());
    assert_eq!(
        files(1)[0].blocked_by.get(&0).map(String::as_str),
        Some("1")
    );
    assert!(got[2].is_none(), "a dropped patch is not pushed");
    assert!(files(3)[0].missing);
    assert_eq!(
        files(3)[0].blocked_by.get(&0).map(String::as_str),
        Some("3")
    );
    assert!(!hunks(&got[4])[0].applied());
    assert!(files(4)[0].blocked_by.is_empty(), "{:?}", files(4));
    Ok(())
}

#[test]
fn a_renamed_file_is_patched_at_its_new_path() -> TestResult {
    let rename = patch(
        "a: rename",
        "diff --git a/a.c b/z.c\nsimilarity index 100%\nrename from a.c\nrename to z.c\n",
    );
    let on_z = patch(
        "z: change",
        "--- a/z.c\n+++ b/z.c\n@@ -4,3 +4,3 @@\n line 4\n-line 5\n+line five\n line 6\n",
    );
    let on_a = patch(
        "a: change",
        "--- a/a.c\n+++ b/a.c\n@@ -4,3 +4,3 @@\n line 4\n-line 6\n+line six\n line 7\n",
    );
    let got = pushes(
        &[("1", rename), ("2", on_z), ("3", on_a)],
        &[PushAs::Apply; 3],
    )?;
    assert!(got[1].as_ref().is_some_and(Push::clean), "{got:#?}");
    let gone = got[2].as_ref().map(|p| p.files[0].missing);
    assert_eq!(gone, Some(true), "a.c was renamed away");
    Ok(())
}

#[test]
fn a_diff_from_a_backup_name_patches_the_file_that_exists() -> TestResult {
    let orig = patch(
        "a: from .orig",
        "--- a/a.c.orig\n+++ b/a.c\n@@ -4,3 +4,3 @@\n line 4\n-line 5\n+line five\n line 6\n",
    );
    let got = pushes(&[("1", orig)], &[PushAs::Apply])?;
    assert!(got[0].as_ref().is_some_and(Push::clean), "{got:#?}");
    Ok(())
}
