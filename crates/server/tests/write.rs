//! Decisions over HTTP: who may write what (authorisation), versions and conflicts, the
//! event log, and concurrent writers. On SQLite, and on PostgreSQL in CI.

mod support;

use kdelta_db::Role;
use kdelta_server::auth::secret;
use std::net::SocketAddr;
use support::{config_two, databases, get, post, write_fixture, write_other};

const NOTES: &str = "/api/v1/distributions/fixture/patches/carried.patch/notes";

/// POST `body` to `path` with `headers`, from a blocking thread.
async fn send(
    addr: SocketAddr,
    path: &str,
    headers: Vec<(&'static str, String)>,
    body: &str,
) -> (u16, serde_json::Value) {
    let (path, body) = (path.to_string(), body.to_string());
    let answer = tokio::task::spawn_blocking(move || {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        post(addr, &path, &headers, &body)
    })
    .await
    .expect("post");
    let json = serde_json::from_str(&answer.body).unwrap_or(serde_json::Value::Null);
    (answer.status, json)
}

fn bearer(token: &str) -> Vec<(&'static str, String)> {
    vec![("Authorization", format!("Bearer {token}"))]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_write_what() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path());
    write_other(dir.path());
    for url in databases(dir.path(), "authz").await {
        let state = support::refreshed(&url, config_two(dir.path())).await;
        let db = &state.db;
        let alice = support::user(db, "alice", Role::Member, &["fixture"]).await;
        let victor = support::user(db, "victor", Role::Viewer, &["fixture"]).await;
        let root = support::user(db, "root", Role::Admin, &["*"]).await;
        let gone = support::user(db, "gone", Role::Member, &["fixture"]).await;
        let id = db
            .tokens()
            .await
            .expect("tokens")
            .iter()
            .find(|t| t.user == "gone")
            .expect("gone")
            .id;
        db.revoke_token(id, 1).await.expect("revoke");
        let sam = db.add_user("sam", None, 0).await.expect("sam");
        db.grant(sam, "fixture", Role::Member).await.expect("grant");
        db.add_session(&secret::digest("sam-key"), sam, "sam-csrf", 0, i64::MAX)
            .await
            .expect("session");
        let running = support::listen(&state).await;
        let addr = running.addr;
        let note = r#"{"version": 0, "text": "posted to xen-devel"}"#;

        // No credentials: 401, whatever the distribution or body.
        assert_eq!(send(addr, NOTES, vec![], note).await.0, 401);
        assert_eq!(
            send(
                addr,
                "/api/v1/distributions/nothing/patches/x/notes",
                vec![],
                "not json"
            )
            .await
            .0,
            401
        );
        // A revoked token is no credential.
        assert_eq!(send(addr, NOTES, bearer(&gone), note).await.0, 401);
        // A viewer cannot write; a member of one distribution cannot write to another.
        assert_eq!(send(addr, NOTES, bearer(&victor), note).await.0, 403);
        let other = "/api/v1/distributions/other/patches/0001-g.patch/notes";
        assert_eq!(send(addr, other, bearer(&alice), note).await.0, 403);
        // A session's write needs its CSRF token.
        let cookie = ("Cookie", "kdelta_session=sam-key".to_string());
        assert_eq!(send(addr, NOTES, vec![cookie.clone()], note).await.0, 403);
        assert_eq!(
            send(
                addr,
                NOTES,
                vec![cookie.clone(), ("X-CSRF-Token", "wrong".into())],
                note
            )
            .await
            .0,
            403
        );
        let (status, body) = send(
            addr,
            NOTES,
            vec![cookie, ("X-CSRF-Token", "sam-csrf".into())],
            note,
        )
        .await;
        assert_eq!((status, body["version"].as_i64()), (200, Some(1)), "{body}");

        // A member notes and claims on the version they saw; an old version gets 409.
        let (status, body) = send(
            addr,
            NOTES,
            bearer(&alice),
            r#"{"version": 1, "text": "reviewed"}"#,
        )
        .await;
        assert_eq!((status, body["version"].as_i64()), (200, Some(2)), "{body}");
        let (status, body) = send(
            addr,
            NOTES,
            bearer(&alice),
            r#"{"version": 1, "text": "again"}"#,
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["current"]["version"], 2);
        assert_eq!(body["current"]["decision"]["notes"][1]["text"], "reviewed");
        let claims = "/api/v1/distributions/fixture/patches/carried.patch/claims";
        let (status, _) = send(
            addr,
            claims,
            bearer(&alice),
            r#"{"version": 2, "state": "posted"}"#,
        )
        .await;
        assert_eq!(status, 400, "a posted claim needs its link");
        let claim = r#"{"version": 2, "state": "posted", "link": "https://lore.kernel.org/x"}"#;
        assert_eq!(send(addr, claims, bearer(&alice), claim).await.0, 200);
        // The owner and the feature: set, then the feature cleared.
        let owner = "/api/v1/distributions/fixture/patches/carried.patch/owner";
        let feature = "/api/v1/distributions/fixture/patches/carried.patch/feature";
        let set_owner = r#"{"version": 3, "text": "Ada <ada@example.org>"}"#;
        assert_eq!(send(addr, owner, bearer(&victor), set_owner).await.0, 403);
        assert_eq!(send(addr, owner, bearer(&alice), set_owner).await.0, 200);
        assert_eq!(
            send(
                addr,
                feature,
                bearer(&alice),
                r#"{"version": 4, "text": "pv-drivers"}"#
            )
            .await
            .0,
            200
        );
        let (status, body) = send(addr, feature, bearer(&alice), r#"{"version": 5}"#).await;
        assert_eq!(status, 200);
        assert!(body["decision"]["feature"].is_null());
        assert_eq!(body["decision"]["owner"], "Ada <ada@example.org>");
        // Overriding a status needs a maintainer.
        let overrides = "/api/v1/distributions/fixture/patches/carried.patch/overrides";
        let set = r#"{"version": 6, "status": "downstream-only", "text": "our tools need it"}"#;
        assert_eq!(send(addr, overrides, bearer(&alice), set).await.0, 403);
        assert_eq!(send(addr, overrides, bearer(&root), set).await.0, 200);
        // A maintainer (not a member) asks for a refresh; once queued, it is not queued twice.
        let refresh = "/api/v1/distributions/fixture/refresh";
        assert_eq!(send(addr, refresh, bearer(&alice), "").await.0, 403);
        let (status, body) = send(addr, refresh, bearer(&root), "").await;
        assert_eq!(
            (status, body["queued"].as_bool()),
            (202, Some(true)),
            "{body}"
        );
        let (_, body) = send(addr, refresh, bearer(&root), "").await;
        assert_eq!(body["queued"], false);
        let fixture = db
            .distribution("fixture")
            .await
            .expect("db")
            .expect("there")
            .id;
        let job = db
            .latest_refresh(fixture)
            .await
            .expect("db")
            .expect("a job");
        assert_eq!(job.requested_by, "user root");
        // A patch the distribution does not carry.
        let missing = "/api/v1/distributions/fixture/patches/no-such.patch/notes";
        assert_eq!(send(addr, missing, bearer(&alice), note).await.0, 404);

        let (decision, events, report, feed) = tokio::task::spawn_blocking(move || {
            (
                get(
                    addr,
                    "/api/v1/distributions/fixture/patches/carried.patch/decision",
                    &[],
                ),
                get(addr, "/api/v1/events?person=alice", &[]),
                get(addr, "/api/v1/distributions/fixture", &[]),
                get(addr, "/events.atom?distribution=fixture", &[]),
            )
        })
        .await
        .expect("get");
        let decision: serde_json::Value = serde_json::from_str(&decision.body).expect("json");
        assert_eq!(decision["version"], 7);
        assert_eq!(decision["decision"]["claim"]["state"], "posted");
        assert_eq!(decision["decision"]["status"]["status"], "downstream-only");
        assert!(decision["fingerprint"]
            .as_str()
            .is_some_and(|f| f.starts_with("patch-id:")));
        let events: serde_json::Value = serde_json::from_str(&events.body).expect("json");
        let what: Vec<&str> = events["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| e["what"].as_str().expect("what"))
            .collect();
        assert_eq!(what, ["feature", "feature", "owner", "claims", "notes"]);
        assert_eq!(
            feed.header("content-type"),
            Some("application/atom+xml; charset=utf-8")
        );
        assert_eq!(feed.body.matches("<entry>").count(), 7, "{}", feed.body);
        assert!(feed
            .body
            .contains("<title>fixture: root overrides of carried.patch</title>"));
        assert!(feed
            .body
            .contains("<link href=\"/distributions/fixture/patches/carried.patch\"/>"));
        // The report shows the decisions: the status set by hand, the claim, the notes.
        let report: serde_json::Value = serde_json::from_str(&report.body).expect("json");
        let carried = report["patches"]
            .as_array()
            .expect("patches")
            .iter()
            .find(|p| p["name"] == "carried.patch")
            .expect("carried.patch");
        assert_eq!(carried["status"], "downstream-only");
        assert_eq!(carried["machine_status"], "needs-work");
        assert_eq!(carried["owner"], "Ada <ada@example.org>");
        assert!(carried["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n == "reviewed — alice"));
        let downstream = report["summary"]["by_status"]
            .as_array()
            .expect("counts")
            .iter()
            .find(|c| c["status"] == "downstream-only")
            .expect("count");
        assert_eq!(downstream["count"], 1);
        running.stop().await.expect("stop");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path());
    write_other(dir.path());
    for url in databases(dir.path(), "concurrent").await {
        let state = support::refreshed(&url, config_two(dir.path())).await;
        let token = support::user(&state.db, "team", Role::Member, &["fixture"]).await;
        let running = support::listen(&state).await;
        let addr = running.addr;
        // 10 writers, 5 writes each, each on the version it last saw, no retry.
        let writers: Vec<_> = (0..10)
            .map(|w| {
                let token = token.clone();
                std::thread::spawn(move || {
                    let auth = format!("Bearer {token}");
                    let mut statuses = Vec::new();
                    for n in 0..5 {
                        let seen = get(
                            addr,
                            "/api/v1/distributions/fixture/patches/carried.patch/decision",
                            &[],
                        );
                        let seen: serde_json::Value =
                            serde_json::from_str(&seen.body).expect("json");
                        let version = seen["version"].as_i64().expect("version");
                        let body =
                            format!(r#"{{"version": {version}, "text": "writer {w} note {n}"}}"#);
                        let answer = post(addr, NOTES, &[("Authorization", &auth)], &body);
                        statuses.push(answer.status);
                    }
                    statuses
                })
            })
            .collect();
        let statuses: Vec<u16> = writers
            .into_iter()
            .flat_map(|w| w.join().expect("writer"))
            .collect();
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 409),
            "{statuses:?}"
        );
        let accepted = statuses.iter().filter(|s| **s == 200).count();
        assert!(accepted >= 1);
        let id = state
            .db
            .distribution("fixture")
            .await
            .expect("db")
            .expect("there")
            .id;
        let events = state
            .db
            .events(&kdelta_db::EventFilter {
                distribution: Some(id),
                limit: 1000,
                ..Default::default()
            })
            .await
            .expect("events");
        assert_eq!(
            events.len(),
            accepted,
            "every accepted write is in the event log"
        );
        let stored = state
            .db
            .decision(id, "carried.patch")
            .await
            .expect("db")
            .expect("there");
        assert_eq!(stored.version as usize, accepted);
        let decision: kdelta_server::decision::Decision =
            serde_json::from_str(&stored.state).expect("json");
        assert_eq!(
            decision.notes.len(),
            accepted,
            "no accepted note was overwritten"
        );
        running.stop().await.expect("stop");
    }
}
