//! Throw-away repositories built with the real `git`, isolated from the user's config.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Fails the test, saying so, when git is missing: a test that cannot run must not pass.
pub fn require_git() {
    let ok = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "git is a prerequisite of the tests (README): it is not on PATH"
    );
}

/// A work tree in a temporary directory and a clock for commit dates.
pub struct TestRepo {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
    /// Seconds of the next commit's dates.
    pub time: i64,
}

impl TestRepo {
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("repo");
        std::fs::create_dir(&path).expect("mkdir");
        let repo = TestRepo {
            _dir: dir,
            path,
            time: 1_420_000_000,
        };
        repo.git(&["init", "-q", "-b", "main", "."]);
        repo
    }

    /// A `git` command in the work tree, with fixed identities and the current clock.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        let date = format!("{} +0130", self.time);
        cmd.current_dir(&self.path)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "A U Thor")
            .env("GIT_AUTHOR_EMAIL", "author@example.com")
            .env("GIT_COMMITTER_NAME", "C O Mitter")
            .env("GIT_COMMITTER_EMAIL", "committer@example.com")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .env("HOME", &self.path)
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_PAGER");
        cmd
    }

    /// Run git, panicking on failure; returns stdout.
    pub fn git(&self, args: &[&str]) -> Vec<u8> {
        self.git_env(args, &[])
    }

    /// Run git with extra environment variables.
    pub fn git_env(&self, args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
        let mut cmd = self.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// Run git with `input` on stdin.
    pub fn git_stdin(&self, args: &[&str], input: &[u8]) -> Vec<u8> {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn git");
        let mut stdin = child.stdin.take().expect("stdin");
        let input = input.to_vec();
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let out = child.wait_with_output().expect("wait git");
        writer.join().expect("writer thread").expect("write stdin");
        assert!(out.status.success(), "git {args:?} failed");
        out.stdout
    }

    pub fn write(&self, rel: &str, content: &[u8]) {
        let path = self.path.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, content).expect("write");
    }

    pub fn remove(&self, rel: &str) {
        let path = self.path.join(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(path).expect("rm -r");
        } else {
            std::fs::remove_file(path).expect("rm");
        }
    }

    pub fn symlink(&self, target: &str, rel: &str) {
        let path = self.path.join(rel);
        let _ = std::fs::remove_file(&path);
        std::os::unix::fs::symlink(target, path).expect("symlink");
    }

    pub fn chmod(&self, rel: &str, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(self.path.join(rel), std::fs::Permissions::from_mode(mode))
            .expect("chmod");
    }

    /// `git add -A && git commit -m message`, one minute after the previous commit.
    pub fn commit(&mut self, message: &str) -> String {
        self.commit_with(message, &[])
    }

    /// Like [`TestRepo::commit`], with extra environment (e.g. another author).
    pub fn commit_with(&mut self, message: &str, env: &[(&str, &str)]) -> String {
        self.time += 60;
        self.git(&["add", "-A"]);
        self.git_env(
            &[
                "commit",
                "-q",
                "--allow-empty",
                "--no-verify",
                "-m",
                message,
            ],
            env,
        );
        self.head()
    }

    pub fn head(&self) -> String {
        self.rev_parse("HEAD")
    }

    pub fn rev_parse(&self, rev: &str) -> String {
        String::from_utf8_lossy(&self.git(&["rev-parse", rev]))
            .trim()
            .to_string()
    }

    /// gitoxide's view of the repository, without the user's configuration.
    pub fn open(&self) -> gix::Repository {
        gix::open_opts(&self.path, gix::open::Options::isolated()).expect("open with gix")
    }
}

impl Default for TestRepo {
    fn default() -> Self {
        TestRepo::new()
    }
}

/// `path` as text, for messages.
pub fn show(path: &Path) -> String {
    path.display().to_string()
}
