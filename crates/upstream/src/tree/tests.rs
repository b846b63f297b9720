//! The four sources (directory, .tar.gz, .tar.xz, git) must scan the same small tree
//! identically; broken inputs must give errors that name them.

use super::*;
use std::io::Write;
use std::process::Command;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The regular files of the test tree (a symlink `link` → `Makefile` is added too).
const FILES: &[(&str, &[u8])] = &[
    ("Makefile", b"obj-y += xen-blkback/\n"),
    ("bin/blob.bin", b"\0xen_blkif\0XEN_FOO\0"),
    (
        "drivers/block/xen-blkback/common.h",
        b"struct xen_blkif {\n\tint refcnt;\n};\n",
    ),
    (
        "drivers/block/xen-blkback/xenbus.c",
        b"void xen_blkif_get(void) { xen_blkif_get(); }\n",
    ),
    (
        "include/xen/interface.h",
        b"#define XEN_FOO 1 /* XEN_FOO */\n",
    ),
];

fn needles() -> Vec<Needle> {
    vec![
        Needle::word("xen_blkif"),
        Needle::substring("xen_blkif"),
        Needle::word("XEN_FOO"),
        Needle::substring("obj-y"),
        Needle::word("nothing_here"),
        Needle::word("int"),
        Needle::substring("blkif_get"),
        Needle::word("xen"),
    ]
}

fn request() -> ScanRequest {
    ScanRequest {
        wanted: Box::new(|p| p.ends_with(".h")),
        needles: needles(),
    }
}

fn expected_hits() -> Vec<Vec<String>> {
    let common = "drivers/block/xen-blkback/common.h";
    let xenbus = "drivers/block/xen-blkback/xenbus.c";
    let hits: [&[&str]; 8] = [
        &[common],
        &[common, xenbus],
        &["include/xen/interface.h"],
        &["Makefile"],
        &[],
        &[common],
        &[xenbus],
        // `xen-blkback`: `-` is a boundary.
        &["Makefile"],
    ];
    hits.iter()
        .map(|h| h.iter().map(|s| s.to_string()).collect())
        .collect()
}

fn write_tree(root: &Path) -> TestResult {
    for (path, bytes) in FILES {
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, bytes)?;
    }
    std::os::unix::fs::symlink("Makefile", root.join("link"))?;
    Ok(())
}

/// A tar of the test tree below `top/`, each path prefixed with `prefix`.
fn tar_bytes(top: &str, prefix: &str) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut dir = tar::Header::new_gnu();
    dir.set_entry_type(tar::EntryType::Directory);
    dir.set_mode(0o755);
    dir.set_size(0);
    builder.append_data(&mut dir, format!("{prefix}{top}/"), std::io::empty())?;
    for (path, bytes) in FILES {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        header.set_size(bytes.len() as u64);
        builder.append_data(&mut header, format!("{prefix}{top}/{path}"), *bytes)?;
    }
    let mut link = tar::Header::new_gnu();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    builder.append_link(&mut link, format!("{prefix}{top}/link"), "Makefile")?;
    Ok(builder.into_inner()?)
}

fn write_tar_gz(path: &Path) -> TestResult {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar_bytes("linux-1.0", "./")?)?;
    std::fs::write(path, gz.finish()?)?;
    Ok(())
}

fn xz_bytes(tar: &[u8]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut xz = xz2::write::XzEncoder::new(Vec::new(), 6);
    xz.write_all(tar)?;
    Ok(xz.finish()?)
}

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(dir: &Path, args: &[&str]) -> TestResult {
    let status = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .status()?;
    if !status.success() {
        return Err(format!("git {args:?} failed").into());
    }
    Ok(())
}

