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
    if let Some(server) = std::env::var("KDELTA_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
    {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn processes_opening_a_new_sqlite_file_at_once_all_start() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("kdelta.db").display());
        let opens: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move { Db::open(&url).await })
            })
            .collect();
        for open in opens {
            let db = open.await.expect("join").expect("open");
            db.close().await;
        }
    }
}

#[tokio::test]
async fn accounts_tokens_and_sessions() {
    use crate::Role;
    for (db, _dir) in databases("accounts").await {
        let ada = db
            .add_user("ada", Some("$argon2id$x"), 1)
            .await
            .expect("add");
        assert!(
            db.add_user("ada", None, 2).await.is_err(),
            "names are unique"
        );
        db.grant(ada, "debian", Role::Member).await.expect("grant");
        db.grant(ada, "debian", Role::Maintainer)
            .await
            .expect("regrant");
        assert_eq!(
            db.grants(ada).await.expect("grants"),
            [("debian".to_string(), Role::Maintainer)]
        );
        let token = db.add_token(ada, "ci", "h1", 3).await.expect("token");
        assert_eq!(
            db.user_by_token("h1")
                .await
                .expect("lookup")
                .map(|u| u.name)
                .as_deref(),
            Some("ada")
        );
        assert!(db.revoke_token(token, 4).await.expect("revoke"));
        assert!(!db.revoke_token(token, 5).await.expect("twice"));
        assert!(db.user_by_token("h1").await.expect("lookup").is_none());
        db.add_session("s1", ada, "csrf1", 10, 20)
            .await
            .expect("session");
        assert_eq!(
            db.session("s1", 15)
                .await
                .expect("live")
                .map(|(_, c)| c)
                .as_deref(),
            Some("csrf1")
        );
        assert!(db.session("s1", 20).await.expect("expired").is_none());
        db.end_session("s1").await.expect("end");
        db.close().await;
    }
}

#[tokio::test]
async fn a_decision_written_on_an_old_version_is_refused() {
    use crate::{DecisionWrite, EventFilter, Written};
    for (db, _dir) in databases("decisions").await {
        let d = db
            .upsert_distribution("debian", "{}", 0)
            .await
            .expect("add");
        let write = |based_on, state: &'static str, by: &'static str| DecisionWrite {
            distribution: d,
            patch: "a.patch",
            based_on,
            state,
            before: "null",
            fingerprint: Some("patch-id:1"),
            what: "note",
            by,
            now: 100 + based_on,
        };
        assert_eq!(
            db.write_decision(&write(0, "{\"n\":1}", "ada"))
                .await
                .expect("first"),
            Written::Done(1)
        );
        // A second "first" write lost the race.
        match db
            .write_decision(&write(0, "{\"n\":2}", "bob"))
            .await
            .expect("second")
        {
            Written::Conflict(Some(current)) => assert_eq!(current.version, 1),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            db.write_decision(&write(1, "{\"n\":3}", "bob"))
                .await
                .expect("on 1"),
            Written::Done(2)
        );
        assert!(matches!(
            db.write_decision(&write(1, "{\"n\":4}", "cy"))
                .await
                .expect("stale"),
            Written::Conflict(_)
        ));
        let events = db
            .events(&EventFilter {
                limit: 10,
                ..EventFilter::default()
            })
            .await
            .expect("events");
        let seen: Vec<(&str, i64)> = events
            .iter()
            .map(|e| (e.actor.as_str(), e.version))
            .collect();
        assert_eq!(seen, [("bob", 2), ("ada", 1)]);
        let by_ada = db
            .events(&EventFilter {
                actor: Some("ada".into()),
                limit: 10,
                ..EventFilter::default()
            })
            .await
            .expect("events");
        assert_eq!(by_ada.len(), 1);
        assert_eq!(by_ada[0].distribution, "debian");
        db.close().await;
    }
}

/// A second pool on the database of [`databases`]: its SQLite file in `dir`, or the
/// PostgreSQL database of `test`.
async fn second_pool(dir: Option<&tempfile::TempDir>, test: &str) -> Db {
    let url = match dir {
        Some(dir) => format!("sqlite://{}", dir.path().join("kdelta.db").display()),
        None => {
            let server = std::env::var("KDELTA_TEST_POSTGRES").expect("postgres");
            format!("{}/kdelta_{test}", server.trim_end_matches('/'))
        }
    };
    Db::open(&url).await.expect("second pool")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_claim_each_job_once() {
    // Two pools on one database are two server processes as the database sees them.
    for (db, dir) in databases("claims").await {
        let other = second_pool(dir.as_ref(), "claims").await;
        let mut jobs = 0;
        for n in 0..40 {
            let d = db
                .upsert_distribution(&format!("d{n}"), "{}", 0)
                .await
                .expect("add");
            assert!(db.request_refresh(d, "poll", 0).await.expect("queue"));
            jobs += 1;
        }
        let claim_all = |db: Db, worker: &'static str| {
            tokio::spawn(async move {
                let mut mine = Vec::new();
                while let Some(c) = db.claim_refresh(worker, 1).await.expect("claim") {
                    mine.push(c.job.0);
                }
                mine
            })
        };
        let claimers = [
            claim_all(db.clone(), "a1"),
            claim_all(db.clone(), "a2"),
            claim_all(other.clone(), "b1"),
            claim_all(other.clone(), "b2"),
        ];
        let mut claimed = Vec::new();
        for c in claimers {
            claimed.extend(c.await.expect("claimer"));
        }
        claimed.sort_unstable();
        let before = claimed.len();
        claimed.dedup();
        assert_eq!(before, claimed.len(), "a job was claimed twice");
        assert_eq!(claimed.len(), jobs, "every job was claimed");
        other.close().await;
        db.close().await;
    }
}

