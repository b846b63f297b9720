//! The shared demo read back with kdelta's queue reader: every queue reads cleanly in its
//! own layout, and the distributions carry some of the same changes.

use kdelta_demo::{write_shared_demo, SharedDemo};
use kdelta_queue::{read_queue, Filters, LayoutKind, Queue, QueueSpec};
use std::collections::BTreeSet;

fn read(queue: &std::path::Path) -> Queue {
    let spec = QueueSpec::parse(queue.to_str().expect("utf-8 path")).expect("spec");
    read_queue(&spec, &Filters::default()).expect("queue")
}

/// The patch-ids of a queue's patches, by name.
fn patch_ids(queue: &Queue) -> Vec<(String, String)> {
    queue
        .entries
        .iter()
        .map(|e| {
            let patch = e.patch.as_ref().expect("patch file present");
            let id = patch.patch_id().expect("patch has a diff");
            (e.name.clone(), id.to_string())
        })
        .collect()
}

/// Names of `queue`'s patches whose patch-id one of `other`'s patches has.
fn shared_with(queue: &[(String, String)], other: &[(String, String)]) -> BTreeSet<String> {
    let ids: BTreeSet<&str> = other.iter().map(|(_, id)| id.as_str()).collect();
    queue
        .iter()
        .filter(|(_, id)| ids.contains(id.as_str()))
        .map(|(name, _)| name.clone())
        .collect()
}

fn shared_demo() -> (tempfile::TempDir, SharedDemo, Vec<Queue>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let shared = write_shared_demo(dir.path()).expect("shared demo");
    let queues = shared
        .distributions
        .iter()
        .map(|d| read(&d.queue))
        .collect();
    (dir, shared, queues)
}

#[test]
fn every_queue_reads_without_problems_in_its_layout() {
    let (_dir, _shared, queues) = shared_demo();
    let layouts: Vec<LayoutKind> = queues.iter().map(|q| q.layout).collect();
    assert_eq!(
        layouts,
        [
            LayoutKind::SeriesConf,
            LayoutKind::Debian,
            LayoutKind::RpmSpec
        ]
    );
    for queue in &queues {
        let findings: Vec<String> = queue.findings().map(|(_, f)| f).collect();
        assert!(findings.is_empty(), "{}: {findings:#?}", queue.source);
        assert!(queue.entries.len() >= 3, "{}", queue.source);
    }
}

#[test]
fn distributions_carry_the_same_diffs_under_their_own_headers() {
    let (_dir, _shared, queues) = shared_demo();
    let [linux, debian, fedora] = [0, 1, 2].map(|i| patch_ids(&queues[i]));
    let debian_from_linux = shared_with(&debian, &linux);
    assert_eq!(
        debian_from_linux,
        BTreeSet::from([
            "bugfix/all/fix-build-warning.patch".to_string(),
            "features/all/xen-blkfront-allow-discard.patch".to_string(),
            "features/x86/xen/xen-balloon-sysfs.patch".to_string(),
        ])
    );
    // The same change under another header: the same title, another file.
    let copy = |q: &Queue, name: &str| {
        let entry = q.entries.iter().find(|e| e.name == name).expect("patch");
        let title = entry
            .patch
            .as_ref()
            .and_then(|p| p.header.subject.as_ref())
            .map(|s| s.title.clone());
        (title, std::fs::read(&entry.location).expect("patch file"))
    };
    let (suse_title, suse_file) = copy(&queues[0], "patches.suse/xen-blkfront-allow-discard.patch");
    let (debian_title, debian_file) =
        copy(&queues[1], "features/all/xen-blkfront-allow-discard.patch");
    assert!(suse_title.is_some());
    assert_eq!(suse_title, debian_title);
    assert_ne!(suse_file, debian_file);
    // Demo Fedora: two of those three.
    assert_eq!(
        shared_with(&fedora, &linux),
        BTreeSet::from([
            "0001-xen-blkfront-let-the-administrator-turn-discard-off.patch".to_string(),
            "0002-xenbus-fix-a-build-warning-with-newer-compilers.patch".to_string(),
        ])
    );
    assert_eq!(shared_with(&fedora, &debian), shared_with(&fedora, &linux));
    // Each has a patch of its own.
    for (own, others) in [(&debian, [&linux, &fedora]), (&fedora, [&linux, &debian])] {
        let elsewhere: BTreeSet<String> = others.iter().flat_map(|o| shared_with(own, o)).collect();
        assert_eq!(elsewhere.len() + 1, own.len());
    }
}

#[test]
fn the_shared_demo_is_deterministic() {
    let files = |dir: &std::path::Path| {
        let mut out = Vec::new();
        for sub in [
            kdelta_demo::shared::DEBIAN_DIR,
            kdelta_demo::shared::FEDORA_DIR,
        ] {
            let mut stack = vec![dir.join(sub)];
            while let Some(path) = stack.pop() {
                if path.is_dir() {
                    stack.extend(
                        std::fs::read_dir(&path)
                            .expect("dir")
                            .map(|e| e.expect("entry").path()),
                    );
                } else {
                    let rel = path.strip_prefix(dir).expect("under dir").to_path_buf();
                    out.push((rel, std::fs::read(&path).expect("file")));
                }
            }
        }
        out.sort();
        out
    };
    let (a, _, _) = shared_demo();
    let (b, shared, _) = shared_demo();
    assert_eq!(files(a.path()), files(b.path()));
    // Writing again over an earlier shared demo gives the same.
    let again = write_shared_demo(b.path()).expect("again");
    assert_eq!(again, shared);
    assert_eq!(files(a.path()), files(b.path()));
}
