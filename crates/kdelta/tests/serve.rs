//! `kdelta serve --demo` as a person runs it: it writes the demo, listens, refreshes the
//! three distributions in the background, serves their pages and API, and stops cleanly on
//! SIGTERM.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_demo_is_served_and_stops_on_sigterm() {
    support::require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kdelta"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--demo-dir"])
        .arg(dir.path().join("demo"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("kdelta serve");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut addr = None;
    let mut line = String::new();
    while stderr.read_line(&mut line).expect("stderr") > 0 {
        if let Some(at) = line
            .trim()
            .strip_prefix("kdelta serve: listening on http://")
        {
            addr = Some(at.to_string());
            break;
        }
        line.clear();
    }
    let addr = addr.expect("the server says where it listens");

    // The worker refreshes the three distributions; wait for it (a deadline, not a timing).
    let deadline = Instant::now() + Duration::from_secs(120);
    let body = loop {
        let (status, body) = support::http_get(&addr, "/api/v1/distributions");
        assert_eq!(status, 200);
        let list: serde_json::Value = serde_json::from_str(&body).expect("json");
        let done = list["distributions"]
            .as_array()
            .expect("list")
            .iter()
            .all(|d| d["snapshot"].is_object());
        if done {
            break list;
        }
        assert!(Instant::now() < deadline, "no snapshots: {body}");
        std::thread::sleep(Duration::from_millis(200));
    };
    let names: Vec<&str> = body["distributions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["demo-linux", "demo-debian", "demo-fedora"]);
    assert_eq!(body["distributions"][0]["snapshot"]["patches"], 7);

    let (status, home) = support::http_get(&addr, "/");
    assert_eq!(status, 200);
    assert!(home.contains("Demo Debian"));
    let (status, page) = support::http_get(&addr, "/distributions/demo-fedora");
    assert_eq!(status, 200);
    assert!(page.contains("Kernel delta: Demo Fedora"));

    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).expect("stderr");
    assert!(rest.contains("kdelta serve: stopping"), "{rest}");
}
