//! The four sources (directory, .tar.gz, .tar.xz, git) must index the same small tree
//! identically, with or without the cache; broken inputs must give errors that name them.

use super::index::{TreeIndex, POSTINGS_CAP};
use super::*;
use crate::testing::require_git;
use std::io::Write;
use std::process::Command;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The regular files of the test tree (a symlink `link` → `Makefile` is added too).
const FILES: &[(&str, &[u8])] = &[
    (
        "Makefile",
        b"VERSION = 1\nPATCHLEVEL = 0\nSUBLEVEL = 3\nobj-y += xen-blkback/\n",
    ),
    ("bin/blob.bin", b"\0xen_blkif\0XEN_FOO\0"),
    (
        "drivers/block/xen-blkback/common.h",
        b"struct xen_blkif {\n\tint refcnt;\n};\n",
    ),
    (
        "drivers/block/xen-blkback/xenbus.c",
        b"static int\nxen_blkif_get(void)\n{\n\treturn xenbus_read(\"feature-persistent\");\n}\n",
    ),
    (
        "include/xen/interface.h",
        b"#define XEN_FOO 1 /* only_in_comment */\n",
    ),
];

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

/// What an index says about the test tree, in one comparable value.
fn summary(index: &TreeIndex) -> Vec<String> {
    let mut out: Vec<String> = index.paths().map(str::to_string).collect();
    out.push(format!(
        "release {:?}",
        index.release().map(|r| r.to_string())
    ));
    for word in [
        "xen_blkif",
        "XEN_FOO",
        "\"feature-persistent\"",
        "refcnt",
        "only_in_comment",
        "xen_blkif_get",
    ] {
        let files: Vec<&str> = index
            .files_with(word)
            .iter()
            .map(|&f| index.path(f))
            .collect();
        out.push(format!("{word}: {} {files:?}", index.word_count(word)));
    }
    for name in ["xen_blkif", "XEN_FOO", "xen_blkif_get"] {
        let defs: Vec<String> = index
            .definitions(name)
            .iter()
            .map(|d| format!("{:?} {}:{}", d.kind, index.path(d.file), d.line))
            .collect();
        out.push(format!("{name} defined {defs:?}"));
    }
    let unscanned: Vec<&str> = (0..index.len() as u32)
        .filter(|&id| !index.words_indexed(id))
        .map(|id| index.path(id))
        .collect();
    out.push(format!("words not indexed: {unscanned:?}"));
    out
}

fn check(index: &TreeIndex, what: &str) -> TestResult {
    let s = summary(index);
    let paths: Vec<&str> = FILES.iter().map(|(p, _)| *p).chain(["link"]).collect();
    assert_eq!(&s[..paths.len()], paths.as_slice(), "{what}: paths");
    let tail = &s[paths.len()..];
    assert_eq!(tail[0], "release Some(\"1.0.3\")", "{what}");
    let common = "drivers/block/xen-blkback/common.h";
    let xenbus = "drivers/block/xen-blkback/xenbus.c";
    assert_eq!(
        tail[1],
        format!("xen_blkif: 1 [{common:?}]"),
        "{what}: the binary file is not searched"
    );
    assert_eq!(
        tail[2], "XEN_FOO: 1 [\"include/xen/interface.h\"]",
        "{what}"
    );
    assert_eq!(
        tail[3],
        format!("\"feature-persistent\": 1 [{xenbus:?}]"),
        "{what}"
    );
    assert_eq!(
        tail[5], "only_in_comment: 0 []",
        "{what}: comments are skipped"
    );
    assert_eq!(
        tail[7],
        format!("xen_blkif defined [\"Struct {common}:1\"]"),
        "{what}"
    );
    assert_eq!(
        tail[8], "XEN_FOO defined [\"Macro include/xen/interface.h:1\"]",
        "{what}"
    );
    assert_eq!(
        tail[9],
        format!("xen_blkif_get defined [\"Function {xenbus}:2\"]"),
        "{what}"
    );
    assert_eq!(
        tail[10], "words not indexed: [\"bin/blob.bin\"]",
        "{what}: a binary file's words are not known"
    );
    assert!(!index.words_indexed(index.len() as u32), "{what}");
    assert_eq!(index.definitions("nothing")[..], [], "{what}");
    let bytes = index.read("drivers/block/xen-blkback/common.h")?;
    assert_eq!(bytes.as_deref(), Some(FILES[2].1), "{what}: read back");
    assert_eq!(index.read("link")?, None, "{what}: a symlink has no bytes");
    assert_eq!(index.read("no/such/file")?, None, "{what}");
    assert_eq!(index.files_named("common.h"), &[2], "{what}");
    Ok(())
}

