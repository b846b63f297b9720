//! Puts the commit kdelta is built from into `kdelta --version`: `0.1.0 (3f2a9c81d0e4
//! 2026-12-07)`. The commit is `KDELTA_COMMIT` when set (a build from a tarball or in a
//! package, where there is no repository), else the repository's `HEAD`; without either,
//! "commit unknown". The build reruns when `HEAD` moves.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=KDELTA_COMMIT");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let commit = std::env::var("KDELTA_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .map(|c| c.trim().to_string())
        .or_else(head);
    let text = match commit {
        Some(commit) => format!("{version} ({commit})"),
        None => format!("{version} (commit unknown)"),
    };
    println!("cargo:rustc-env=KDELTA_VERSION={text}");
}

/// `HEAD`'s short id and commit date, watching the files that move it.
fn head() -> Option<String> {
    let dir = git(&["rev-parse", "--absolute-git-dir"])?;
    for watched in ["HEAD", "packed-refs"] {
        println!("cargo:rerun-if-changed={dir}/{watched}");
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        println!("cargo:rerun-if-changed={dir}/{branch}");
    }
    git(&["log", "-1", "--format=%h %cs", "--abbrev=12"])
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}
