//! End-to-end tests of `kdelta analyze` and `kdelta eval`: an upstream repository and a
//! queue, both built at test time, with one patch of each kind a kernel team meets.

mod support;

use std::path::Path;
use support::{git, kdelta, require_git};

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn commit_all(dir: &Path, message: &str) -> String {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
    git(dir, &["rev-parse", "HEAD"]).trim().to_string()
}

/// The diff of `commit` against its parent, as `git format-patch` body text.
fn diff_of(dir: &Path, commit: &str) -> String {
    git(
        dir,
        &["diff", "--no-renames", &format!("{commit}~1"), commit],
    )
}

const BLK_V1: &str = "#include <linux/module.h>\n#include \"blk.h\"\n\nstatic int blk_queue_depth = 32;\n\nstatic int blk_submit(struct blk_request *req)\n{\n\tint slot = req->slot;\n\tblk_ring[slot] = req;\n\treturn blk_kick(slot);\n}\n\nstatic int __init blk_init(void)\n{\n\tpr_info(\"blk: ready, depth %d\\n\", blk_queue_depth);\n\treturn blk_register();\n}\n\nstatic void __exit blk_exit(void)\n{\n\tblk_unregister();\n}\n\nmodule_init(blk_init);\nmodule_exit(blk_exit);\n";

struct Upstream {
    fix: String,
    persistent: String,
}

/// Upstream: a block driver and an old network driver (v1.0); a fix, persistent grants
/// and a rework of the submit path, and the old driver's removal (v1.1).
fn upstream(repo: &Path) -> Upstream {
    git(repo, &["init", "-q", "-b", "master"]);
    write(repo, "drivers/block/blk.c", BLK_V1);
    write(
        repo,
        "drivers/block/Kconfig",
        "config BLK_DRV\n\ttristate \"blk\"\n",
    );
    write(
        repo,
        "drivers/net/old.c",
        "static int old_net_probe(void)\n{\n\treturn old_net_reset(0);\n}\n",
    );
    commit_all(repo, "drivers: add the blk and old_net drivers");
    git(repo, &["tag", "v1.0"]);
    let fixed = BLK_V1.replace(
        "\tint slot = req->slot;\n",
        "\tint slot = req->slot;\n\tif (slot >= BLK_RING_SIZE)\n\t\treturn -EINVAL;\n",
    );
    write(repo, "drivers/block/blk.c", &fixed);
    let fix = commit_all(repo, "blk: fix a ring overflow in blk_submit");
    let persistent_code = "\n#define BLK_FEATURE_PERSISTENT \"feature-persistent\"\nstatic unsigned int max_persistent_grants = 1056;\nmodule_param(max_persistent_grants, uint, 0644);\n\nstatic int blk_persistent_map(struct blk_request *req)\n{\n\treturn xenbus_printf(req->xbt, BLK_FEATURE_PERSISTENT, \"%u\", 1);\n}\n";
    write(repo, "drivers/block/blk_persistent.c", persistent_code);
    let persistent = commit_all(repo, "blk: add persistent grants");
    let reworked = fixed.replace(
        "\tblk_ring[slot] = req;\n\treturn blk_kick(slot);\n",
        "\tblk_ring_store(slot, req);\n\tblk_stats_account(req);\n\treturn blk_kick_batch(slot, 1);\n",
    );
    write(repo, "drivers/block/blk.c", &reworked);
    commit_all(repo, "blk: rework the submit path");
    git(repo, &["rm", "-q", "drivers/net/old.c"]);
    commit_all(repo, "net: remove the old_net driver");
    git(repo, &["tag", "v1.1"]);
    Upstream { fix, persistent }
}

