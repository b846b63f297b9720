//! The server over HTTP on loopback: a refresh makes a snapshot, the pages and the API show
//! it, a failed refresh keeps it and says why. On SQLite, and on PostgreSQL in CI.

mod support;

use support::{config, config_two, databases, get, write_fixture, write_other};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_api_show_the_newest_snapshot() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path());
    for url in databases(dir.path(), "pages").await {
        let state = kdelta_server::prepare(&url, config(dir.path()))
            .await
            .expect("prepare");
        let running = support::listen(&state).await;
        let addr = running.addr;
        let call = |path: &'static str, headers: Vec<(&'static str, String)>| {
            tokio::task::spawn_blocking(move || {
                let headers: Vec<(&str, &str)> =
                    headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
                get(addr, path, &headers)
            })
        };

        // Before the first refresh: the page says so.
        let page = call("/distributions/fixture", vec![]).await.expect("get");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("No analysis yet"), "{}", page.body);

        kdelta_server::worker::cycle(&state).await.expect("refresh");
        let home = call("/", vec![]).await.expect("get");
        assert_eq!(home.status, 200);
        assert!(home.body.contains("Fixture &lt;Linux&gt;"), "{}", home.body);
        assert!(home
            .header("content-security-policy")
            .is_some_and(|p| p.contains("default-src 'none'")));
        assert!(home.body.contains("refreshed "));

        let page = call("/distributions/fixture", vec![]).await.expect("get");
        assert_eq!(page.status, 200);
        assert!(
            page.body
                .contains("Kernel delta: Fixture &lt;Linux&gt; 1.0"),
            "{}",
            &page.body[..2000.min(page.body.len())]
        );
        assert!(page.body.contains("Add &lt;b&gt;g&lt;/b&gt; &amp; more"));
        assert!(page
            .header("content-security-policy")
            .is_some_and(|p| p.contains("script-src 'sha256-")));

        // Compressed for a client that accepts it.
        let zipped = call(
            "/distributions/fixture",
            vec![("Accept-Encoding", "gzip, br".to_string())],
        )
        .await
        .expect("get");
        assert_eq!(zipped.header("content-encoding"), Some("gzip"));
        assert_eq!(zipped.header("vary"), Some("accept-encoding"));
        assert!(zipped.raw.len() < page.body.len());
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(&zipped.raw[..]),
            &mut text,
        )
        .expect("gzip");
        assert_eq!(text, page.body);

        let api = call("/api/v1/distributions/fixture", vec![])
            .await
            .expect("get");
        assert_eq!(api.status, 200);
        let report: serde_json::Value = serde_json::from_str(&api.body).expect("json");
        assert_eq!(report["summary"]["total"], 2);
        let statuses: Vec<&str> = report["patches"]
            .as_array()
            .expect("patches")
            .iter()
            .map(|p| p["status"].as_str().expect("status"))
            .collect();
        assert_eq!(statuses, ["upstream", "needs-work"], "{}", api.body);
        let etag = api.header("etag").expect("etag").to_string();
        let again = call(
            "/api/v1/distributions/fixture",
            vec![("If-None-Match", etag)],
        )
        .await
        .expect("get");
        assert_eq!(again.status, 304);
        assert!(again.body.is_empty());

        let list = call("/api/v1/distributions", vec![]).await.expect("get");
        let list: serde_json::Value = serde_json::from_str(&list.body).expect("json");
        assert_eq!(list["distributions"][0]["name"], "fixture");
        assert_eq!(list["distributions"][0]["snapshot"]["patches"], 2);

        let missing = call("/distributions/nothing", vec![]).await.expect("get");
        assert_eq!(missing.status, 404);
        let missing = call("/api/v1/distributions/nothing", vec![])
            .await
            .expect("get");
        assert_eq!(missing.status, 404);
        assert!(missing.body.contains("\"error\""));
        running.stop().await.expect("stop");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_refresh_keeps_the_last_snapshot_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path());
    for url in databases(dir.path(), "failed").await {
        write_fixture(dir.path());
        let state = support::refreshed(&url, config(dir.path())).await;
        // Nothing moved: no new refresh.
        kdelta_server::worker::cycle(&state).await.expect("poll");
        let id = state
            .db
            .distribution("fixture")
            .await
            .expect("db")
            .expect("there")
            .id;
        assert_eq!(state.db.snapshots(id).await.expect("snapshots").len(), 1);

        // The tree goes away: the refresh fails; the snapshot stays.
        let tree = dir.path().join("tree");
        let moved = dir.path().join("tree.away");
        std::fs::rename(&tree, &moved).expect("move the tree");
        kdelta_server::worker::cycle(&state).await.expect("refresh");
        assert_eq!(state.db.snapshots(id).await.expect("snapshots").len(), 1);
        let failed = state
            .db
            .failed_since_snapshot(id)
            .await
            .expect("db")
            .expect("failed");
        assert!(
            failed.error.as_deref().is_some_and(|e| e.contains("tree")),
            "{failed:?}"
        );
        // Not retried until something moves.
        kdelta_server::worker::cycle(&state).await.expect("poll");
        let latest = state.db.latest_refresh(id).await.expect("db").expect("one");
        assert_eq!(latest.id, failed.id);

        let running = support::listen(&state).await;
        let addr = running.addr;
        let page = tokio::task::spawn_blocking(move || get(addr, "/distributions/fixture", &[]))
            .await
            .expect("get");
        assert!(
            page.body.contains("The last refresh failed"),
            "{}",
            &page.body[..3000.min(page.body.len())]
        );
        assert!(page.body.contains("Kernel delta: Fixture"));

        // The tree is back: its inputs moved, so the next poll refreshes again.
        std::fs::rename(&moved, &tree).expect("restore the tree");
        kdelta_server::worker::cycle(&state).await.expect("refresh");
        assert_eq!(state.db.snapshots(id).await.expect("snapshots").len(), 2);
        assert!(state
            .db
            .failed_since_snapshot(id)
            .await
            .expect("db")
            .is_none());
        state.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_common_delta_is_what_two_distributions_carry() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path());
    write_other(dir.path());
    for url in databases(dir.path(), "common").await {
        let state = support::refreshed(&url, config_two(dir.path())).await;
        let running = support::listen(&state).await;
        let addr = running.addr;
        let (api, page, home, people) = tokio::task::spawn_blocking(move || {
            (
                get(addr, "/api/v1/common-delta", &[]),
                get(addr, "/common-delta", &[]),
                get(addr, "/", &[]),
                get(addr, "/api/v1/people", &[]),
            )
        })
        .await
        .expect("get");
        let body: serde_json::Value = serde_json::from_str(&api.body).expect("json");
        let c = &body["comparison"];
        assert_eq!(c["summary"]["common"], 1, "{}", api.body);
        let row = c["clusters"]
            .as_array()
            .expect("clusters")
            .iter()
            .find(|r| r["common"] == true)
            .expect("a common change");
        assert_eq!(row["carriers"][0][0]["name"], "carried.patch");
        assert_eq!(row["carriers"][1][0]["name"], "0001-g.patch");
        assert!(
            page.body
                .contains("href=\"/distributions/other/patches/0001-g.patch\""),
            "{}",
            page.body
        );
        assert!(page.body.contains("Add &lt;b&gt;g&lt;/b&gt; &amp; more"));
        assert!(
            home.body.contains(": 1 changes carried by two or more"),
            "{}",
            home.body
        );
        assert!(page.body.contains("owner: Ada &lt;ada@example.org&gt;"));
        let people: serde_json::Value = serde_json::from_str(&people.body).expect("json");
        let ada = &people["people"]["Ada <ada@example.org>"];
        assert_eq!(ada[0]["distribution"], "other");
        assert_eq!(ada[0]["name"], "0001-g.patch");
        assert_eq!(ada[0]["status"], "needs-work");
        running.stop().await.expect("stop");
    }
}
