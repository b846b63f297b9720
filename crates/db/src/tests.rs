//! The storage on SQLite, and on PostgreSQL when `KDELTA_TEST_POSTGRES` names a server
//! (`.ci/run` starts one): the same checks on both.

use crate::{Db, NewSnapshot, RefreshState};
use std::collections::BTreeMap;

/// A fresh SQLite database, and one on PostgreSQL when there is a server to test against
/// (a fresh database there, named after the test).
pub(crate) async fn databases(test: &str) -> Vec<(Db, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("kdelta.db").display());
    let mut all = vec![(Db::open(&url).await.expect("sqlite"), Some(dir))];
    if let Ok(server) = std::env::var("KDELTA_TEST_POSTGRES") {
        all.push((fresh_postgres(&server, test).await, None));
    }
    all
}

/// A new empty database `kdelta_TEST` on the server at `server` (a URL without database).
async fn fresh_postgres(server: &str, test: &str) -> Db {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("kdelta_{test}");
    let admin = format!("{}/postgres", server.trim_end_matches('/'));
    let mut conn = sqlx::AnyConnection::connect(&admin)
        .await
        .expect("postgres");
    // `name` is made of this file's fixed test names.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&mut conn)
    .await
    .expect("drop");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create");
    Db::open(&format!("{}/{name}", server.trim_end_matches('/')))
        .await
        .expect("open postgres")
}

#[tokio::test]
async fn snapshots_and_refreshes() {
    for (db, _dir) in databases("snapshots").await {
        let debian = db
            .upsert_distribution("debian", "{}", 10)
            .await
            .expect("add");
        let again = db
            .upsert_distribution("debian", "{\"spec\":1}", 11)
            .await
            .expect("update");
        assert_eq!(debian, again);
        let stored = db
            .distribution("debian")
            .await
            .expect("get")
            .expect("there");
        assert_eq!(stored.config, "{\"spec\":1}");

        assert!(db.request_refresh(debian, "poll", 20).await.expect("queue"));
        assert!(!db.request_refresh(debian, "poll", 21).await.expect("once"));
        let claimed = db
            .claim_refresh("w1", 22)
            .await
            .expect("claim")
            .expect("a job");
        assert_eq!(claimed.distribution, debian);
        assert!(db.claim_refresh("w2", 22).await.expect("claim").is_none());
        // Running does not block a new request.
        assert!(db
            .request_refresh(debian, "alice", 23)
            .await
            .expect("queue"));

        let counts = BTreeMap::from([("carried".to_string(), 3)]);
        let snapshot = db
            .add_snapshot(&NewSnapshot {
                distribution: debian,
                taken_at: 30,
                inputs: "q1",
                patches: 3,
                counts: &counts,
                report: "{\"r\":1}",
                facts: Some("[]"),
            })
            .await
            .expect("snapshot");
        db.finish_refresh(claimed.job, Ok(snapshot), Some("q1"), 31)
            .await
            .expect("done");
        let next = db
            .claim_refresh("w2", 32)
            .await
            .expect("claim")
            .expect("job");
        db.finish_refresh(next.job, Err("queue gone"), Some("q2"), 33)
            .await
            .expect("failed");

        let latest = db
            .latest_snapshot(debian)
            .await
            .expect("latest")
            .expect("one");
        assert_eq!(latest.summary.id, snapshot);
        assert_eq!(latest.summary.counts, counts);
        assert_eq!(latest.report, "{\"r\":1}");
        assert_eq!(latest.facts.as_deref(), Some("[]"));
        assert_eq!(
            db.latest_snapshot_ids().await.expect("ids"),
            [(debian, snapshot)]
        );
        let failed = db
            .failed_since_snapshot(debian)
            .await
            .expect("failed")
            .expect("one");
        assert_eq!(failed.state, RefreshState::Failed);
        assert_eq!(failed.error.as_deref(), Some("queue gone"));
        assert_eq!(failed.inputs.as_deref(), Some("q2"));
        assert_eq!(db.snapshots(debian).await.expect("all").len(), 1);
        db.close().await;
    }
}

#[tokio::test]
async fn a_lost_worker_s_job_is_claimed_again() {
    for (db, _dir) in databases("lease").await {
        let d = db.upsert_distribution("x", "{}", 0).await.expect("add");
        db.request_refresh(d, "poll", 0).await.expect("queue");
        assert!(db.claim_refresh("w1", 10).await.expect("claim").is_some());
        assert!(db.claim_refresh("w2", 20).await.expect("claim").is_none());
        let later = 10 + 3 * 3600 + 1;
        assert!(db
            .claim_refresh("w2", later)
            .await
            .expect("claim")
            .is_some());
    }
}

#[tokio::test]
async fn opening_twice_migrates_once() {
    for (db, dir) in databases("migrate").await {
        if let Some(dir) = &dir {
            let url = format!("sqlite://{}", dir.path().join("kdelta.db").display());
            let again = Db::open(&url).await.expect("reopen");
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM kdelta_migrations")
                .fetch_one(&again.pool)
                .await
                .expect("count");
            assert_eq!(n, crate::migrate::latest());
        }
        db.close().await;
    }
}