fn check(scan: &TreeScan, what: &str) {
    let paths: Vec<&str> = FILES.iter().map(|(p, _)| *p).chain(["link"]).collect();
    assert_eq!(scan.paths, paths, "{what}: paths");
    let mut files: Vec<(&str, &[u8])> = scan
        .files
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_slice()))
        .collect();
    files.sort();
    let wanted: Vec<(&str, &[u8])> = FILES
        .iter()
        .filter(|(p, _)| p.ends_with(".h"))
        .copied()
        .collect();
    assert_eq!(files, wanted, "{what}: files");
    assert_eq!(scan.hits, expected_hits(), "{what}: hits");
    let counts: Vec<usize> = expected_hits().iter().map(Vec::len).collect();
    assert_eq!(scan.hit_counts, counts, "{what}: counts");
}

#[test]
fn tree_sources_agree() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let root = tmp.path().join("tree");
    write_tree(&root)?;
    let gz = tmp.path().join("linux_1.0.orig.tar.gz");
    write_tar_gz(&gz)?;
    let xz = tmp.path().join("linux_1.0.orig.tar.xz");
    std::fs::write(&xz, xz_bytes(&tar_bytes("linux-1.0", "")?)?)?;

    let mut sources = vec![
        TreeSource::detect(&root)?,
        TreeSource::detect(&gz)?,
        TreeSource::detect(&xz)?,
    ];
    assert_eq!(sources[0], TreeSource::Dir(root.clone()));
    assert_eq!(sources[2], TreeSource::Tarball(xz.clone()));
    if git_available() {
        git(&root, &["init", "-q"])?;
        git(&root, &["add", "-A"])?;
        git(&root, &["commit", "-q", "-m", "tree"])?;
        sources.push(TreeSource::Git {
            repo: root.clone(),
            rev: "HEAD".into(),
        });
    }
    for source in &sources {
        let scan = scan(source, &request())?;
        check(&scan, &source.describe());
    }
    Ok(())
}

#[test]
fn tree_truncated_xz_names_the_file() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let xz = tmp.path().join("broken.tar.xz");
    let bytes = xz_bytes(&tar_bytes("linux-1.0", "")?)?;
    std::fs::write(&xz, &bytes[..bytes.len() / 2])?;
    let err = scan(&TreeSource::Tarball(xz.clone()), &request())
        .err()
        .ok_or("a truncated tarball was accepted")?;
    assert!(matches!(err, TreeError::Archive { .. }), "{err:?}");
    assert!(err.to_string().contains("broken.tar.xz"), "{err}");

    // Cut just before the end: all entries are readable, the xz stream is not complete.
    std::fs::write(&xz, &bytes[..bytes.len() - 4])?;
    let err = scan(&TreeSource::Tarball(xz.clone()), &request()).err();
    assert!(err.is_some_and(|e| e.to_string().contains("broken.tar.xz")));
    Ok(())
}

#[test]
fn tree_truncated_gz_and_tar_name_the_entry() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let gz = tmp.path().join("broken.tgz");
    write_tar_gz(&gz)?;
    let bytes = std::fs::read(&gz)?;
    std::fs::write(&gz, &bytes[..bytes.len() - 10])?;
    let err = scan(&TreeSource::Tarball(gz), &request()).err();
    assert!(err.is_some_and(|e| e.to_string().contains("broken.tgz")));

    // A plain tar cut inside an entry's data.
    let body = vec![b'x'; 4000];
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_mode(0o644);
    header.set_size(body.len() as u64);
    builder.append_data(&mut header, "top/big.c", body.as_slice())?;
    let tar = tmp.path().join("cut.tar");
    std::fs::write(&tar, &builder.into_inner()?[..2048])?;
    let err = scan(&TreeSource::Tarball(tar), &request())
        .err()
        .ok_or("a cut tar was accepted")?;
    let message = err.to_string();
    assert!(
        message.contains("cut.tar") && message.contains("top/big.c"),
        "{message}"
    );
    Ok(())
}

