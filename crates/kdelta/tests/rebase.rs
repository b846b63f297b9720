//! `kdelta rebase QUEUE --onto TREE` end to end: a queue of five patches against a tree
//! where one applies as it is, one is upstream already, one needs fuzz (its function moved
//! down the file and its signature changed), one's code changed and one builds on that
//! change; the plan says keep, drop, refresh, conflict and blocked, with why.

mod support;

use std::path::Path;
use support::kdelta;

const NET_C: &str = r#"/* net.c: the network side */
#include <linux/netdevice.h>
static int net_open_device(struct net_device *dev)
{
	int status = net_prepare_queues(dev);
	if (status < 0)
		return status;
	return net_start_transmit(dev);
}

static void net_close_device(struct net_device *dev)
{
	net_stop_transmit(dev);
	net_release_queues(dev);
}

"#;

const IO_C: &str = r#"/* io.c: block io */
/* padding line number 0 keeps offsets */
/* padding line number 1 keeps offsets */
/* padding line number 2 keeps offsets */
/* padding line number 3 keeps offsets */
/* padding line number 4 keeps offsets */
/* padding line number 5 keeps offsets */
/* padding line number 6 keeps offsets */
/* padding line number 7 keeps offsets */
/* padding line number 8 keeps offsets */
/* padding line number 9 keeps offsets */
static int io_submit_request(struct io_req *req)
{
	int queued = io_enqueue_request(req->queue, req);
	io_kick_the_hardware(req->queue);
	return queued;
}

static void io_complete_request(struct io_req *req, int error)
{
	req->error_code = error ? error : IO_SUCCESS_CODE;
	io_wake_up_waiters(req);
}

"#;

const KEEP_PATCH: &str = r#"From: A <a@example.org>
Subject: [PATCH] net: refuse to open a device that is gone

--- a/src/net.c
+++ b/src/net.c
@@ -5,6 +5,8 @@ static int net_open_device(struct net_device *dev)
 	int status = net_prepare_queues(dev);
 	if (status < 0)
 		return status;
+	if (!netif_device_present(dev))
+		return -ENODEV;
 	return net_start_transmit(dev);
 }
 
"#;

const UPSTREAM_PATCH: &str = r#"From: A <a@example.org>
Subject: [PATCH] net: release the queues on close

--- a/src/net.c
+++ b/src/net.c
@@ -12,3 +12,4 @@ static void net_close_device(struct net_device *dev)
 {
 	net_stop_transmit(dev);
+	net_release_queues(dev);
 }
"#;

/// Made when the function was at the top of the file and took a `struct io_request`.
const REFRESH_PATCH: &str = r#"From: A <a@example.org>
Subject: [PATCH] io: kick the hardware asynchronously

--- a/src/io.c
+++ b/src/io.c
@@ -1,7 +1,7 @@
 static int io_submit_request(struct io_request *req)
 {
 	int queued = io_enqueue_request(req->queue, req);
-	io_kick_the_hardware(req->queue);
+	io_kick_the_hardware_async(req->queue);
 	return queued;
 }
 
"#;

const CONFLICT_PATCH: &str = r#"From: A <a@example.org>
Subject: [PATCH] io, net: wake every waiter, poll helper

--- a/src/io.c
+++ b/src/io.c
@@ -9,4 +9,4 @@ static void io_complete_request(struct io_req *req, int error)
 {
-	req->error_code = error;
+	req->error_code = error ? error : -EIO;
 	io_wake_up_waiters(req);
 }
--- a/src/net.c
+++ b/src/net.c
@@ -13,4 +13,10 @@ static void net_close_device(struct net_device *dev)
 	net_stop_transmit(dev);
 	net_release_queues(dev);
 }
+
+static int net_helper_poll(struct net_device *dev)
+{
+	int budget = net_default_poll_budget(dev);
+	return net_poll_queues(dev, budget);
+}
 
"#;

/// Builds on the io.c change of the conflicting patch.
const BLOCKED_PATCH: &str = r#"From: A <a@example.org>
Subject: [PATCH] io: say which error

--- a/src/io.c
+++ b/src/io.c
@@ -8,5 +8,5 @@
 static void io_complete_request(struct io_req *req, int error)
 {
-	req->error_code = error ? error : -EIO;
+	req->error_code = error ? error : -EREMOTEIO;
 	io_wake_up_waiters(req);
 }
