//! A private site (`public = false`): no reading without credentials, and a reader sees only
//! the distributions they have a role on — in every page and list, the common delta, people
//! and events included. On SQLite, and on PostgreSQL in CI.

mod support;

use kdelta_db::Role;
use std::net::SocketAddr;
use support::{databases, get, write_fixture, write_other};

/// GET `path` with `token` (none when empty): the status and body.
async fn read(addr: SocketAddr, path: &str, token: &str) -> (u16, String) {
    let (path, auth) = (path.to_string(), format!("Bearer {token}"));
    let empty = token.is_empty();
    tokio::task::spawn_blocking(move || {
        let headers: Vec<(&str, &str)> = if empty {
            vec![]
        } else {
            vec![("Authorization", auth.as_str())]
        };
        let answer = get(addr, &path, &headers);
        (answer.status, answer.body)
    })
    .await
    .expect("get")
}

fn private(dir: &std::path::Path) -> kdelta_server::Config {
    let mut config = support::config_two(dir);
    config.public = false;
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_site_shows_each_reader_their_distributions() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path());
    write_other(dir.path());
    for url in databases(dir.path(), "private").await {
        let state = support::refreshed(&url, private(dir.path())).await;
        let db = &state.db;
        let vera = support::user(db, "vera", Role::Viewer, &["fixture"]).await;
        let root = support::user(db, "root", Role::Viewer, &["*"]).await;
        let nobody = support::user(db, "nobody", Role::Viewer, &[]).await;
        let writers = [
            (
                "fixture",
                "carried.patch",
                support::user(db, "wf", Role::Member, &["fixture"]).await,
            ),
            (
                "other",
                "0002-own.patch",
                support::user(db, "wo", Role::Member, &["other"]).await,
            ),
        ];
        let running = support::listen(&state).await;
        let addr = running.addr;
        // A decision on each distribution, so each has an event.
        for (d, patch, token) in writers {
            let path = format!("/api/v1/distributions/{d}/patches/{patch}/notes");
            let status = tokio::task::spawn_blocking(move || {
                let auth = format!("Bearer {token}");
                let body = r#"{"version": 0, "text": "a note"}"#;
                support::post(addr, &path, &[("Authorization", &auth)], body).status
            })
            .await
            .expect("post");
            assert_eq!(status, 200);
        }

        // Without credentials: 401, pages and API alike (the page offers to sign in).
        for path in [
            "/",
            "/common-delta",
            "/people",
            "/distributions/fixture",
            "/distributions/fixture/patches/carried.patch",
            "/events.atom",
            "/api/v1/distributions",
            "/api/v1/distributions/fixture",
            "/api/v1/common-delta",
            "/api/v1/events",
        ] {
            let (status, body) = read(addr, path, "").await;
            assert_eq!(status, 401, "{path}: {body}");
        }
        assert!(read(addr, "/", "").await.1.contains("href=\"/login\""));
        // The sign-in page itself is open.
        assert_eq!(read(addr, "/login", "").await.0, 200);

        // A viewer of fixture reads fixture, and nothing of other.
        assert_eq!(read(addr, "/distributions/fixture", &vera).await.0, 200);
        assert_eq!(
            read(addr, "/api/v1/distributions/fixture", &vera).await.0,
            200
        );
        for path in [
            "/distributions/other",
            "/distributions/other/history",
            "/distributions/other/patches/0001-g.patch",
            "/api/v1/distributions/other",
            "/api/v1/distributions/other/history",
            "/api/v1/distributions/other/patches/0001-g.patch/decision",
            "/api/v1/events?distribution=other",
            "/events.atom?distribution=other",
        ] {
            assert_eq!(read(addr, path, &vera).await.0, 403, "{path}");
        }
        let (_, list) = read(addr, "/api/v1/distributions", &vera).await;
        let list: serde_json::Value = serde_json::from_str(&list).expect("json");
        let names: Vec<_> = list["distributions"]
            .as_array()
            .expect("list")
            .iter()
            .map(|d| d["name"].as_str().expect("name"))
            .collect();
        assert_eq!(names, ["fixture"]);
        // The common delta of one distribution is empty, and names only it: the change
        // fixture shares with other is not told.
        let (_, common) = read(addr, "/api/v1/common-delta", &vera).await;
        let common: serde_json::Value = serde_json::from_str(&common).expect("json");
        assert_eq!(common["names"], serde_json::json!(["fixture"]));
        assert_eq!(common["comparison"]["summary"]["common"], 0);
        let (_, page) = read(addr, "/common-delta", &vera).await;
        assert!(!page.contains("0001-g.patch"), "{page}");
        assert!(
            page.contains("Signed in as <strong>vera</strong>"),
            "{page}"
        );
        let (_, home) = read(addr, "/", &vera).await;
        assert!(!home.contains("/distributions/other"), "{home}");
        let (_, page) = read(addr, "/people", &vera).await;
        assert!(
            page.contains("/distributions/fixture/patches/carried.patch"),
            "{page}"
        );
        assert!(!page.contains("0002-own.patch"), "{page}");
        let (_, people) = read(addr, "/api/v1/people", &vera).await;
        assert!(!people.contains("Ada"), "{people}");
        let (_, events) = read(addr, "/api/v1/events", &vera).await;
        let events: serde_json::Value = serde_json::from_str(&events).expect("json");
        let of: Vec<_> = events["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| e["distribution"].as_str().expect("distribution"))
            .collect();
        assert_eq!(of, ["fixture"]);
        let (_, feed) = read(addr, "/events.atom", &vera).await;
        assert!(!feed.contains("0001-g.patch"), "{feed}");

        // A reader of every distribution sees the common change.
        let (_, common) = read(addr, "/api/v1/common-delta", &root).await;
        let common: serde_json::Value = serde_json::from_str(&common).expect("json");
        assert_eq!(common["comparison"]["summary"]["common"], 1);
        let (_, events) = read(addr, "/api/v1/events?limit=1", &root).await;
        assert!(events.contains("\"next\":\"/api/v1/events?limit=1&before="));

        // An account without a role reads nothing of either.
        assert_eq!(read(addr, "/distributions/fixture", &nobody).await.0, 403);
        let (_, list) = read(addr, "/api/v1/distributions", &nobody).await;
        assert!(list.contains("\"distributions\":[]"), "{list}");
        running.stop().await.expect("stop");
    }
}
