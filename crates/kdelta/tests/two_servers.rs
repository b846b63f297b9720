//! Two `kdelta serve` processes started at once on one database, as a team runs them behind
//! a load balancer: each refresh runs once — one snapshot per distribution, whichever
//! process took it — and both serve the same. On a SQLite file, and on PostgreSQL when
//! `KDELTA_TEST_POSTGRES` names a server (`.ci/run` starts one).

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn json(addr: &str, path: &str) -> serde_json::Value {
    let (status, body) = support::http_get(addr, path);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).expect("json")
}

/// The database URLs: a SQLite file under `dir`, and a fresh PostgreSQL database.
fn databases(dir: &Path) -> Vec<String> {
    let mut urls = vec![format!("sqlite://{}", dir.join("serve.db").display())];
    if let Some(server) = std::env::var("KDELTA_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
    {
        let server = server.trim_end_matches('/');
        for sql in [
            "DROP DATABASE IF EXISTS kdelta_two_servers",
            "CREATE DATABASE kdelta_two_servers",
        ] {
            let done = Command::new("psql")
                .args([&format!("{server}/postgres"), "-qAtc", sql])
                .status()
                .expect("psql");
            assert!(done.success(), "{sql}");
        }
        urls.push(format!("{server}/kdelta_two_servers"));
    }
    urls
}

#[test]
fn two_processes_on_one_database_refresh_each_distribution_once() {
    support::require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = kdelta_server::demo::write(&dir.path().join("demo")).expect("demo");
    for db in databases(dir.path()) {
        // Both at once: both migrate, poll and claim at the same moment.
        let (mut one, mut two) = (
            support::spawn_serve(&config, &db),
            support::spawn_serve(&config, &db),
        );
        let (a, b) = (support::listening(&mut one), support::listening(&mut two));
        let deadline = Instant::now() + Duration::from_secs(180);
        let names = loop {
            let list = json(&a, "/api/v1/distributions");
            let all = list["distributions"].as_array().expect("list").clone();
            if all.iter().all(|d| d["snapshot"].is_object()) {
                break all
                    .iter()
                    .map(|d| d["name"].as_str().expect("name").to_string())
                    .collect::<Vec<_>>();
            }
            for d in &all {
                assert!(d["failed"].is_null(), "{db}: {d}");
            }
            assert!(Instant::now() < deadline, "{db}: no snapshots: {list}");
            std::thread::sleep(Duration::from_millis(200));
        };
        assert_eq!(names.len(), 3);
        // Both processes have polled by now (each polls as it starts): one snapshot each.
        std::thread::sleep(Duration::from_secs(2));
        for name in &names {
            for server in [&a, &b] {
                let history = json(server, &format!("/api/v1/distributions/{name}/history"));
                let snapshots = history["snapshots"].as_array().expect("snapshots");
                assert_eq!(snapshots.len(), 1, "{db}: {name}: {history}");
            }
        }
        assert_eq!(
            json(&a, "/api/v1/common-delta"),
            json(&b, "/api/v1/common-delta")
        );
    }
}