#[test]
fn tree_unknown_revision_errors() -> TestResult {
    if !git_available() {
        return Ok(());
    }
    let tmp = tempfile::tempdir()?;
    write_tree(tmp.path())?;
    git(tmp.path(), &["init", "-q"])?;
    git(tmp.path(), &["add", "-A"])?;
    git(tmp.path(), &["commit", "-q", "-m", "tree"])?;
    let source = TreeSource::Git {
        repo: tmp.path().into(),
        rev: "no-such-branch".into(),
    };
    let err = scan(&source, &request())
        .err()
        .ok_or("an unknown revision was accepted")?;
    assert!(matches!(err, TreeError::Revision { .. }), "{err:?}");
    assert!(err.to_string().contains("no-such-branch"), "{err}");
    Ok(())
}

#[test]
fn tree_detect_rejects_other_files() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let zip = tmp.path().join("linux.zip");
    std::fs::write(&zip, b"PK")?;
    assert!(matches!(
        TreeSource::detect(&zip),
        Err(TreeError::Unsupported { .. })
    ));
    assert!(matches!(
        TreeSource::detect(tmp.path().join("missing.tar.xz")),
        Err(TreeError::NotFound { .. })
    ));
    assert!(matches!(
        TreeSource::detect(tmp.path().join("x.TXZ")).err(),
        Some(TreeError::NotFound { .. })
    ));
    Ok(())
}

/// A tarball without a shared top directory keeps its paths; hits are capped at the
/// first paths even when the archive lists files in another order.
#[test]
fn tree_tarball_without_top_and_hit_cap() -> TestResult {
    let mut builder = tar::Builder::new(Vec::new());
    let total = HITS_PER_NEEDLE * 3;
    for i in (0..total).rev() {
        let body = format!("call(xen_blkif); /* {i} */\n");
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        header.set_size(body.len() as u64);
        builder.append_data(
            &mut header,
            format!("d{}/f{i:03}.c", i % 2),
            body.as_bytes(),
        )?;
    }
    let mut header = tar::Header::new_gnu();
    header.set_mode(0o644);
    header.set_size(3);
    builder.append_data(&mut header, "README", &b"hi\n"[..])?;
    let tmp = tempfile::tempdir()?;
    let tar = tmp.path().join("flat.tar");
    std::fs::write(&tar, builder.into_inner()?)?;

    let request = ScanRequest {
        wanted: Box::new(|p| p == "README"),
        // The same needle twice gets the same answer twice.
        needles: vec![
            Needle::word("xen_blkif"),
            Needle::word("call"),
            Needle::word("xen_blkif"),
        ],
    };
    let scan = scan(&TreeSource::Tarball(tar), &request)?;
    assert_eq!(scan.paths.len(), total + 1);
    assert_eq!(scan.paths.first().map(String::as_str), Some("README"));
    assert_eq!(scan.files.keys().collect::<Vec<_>>(), ["README"]);
    assert_eq!(scan.hit_counts, [total, total, total]);
    let mut first: Vec<String> = scan.paths[1..].to_vec();
    first.truncate(HITS_PER_NEEDLE);
    assert_eq!(scan.hits[0], first);
    assert_eq!(scan.hits[1], first);
    assert_eq!(scan.hits[2], first);
    Ok(())
}

/// The same cap through the threaded directory reader.
#[test]
fn tree_dir_hit_cap() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let total = HITS_PER_NEEDLE * 3;
    for i in 0..total {
        std::fs::write(tmp.path().join(format!("f{i:03}.c")), "xen_blkif\n")?;
    }
    std::fs::create_dir(tmp.path().join(".git"))?;
    std::fs::write(tmp.path().join(".git/config"), "xen_blkif\n")?;
    let scan = scan(
        &TreeSource::Dir(tmp.path().into()),
        &ScanRequest::needles(vec![Needle::word("xen_blkif")]),
    )?;
    assert_eq!(scan.paths.len(), total);
    assert_eq!(scan.hit_counts, [total]);
    assert_eq!(scan.hits[0], scan.paths[..HITS_PER_NEEDLE]);
    Ok(())
}
