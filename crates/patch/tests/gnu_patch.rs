//! `patch_file` against the real GNU patch: pseudo-random files, diffs of them made by
//! `diff -u` with a random amount of context, applied to a randomly changed copy (lines
//! inserted, removed, rewritten, so that hunks move and lose context). kdelta's result,
//! hunk by hunk (applied where, at which offset, with which fuzz, or failed) and byte
//! by byte, must be `patch -f -F N [-l]`'s; and the patch refreshed where it applied
//! must apply there for `patch -F0` exactly (no offset, no fuzz), to the same bytes. Fails, saying so, without `patch` or `diff`.
#![cfg(unix)]

use kdelta_patch::apply::{patch_file, PatchOptions, Placed};
use kdelta_patch::diff::parse_diffs;
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

fn require(tool: &str) {
    let ok = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok, "`{tool}` is needed to compare with GNU patch");
}

/// How GNU patch said each hunk went, read from its messages (a hunk it says nothing
/// of applied exactly where its header said).
fn gnu_hunks(stdout: &str, count: usize) -> Vec<Placed> {
    let mut hunks: Vec<Placed> = (0..count).map(|_| Placed::Failed { line: 0 }).collect();
    let mut said = vec![false; count];
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("Hunk #") else {
            continue;
        };
        let (n, rest) = rest.split_once(' ').expect("hunk number");
        let i: usize = n.parse::<usize>().expect("hunk number") - 1;
        let words: Vec<&str> = rest.trim_end_matches('.').split(' ').collect();
        let at: usize = words[2].parse().expect("line");
        said[i] = true;
        hunks[i] = if words[0] == "FAILED" {
            Placed::Failed { line: at }
        } else {
            let fuzz = words
                .iter()
                .position(|w| *w == "fuzz")
                .map_or(0, |p| words[p + 1].parse().expect("fuzz"));
            let offset = words
                .iter()
                .position(|w| *w == "(offset")
                .map_or(0, |p| words[p + 1].parse().expect("offset"));
            Placed::Applied {
                line: at,
                offset,
                fuzz,
            }
        };
    }
    hunks
        .into_iter()
        .zip(said)
        .map(|(h, said)| {
            if said {
                h
            } else {
                Placed::Applied {
                    line: 0,
                    offset: 0,
                    fuzz: 0,
                }
            }
        })
        .collect()
}

/// Lines from a small alphabet (so that a hunk's lines occur in several places) and a
/// few unique ones.
fn lines() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            3 => (0..6u8).prop_map(|c| format!("{}", (b'a' + c) as char)),
            2 => (0..1000u32).prop_map(|n| format!("u{n}")),
        ],
        0..40,
    )
}

/// An edit script: at each step, keep, drop, replace or insert.
fn edits() -> impl Strategy<Value = Vec<(u8, String)>> {
    prop::collection::vec((0..10u8, "[a-f]|x[0-9]{1,3}|[ \t]?[a-c][ \t]{0,2}"), 0..60)
}

