//! A queue tree held in memory: the contents of a tarball such as Debian's
//! `.debian.tar.xz`.

use super::Tree;
use crate::QueueError;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Files in memory, keyed by relative path.
#[derive(Clone, Debug, Default)]
pub struct MemTree {
    name: String,
    files: BTreeMap<String, Vec<u8>>,
}

impl MemTree {
    /// An empty tree called `name` in messages.
    pub fn new(name: impl Into<String>) -> MemTree {
        MemTree {
            name: name.into(),
            files: BTreeMap::new(),
        }
    }

    /// Add a file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: Vec<u8>) {
        self.files.insert(path.into(), bytes);
    }

    /// Unpack a `.tar`, `.tar.gz`/`.tgz` or `.tar.xz` tarball, keeping regular files whose
    /// path passes `keep`. A leading `./` is removed from paths.
    pub fn from_tarball(path: &Path, keep: impl Fn(&str) -> bool) -> Result<MemTree, QueueError> {
        let file = std::fs::File::open(path).map_err(|e| QueueError::io(path, e))?;
        let reader = decompressor(path, std::io::BufReader::new(file))?;
        MemTree::from_tar(path, reader, keep)
    }

    /// Unpack the uncompressed tar stream `reader` read from `path` (named in errors and
    /// messages), keeping regular files whose path passes `keep`.
    pub fn from_tar(
        path: &Path,
        reader: impl Read,
        keep: impl Fn(&str) -> bool,
    ) -> Result<MemTree, QueueError> {
        let mut tree = MemTree::new(path.display().to_string());
        let archive_err = |e: std::io::Error| QueueError::Archive {
            path: path.into(),
            message: e.to_string(),
        };
        let mut archive = tar::Archive::new(reader);
        for entry in archive.entries().map_err(archive_err)? {
            let mut entry = entry.map_err(archive_err)?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = entry
                .path()
                .map_err(archive_err)?
                .to_string_lossy()
                .into_owned();
            let name = name.trim_start_matches("./").to_string();
            if !keep(&name) {
                continue;
            }
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).map_err(archive_err)?;
            tree.insert(name, bytes);
        }
        Ok(tree)
    }

    /// The paths of the files held, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

fn decompressor<'a, R: Read + 'a>(
    path: &Path,
    reader: R,
) -> Result<Box<dyn Read + 'a>, QueueError> {
    let name = path.to_string_lossy();
    if name.ends_with(".xz") {
        Ok(Box::new(xz2::read::XzDecoder::new(reader)))
    } else if name.ends_with(".gz") || name.ends_with(".tgz") {
        Ok(Box::new(flate2::read::GzDecoder::new(reader)))
    } else if name.ends_with(".tar") {
        Ok(Box::new(reader))
    } else {
        Err(QueueError::Archive {
            path: path.into(),
            message: "unsupported compression (want .tar, .tar.gz or .tar.xz)".into(),
        })
    }
}

impl Tree for MemTree {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, QueueError> {
        Ok(self.files.get(path).cloned())
    }

    fn files_under(&self, dir: &str) -> Result<Vec<String>, QueueError> {
        Ok(super::keys_under(&self.files, dir))
    }

    fn is_file(&self, path: &str) -> Result<bool, QueueError> {
        Ok(self.files.contains_key(path))
    }

    fn describe(&self) -> String {
        self.name.clone()
    }

    fn display_path(&self, path: &str) -> String {
        format!("{}:{}", self.name, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_under_a_directory() {
        let mut tree = MemTree::new("t");
        tree.insert("debian/patches/series", b"a.patch\n".to_vec());
        tree.insert("debian/patches/a.patch", Vec::new());
        tree.insert("debian/rules", Vec::new());
        assert_eq!(
            tree.files_under("debian/patches").unwrap_or_default(),
            ["debian/patches/a.patch", "debian/patches/series"]
        );
        assert!(tree.is_file("debian/rules").unwrap_or(false));
    }
}