fn sources(tmp: &Path) -> Result<Vec<TreeSource>, Box<dyn std::error::Error>> {
    let root = tmp.join("tree");
    write_tree(&root)?;
    let gz = tmp.join("linux_1.0.orig.tar.gz");
    write_tar_gz(&gz)?;
    let xz = tmp.join("linux_1.0.orig.tar.xz");
    std::fs::write(&xz, xz_bytes(&tar_bytes("linux-1.0", "")?)?)?;
    let mut sources = vec![
        TreeSource::detect(&root)?,
        TreeSource::detect(&gz)?,
        TreeSource::detect(&xz)?,
    ];
    assert_eq!(sources[0], TreeSource::Dir(root.clone()));
    assert_eq!(sources[2], TreeSource::Tarball(xz.clone()));
    require_git();
    let repo = tmp.join("repo");
    write_tree(&repo)?;
    git(&repo, &["init", "-q"])?;
    git(&repo, &["add", "-A"])?;
    git(&repo, &["commit", "-q", "-m", "tree"])?;
    sources.push(TreeSource::Git {
        repo,
        rev: "HEAD".into(),
    });
    Ok(sources)
}

#[test]
fn tree_sources_agree_with_and_without_the_cache() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let cache = tmp.path().join("cache");
    for source in sources(tmp.path())? {
        let what = source.describe();
        let built = open(&source, None)?;
        check(&built, &what)?;
        let first = open(&source, Some(&cache))?;
        assert_eq!(first.cache_note(), None, "{what}");
        check(&first, &format!("{what}, cached"))?;
        let loaded = open(&source, Some(&cache))?;
        check(&loaded, &format!("{what}, loaded"))?;
        assert_eq!(summary(&built), summary(&loaded), "{what}");
    }
    // One index per tree: the directory, the two tarballs and the git tree.
    let indexes = std::fs::read_dir(&cache)?
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "kdt"))
        })
        .count();
    assert_eq!(indexes, 4);
    Ok(())
}

#[test]
fn tree_cache_follows_changes_and_survives_damage() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let cache = tmp.path().join("cache");
    let root = tmp.path().join("tree");
    write_tree(&root)?;
    let source = TreeSource::Dir(root.clone());
    assert_eq!(open(&source, Some(&cache))?.word_count("newword_here"), 0);
    // A changed file makes another tree.
    std::fs::write(root.join("Makefile"), "newword_here\n")?;
    let changed = open(&source, Some(&cache))?;
    assert_eq!(changed.word_count("newword_here"), 1);
    assert_eq!(changed.release(), None);
    // A damaged index is rebuilt, and says so.
    for entry in std::fs::read_dir(&cache)? {
        let path = entry?.path();
        if path.extension().is_some_and(|x| x == "kdt") {
            std::fs::write(&path, b"KDTREE01 truncated")?;
        }
    }
    let rebuilt = open(&source, Some(&cache))?;
    assert!(
        rebuilt.cache_note().is_some_and(|n| n.contains("rebuilt")),
        "{:?}",
        rebuilt.cache_note()
    );
    assert_eq!(rebuilt.word_count("newword_here"), 1);
    // A cache that cannot be written is noted, and the tree is still read.
    let blocked = tmp.path().join("blocked");
    std::fs::write(&blocked, b"a file, not a directory")?;
    let uncached = open(&source, Some(&blocked.join("cache")))?;
    assert!(uncached.cache_note().is_some(), "a note says why");
    assert_eq!(uncached.word_count("newword_here"), 1);
    Ok(())
}

#[test]
fn a_tree_without_definitions_loads_from_the_cache() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let root = tmp.path().join("plain");
    std::fs::create_dir_all(&root)?;
    std::fs::write(root.join("notes.txt"), "no definition here, only words\n")?;
    let cache = tmp.path().join("cache");
    let source = TreeSource::Dir(root);
    assert_eq!(open(&source, Some(&cache))?.cache_note(), None);
    let loaded = open(&source, Some(&cache))?;
    assert_eq!(loaded.cache_note(), None, "loaded, not rebuilt");
    assert_eq!(loaded.word_count("definition"), 1);
    Ok(())
}

