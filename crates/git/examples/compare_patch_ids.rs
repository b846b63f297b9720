//! Render the last N non-merge commits of a real repository with kdelta-git and compare
//! their stable patch-ids with git's own.
//!
//! ```text
//! cargo run --release -p kdelta-git --example compare_patch_ids -- REPO [N] [REV]
//! ```
//!
//! git's side is `git log -p --no-merges --format='commit %H' -N REV | git patch-id --stable`,
//! once with git's defaults (rename detection on) and once with `--no-renames` (what
//! kdelta-git reproduces). Prints the mismatch counts, the first mismatching commits,
//! and the time spent rendering.

use kdelta_git::PatchFormatter;
use kdelta_patch::patchid::stable_patch_ids;
use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn git(repo: &str) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(repo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("LC_ALL", "C");
    cmd
}

/// `commit -> patch-id` as `git patch-id --stable` computes them for `git log -p`.
fn git_patch_ids(
    repo: &str,
    n: usize,
    rev: &str,
    extra: &[&str],
) -> Result<HashMap<String, String>> {
    let log = git(repo)
        .args([
            "log",
            "-p",
            "--no-merges",
            "--format=commit %H",
            &format!("-{n}"),
        ])
        .args(extra)
        .arg(rev)
        .output()?;
    if !log.status.success() {
        return Err(format!("git log failed: {}", String::from_utf8_lossy(&log.stderr)).into());
    }
    let mut child = git(repo)
        .args(["patch-id", "--stable"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(&log.stdout));
    let out = child.wait_with_output()?;
    writer.join().map_err(|_| "writer thread panicked")??;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(pid, commit)| (commit.to_string(), pid.to_string()))
        .collect())
}

/// The commits among the last `n` whose diff has a rename when git detects renames.
fn commits_with_renames(
    repo: &str,
    n: usize,
    rev: &str,
) -> Result<std::collections::HashSet<String>> {
    let raw = git(repo)
        .args([
            "log",
            "--no-merges",
            "--raw",
            "--format=commit %H",
            &format!("-{n}"),
            rev,
        ])
        .output()?;
    let mut out = std::collections::HashSet::new();
    let mut current = String::new();
    for line in String::from_utf8_lossy(&raw.stdout).lines() {
        if let Some(hex) = line.strip_prefix("commit ") {
            current = hex.to_string();
        } else if line.starts_with(':')
            && line
                .split_whitespace()
                .nth(4)
                .is_some_and(|s| s.starts_with('R'))
        {
            out.insert(current.clone());
        }
    }
    Ok(out)
}

/// `commit -> diff text` from `git log -p --no-renames`, to compare byte for byte.
fn git_diff_texts(repo: &str, n: usize, rev: &str) -> Result<HashMap<String, Vec<u8>>> {
    let log = git(repo)
        .args([
            "log",
            "-p",
            "--no-merges",
            "--no-renames",
            "--format=%x00commit %H%n",
            &format!("-{n}"),
            rev,
        ])
        .output()?;
    let mut out = HashMap::new();
    for chunk in log.stdout.split(|&b| b == 0).filter(|c| !c.is_empty()) {
        let text = String::from_utf8_lossy(chunk);
        let Some(hex) = text.strip_prefix("commit ").and_then(|t| t.get(..40)) else {
            continue;
        };
        // "commit H\n" "\n" then the diff (nothing for an empty commit).
        let diff = chunk
            .get(48..)
            .unwrap_or_default()
            .strip_prefix(b"\n")
            .unwrap_or_default();
        out.insert(hex.to_string(), diff.to_vec());
    }
    Ok(out)
}

