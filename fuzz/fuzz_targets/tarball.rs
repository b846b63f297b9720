//! The tarball readers must not panic, hang or read without bound on any archive, plain or
//! gzip-compressed (the first byte chooses):
//! - `MemTree::from_tar` (Debian's `.debian.tar.xz` queue trees): the files it keeps have
//!   names without a leading `./`, and each reads back as held;
//! - `tree::read_files` (upstream source tarballs), through a file as the CLI reads one:
//!   every path is relative, without a leading `./` or a trailing `/`, and every file it kept
//!   is one of its paths.
#![no_main]

use kdelta_queue::tree::{MemTree, Tree};
use kdelta_upstream::tree::{read_files, TreeSource};
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, archive)) = data.split_first() else {
        return;
    };
    let gzip = choice & 1 == 1;
    let path = Path::new(if gzip { "fuzz.tar.gz" } else { "fuzz.tar" });
    let tree = if gzip {
        MemTree::from_tar(path, flate2::read::GzDecoder::new(archive), |_| true)
    } else {
        MemTree::from_tar(path, archive, |_| true)
    };
    if let Ok(tree) = tree {
        for name in tree.paths() {
            assert!(!name.starts_with("./"), "{name:?}");
            assert!(tree.read(name).unwrap().is_some(), "{name:?}");
        }
    }

    let dir = std::env::temp_dir().join(format!("kdelta-fuzz-tarball-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(path);
    std::fs::File::create(&file)
        .unwrap()
        .write_all(archive)
        .unwrap();
    let source = TreeSource::detect(&file).expect("a tarball by its name");
    if let Ok(files) = read_files(&source, &|name: &str| name.len().is_multiple_of(2)) {
        for name in &files.paths {
            let bad = name.starts_with('/') || name.starts_with("./") || name.ends_with('/');
            assert!(!bad, "{name:?} in {:?}", files.paths);
        }
        for name in files.files.keys() {
            assert!(files.paths.binary_search(name).is_ok(), "{name:?}");
        }
    }
});
