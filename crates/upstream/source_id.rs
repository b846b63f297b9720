// The identity of a crate's code, for build scripts (`include!`d by the build.rs of
// kdelta-upstream and kdelta-analysis): a hash of the Rust sources under the given
// directories, relative to the crate, printed as the `KDELTA_SOURCE_ID` environment
// variable of the compiled crate. Caches made by other code are told by it.

fn source_id(dirs: &[&str]) {
    use std::hash::{Hash, Hasher};
    use std::path::Path;
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
    let here = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let here = Path::new(&here);
    let mut files = Vec::new();
    for dir in dirs {
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