/// `commit -> mail` from `git format-patch --stdout -N` (no stat, signature, binary
/// patches, renames or numbering), with `---` where git writes the diffstat.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn git_mails(repo: &str, n: usize, rev: &str) -> Result<HashMap<String, Vec<u8>>> {
    let out = git(repo)
        .args([
            "format-patch",
            "--stdout",
            "--no-stat",
            "--no-signature",
            "--no-binary",
            "--no-renames",
        ])
        .args(["--no-numbered", &format!("-{n}"), rev])
        .output()?;
    let text = out.stdout;
    let is_start = |at: usize| {
        let rest = &text[at..];
        rest.starts_with(b"From ")
            && rest
                .get(5..45)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            && rest
                .get(45..)
                .is_some_and(|r| r.starts_with(b" Mon Sep 17 00:00:00 2001\n"))
    };
    let mut starts: Vec<usize> = (0..text.len())
        .filter(|&i| (i == 0 || text[i - 1] == b'\n') && is_start(i))
        .collect();
    starts.push(text.len());
    let mut mails = HashMap::new();
    for pair in starts.windows(2) {
        let mail = &text[pair[0]..pair[1]];
        let hex = String::from_utf8_lossy(&mail[5..45]).into_owned();
        // Where git writes a blank line, kdelta-git writes the `---` of the diffstat.
        let mut mail = match find(mail, b"\n\ndiff --git ") {
            Some(at) => [&mail[..=at], b"---", &mail[at + 1..]].concat(),
            None => mail.to_vec(),
        };
        if pair[1] != text.len() || mail.ends_with(b"\n\n") {
            // format-patch separates mails with a blank line.
            mail.pop();
        }
        mails.insert(hex, mail);
    }
    Ok(mails)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let repo_path = args
        .first()
        .ok_or("usage: compare_patch_ids REPO [N] [REV]")?;
    let n: usize = args.get(1).map_or(Ok(2000), |s| s.parse())?;
    let rev = args.get(2).map_or("HEAD", String::as_str);

    let list = git(repo_path)
        .args(["rev-list", "--no-merges", &format!("-{n}"), rev])
        .output()?;
    let commits: Vec<String> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    let with_renames = git_patch_ids(repo_path, n, rev, &[])?;
    let no_renames = git_patch_ids(repo_path, n, rev, &["--no-renames"])?;

    let repo = gix::open_opts(repo_path, gix::open::Options::isolated())?;
    let mut formatter = PatchFormatter::new(&repo);
    let texts = git_diff_texts(repo_path, n, rev)?;
    let mails = git_mails(repo_path, n, rev)?;
    let mut text_mismatch = Vec::new();
    let mut mail_mismatch = Vec::new();
    let mut diff_in_message = Vec::new();
    let mut render_time = Duration::ZERO;
    let (mut bytes, mut mismatch_default, mut mismatch_no_renames) =
        (0usize, Vec::new(), Vec::new());
    for hex in &commits {
        let id = gix::ObjectId::from_hex(hex.as_bytes())?;
        let start = Instant::now();
        let patch = formatter.format(id)?;
        render_time += start.elapsed();
        bytes += patch.text.len();
        // A message that itself contains a diff (old Mercurial-era commits quote
        // `diff -r` output) yields an extra patch-id before the real one, in git's own
        // format-patch output as well: the last id is the commit's, unless the quoted
        // diff is cut short and swallows what follows (which differs from git's text
        // where git writes the diffstat).
        let ids = stable_patch_ids(&patch.text);
        if ids.len() > 1 || (!ids.is_empty() && !no_renames.contains_key(hex)) {
            diff_in_message.push(hex.clone());
        }
        let ours = ids.last().map(|l| l.patch_id.to_string());
        if ours.as_ref() != with_renames.get(hex) {
            mismatch_default.push(hex.clone());
        }
        if ours.as_ref() != no_renames.get(hex) {
            mismatch_no_renames.push(hex.clone());
        }
        let expected = texts.get(hex).map(Vec::as_slice).unwrap_or_default();
        if !patch.text.ends_with(expected) {
            text_mismatch.push(hex.clone());
        }
        if mails.get(hex).is_some_and(|mail| *mail != patch.text) {
            mail_mismatch.push(hex.clone());
        }
    }
    let per_1000 = render_time.as_secs_f64() * 1000.0 / commits.len().max(1) as f64;
    println!("commits compared:              {}", commits.len());
    println!(
        "rendered:                      {:.1} MiB in {:.2?} ({per_1000:.2} s per 1000 commits)",
        bytes as f64 / (1 << 20) as f64,
        render_time
    );
    println!("mismatches vs git log -p:      {}", mismatch_default.len());
    let renamed = commits_with_renames(repo_path, n, rev)?;
    let explained = mismatch_default
        .iter()
        .filter(|hex| renamed.contains(*hex))
        .count();
    println!(
        "  of which commits with renames: {explained} (of {} such commits)",
        renamed.len()
    );
    println!(
        "mismatches vs --no-renames:    {}",
        mismatch_no_renames.len()
    );
    let quoted = mismatch_no_renames
        .iter()
        .filter(|h| diff_in_message.contains(*h))
        .count();
    println!("  of which messages containing a diff: {quoted}");
    println!(
        "mails whose message contains a diff (extra patch-id): {}",
        diff_in_message.len()
    );
    let nonempty = commits
        .iter()
        .filter(|h| texts.get(*h).is_some_and(|t| !t.is_empty()))
        .count();
    println!(
        "diff text differing from git log -p --no-renames: {} (of {nonempty} non-empty diffs)",
        text_mismatch.len()
    );
    println!(
        "mails differing from git format-patch: {} (of {} compared)",
        mail_mismatch.len(),
        mails.len()
    );
    for hex in mail_mismatch.iter().take(10) {
        println!("  mail differs: {hex}");
    }
    for hex in text_mismatch.iter().take(10) {
        println!("  text differs: {hex}");
    }
    for hex in mismatch_no_renames.iter().take(20) {
        println!("  mismatch (no renames): {hex}");
    }
    Ok(())
}
