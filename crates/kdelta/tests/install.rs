//! kdelta installed as a tool: `--version` names the commit it was built from, the
//! completion scripts and manual pages come from the command line's own definition.

mod support;

use std::path::Path;
use support::{git, kdelta, require_git};

fn stdout(args: &[&str]) -> String {
    let out = kdelta(args);
    assert!(
        out.status.success(),
        "kdelta {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_version_names_the_commit_it_was_built_from() {
    require_git();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = git(repo, &["log", "-1", "--format=%h %cs", "--abbrev=12"]);
    let version = stdout(&["--version"]);
    assert_eq!(
        version.trim(),
        format!("kdelta {} ({})", env!("CARGO_PKG_VERSION"), head.trim())
    );
    // Every subcommand says the same.
    assert!(stdout(&["rebase", "--version"]).contains(head.trim()));
}

#[test]
fn completions_cover_every_subcommand_in_each_shell() {
    for (shell, marker) in [
        ("bash", "_kdelta()"),
        ("zsh", "#compdef kdelta"),
        ("fish", "complete -c kdelta"),
    ] {
        let script = stdout(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {script:.200}");
        for sub in ["rebase", "analyze", "report", "manpages", "completions"] {
            assert!(script.contains(sub), "{shell} lacks {sub}");
        }
    }
    let out = kdelta(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn manual_pages_are_written_one_per_subcommand() {
    let dir = tempfile::tempdir().expect("temp dir");
    let man = dir.path().join("man1");
    let listed = stdout(&["manpages", man.to_str().expect("utf-8 path")]);
    for name in [
        "kdelta",
        "kdelta-rebase",
        "kdelta-analyze",
        "kdelta-archive-index",
        "kdelta-serve-token-create",
    ] {
        let path = man.join(format!("{name}.1"));
        let page = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            page.contains(&format!(".TH {name} 1")),
            "{name}: {page:.200}"
        );
        assert!(listed.contains(&path.display().to_string()));
    }
    let rebase = std::fs::read_to_string(man.join("kdelta-rebase.1")).expect("rebase page");
    assert!(rebase.contains("onto"), "{rebase:.400}");
    assert!(!man.join("kdelta-help.1").exists());

    // A file where the directory should be: an error naming it, nothing written.
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").expect("write");
    let out = kdelta(&["manpages", file.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not-a-dir"));
}