#[tokio::test]
async fn a_backup_restores_into_the_other_database() {
    let mut all = databases("backup_from").await;
    let restored = databases("backup_to").await;
    for (db, _dir) in &all {
        let d = db
            .upsert_distribution("debian", "{\"q\":1}", 5)
            .await
            .expect("add");
        let counts = BTreeMap::from([("upstream".to_string(), 1)]);
        let s = db
            .add_snapshot(&NewSnapshot {
                distribution: d,
                taken_at: 6,
                inputs: "q",
                patches: 1,
                counts: &counts,
                report: "{}",
                facts: None,
            })
            .await
            .expect("snapshot");
        db.request_refresh(d, "poll", 7).await.expect("queue");
        let c = db.claim_refresh("w", 8).await.expect("claim").expect("job");
        db.finish_refresh(c.job, Ok(s), Some("q"), 9)
            .await
            .expect("finish");
        let u = db
            .add_user("ada", Some("$argon2id$h"), 1)
            .await
            .expect("user");
        db.grant(u, "*", crate::Role::Admin).await.expect("grant");
        db.add_token(u, "ci", "digest", 2).await.expect("token");
        let w = crate::DecisionWrite {
            distribution: d,
            patch: "a/b.patch",
            based_on: 0,
            state: "{\"notes\":[]}",
            before: "null",
            fingerprint: None,
            what: "notes",
            by: "ada",
            now: 10,
        };
        db.write_decision(&w).await.expect("decision");
    }
    // Each backup restores into every other fresh database (SQLite into PostgreSQL and back).
    let backups: Vec<_> = {
        let mut out = Vec::new();
        for (db, _) in &all {
            out.push(db.export().await.expect("export"));
        }
        out
    };
    for (i, (target, _dir)) in restored.iter().enumerate() {
        let backup = &backups[(i + 1) % backups.len()];
        target.import(backup).await.expect("import");
        assert_eq!(&target.export().await.expect("export again"), backup);
        assert!(
            target.import(backup).await.is_err(),
            "only into an empty database"
        );
        // New rows follow the restored ids.
        let next = target
            .upsert_distribution("fedora", "{}", 11)
            .await
            .expect("add after");
        assert_eq!(next.0, 2);
        target.close().await;
    }
    for (db, _) in all.drain(..) {
        db.close().await;
    }
}

#[tokio::test]
async fn the_stamp_moves_with_every_change_the_pages_show() {
    for (db, _dir) in databases("stamp").await {
        let mut seen = vec![db.stamp().await.expect("stamp")];
        let mut moved = |stamp: crate::Stamp, what: &str| {
            assert!(!seen.contains(&stamp), "{what}: {stamp:?} seen before");
            seen.push(stamp);
        };
        let d = db.upsert_distribution("d", "{}", 1).await.expect("add");
        db.request_refresh(d, "poll", 2).await.expect("queue");
        moved(db.stamp().await.expect("stamp"), "queued");
        let job = db.claim_refresh("w", 3).await.expect("claim").expect("job");
        moved(db.stamp().await.expect("stamp"), "running");
        let counts = BTreeMap::new();
        let snapshot = db
            .add_snapshot(&NewSnapshot {
                distribution: d,
                taken_at: 4,
                inputs: "i",
                patches: 0,
                counts: &counts,
                report: "{}",
                facts: None,
            })
            .await
            .expect("snapshot");
        moved(db.stamp().await.expect("stamp"), "snapshot");
        db.finish_refresh(job.job, Ok(snapshot), Some("i"), 5)
            .await
            .expect("done");
        moved(db.stamp().await.expect("stamp"), "done");
        let write = crate::DecisionWrite {
            distribution: d,
            patch: "p",
            based_on: 0,
            state: "{}",
            before: "null",
            fingerprint: None,
            what: "note",
            by: "ada",
            now: 6,
        };
        db.write_decision(&write).await.expect("write");
        moved(db.stamp().await.expect("stamp"), "decision");
        assert_eq!(db.stamp().await.expect("stamp"), *seen.last().expect("one"));
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn polls_together_queue_one_refresh() {
    for (db, dir) in databases("polls").await {
        let d = db.upsert_distribution("d", "{}", 1).await.expect("add");
        // Eight pollers at once (two pools, as two processes): one job.
        let other = second_pool(dir.as_ref(), "polls").await;
        let mut polls = Vec::new();
        for n in 0..8 {
            let pool = if n % 2 == 0 {
                db.clone()
            } else {
                other.clone()
            };
            polls.push(tokio::spawn(async move {
                pool.request_refresh_if_needed(d, "in1", "poll", 2).await
            }));
        }
        let mut queued = 0;
        for p in polls {
            // A poll that lost the race on SQLite may be refused as busy: it polls again.
            if let Ok(true) = p.await.expect("join") {
                queued += 1;
            }
        }
        assert_eq!(queued, 1);
        // Running, it is not queued again; done on these inputs, neither; on others, yes.
        let job = db.claim_refresh("w", 3).await.expect("claim").expect("job");
        assert!(!db
            .request_refresh_if_needed(d, "in2", "poll", 4)
            .await
            .expect("poll"));
        db.finish_refresh(job.job, Err("broken"), Some("in1"), 5)
            .await
            .expect("failed");
        assert!(!db
            .request_refresh_if_needed(d, "in1", "poll", 6)
            .await
            .expect("poll"));
        assert!(db
            .request_refresh_if_needed(d, "in2", "poll", 7)
            .await
            .expect("poll"));
        other.close().await;
        db.close().await;
    }
}