/// A quilt queue with one patch of each kind.
fn queue(dir: &Path, repo: &Path, up: &Upstream) {
    let mut series = String::new();
    let mut add = |name: &str, text: String| {
        write(dir, name, &text);
        series.push_str(name);
        series.push('\n');
    };
    // The upstream fix, carried as is: same patch-id.
    add(
        "fix-overflow.patch",
        format!(
            "Subject: blk: fix ring overflow\n\n{}",
            diff_of(repo, &up.fix)
        ),
    );
    // A header names the upstream commit; its Patch-mainline release is wrong.
    add(
        "named.patch",
        format!(
            "Subject: persistent grants\nPatch-mainline: v1.0\nGit-commit: {}\n\n{}",
            up.persistent,
            diff_of(repo, &up.persistent)
        ),
    );
    // The rework, backported onto older code: same subject, different lines.
    add(
        "rework-backport.patch",
        "Subject: [PATCH] blk: rework the submit path\n\n--- a/drivers/block/blk.c\n+++ b/drivers/block/blk.c\n@@ -8,5 +8,5 @@ static int blk_submit(struct blk_request *req)\n \tint slot = req->slot;\n-\tblk_ring[slot] = req;\n-\treturn blk_kick(slot);\n+\tblk_ring_store(slot, req);\n+\treturn blk_kick_batch(slot, 0);\n }\n \n".into(),
    );
    // Distribution policy, never meant for upstream.
    add(
        "debian-depth.patch",
        "Description: raise the default queue depth\nForwarded: not-needed\n\n--- a/drivers/block/blk.c\n+++ b/drivers/block/blk.c\n@@ -1,6 +1,6 @@\n #include <linux/module.h>\n #include \"blk.h\"\n \n-static int blk_queue_depth = 32;\n+static int blk_queue_depth = 64;\n \n static int blk_submit(struct blk_request *req)\n".into(),
    );
    // Nothing like it upstream, and it still applies.
    add(
        "exit-message.patch",
        "Subject: blk: say goodbye on exit\n\n--- a/drivers/block/blk.c\n+++ b/drivers/block/blk.c\n@@ -22,6 +22,7 @@ static int __init blk_init(void)\n \n static void __exit blk_exit(void)\n {\n+\tpr_info(\"blk: unloading the driver now\\n\");\n \tblk_unregister();\n }\n \n".into(),
    );
    // Posted upstream, not merged.
    add(
        "posted.patch",
        "Subject: blk: tune the init message\nPatch-mainline: Submitted, https://lore.kernel.org/r/1\n\n--- a/drivers/block/blk.c\n+++ b/drivers/block/blk.c\n@@ -15,3 +15,3 @@ static int __init blk_init(void)\n {\n-\tpr_info(\"blk: ready, depth %d\\n\", blk_queue_depth);\n+\tpr_info(\"blk: ready with queue depth %d\\n\", blk_queue_depth);\n \treturn blk_register();\n".into(),
    );
    // Its file is gone upstream.
    add(
        "old-net-reset.patch",
        "Subject: old_net: reset twice\n\n--- a/drivers/net/old.c\n+++ b/drivers/net/old.c\n@@ -1,4 +1,5 @@\n static int old_net_probe(void)\n {\n+\told_net_reset(1);\n \treturn old_net_reset(0);\n }\n".into(),
    );
    // A classic downstream implementation of what upstream gained its own way.
    add(
        "classic-persistent.patch",
        "Subject: blkback: persistent grants, classic style\n\n--- /dev/null\n+++ b/drivers/xen/blkback/persistent.c\n@@ -0,0 +1,9 @@\n+#define BLK_FEATURE_PERSISTENT \"feature-persistent\"\n+static int max_persistent_grants = 256;\n+module_param(max_persistent_grants, int, 0444);\n+\n+static int blk_persistent_map(struct blkif *blkif)\n+{\n+\tblkif->persistent = 1;\n+\treturn xenbus_write(blkif->xbt, BLK_FEATURE_PERSISTENT, \"1\");\n+}\n".into(),
    );
    // Packaging only.
    add(
        "packaging.patch",
        "Subject: build with the distribution's flags\n\n--- a/debian/rules\n+++ b/debian/rules\n@@ -1,2 +1,2 @@\n #!/usr/bin/make -f\n-CFLAGS = -O2\n+CFLAGS = -O2 -g\n".into(),
    );
    write(dir, "series", &series);
}

/// The upstream repository and the queue, in a temporary directory.
struct Fixture {
    dir: tempfile::TempDir,
    repo: std::path::PathBuf,
    up: Upstream,
    queue: std::path::PathBuf,
}

