//! Fixture archives for the tests: public-inbox v2 epochs and v1 inboxes written with git
//! plumbing, mails built from a few facts.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Run git in `dir` with `args`, feeding `input`; its trimmed stdout.
pub fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> String {
    git_try(dir, args, input).unwrap_or_else(|| panic!("git {args:?} failed"))
}

/// Run git; `None` when it fails.
pub fn git_try(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Option<String> {
    use std::io::Write;
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "a")
        .env("GIT_AUTHOR_EMAIL", "a@x")
        .env("GIT_COMMITTER_NAME", "a")
        .env("GIT_COMMITTER_EMAIL", "a@x")
        .env("GIT_AUTHOR_DATE", "1700000000 +0000")
        .env("GIT_COMMITTER_DATE", "1700000000 +0000")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("git is a prerequisite of the tests (README)");
    if let Some(input) = input {
        child
            .stdin
            .take()
            .expect("test fixture")
            .write_all(input)
            .expect("test fixture");
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("test fixture");
    out.status.success().then(|| {
        String::from_utf8(out.stdout)
            .expect("test fixture")
            .trim()
            .to_string()
    })
}

/// A public-inbox v2 epoch being written.
pub struct Epoch {
    pub path: PathBuf,
}

impl Epoch {
    /// A new empty epoch at `path` (a bare repository).
    pub fn new(path: &Path) -> Epoch {
        std::fs::create_dir_all(path).expect("test fixture");
        git(path, &["init", "-q", "--bare", "-b", "master"], None);
        Epoch { path: path.into() }
    }

    /// Commit a tree with one blob `name` (`m` adds, `d` deletes) holding `mail`.
    pub fn commit_blob(&self, name: &str, mail: &[u8]) -> String {
        let blob = git(&self.path, &["hash-object", "-w", "--stdin"], Some(mail));
        let tree = git(
            &self.path,
            &["mktree"],
            Some(format!("100644 blob {blob}\t{name}\n").as_bytes()),
        );
        let parent = git_try(
            &self.path,
            &["rev-parse", "-q", "--verify", "refs/heads/master"],
            None,
        )
        .unwrap_or_default();
        let mut args = vec!["commit-tree", tree.as_str(), "-m", "mail"];
        if !parent.is_empty() {
            args.extend(["-p", parent.as_str()]);
        }
        let commit = git(&self.path, &args, None);
        git(
            &self.path,
            &["update-ref", "refs/heads/master", &commit],
            None,
        );
        commit
    }

    /// Add a mail.
    pub fn add(&self, mail: &[u8]) -> String {
        self.commit_blob("m", mail)
    }
}

/// A mail from a few facts: a diff makes it a patch.
pub fn mail(id: &str, from: &str, subject: &str, date: &str, headers: &str, body: &str) -> Vec<u8> {
    format!("From: {from}\nSubject: {subject}\nDate: {date}\nMessage-ID: <{id}>\nList-Id: <test.lists.example.org>\n{headers}\n{body}").into_bytes()
}

/// A patch body changing `lines` of `file`.
pub fn diff(file: &str, removed: &[&str], added: &[&str]) -> String {
    let mut out = format!(
        "---\ndiff --git a/{file} b/{file}\n--- a/{file}\n+++ b/{file}\n@@ -1,{} +1,{} @@\n",
        removed.len() + 1,
        added.len() + 1
    );
    out.push_str(" context line stays\n");
    for l in removed {
        out.push_str(&format!("-{l}\n"));
    }
    for l in added {
        out.push_str(&format!("+{l}\n"));
    }
    out
}
