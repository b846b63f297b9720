//! kdelta-queue: read a distribution's kernel patch queue the way its own tooling does.
//!
//! A queue is named by a [`QueueSpec`]: a directory (openSUSE/SLE `series.conf`, quilt
//! `series`, Debian `debian/patches/series`, an RPM spec with `SOURCES/`, or a plain
//! folder of patches), a file (a Debian `.dsc` or `.debian.tar.xz`, an mbox, a single
//! patch, an RPM spec), a tree at a git revision (`REPO@REV[:SUBDIR]`, read from git
//! objects without a checkout), or a git range (`REPO@A..B`). Every source is a
//! [`tree::Tree`], so every layout works from every source.
//!
//! [`read_queue`] returns a [`Queue`]: the parsed patches in application order and every
//! problem located by file and line. Only an unreadable source is an error; a bad patch
//! or a missing series entry is reported and the rest of the queue is still read.

pub mod dsc;
mod error;
pub mod files;
pub mod git;
pub mod layout;
mod queue;
pub mod range;
mod read;
pub mod rpmspec;
pub mod series;
pub mod seriesconf;
pub mod spec;
pub mod tree;
pub mod write;

pub use error::QueueError;
pub use files::QueueFiles;
pub use layout::LayoutKind;
pub use queue::{Queue, QueueEntry, QueueProblem, Severity};
pub use read::{read_queue, Filters};
pub use spec::QueueSpec;
