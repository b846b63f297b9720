//! `kdelta archive index` and `kdelta archive lookup` end to end, on an mbox written here:
//! the posting of a queue patch is found, its review shown, untrusted subjects escaped,
//! and the exit codes say what happened.

mod support;

use support::kdelta;

const MBOX: &str = "From dev@example.org Mon Jan  1 10:00:00 2024
From: Dev One <dev@example.org>
Subject: [PATCH v3] lockdown: refuse the \x1b[31mred\x1b[0m knob
Date: Mon, 1 Jan 2024 10:00:00 +0000
Message-ID: <knob-v3@example.org>
List-Id: <linux-security-module.vger.kernel.org>

Refuse it when locked down.

Signed-off-by: Dev One <dev@example.org>
---
diff --git a/security/knob.c b/security/knob.c
--- a/security/knob.c
+++ b/security/knob.c
@@ -1,2 +1,3 @@
 static int knob_open(void)
+\tif (security_locked_down(LOCKDOWN_KNOB)) return -EPERM;
 \treturn knob_do_open();

From rev@example.org Tue Jan  2 10:00:00 2024
From: Rev Iewer <rev@example.org>
Subject: Re: [PATCH v3] lockdown: refuse the knob
Date: Tue, 2 Jan 2024 10:00:00 +0000
Message-ID: <review@example.org>
In-Reply-To: <knob-v3@example.org>
References: <knob-v3@example.org>

Reviewed-by: Rev Iewer <rev@example.org>
";

const QUEUE_PATCH: &str = "From: Dev One <dev@example.org>
Subject: lockdown: refuse the knob
Forwarded: no

--- a/security/knob.c
+++ b/security/knob.c
@@ -1,2 +1,3 @@
 static int knob_open(void)
+\tif (security_locked_down(LOCKDOWN_KNOB)) return -EPERM;
 \treturn knob_do_open();
";

#[test]
fn a_queue_patch_finds_its_posting_and_review() {
    let dir = tempfile::tempdir().expect("test fixture");
    let mbox = dir.path().join("lsm.mbox");
    std::fs::write(&mbox, MBOX).expect("test fixture");
    let index = dir.path().join("archive.sqlite");
    let (mbox, index) = (
        mbox.to_str().expect("test fixture"),
        index.to_str().expect("test fixture"),
    );
    let out = kdelta(&["archive", "index", mbox, "--index", index, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outcome: serde_json::Value = serde_json::from_slice(&out.stdout).expect("test fixture");
    assert_eq!(
        (outcome["messages"].as_u64(), outcome["patches"].as_u64()),
        (Some(2), Some(1))
    );

    let patch = dir.path().join("knob.patch");
    std::fs::write(&patch, QUEUE_PATCH).expect("test fixture");
    let patch = patch.to_str().expect("test fixture");
    let out = kdelta(&[
        "archive",
        "lookup",
        "--index",
        index,
        "--patch",
        patch,
        "--archive-url",
        "https://lore.kernel.org/r/%s",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).expect("test fixture");
    assert_eq!(found[0]["match"]["kind"], "patch-id");
    assert_eq!(
        found[0]["url"],
        "https://lore.kernel.org/r/knob-v3@example.org"
    );
    assert_eq!(found[0]["status"]["posting"]["version"], 3);
    assert_eq!(
        found[0]["status"]["reviews"][0]["reviews"][0]["name"],
        "Reviewed-by"
    );

    let out = kdelta(&["archive", "lookup", "--index", index, "--patch", patch]);
    let text = String::from_utf8(out.stdout).expect("test fixture");
    assert!(text.contains("Reviewed-by: Rev Iewer"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "terminal escapes from a subject reach the terminal: {text:?}"
    );
}

#[test]
fn exit_codes_say_nothing_found_and_unreadable_input() {
    let dir = tempfile::tempdir().expect("test fixture");
    let mbox = dir.path().join("lsm.mbox");
    std::fs::write(&mbox, MBOX).expect("test fixture");
    let index = dir.path().join("archive.sqlite");
    let index = index.to_str().expect("test fixture");
    assert!(kdelta(&[
        "archive",
        "index",
        mbox.to_str().expect("test fixture"),
        "--index",
        index,
        "-q"
    ])
    .status
    .success());
    let out = kdelta(&[
        "archive",
        "lookup",
        "--index",
        index,
        "--message-id",
        "<nothing@example.org>",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let missing = dir.path().join("no-such-archive");
    let out = kdelta(&[
        "archive",
        "index",
        missing.to_str().expect("test fixture"),
        "--index",
        index,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-archive"));
    let out = kdelta(&[
        "archive",
        "lookup",
        "--index",
        dir.path()
            .join("none.sqlite")
            .to_str()
            .expect("test fixture"),
        "--subject",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// `kdelta analyze --archive --json` with `SOURCE_DATE_EPOCH` as "now": the verdicts.
fn analyze_at(queue: &str, index: &str, now: &str) -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kdelta"))
        .args(["analyze", queue, "--archive", index, "--json", "-q"])
        .env("SOURCE_DATE_EPOCH", now)
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("run kdelta");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON verdicts")
}

#[test]
fn the_verdict_says_what_the_lists_say() {
    let dir = tempfile::tempdir().expect("test fixture");
    let mbox = dir.path().join("lsm.mbox");
    std::fs::write(&mbox, MBOX).expect("test fixture");
    let index = dir.path().join("archive.sqlite");
    let index = index.to_str().expect("test fixture");
    let indexed = kdelta(&[
        "archive",
        "index",
        mbox.to_str().expect("path"),
        "--index",
        index,
        "-q",
    ]);
    assert!(indexed.status.success());
    let queue = dir.path().join("queue");
    std::fs::create_dir_all(&queue).expect("test fixture");
    std::fs::write(queue.join("knob.patch"), QUEUE_PATCH).expect("test fixture");
    std::fs::write(queue.join("series"), "knob.patch\n").expect("test fixture");
    let queue = queue.to_str().expect("path");

    // A month after the review: in progress, with the posting and its review as evidence.
    let verdicts = analyze_at(queue, index, "1706745600");
    let v = &verdicts[0];
    assert_eq!(v["status"], "in-progress", "{v}");
    assert_eq!(v["posted"]["message_id"], "knob-v3@example.org");
    assert_eq!(v["posted"]["found_by"], "patch-id");
    let why = v["evidence"][0]["detail"].as_str().expect("evidence");
    assert!(
        why.contains("linux-security-module") && why.contains("Reviewed-by: Rev Iewer"),
        "{why}"
    );

    // Two years on, never applied: stalled, someone must take it up again.
    let verdicts = analyze_at(queue, index, "1767225600");
    assert_eq!(verdicts[0]["status"], "needs-work", "{}", verdicts[0]);
    let why = verdicts[0]["evidence"][0]["detail"]
        .as_str()
        .expect("evidence");
    assert!(why.contains("no v4"), "{why}");
}

/// `kdelta eval --posting-labels`: the queue patch's posting is found with the header links
/// hidden (by patch-id); by its lines alone it is not (one changed line is too few).
#[test]
fn eval_measures_finding_postings_against_labels() {
    let dir = tempfile::tempdir().expect("test fixture");
    let mbox = dir.path().join("lsm.mbox");
    std::fs::write(&mbox, MBOX).expect("test fixture");
    let index = dir.path().join("archive.sqlite");
    let index = index.to_str().expect("test fixture");
    let mbox = mbox.to_str().expect("path");
    assert!(kdelta(&["archive", "index", mbox, "--index", index, "-q"])
        .status
        .success());
    let queue = dir.path().join("queue");
    std::fs::create_dir_all(&queue).expect("test fixture");
    let forwarded = QUEUE_PATCH.replace(
        "Forwarded: no",
        "Forwarded: https://lore.kernel.org/r/knob-v3@example.org",
    );
    std::fs::write(queue.join("knob.patch"), forwarded).expect("test fixture");
    std::fs::write(queue.join("series"), "knob.patch\n").expect("test fixture");
    let labels = dir.path().join("labels.tsv");
    std::fs::write(
        &labels,
        "queue\tpatch\tmessage_id\nq\tknob.patch\tknob-v3@example.org\nother\tknob.patch\tx@y\n",
    )
    .expect("test fixture");
    let (queue, labels) = (
        queue.to_str().expect("path"),
        labels.to_str().expect("path"),
    );
    let eval = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "eval",
            queue,
            "--archive",
            index,
            "--posting-labels",
            labels,
            "--label-queue",
            "q",
            "--json",
        ];
        args.extend_from_slice(extra);
        let out = kdelta(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON figures")
    };
    let all = eval(&[]);
    assert_eq!(
        (all["labelled"].as_u64(), all["correct"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(all["precision"].as_f64(), Some(1.0));
    assert!(all["by_kind"]["patch-id"].is_array(), "{all}");
    let lines = eval(&["--lines-only"]);
    assert_eq!(lines["answered"].as_u64(), Some(0), "{lines}");
    assert_eq!(lines["recall"].as_f64(), Some(0.0));
    assert_eq!(lines["misses"][0]["name"], "knob.patch");
}