/// A fresh fixture; `None` when git is not installed.
fn fixture() -> Option<Fixture> {
    require_git();
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("up");
    std::fs::create_dir_all(&repo).expect("mkdir");
    let up = upstream(&repo);
    let q = dir.path().join("queue");
    queue(&q, &repo, &up);
    Some(Fixture {
        dir,
        repo,
        up,
        queue: q,
    })
}

/// The upstream tree at v1.1 as a release tarball in `dir`, without history.
fn release_tarball(dir: &Path, repo: &Path) -> std::path::PathBuf {
    let tarball = dir.join("up-1.1.tar.gz");
    git(
        repo,
        &[
            "archive",
            "--format=tar.gz",
            "--prefix=up-1.1/",
            "-o",
            tarball.to_str().expect("utf8"),
            "v1.1",
        ],
    );
    tarball
}

/// `kdelta COMMAND QUEUE --upstream REPO --index INDEX --json`, which must succeed.
fn run_json(command: &str, q: &Path, repo: &Path, index: &Path) -> serde_json::Value {
    let out = kdelta(&[
        command,
        q.to_str().expect("utf8"),
        "--upstream",
        repo.to_str().expect("utf8"),
        "--index",
        index.to_str().expect("utf8"),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn by_name(verdicts: &serde_json::Value, name: &str) -> serde_json::Value {
    verdicts
        .as_array()
        .expect("array")
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no verdict for {name}: {verdicts}"))
        .clone()
}

fn evidence_kinds(v: &serde_json::Value) -> Vec<String> {
    v["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind").to_string())
        .collect()
}

#[test]
fn every_kind_of_patch_gets_its_status_with_evidence() {
    let Some(Fixture {
        dir,
        repo,
        up,
        queue: q,
    }) = fixture()
    else {
        eprintln!("skipping: git not installed");
        return;
    };
    let index = dir.path().join("idx.sqlite");
    let verdicts = run_json("analyze", &q, &repo, &index);
    let names: Vec<&str> = verdicts
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names[0], "fix-overflow.patch", "queue order is kept");

    let fix = by_name(&verdicts, "fix-overflow.patch");
    assert_eq!(fix["status"], "upstream");
    assert_eq!(fix["commit"], up.fix.as_str());
    assert_eq!(fix["release"], "v1.1");
    assert_eq!(evidence_kinds(&fix)[0], "patch-id");

    let named = by_name(&verdicts, "named.patch");
    assert_eq!(named["status"], "upstream");
    assert_eq!(named["commit"], up.persistent.as_str());
    let claims = named["claims"].as_array().expect("claims");
    let check = |header: &str| {
        claims
            .iter()
            .find(|c| c["header"] == header)
            .unwrap_or_else(|| panic!("no {header} claim: {claims:?}"))["check"]
            .clone()
    };
    assert_eq!(check("Git-commit"), "holds");
    assert_eq!(
        check("Patch-mainline"),
        "contradicted",
        "the commit is first in v1.1"
    );

    let rework = by_name(&verdicts, "rework-backport.patch");
    assert_eq!(rework["status"], "upstream", "{rework}");
    assert_eq!(evidence_kinds(&rework)[0], "subject");

    let depth = by_name(&verdicts, "debian-depth.patch");
    assert_eq!(depth["status"], "downstream-only", "{depth}");

    let exit = by_name(&verdicts, "exit-message.patch");
    assert_eq!(exit["status"], "needs-work", "{exit}");
    assert!(
        evidence_kinds(&exit).contains(&"tree-applies".to_string()),
        "{exit}"
    );

    let packaging = by_name(&verdicts, "packaging.patch");
    assert_eq!(packaging["status"], "downstream-only", "{packaging}");
    assert_eq!(evidence_kinds(&packaging)[0], "packaging-only");

    let posted = by_name(&verdicts, "posted.patch");
    assert_eq!(posted["status"], "in-progress", "{posted}");

    let old = by_name(&verdicts, "old-net-reset.patch");
    assert_eq!(old["status"], "obsolete", "{old}");
    assert_eq!(evidence_kinds(&old)[0], "files-gone");

    let classic = by_name(&verdicts, "classic-persistent.patch");
    assert_eq!(classic["status"], "replacement-likely", "{classic}");
    let why = classic["evidence"][0]["detail"].as_str().expect("detail");
    assert!(why.contains("max_persistent_grants"), "{why}");
    assert!(why.contains("drivers/block/blk_persistent.c"), "{why}");
    // The history names the commit that brought the same names in, and its release.
    let brought = classic["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .find(|e| e["kind"] == "similar-commits")
        .unwrap_or_else(|| panic!("no commit named: {classic}"));
    let detail = brought["detail"].as_str().expect("detail");
    assert!(detail.contains(&up.persistent[..12]), "{detail}");
    assert!(detail.contains("first in v1.1"), "{detail}");
    assert!(detail.contains("names the patch provides"), "{detail}");
    assert_eq!(brought["for"], "replaced", "{brought}");
    assert_eq!(
        classic["commit"],
        up.persistent.as_str(),
        "the likely replacement"
    );
    assert_eq!(classic["release"], "v1.1");

    // The readable table says the same.
    let table = kdelta(&[
        "analyze",
        q.to_str().expect("utf8"),
        "--upstream",
        repo.to_str().expect("utf8"),
        "--index",
        index.to_str().expect("utf8"),
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("fix-overflow.patch") && text.contains("replacement-likely"),
        "{text}"
    );
}

#[test]
fn eval_recovers_the_named_commit_with_headers_hidden() {
    let Some(Fixture {
        dir,
        repo,
        up: _,
        queue: q,
    }) = fixture()
    else {
        eprintln!("skipping: git not installed");
        return;
    };
    let index = dir.path().join("idx.sqlite");
    let report = run_json("eval", &q, &repo, &index);
    assert_eq!(report["patches"], 9);
    assert_eq!(report["cases"], 1, "only named.patch names a commit");
    assert_eq!(report["correct"], 1);
    assert_eq!(report["precision"], 1.0);
    assert_eq!(report["found_by"]["patch-id"], 1);
    let described = &report["described"];
    assert_eq!(described["cases"], 1, "{described}");
    assert_eq!(described["first"], 1, "{described}");
    assert_eq!(described["first_diff_only"], 1, "{described}");
}

#[test]
fn a_tree_alone_judges_by_content() {
    let Some(Fixture {
        dir,
        repo,
        up: _,
        queue: q,
    }) = fixture()
    else {
        eprintln!("skipping: git not installed");
        return;
    };
    let tarball = release_tarball(dir.path(), &repo);
    let out = kdelta(&[
        "analyze",
        q.to_str().expect("utf8"),
        "--tree",
        tarball.to_str().expect("utf8"),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let fix = by_name(&verdicts, "fix-overflow.patch");
    assert_eq!(fix["status"], "upstream");
    // Its context changed between the patch and v1.1: present in an evolved form.
    assert_eq!(evidence_kinds(&fix)[0], "tree-evolved", "{fix}");
    assert_eq!(fix["hypothesis"], "upstream-evolved", "{fix}");
    assert_eq!(fix["hunks"][0]["fate"], "present-changed", "{fix}");
    assert!(fix["commit"].is_null(), "no history, no commit");
    assert_eq!(
        by_name(&verdicts, "exit-message.patch")["status"],
        "needs-work"
    );
    assert_eq!(
        by_name(&verdicts, "old-net-reset.patch")["status"],
        "obsolete"
    );
}

#[test]
fn a_tree_sharing_no_file_with_the_queue_is_refused() {
    let Some(Fixture { dir, queue: q, .. }) = fixture() else {
        eprintln!("skipping: git not installed");
        return;
    };
    let wrong = dir.path().join("wrong-tree");
    write(&wrong, "README", "another project altogether\n");
    write(&wrong, "src/main.c", "int main(void) { return 0; }\n");
    let out = kdelta(&[
        "analyze",
        q.to_str().expect("utf8"),
        "--tree",
        wrong.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("wrong-tree") && err.contains("none of the"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no verdicts for a wrong tree");
    let empty = dir.path().join("empty-tree");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let out = kdelta(&[
        "analyze",
        q.to_str().expect("utf8"),
        "--tree",
        empty.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no files"));
}

#[test]
fn the_tree_index_is_kept_beside_the_index_and_read_back() {
    let Some(Fixture {
        dir,
        repo,
        queue: q,
        ..
    }) = fixture()
    else {
        eprintln!("skipping: git not installed");
        return;
    };
    let tarball = release_tarball(dir.path(), &repo);
    let index = dir.path().join("idx").join("history.sqlite");
    let run = || {
        let out = kdelta(&[
            "analyze",
            q.to_str().expect("utf8"),
            "--tree",
            tarball.to_str().expect("utf8"),
            "--index",
            index.to_str().expect("utf8"),
            "--json",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let first = run();
    let cache = dir.path().join("idx").join("kdelta-trees");
    let kept: Vec<String> = std::fs::read_dir(&cache)
        .expect("the cache directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        kept.iter()
            .any(|n| n.starts_with("tar-") && n.ends_with(".kdt")),
        "{kept:?}"
    );
    assert!(kept.iter().any(|n| n.ends_with(".store")), "{kept:?}");
    assert!(kept.iter().any(|n| n.ends_with(".facts")), "{kept:?}");
    assert_eq!(
        run(),
        first,
        "the cached index and facts give the same verdicts"
    );
    for entry in std::fs::read_dir(&cache).expect("cache") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "facts") {
            std::fs::write(&path, "{not json\n").expect("damage");
        }
    }
    assert_eq!(run(), first, "a damaged facts file is ignored");
    // Without the cache the answer is the same too.
    let out = kdelta(&[
        "analyze",
        q.to_str().expect("utf8"),
        "--tree",
        tarball.to_str().expect("utf8"),
        "--no-tree-cache",
        "--json",
    ]);
    assert_eq!(out.stdout, first);
}

#[test]
fn eval_against_a_tree_counts_the_droppable_and_the_still_carried() {
    let Some(Fixture {
        dir,
        repo,
        queue: q,
        ..
    }) = fixture()
    else {
        eprintln!("skipping: git not installed");
        return;
    };
    let tree = dir.path().join("up-1.1");
    std::fs::create_dir_all(&tree).expect("mkdir");
    git(
        &repo,
        &[
            "worktree",
            "add",
            "-q",
            tree.to_str().expect("utf8"),
            "v1.1",
        ],
    );
    // The later release of the queue still carries two patches.
    let later = dir.path().join("later");
    for name in ["exit-message.patch", "debian-depth.patch"] {
        let text = std::fs::read_to_string(q.join(name)).expect("patch");
        write(&later, name, &text);
    }
    write(&later, "series", "exit-message.patch\ndebian-depth.patch\n");
    let out = kdelta(&[
        "eval",
        q.to_str().expect("utf8"),
        "--tree",
        tree.to_str().expect("utf8"),
        "--later",
        later.to_str().expect("utf8"),
        "--release",
        "1.1",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["patches"], 9);
    assert_eq!(report["release"], "1.1");
    assert_eq!(report["carried"], 2, "{report}");
    assert_eq!(report["carried_called_droppable"], 0, "{report}");
    assert_eq!(
        report["recorded"][0], 1,
        "named.patch records its commit: {report}"
    );
    assert_eq!(report["droppable"], 7, "{report}");
    let case = |name: &str| {
        report["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no case {name}"))
            .clone()
    };
    assert_eq!(case("named.patch")["label"], "recorded");
    assert_eq!(
        case("named.patch")["status"],
        "upstream",
        "found with its headers hidden"
    );
    assert_eq!(case("exit-message.patch")["status"], "needs-work");
    let text = kdelta(&[
        "eval",
        q.to_str().expect("utf8"),
        "--tree",
        tree.to_str().expect("utf8"),
        "--later",
        later.to_str().expect("utf8"),
    ]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("droppable recall")
            && text.contains("still carried, called droppable: 0 of 2"),
        "{text}"
    );
}
