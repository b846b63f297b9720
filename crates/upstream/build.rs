//! The identity of the code that builds tree indexes: a hash of the sources of this crate
//! and of the scanner it uses, so that an index kept by other code is not used.

use std::hash::{Hash, Hasher};
use std::path::Path;

fn main() {
    let here = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let here = Path::new(&here);
    let mut files = Vec::new();
    for dir in ["src", "../patch/src"] {
        let dir = here.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        collect(&dir, &mut files);
    }
    files.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in &files {
        if let Ok(bytes) = std::fs::read(file) {
            bytes.hash(&mut hasher);
        }
    }
    println!("cargo:rustc-env=KDELTA_SOURCE_ID={:016x}", hasher.finish());
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
