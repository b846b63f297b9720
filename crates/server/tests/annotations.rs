//! The team's annotations file and the site's decisions, both ways: a refresh imports what
//! changed in the file (and keeps what the site changed where the file did not), and the
//! export writes the site's decisions into the file's text, comments kept, so that
//! committing it and refreshing changes nothing more. On SQLite, and on PostgreSQL in CI.

mod support;

use kdelta_db::Role;
use support::{config_two, databases, get, post, write_fixture, write_other};

const FILE_START: &str = "# Decided by the team, reviewed in merge requests.\n\
    [patches.\"0002-own.patch\"]\nstatus = \"obsolete\"\nreason = \"written for an old version\"\n\
    fingerprint = \"patch-id:0000000000000000000000000000000000000000\"\n\
    [patches.\"0001-g.patch\"]\nowner = \"Ada <ada@example.org>\"\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_annotations_file_and_the_site_both_ways() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path());
    write_other(dir.path());
    for url in databases(dir.path(), "annotations").await {
        let config = config_two(dir.path());
        let file = dir.path().join("other.toml");
        std::fs::write(&file, FILE_START).expect("file");
        let state = support::refreshed(&url, config).await;
        let db = &state.db;
        let other = db
            .distribution("other")
            .await
            .expect("db")
            .expect("other")
            .id;
        let decision = |state: &kdelta_server::state::AppState| {
            let db = state.db.clone();
            async move {
                let s = db
                    .decision(other, "0001-g.patch")
                    .await
                    .expect("db")
                    .expect("one");
                let json: serde_json::Value = serde_json::from_str(&s.state).expect("json");
                (s.version, json)
            }
        };

        // Imported at the first refresh, as an event by the file.
        let (version, d) = decision(&state).await;
        assert_eq!(d["owner"], "Ada <ada@example.org>");
        let filter = kdelta_db::EventFilter {
            limit: 10,
            ..Default::default()
        };
        let events = db.events(&filter).await.expect("events");
        // A stale annotation makes a stale decision: flagged, its status not applied.
        let stale = db
            .decision(other, "0002-own.patch")
            .await
            .expect("db")
            .expect("one");
        assert_eq!(
            stale.fingerprint.as_deref(),
            Some("patch-id:0000000000000000000000000000000000000000")
        );
        let current = kdelta_server::current::current(&state, other)
            .await
            .expect("current")
            .expect("a report");
        let own = current.report.patch("0002-own.patch").expect("patch");
        assert_ne!(own.status, kdelta_analysis::Status::Obsolete);
        assert!(own.stale.is_some());
        assert_eq!(events[0].actor, "annotations file");

        // The site changes the owner; the file then adds a note but keeps its owner.
        let token = support::user(db, "bob", Role::Member, &["other"]).await;
        let running = support::listen(&state).await;
        let addr = running.addr;
        let body = format!(r#"{{"version": {version}, "text": "Bob <bob@example.org>"}}"#);
        let auth = format!("Bearer {token}");
        let answer = tokio::task::spawn_blocking(move || {
            post(
                addr,
                "/api/v1/distributions/other/patches/0001-g.patch/owner",
                &[("Authorization", &auth)],
                &body,
            )
        })
        .await
        .expect("post");
        assert_eq!(answer.status, 200, "{}", answer.body);
        std::fs::write(
            &file,
            format!("{FILE_START}notes = [\"posted to the list\"]\n"),
        )
        .expect("file");
        kdelta_server::worker::cycle(&state).await.expect("refresh");
        let (_, d) = decision(&state).await;
        assert_eq!(
            d["owner"], "Bob <bob@example.org>",
            "the site's change stays"
        );
        assert_eq!(d["notes"][0]["text"], "posted to the list");
        // The report shows the note once: as the file has it, not again as imported.
        let report =
            tokio::task::spawn_blocking(move || get(addr, "/api/v1/distributions/other", &[]).body)
                .await
                .expect("get");
        let report: serde_json::Value = serde_json::from_str(&report).expect("json");
        let patch = report["patches"]
            .as_array()
            .expect("patches")
            .iter()
            .find(|p| p["name"] == "0001-g.patch")
            .expect("patch");
        let notes = patch["notes"].as_array().expect("notes");
        let times = notes
            .iter()
            .filter(|n| n.as_str().is_some_and(|n| n.contains("posted to the list")))
            .count();
        assert_eq!(times, 1, "{notes:?}");

        // Each person's changes show on the people page.
        let people = tokio::task::spawn_blocking(move || get(addr, "/people", &[]).body)
            .await
            .expect("get");
        for who in [
            "<h3>bob <a href=\"/events.atom?person=bob\">",
            "<h3>annotations file ",
        ] {
            assert!(people.contains(who), "{who}: {people}");
        }

        // The file changes the owner: the file's word wins.
        std::fs::write(
            &file,
            FILE_START.replace("Ada <ada@example.org>", "Cy <cy@example.org>")
                + "notes = [\"posted to the list\"]\n",
        )
        .expect("file");
        kdelta_server::worker::cycle(&state).await.expect("refresh");
        let (version, d) = decision(&state).await;
        assert_eq!(d["owner"], "Cy <cy@example.org>");
        assert_eq!(d["notes"].as_array().expect("notes").len(), 1);

        // The export: the file, comments kept, with the site's decisions.
        let exported = tokio::task::spawn_blocking(move || {
            get(addr, "/api/v1/distributions/other/annotations.toml", &[])
        })
        .await
        .expect("get");
        assert_eq!(exported.status, 200);
        assert_eq!(
            exported.header("content-type"),
            Some("application/toml; charset=utf-8")
        );
        let text = exported.body;
        assert!(text.starts_with("# Decided by the team"), "{text}");
        assert!(text.contains("owner = \"Cy <cy@example.org>\""), "{text}");
        assert!(text.contains("fingerprint = \"patch-id:"), "{text}");
        let parsed = kdelta_annotations::Annotations::parse(&text, "export").expect("valid");
        assert_eq!(parsed.patches["0001-g.patch"].notes, ["posted to the list"]);

        // Committed and refreshed: nothing changes.
        std::fs::write(&file, &text).expect("file");
        kdelta_server::worker::cycle(&state).await.expect("refresh");
        assert_eq!(decision(&state).await.0, version);
        running.stop().await.expect("stop");
    }
}
