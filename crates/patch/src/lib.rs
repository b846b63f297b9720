//! kdelta-patch: the patch model and its parsers. Bytes in, facts out, no I/O.
//!
//! A kernel patch is a header (a mail, a SUSE or DEP-3 header, or free text)
//! followed by one or more diffs. [`Patch::parse`] splits the two, turns the
//! header into typed facts ([`Header`], [`UpstreamRef`]) and the diffs into
//! [`FileDiff`]s. Nothing here assumes UTF-8: text is kept as bytes and decoded
//! for display only. [`patchid`] computes git's stable patch-id over diff text.
//!
//! ```
//! let text = b"Subject: [PATCH] xen: fix it\nPatch-mainline: v3.14-rc1\n\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n";
//! let patch = kdelta_patch::Patch::parse(text, &Default::default());
//! assert_eq!(patch.files[0].added, 1);
//! ```

pub mod apply;
pub mod day;
pub mod diff;
pub mod header;
pub mod ids;
pub mod mail;
pub mod natural;
pub mod patch;
pub mod patchid;
pub mod quote;
pub mod refresh;
pub mod refs;
pub mod subject;
pub mod symbols;
pub mod version;

pub use diff::{ChangeKind, FileDiff, Hunk};
pub use header::{Field, Header};
pub use ids::{CommitId, PatchId};
pub use natural::natural_cmp;
pub use patch::{ParseOptions, Patch};
pub use refs::{Mainline, RefKind, UpstreamRef};
pub use subject::{Subject, SubjectPrefix};
pub use symbols::{Symbol, SymbolKind, TouchedFunction};
pub use version::Version;

use serde::Serialize;

/// Something wrong with an input, located by its 1-based line (0: the whole input).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The 1-based line the problem is on, or 0 when it concerns the whole input.
    pub line: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl Problem {
    /// A problem at `line`.
    pub fn new(line: usize, message: impl Into<String>) -> Problem {
        Problem {
            line,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}
