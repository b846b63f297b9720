//! The shared demo: the demo's upstream repository and openSUSE-style queue ([`write_demo`]),
//! and two more distributions' queues judged against the same upstream, so that several
//! distributions carry some of the same changes (for `kdelta compare` and the server):
//!
//! | distribution | layout | patches |
//! |---|---|---|
//! | Demo Linux | `series.conf` (openSUSE) | the demo queue, with annotations |
//! | Demo Debian | `debian/patches/series` (quilt; DEP-3 headers) | three of Demo Linux's patches that are not upstream, one of its own |
//! | Demo Fedora | `kernel.spec` (RPM, `%autosetup`; `git format-patch` mails) | two of those three, one of its own |
//!
//! A shared patch has the very diff of the other distributions' copies under another header,
//! so the copies are one change: the blkfront discard switch and the xenbus build warning fix
//! are in all three queues, the classic Xen balloon sysfs interface in Demo Linux's and Demo
//! Debian's. Demo Debian's xenbus leak fix and Demo Fedora's balloon log line are theirs
//! alone.

mod texts;

use crate::{write_demo, write_files, DemoError};
use std::path::{Path, PathBuf};

/// The name of the distribution whose queue is [`write_demo`]'s.
pub const LINUX: &str = "Demo Linux";

/// The name of the Debian-style distribution.
pub const DEBIAN: &str = "Demo Debian";

/// The name of the Fedora-style distribution.
pub const FEDORA: &str = "Demo Fedora";

/// Where the Debian-style source tree (holding `debian/patches`) is written, under the demo
/// directory.
pub const DEBIAN_DIR: &str = "debian-source";

/// Where the Fedora-style package (a `kernel.spec` and its patches) is written, under the
/// demo directory.
pub const FEDORA_DIR: &str = "fedora-kernel";

/// One distribution of the shared demo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distribution {
    /// Its name: [`LINUX`], [`DEBIAN`] or [`FEDORA`].
    pub name: String,
    /// Its queue's directory.
    pub queue: PathBuf,
    /// Its annotations file, if it has one.
    pub annotations: Option<PathBuf>,
}

/// What [`write_shared_demo`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedDemo {
    /// The upstream repository every queue is judged against.
    pub upstream: PathBuf,
    /// The distributions: Demo Linux, Demo Debian, Demo Fedora.
    pub distributions: Vec<Distribution>,
}

/// Write the shared demo under `dir`: everything [`write_demo`] writes, the Debian-style
/// queue in `dir/debian-source` and the Fedora-style one in `dir/fedora-kernel`.
pub fn write_shared_demo(dir: &Path) -> Result<SharedDemo, DemoError> {
    let demo = write_demo(dir)?;
    let debian = dir.join(DEBIAN_DIR);
    write_queue(&debian, &texts::debian_files()?)?;
    let fedora = dir.join(FEDORA_DIR);
    write_queue(&fedora, &texts::fedora_files()?)?;
    let distribution = |name: &str, queue: PathBuf, annotations| Distribution {
        name: name.to_string(),
        queue,
        annotations,
    };
    Ok(SharedDemo {
        upstream: demo.upstream,
        distributions: vec![
            distribution(LINUX, demo.queue, Some(demo.annotations)),
            distribution(DEBIAN, debian, None),
            distribution(FEDORA, fedora, None),
        ],
    })
}

fn write_queue(dir: &Path, files: &[(&str, String)]) -> Result<(), DemoError> {
    write_files(dir, files).map_err(DemoError::io("writing", dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_three_distributions_and_one_annotations_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let shared = write_shared_demo(dir.path()).expect("shared demo");
        let names: Vec<&str> = shared
            .distributions
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(names, [LINUX, DEBIAN, FEDORA]);
        assert_eq!(shared.upstream, dir.path().join(crate::UPSTREAM_DIR));
        let annotated: Vec<bool> = shared
            .distributions
            .iter()
            .map(|d| d.annotations.as_ref().is_some_and(|a| a.is_file()))
            .collect();
        assert_eq!(annotated, [true, false, false]);
        assert!(dir
            .path()
            .join("debian-source/debian/patches/series")
            .is_file());
        assert!(dir.path().join("fedora-kernel/kernel.spec").is_file());
    }
}
