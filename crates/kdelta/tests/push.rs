//! `kdelta push` as a packager runs it, against a running `kdelta serve`: a queue analysed
//! here joins the common delta; a report's JSON is shown alone; a bad token, a distribution
//! the server analyses itself and a bad URL are refused with a message and exit code 2.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::kdelta;

/// `GET path` on `addr`: the body.
fn get(addr: &str, path: &str) -> String {
    support::http_get(addr, path).1
}

/// `kdelta serve` on a free port: the child and where it listens.
fn serve(config: &Path, db: &str) -> (support::Killed, String) {
    let mut child = support::spawn_serve(config, db);
    let addr = support::listening(&mut child);
    (child, addr)
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn pushed_reports_are_served_and_join_the_common_delta() {
    support::require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let demo = kdelta_demo::write_shared_demo(&d.join("demo")).expect("demo");
    let (linux, debian) = (&demo.distributions[0], &demo.distributions[1]);
    let config = d.join("kdelta-serve.toml");
    std::fs::write(
        &config,
        format!(
            "[[distribution]]\nname = \"linux\"\nqueue = \"{}\"\nupstream = \"{}\"\n\
             index = \"{}\"\n\n[[distribution]]\nname = \"debian\"\ntitle = \"Debian\"\n",
            linux.queue.display(),
            demo.upstream.display(),
            d.join("index.sqlite").display(),
        ),
    )
    .expect("config");
    let db = format!("sqlite://{}", d.join("serve.db").display());
    let added = kdelta(&[
        "serve",
        "user",
        "add",
        "pat",
        "--role",
        "maintainer",
        "--distribution",
        "debian",
        "--distribution",
        "linux",
        "--db",
        &db,
    ]);
    assert!(added.status.success(), "{:?}", text(&added));
    let token = kdelta(&["serve", "token", "create", "--user", "pat", "--db", &db]);
    assert!(token.status.success(), "{:?}", text(&token));
    let token_file = d.join("token");
    std::fs::write(&token_file, &token.stdout).expect("token file");
    let token_file = token_file.to_str().expect("utf-8");
    let (mut child, addr) = serve(&config, &db);
    let url = format!("http://{addr}/distributions/debian");
    let queue = debian.queue.to_str().expect("utf-8");
    let upstream = demo.upstream.to_str().expect("utf-8");
    let index = d.join("index-push.sqlite");
    let index = index.to_str().expect("utf-8");

    // Before any push, the page says where reports come from.
    assert!(get(&addr, "/distributions/debian").contains("kdelta push"));

    // A queue analysed here: in the common delta.
    let pushed = kdelta(&[
        "push",
        &url,
        queue,
        "--upstream",
        upstream,
        "--index",
        index,
        "--token-file",
        token_file,
        "--json",
    ]);
    let (out, err) = text(&pushed);
    assert!(pushed.status.success(), "{out}{err}");
    let taken: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(taken["distribution"], "debian");
    assert_eq!(taken["clustered"], true);
    assert!(taken["patches"].as_i64().expect("patches") > 0);
    // The server analyses linux itself; wait for it, then see debian share changes with it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let common = loop {
        let body = get(&addr, "/api/v1/common-delta");
        let c: serde_json::Value = serde_json::from_str(&body).expect("json");
        if c["names"].as_array().is_some_and(|n| n.len() == 2) {
            break c;
        }
        assert!(std::time::Instant::now() < deadline, "{body}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(common["names"], serde_json::json!(["linux", "debian"]));
    assert!(
        common["comparison"]["summary"]["common"]
            .as_i64()
            .expect("n")
            > 0
    );
    assert!(get(&addr, "/distributions/debian").contains("Kernel delta: Debian"));

    // A report's JSON alone: served, not clustered.
    let report_dir = d.join("report");
    let written = kdelta(&[
        "report",
        queue,
        "--upstream",
        upstream,
        "--index",
        index,
        "--format",
        "json",
        "--output",
        report_dir.to_str().expect("utf-8"),
    ]);
    assert!(written.status.success(), "{:?}", text(&written));
    let json = report_dir.join("report.json");
    let alone = Command::new(env!("CARGO_BIN_EXE_kdelta"))
        .args(["push", &url, json.to_str().expect("utf-8")])
        .env(
            "KDELTA_TOKEN",
            String::from_utf8_lossy(&token.stdout).trim(),
        )
        .output()
        .expect("push");
    let (out, err) = text(&alone);
    assert!(alone.status.success(), "{out}{err}");
    assert!(out.contains("shown alone"), "{out}");

    // Refusals: exit code 2 and the server's reason.
    std::fs::write(d.join("bad"), "kd_not-a-token\n").expect("bad token");
    let bad = d.join("bad");
    let refused = |args: &[&str], want: &str| {
        let out = kdelta(args);
        let (o, e) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{o}{e}");
        assert!(e.contains(want), "{e}");
    };
    let json = json.to_str().expect("utf-8");
    refused(
        &[
            "push",
            &url,
            json,
            "--token-file",
            bad.to_str().expect("utf-8"),
        ],
        "401",
    );
    let linux_url = format!("http://{addr}/distributions/linux");
    refused(
        &["push", &linux_url, json, "--token-file", token_file],
        "analyses linux itself",
    );
    refused(
        &[
            "push",
            &format!("http://{addr}/"),
            json,
            "--token-file",
            token_file,
        ],
        "does not name a distribution",
    );
    refused(&["push", &url, json], "no API token");

    let _ = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status();
    assert!(child.0.wait().expect("wait").success());
}