"#;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The tree and the queue, in `dir`.
fn fixture(dir: &Path) -> (String, String) {
    write(&dir.join("tree/src/net.c"), NET_C);
    write(&dir.join("tree/src/io.c"), IO_C);
    let queue = dir.join("queue");
    let patches = [
        ("keep.patch", KEEP_PATCH),
        ("upstream.patch", UPSTREAM_PATCH),
        ("refresh.patch", REFRESH_PATCH),
        ("conflict.patch", CONFLICT_PATCH),
        ("blocked.patch", BLOCKED_PATCH),
    ];
    let mut series = String::new();
    for (name, text) in patches {
        write(&queue.join(name), text);
        series.push_str(name);
        series.push('\n');
    }
    write(&queue.join("series"), &series);
    let path = |p: std::path::PathBuf| p.to_str().expect("utf8").to_string();
    (path(queue), path(dir.join("tree")))
}

/// The JSON plan of a `kdelta rebase --json` run that must have succeeded.
fn plan_of(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The last reason of a step.
fn last_why(step: &serde_json::Value) -> Option<&str> {
    step["why"].as_array()?.last()?.as_str()
}

/// The plan's step for patch `name`.
fn step_of<'p>(plan: &'p serde_json::Value, name: &str) -> &'p serde_json::Value {
    plan.as_array()
        .expect("array")
        .iter()
        .find(|s| s["name"] == name)
        .expect("a step")
}

#[test]
fn the_plan_drops_keeps_refreshes_and_explains_conflicts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (queue, tree) = fixture(dir.path());
    let out = kdelta(&["rebase", &queue, "--onto", &tree, "--json", "-q"]);
    let plan = plan_of(&out);
    let actions: Vec<&str> = plan
        .as_array()
        .expect("an array")
        .iter()
        .map(|s| s["action"].as_str().expect("an action"))
        .collect();
    assert_eq!(
        actions,
        [
            "keep",
            "drop-upstream",
            "keep-refreshed",
            "conflict",
            "blocked"
        ],
        "{plan}"
    );
    assert!(
        plan[0]
            .get("why")
            .is_none_or(|w| w == &serde_json::json!([])),
        "{plan}"
    );
    assert_eq!(
        plan[2]["why"][0],
        "src/io.c hunk 1 applies at line 12 with fuzz 1 (offset +11)"
    );
    let conflict = plan[3]["why"][0].as_str().expect("why");
    assert!(
        conflict.starts_with("src/io.c hunk 1: FAILED at line ")
            && conflict.contains("its context changed"),
        "{conflict}"
    );
    assert_eq!(
        plan[3]["why"].as_array().map(Vec::len),
        Some(1),
        "net.c applies"
    );
    assert_eq!(
        plan[4]["why"][0],
        "src/io.c hunk 1: needs lines of conflict.patch, which is conflict"
    );

    // The same plan for people, with the count of each action.
    let out = kdelta(&["rebase", &queue, "--onto", &tree, "-q"]);
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(text.contains("keep-refreshed  refresh.patch"), "{text}");
    assert!(text.contains("     1  blocked"), "{text}");
}