#[test]
fn tree_truncated_xz_names_the_file() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let xz = tmp.path().join("broken.tar.xz");
    let bytes = xz_bytes(&tar_bytes("linux-1.0", "")?)?;
    std::fs::write(&xz, &bytes[..bytes.len() / 2])?;
    let err = open(&TreeSource::Tarball(xz.clone()), None)
        .err()
        .ok_or("a truncated tarball was accepted")?;
    assert!(matches!(err, TreeError::Archive { .. }), "{err:?}");
    assert!(err.to_string().contains("broken.tar.xz"), "{err}");

    // Cut just before the end: all entries are readable, the xz stream is not complete.
    std::fs::write(&xz, &bytes[..bytes.len() - 4])?;
    let cache = tmp.path().join("cache");
    let err = open(&TreeSource::Tarball(xz.clone()), Some(&cache)).err();
    assert!(err.is_some_and(|e| e.to_string().contains("broken.tar.xz")));
    let left: Vec<_> = std::fs::read_dir(&cache)?.collect();
    assert!(
        left.is_empty(),
        "a failed build leaves nothing in the cache: {left:?}"
    );
    Ok(())
}

#[test]
fn tree_truncated_gz_and_tar_name_the_entry() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let gz = tmp.path().join("broken.tgz");
    write_tar_gz(&gz)?;
    let bytes = std::fs::read(&gz)?;
    std::fs::write(&gz, &bytes[..bytes.len() - 10])?;
    let err = open(&TreeSource::Tarball(gz), None).err();
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
    let err = open(&TreeSource::Tarball(tar), None)
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
    require_git();
    let tmp = tempfile::tempdir()?;
    write_tree(tmp.path())?;
    git(tmp.path(), &["init", "-q"])?;
    git(tmp.path(), &["add", "-A"])?;
    git(tmp.path(), &["commit", "-q", "-m", "tree"])?;
    let source = TreeSource::Git {
        repo: tmp.path().into(),
        rev: "no-such-branch".into(),
    };
    let err = open(&source, Some(&tmp.path().join("cache")))
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
    Ok(())
}

/// A tarball without a shared top directory keeps its paths; postings are capped at the
/// first paths even when the archive lists files in another order; the count is whole.
#[test]
fn tree_tarball_without_top_and_postings_cap() -> TestResult {
    let mut builder = tar::Builder::new(Vec::new());
    let total = POSTINGS_CAP + 40;
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
    let index = open(&TreeSource::Tarball(tar), None)?;
    assert_eq!(index.len(), total + 1);
    assert_eq!(index.path(0), "README");
    assert_eq!(index.read("README")?.as_deref(), Some(&b"hi\n"[..]));
    assert_eq!(index.word_count("xen_blkif"), total);
    let first: Vec<u32> = (1..=POSTINGS_CAP as u32).collect();
    assert_eq!(index.files_with("xen_blkif"), first);
    Ok(())
}

#[test]
fn read_files_keeps_what_is_asked() -> TestResult {
    let tmp = tempfile::tempdir()?;
    for source in sources(tmp.path())? {
        let found = read_files(&source, &|p: &str| p.ends_with(".h"))?;
        let mut kept: Vec<&str> = found.files.keys().map(String::as_str).collect();
        kept.sort();
        assert_eq!(
            kept,
            [
                "drivers/block/xen-blkback/common.h",
                "include/xen/interface.h"
            ],
            "{}",
            source.describe()
        );
        assert_eq!(found.paths.len(), FILES.len() + 1);
    }
    Ok(())
}

#[test]
fn index_header_lets_the_reader_reach_the_tables() {
    let header = cache::index_header();
    let Err(bare) = cache::check_index_bytes(&header) else {
        panic!("a header alone is not an index");
    };
    assert!(bare.contains("truncated"), "{bare}");
    let mut bytes = header.clone();
    bytes.extend_from_slice(&[0xff; 24]);
    let Err(huge) = cache::check_index_bytes(&bytes) else {
        panic!("a section longer than the file is refused");
    };
    assert!(huge.contains("truncated"), "{huge}");
    let Err(other) = cache::check_index_bytes(b"KDTREE00") else {
        panic!("another format is refused");
    };
    assert!(other.contains("another version"), "{other}");
}
