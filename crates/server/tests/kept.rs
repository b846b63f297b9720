//! Answers kept for readers without credentials hold only while nothing changed: a decision
//! written through another server process on the same database shows at once on this one's
//! pages and API. On SQLite, and on PostgreSQL in CI.

mod support;

use kdelta_db::Role;
use support::{config, databases, get, post, write_fixture};

const PAGE: &str = "/distributions/fixture/patches/carried.patch";
const DECISION: &str = "/api/v1/distributions/fixture/patches/carried.patch/decision";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_another_process_shows_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path());
    for url in databases(dir.path(), "kept").await {
        let one = support::refreshed(&url, config(dir.path())).await;
        // A second server process on the same database: its own state, its own store.
        let two = kdelta_server::prepare(&url, config(dir.path()))
            .await
            .expect("second");
        let token = support::user(&one.db, "ada", Role::Member, &["fixture"]).await;
        let (a, b) = (support::listen(&one).await, support::listen(&two).await);
        let (addr_a, addr_b) = (a.addr, b.addr);
        let (first, again, etag) = tokio::task::spawn_blocking(move || {
            let first = get(addr_a, PAGE, &[]);
            let again = get(addr_a, PAGE, &[]);
            let api = get(addr_a, DECISION, &[]);
            let tag = api.header("etag").expect("etag").to_string();
            let not_modified = get(addr_a, DECISION, &[("If-None-Match", &tag)]);
            assert_eq!(not_modified.status, 304);
            (first, again, tag)
        })
        .await
        .expect("get");
        assert_eq!(first.status, 200);
        assert_eq!(first.body, again.body, "kept");
        assert!(!first.body.contains("kept-note-from-two"));

        let auth = format!("Bearer {token}");
        let (page, api) = tokio::task::spawn_blocking(move || {
            let body = r#"{"version": 0, "text": "kept-note-from-two"}"#;
            let path = "/api/v1/distributions/fixture/patches/carried.patch/notes";
            let written = post(addr_b, path, &[("Authorization", &auth)], body);
            assert_eq!(written.status, 200, "{}", written.body);
            (
                get(addr_a, PAGE, &[]),
                get(addr_a, DECISION, &[("If-None-Match", &etag)]),
            )
        })
        .await
        .expect("get");
        assert!(page.body.contains("kept-note-from-two"), "{}", page.body);
        assert_eq!(api.status, 200, "a new ETag");
        assert!(api.body.contains("kept-note-from-two"));

        // A signed-in reader's page is kept apart, and a revoked token reads as no one,
        // though nothing the pages show changed.
        let bearer = format!("Bearer {token}");
        let signed = {
            let bearer = bearer.clone();
            tokio::task::spawn_blocking(move || get(addr_a, PAGE, &[("Authorization", &bearer)]))
                .await
                .expect("get")
        };
        assert!(signed.body.contains("Signed in as <strong>ada</strong>"));
        let tokens = one.db.tokens().await.expect("tokens");
        one.db.revoke_token(tokens[0].id, 1).await.expect("revoke");
        let revoked =
            tokio::task::spawn_blocking(move || get(addr_a, PAGE, &[("Authorization", &bearer)]))
                .await
                .expect("get");
        assert_eq!(revoked.status, 200);
        assert!(!revoked.body.contains("Signed in as"), "{}", revoked.body);
        b.stop().await.expect("stop");
        a.stop().await.expect("stop");
    }
}
