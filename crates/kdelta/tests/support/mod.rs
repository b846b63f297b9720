//! Helpers shared by the end-to-end tests that build git repositories at test time.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Run the `kdelta` binary under test.
pub fn kdelta(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kdelta"))
        .args(args)
        // Tree indexes go to the build's scratch space, not the user's cache.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("run kdelta")
}

/// Run git in `dir` with a fixed identity and date; its stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "A U Thor")
        .env("GIT_AUTHOR_EMAIL", "a@example.org")
        .env("GIT_COMMITTER_NAME", "C O Mitter")
        .env("GIT_COMMITTER_EMAIL", "c@example.org")
        .env("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

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

/// `GET path` on `addr` (`host:port`): the status and body.
pub fn http_get(addr: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A child process, killed when dropped (a failed assertion must not leave it serving).
pub struct Killed(pub std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `kdelta serve --config CONFIG --db DB` on a free loopback port.
pub fn spawn_serve(config: &Path, db: &str) -> Killed {
    use std::process::Stdio;
    Killed(
        Command::new(env!("CARGO_BIN_EXE_kdelta"))
            .args(["serve", "--listen", "127.0.0.1:0", "--db", db, "--config"])
            .arg(config)
            .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kdelta serve"),
    )
}

/// Where a started `kdelta serve` listens (it says so on stderr, which is drained after).
pub fn listening(child: &mut Killed) -> String {
    use std::io::BufRead;
    let mut stderr = std::io::BufReader::new(child.0.stderr.take().expect("stderr"));
    let mut line = String::new();
    while stderr.read_line(&mut line).expect("stderr") > 0 {
        if let Some(at) = line
            .trim()
            .strip_prefix("kdelta serve: listening on http://")
        {
            let addr = at.to_string();
            std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
            return addr;
        }
        eprint!("{line}");
        line.clear();
    }
    panic!("kdelta serve did not listen");
}