#[test]
fn a_missing_target_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (queue, _) = fixture(dir.path());
    let missing = dir.path().join("no-such-tree");
    let out = kdelta(&[
        "rebase",
        &queue,
        "--onto",
        missing.to_str().expect("utf8"),
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-tree"), "{err}");
    assert!(out.stdout.is_empty());
}

/// Apply the queue at `queue` (a quilt series) to a copy of `tree` with GNU patch at fuzz
/// 0, in order: for each patch, whether it applied, and what patch said.
fn quilt_like_push(queue: &Path, tree: &Path, scratch: &Path) -> Vec<(String, bool, String)> {
    let status = std::process::Command::new("cp")
        .args(["-r"])
        .arg(tree)
        .arg(scratch)
        .status()
        .expect("cp runs");
    assert!(status.success());
    let series = std::fs::read_to_string(queue.join("series")).expect("series");
    let mut out = Vec::new();
    for line in series.lines().filter(|l| !l.trim_start().starts_with('#')) {
        let name = line.split_whitespace().next().unwrap_or_default();
        let patch = std::fs::File::open(queue.join(name)).expect("patch");
        let run = std::process::Command::new("patch")
            .args(["-p1", "-F0", "-f", "--no-backup-if-mismatch", "-r", "-"])
            .stdin(patch)
            .current_dir(scratch)
            .env("LC_ALL", "C")
            .output()
            .expect("patch runs");
        let said = String::from_utf8_lossy(&run.stdout).into_owned();
        out.push((name.to_string(), run.status.success(), said));
        if !run.status.success() {
            break;
        }
    }
    out
}

#[test]
fn the_rebased_queue_applies_exactly_up_to_the_first_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (queue, tree) = fixture(dir.path());
    let new = dir.path().join("rebased");
    let out = kdelta(&[
        "rebase",
        &queue,
        "--onto",
        &tree,
        "-q",
        "-o",
        new.to_str().expect("utf8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("4 patches (1 refreshed, 2 with a note), 1 series lines commented out"),
        "{err}"
    );
    let series = std::fs::read_to_string(new.join("series")).expect("series");
    assert!(
        series.starts_with("keep.patch\n# upstream.patch  # kdelta: drop-upstream: "),
        "{series}"
    );
    assert!(!new.join("upstream.patch").exists());
    for ext in ["html", "md", "mediawiki", "json", "csv"] {
        assert!(new.join(format!("plan.{ext}")).is_file(), "plan.{ext}");
    }
    let plan_csv = std::fs::read_to_string(new.join("plan.csv")).expect("csv");
    assert!(
        plan_csv.contains("2,upstream.patch,drop-upstream,"),
        "{plan_csv}"
    );
    let refreshed = std::fs::read_to_string(new.join("refresh.patch")).expect("refreshed");
    assert!(
        refreshed.starts_with(
            "From: A <a@example.org>\nSubject: [PATCH] io: kick the hardware asynchronously\n"
        ),
        "headers kept: {refreshed}"
    );
    assert!(
        refreshed
            .contains("@@ -12,7 +12,7 @@\n static int io_submit_request(struct io_req *req)\n"),
        "{refreshed}"
    );
    let rej = std::fs::read_to_string(new.join("conflict.patch.rej")).expect("note");
    assert!(
        rej.starts_with("# kdelta rebase: conflict\n# src/io.c hunk 1: FAILED"),
        "{rej}"
    );
    assert!(rej.contains("-\treq->error_code = error;\n"), "{rej}");
    assert_eq!(
        std::fs::read(new.join("conflict.patch")).expect("kept"),
        CONFLICT_PATCH.as_bytes()
    );

    // GNU patch, fuzz 0: the kept and refreshed patches apply exactly, the conflict fails.
    let pushed = quilt_like_push(&new, Path::new(&tree), &dir.path().join("scratch"));
    let names: Vec<(&str, bool)> = pushed.iter().map(|(n, ok, _)| (n.as_str(), *ok)).collect();
    assert_eq!(
        names,
        [
            ("keep.patch", true),
            ("refresh.patch", true),
            ("conflict.patch", false)
        ],
        "{pushed:?}"
    );
    assert!(
        pushed
            .iter()
            .take(2)
            .all(|(_, _, said)| !said.contains("Hunk")),
        "no offset, no fuzz: {pushed:?}"
    );

    // A second run into the same directory is refused, and changes nothing.
    let again = kdelta(&[
        "rebase",
        &queue,
        "--onto",
        &tree,
        "-q",
        "-o",
        new.to_str().expect("utf8"),
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[test]
fn with_the_upstream_history_a_conflict_names_the_commits_that_changed_its_lines() {
    support::require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let (queue, _) = fixture(dir.path());
    let repo = dir.path().join("upstream");
    std::fs::create_dir_all(repo.join("src")).expect("mkdir");
    let git = |args: &[&str]| support::git(&repo, args);
    git(&["init", "-q", "-b", "main"]);
    let old_io = IO_C.replace(
        "req->error_code = error ? error : IO_SUCCESS_CODE;",
        "req->error_code = error;",
    );
    write(&repo.join("src/io.c"), &old_io);
    write(&repo.join("src/net.c"), NET_C);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "the base"]);
    git(&["tag", "v1"]);
    write(&repo.join("src/io.c"), IO_C);
    git(&[
        "commit",
        "-q",
        "-am",
        "io: never leave a request without a code",
    ]);
    let blamed = git(&["rev-parse", "--short=12", "HEAD"]);
    write(
        &repo.join("src/net.c"),
        &format!("{NET_C}/* unrelated */\n"),
    );
    git(&["commit", "-q", "-am", "net: a comment"]);
    git(&["tag", "v2"]);
    let repo_path = repo.to_str().expect("utf8");
    let index = dir.path().join("index");
    let out = kdelta(&[
        "rebase",
        &queue,
        "--upstream",
        repo_path,
        "--index",
        index.to_str().expect("utf8"),
        "--onto",
        "v2",
        "--base",
        "v1",
        "--json",
        "-q",
    ]);
    let plan = plan_of(&out);
    let conflict = step_of(&plan, "conflict.patch");
    assert_eq!(conflict["action"], "conflict", "{plan}");
    let why: Vec<&str> = conflict["why"]
        .as_array()
        .expect("why")
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    assert!(
        why.contains(&format!(
            "src/io.c hunk 1: changed upstream by {} (\"io: never leave a request without a code\")",
            blamed.trim()
        )
        .as_str()),
        "{why:?}"
    );
    assert!(!why.iter().any(|w| w.contains("net: a comment")), "{why:?}");

    // --base without --upstream says what is missing.
    let out = kdelta(&["rebase", &queue, "--onto", "v2", "--base", "v1", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--upstream"));
}

#[test]
fn human_decisions_from_the_annotations_are_carried_into_the_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (queue, tree) = fixture(dir.path());
    let annotations = dir.path().join("annotations.toml");
    std::fs::write(
        &annotations,
        r#"[patches."upstream.patch"]
status = "needs-work"
reason = "upstream's version leaks the queues: keep ours"
verified = { by = "Ada", on = "2026-12-01" }

[patches."conflict.patch"]
owner = "Jan <jan@example.org>"

[patches."keep.patch"]
status = "upstream"
reason = "taken upstream as a different commit"
fingerprint = "patch-id:0123456789abcdef0123456789abcdef01234567"
"#,
    )
    .expect("write");
    let out = kdelta(&[
        "rebase",
        &queue,
        "--onto",
        &tree,
        "--annotations",
        annotations.to_str().expect("utf8"),
        "--json",
        "-q",
    ]);
    let plan = plan_of(&out);
    let step = |name: &str| step_of(&plan, name);
    // Kept by a human: pushed (it is already there, so it conflicts), and said so.
    let kept = step("upstream.patch");
    assert_eq!(kept["action"], "conflict", "{kept}");
    assert!(
        kept["why"][0]
            .as_str()
            .is_some_and(|w| w.starts_with("annotation (line 1) decides needs-work: upstream's version leaks the queues: keep ours; the analysis said upstream")),
        "{kept}"
    );
    assert_eq!(
        last_why(kept),
        Some("annotation checked by Ada on 2026-12-01")
    );
    // An owner takes a conflict.
    let conflict = step("conflict.patch");
    assert_eq!(
        last_why(conflict),
        Some("owner Jan <jan@example.org> takes it")
    );
    // Written for another version of the patch: not applied, and said so.
    let stale = step("keep.patch");
    assert_eq!(stale["action"], "keep", "{stale}");
    assert!(
        stale["why"][0]
            .as_str()
            .is_some_and(|w| w.contains("says upstream, not applied: the patch changed")),
        "{stale}"
    );
}

#[test]
fn the_base_defaults_to_the_tag_of_the_version_the_spec_packages() {
    support::require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("upstream");
    std::fs::create_dir_all(repo.join("src")).expect("mkdir");
    let git = |args: &[&str]| support::git(&repo, args);
    git(&["init", "-q", "-b", "main"]);
    write(
        &repo.join("src/io.c"),
        &IO_C.replace(
            "req->error_code = error ? error : IO_SUCCESS_CODE;",
            "req->error_code = error;",
        ),
    );
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "the base"]);
    git(&["tag", "v1"]);
    write(&repo.join("src/io.c"), IO_C);
    git(&[
        "commit",
        "-q",
        "-am",
        "io: never leave a request without a code",
    ]);
    git(&["tag", "v2"]);
    let rpm = dir.path().join("rpm");
    write(
        &rpm.join("SPECS/io.spec"),
        "Name: io\nVersion: 1\nRelease: 1\nPatch1: conflict.patch\n%prep\n%autosetup -p1\n",
    );
    write(&rpm.join("SOURCES/conflict.patch"), CONFLICT_PATCH);
    let index = dir.path().join("index");
    let out = kdelta(&[
        "rebase",
        rpm.to_str().expect("utf8"),
        "--upstream",
        repo.to_str().expect("utf8"),
        "--index",
        index.to_str().expect("utf8"),
        "--onto",
        "v2",
        "--json",
        "-q",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("the queue is packaged for 1: base v1"),
        "{err}"
    );
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(
        plan.contains("changed upstream by")
            && plan.contains("never leave a request without a code"),
        "{plan}"
    );
}