fn edit(lines: &[String], script: &[(u8, String)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    for (op, text) in script {
        match op {
            0 => i += 1,
            1 => {
                out.push(text.clone());
                i += 1;
            }
            2 => out.push(text.clone()),
            _ => {
                if let Some(l) = lines.get(i) {
                    out.push(l.clone());
                }
                i += 1;
            }
        }
    }
    out.extend(lines.iter().skip(i).cloned());
    out
}

fn text(lines: &[String], final_newline: bool) -> String {
    let mut t = lines.join("\n");
    if final_newline && !t.is_empty() {
        t.push('\n');
    }
    t
}

fn compare(dir: &Path, old: &str, new: &str, target: &str, context: u8, options: PatchOptions) {
    std::fs::write(dir.join("old"), old).expect("write");
    std::fs::write(dir.join("new"), new).expect("write");
    std::fs::write(dir.join("target"), target).expect("write");
    let diff = Command::new("diff")
        .arg(format!("-U{context}"))
        .args(["--label", "a/f", "--label", "b/f", "old", "new"])
        .current_dir(dir)
        .output()
        .expect("diff runs");
    if diff.stdout.is_empty() {
        return;
    }
    std::fs::write(dir.join("p"), &diff.stdout).expect("write");
    let _ = std::fs::remove_file(dir.join("out"));
    let gnu = Command::new("patch")
        .args(["-f", "--no-backup-if-mismatch", "-r", "rej", "-o", "out"])
        .arg(format!("-F{}", options.max_fuzz))
        .args(options.ignore_whitespace.then_some("-l"))
        .args(["-i", "p", "target"])
        .env("LC_ALL", "C")
        .current_dir(dir)
        .output()
        .expect("patch runs");
    let stdout = String::from_utf8_lossy(&gnu.stdout);
    let (files, problems) = parse_diffs(&diff.stdout, 1, 1);
    assert!(problems.is_empty(), "{problems:?}");
    let ours = patch_file(&files[0], Some(target.as_bytes()), &options);
    let theirs = gnu_hunks(&stdout, files[0].hunks.len());
    let ours_said: Vec<Placed> = ours
        .hunks
        .iter()
        .map(|h| match h {
            // patch names no line for a hunk that applied exactly.
            Placed::Applied {
                offset: 0, fuzz: 0, ..
            } => Placed::Applied {
                line: 0,
                offset: 0,
                fuzz: 0,
            },
            h => *h,
        })
        .collect();
    let context = format!(
        "diff:\n{}\ntarget:\n{target}\npatch said:\n{stdout}",
        String::from_utf8_lossy(&diff.stdout)
    );
    assert_eq!(ours_said, theirs, "{context}");
    let out = std::fs::read(dir.join("out")).unwrap_or_default();
    assert_eq!(
        String::from_utf8_lossy(&ours.bytes),
        String::from_utf8_lossy(&out),
        "{context}"
    );
    if ours.clean() {
        refreshed_applies_exactly(dir, &diff.stdout, &files, &ours, &context);
    }
}

/// The patch refreshed against the target applies to it exactly (no offset, no fuzz)
/// for GNU patch, with the same result.
fn refreshed_applies_exactly(
    dir: &Path,
    text: &[u8],
    files: &[kdelta_patch::FileDiff],
    ours: &kdelta_patch::apply::Patched,
    context: &str,
) {
    let hunks = ours.as_applied.iter().flatten().cloned().collect();
    let refreshed = kdelta_patch::refresh::rewrite(text, files, &[Some(hunks)]);
    std::fs::write(dir.join("r"), &refreshed).expect("write");
    let _ = std::fs::remove_file(dir.join("out2"));
    let gnu = Command::new("patch")
        .args([
            "-f",
            "--no-backup-if-mismatch",
            "-r",
            "rej2",
            "-o",
            "out2",
            "-F0",
        ])
        .args(["-i", "r", "target"])
        .env("LC_ALL", "C")
        .current_dir(dir)
        .output()
        .expect("patch runs");
    let said = String::from_utf8_lossy(&gnu.stdout);
    let refreshed = String::from_utf8_lossy(&refreshed);
    assert!(
        gnu.status.success() && !said.contains("Hunk"),
        "{context}\nrefreshed:\n{refreshed}\npatch said:\n{said}"
    );
    let out = std::fs::read(dir.join("out2")).unwrap_or_default();
    assert_eq!(out, ours.bytes, "{context}\nrefreshed:\n{refreshed}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn hunks_go_where_gnu_patch_puts_them(
        base in lines(),
        change in edits(),
        drift in edits(),
        context in 0..5u8,
        fuzz in 0..4usize,
        newline in any::<bool>(),
        ignore_whitespace in any::<bool>(),
    ) {
        require("patch");
        require("diff");
        let dir = tempfile::tempdir().expect("tempdir");
        let new = edit(&base, &change);
        let target = edit(&base, &drift);
        compare(
            dir.path(),
            &text(&base, newline),
            &text(&new, newline),
            &text(&target, true),
            context,
            PatchOptions { max_fuzz: fuzz, ignore_whitespace },
        );
    }
}

#[test]
fn a_hand_made_case_agrees() {
    require("patch");
    require("diff");
    let dir = tempfile::tempdir().expect("tempdir");
    let base: Vec<String> = (1..=30).map(|i| format!("l{i}")).collect();
    let mut new = base.clone();
    new[9] = "changed".into();
    new.insert(20, "inserted".into());
    let mut target = base.clone();
    target.insert(0, "top".into());
    target[8] = "drifted".into();
    compare(
        dir.path(),
        &text(&base, true),
        &text(&new, true),
        &text(&target, true),
        3,
        PatchOptions::default(),
    );
}
