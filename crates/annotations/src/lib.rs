//! Human decisions about a queue's patches (owner, feature, status override, notes, links,
//! verification), kept in a TOML file in the team's own repository.
//!
//! Kernel teams keep what people decided about each patch next to the machine's analysis: a
//! status override with its reason, the **feature** the patch belongs to (several patches
//! together provide one capability), the **owner** who works on upstreaming it, notes, links
//! (list postings, bugs), who verified it and when, and the history of changes. The file is
//! reviewed in merge requests, so the tool's edits ([`edit_patch`], [`edit_feature`]) keep its
//! comments and layout and touch only the edited table.
//!
//! ```toml
//! # Human decisions about the delta. `kdelta annotate` edits this file and keeps comments.
//!
//! [features.blkback-multi-page-ring]
//! note = "Multi-page rings for blkback/blkfront"
//! owner = "Jan Beulich <jbeulich@suse.com>"
//! links = ["https://lore.kernel.org/xen-devel/..."]
//!
//! [patches."patches.xen/xen-blkback-multi-page-ring"]
//! feature = "blkback-multi-page-ring"
//! owner = "Jan Beulich <jbeulich@suse.com>"
//! status = "replacement-likely"          # overrides the analysis
//! reason = "upstream has max_ring_page_order"
//! notes = ["compare with xen-blkback/xenbus.c first"]
//! links = ["https://bugzilla.suse.com/show_bug.cgi?id=1"]
//! verified = { by = "Ada Lovelace", on = "2026-11-25" }
//! fingerprint = "patch-id:0123456789abcdef0123456789abcdef01234567"
//! history = [
//!     { on = "2026-11-25", by = "ada", change = "owner: Jan Beulich <jbeulich@suse.com>; feature: blkback-multi-page-ring" },
//! ]
//! ```
//!
//! - `[patches."NAME"]` is keyed by the patch's name in the queue; `[features.NAME]` by the
//!   name patches give in `feature`. Any TOML spelling of the same data is read (inline
//!   tables, `[[patches."NAME".history]]`), and any other key is an error: a typo must not be
//!   silently ignored.
//! - `status` is one of `kdelta_analysis::Status`: `upstream`, `replacement-likely`,
//!   `in-progress`, `needs-work`, `downstream-only`, `obsolete`, `unknown`. It overrides the
//!   analysis and needs a `reason`; a `reason` alone is a note on why the analysis stands.
//! - Dates are `YYYY-MM-DD` (a TOML local date such as `on = 2026-11-25` is read too).
//! - `fingerprint` is the patch content the annotation was written for, `KIND:HEX`
//!   ([`Fingerprint::of`]): `patch-id:` and git's stable patch-id of the diff, or `text:` and
//!   a SHA-1 of the subject and description for a patch without diff. When the patch changes
//!   or leaves the queue the annotation is stale ([`Freshness`], [`Annotations::stale`]) and
//!   reports flag it instead of silently applying or dropping it.
//!
//! Errors name the file, the line and, where known, the column:
//! `kdelta-annotations.toml:3:10: unknown status "needswork": expected one of upstream, …`.
//!
//! ```
//! use kdelta_annotations::{edit_patch, Annotations, Change, PatchEdit};
//! use kdelta_analysis::Status;
//!
//! let edit = PatchEdit {
//!     owner: Some(Change::Set("Jan Beulich <jbeulich@suse.com>".into())),
//!     status: Some(Change::Set(Status::NeedsWork)),
//!     reason: Some(Change::Set("nobody posted it yet".into())),
//!     by: "ada".into(),
//!     on: "2026-11-25".into(),
//!     ..Default::default()
//! };
//! let text = edit_patch("", "kdelta-annotations.toml", "patches.xen/x.patch", &edit)?;
//! let annotations = Annotations::parse(&text, "kdelta-annotations.toml")?;
//! let patch = &annotations.patches["patches.xen/x.patch"];
//! assert_eq!(patch.status, Some(Status::NeedsWork));
//! assert_eq!(patch.history[0].change, "status: needs-work (reason: nobody posted it yet); owner: Jan Beulich <jbeulich@suse.com>");
//!
//! let error = Annotations::parse("[patches.a]\nstatus = \"obsolete\"\n", "a.toml").unwrap_err();
//! assert_eq!(error.to_string(), "a.toml:2:1: a status override needs a reason");
//! # Ok::<(), kdelta_annotations::AnnotationError>(())
//! ```

mod date;
pub mod edit;
pub mod error;
pub mod file;
pub mod fingerprint;
pub mod freshness;
pub mod model;
mod parse;

pub use edit::{edit_feature, edit_patch, Change, FeatureEdit, PatchEdit, NEW_FILE_HEADER};
pub use error::{AnnotationError, Location, Problem};
pub use file::{load, save_atomically, update, write_all_atomically, write_atomically};
pub use fingerprint::{BadFingerprint, Fingerprint};
pub use freshness::Freshness;
pub use model::{Annotations, FeatureAnnotation, HistoryEntry, PatchAnnotation, Verified};
