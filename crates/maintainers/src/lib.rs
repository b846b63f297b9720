//! Who maintains a set of kernel files, who reviews them and which lists take patches for
//! them: what Linux's `scripts/get_maintainer.pl` answers from the `MAINTAINERS` file, without
//! running Perl. Pure: text in, answers out; no file is read here.
//!
//! [`Maintainers::parse`] reads `MAINTAINERS` as the script does (sections are runs of `X:`
//! entry lines titled by the line before them, so the introduction's indented examples make
//! no section) and reports malformed lines as [`Problem`]s with line numbers instead of
//! failing. [`Maintainers::for_files`] (`get_maintainer.pl -f`) and
//! [`Maintainers::for_patch`] (`get_maintainer.pl PATCH`) answer with an [`Answer`]: people
//! with their roles, lists, and the matched sections with their line numbers.
//! [`Answer::lines`] prints it exactly as the script does with its default options and
//! `--no-git`, so the two can be compared line by line (`scripts/check-maintainers.sh`).
//!
//! The script's rules, reproduced (see its source for the details):
//! - `F:`/`X:` globs become regexes anchored at the start of the path: `*` and `?` stay within
//!   a directory, a trailing `/` (or a directory named without it) takes everything below;
//!   `X:` excludes a section, `N:` is a regex on the path, `K:` a regex on the patch's
//!   description and changed lines.
//! - Matched sections are taken from the deepest pattern to the shallowest (THE REST's `*`
//!   last); equally deep ones in file order (the script leaves them in Perl's hash order, which
//!   changes from run to run).
//! - An `M:` line's role follows the status: `supporter` (Supported), `maintainer`
//!   (Maintained), `odd fixer`, `orphan minder`, `obsolete minder`; `R:` is `reviewer`; lists
//!   are `open list` or `moderated list`, subscribers-only lists are left out, THE REST's list
//!   has no section name, and Linus Torvalds (THE REST's maintainer) is left out.
//! - A person named in several sections is printed once, with the first role (the others are
//!   kept in [`Person::also`]); addresses go through the kernel's `.mailmap` when one is given
//!   ([`Maintainers::with_mailmap`]).
//!
//! Two things the script reads from the tree are asked of the caller: which `F:` patterns name
//! directories ([`Maintainers::resolve_directories`]), and the text of `.yaml` files, whose
//! addresses the script adds as `in file` ([`Query::with_file_text`]).
//!
//! ```
//! use kdelta_maintainers::Maintainers;
//!
//! let text = "\
//! XEN BLOCK SUBSYSTEM
//! M:\tRoger Pau Monné <roger.pau@citrix.com>
//! L:\txen-devel@lists.xenproject.org (moderated for non-subscribers)
//! S:\tSupported
//! F:\tdrivers/block/xen*
//!
//! THE REST
//! M:\tLinus Torvalds <torvalds@linux-foundation.org>
//! L:\tlinux-kernel@vger.kernel.org
//! S:\tBuried alive in reporters
//! F:\t*
//! F:\t*/
//! ";
//! let (maintainers, problems) = Maintainers::parse(text);
//! assert!(problems.is_empty());
//! let answer = maintainers.for_files(&["drivers/block/xen-blkfront.c"], None);
//! assert_eq!(
//!     answer.lines(),
//!     [
//!         "\"Roger Pau Monné\" <roger.pau@citrix.com> (supporter:XEN BLOCK SUBSYSTEM)",
//!         "xen-devel@lists.xenproject.org (moderated list:XEN BLOCK SUBSYSTEM)",
//!         "linux-kernel@vger.kernel.org (open list)",
//!     ]
//! );
//! assert_eq!(answer.sections[0].line, 1);
//! ```

mod answer;
mod emails;
mod engine;
mod keywords;
mod mailmap;
mod model;
mod parse;
mod patch;
mod pattern;
mod perl;
mod perlre;
mod query;

pub use answer::{
    short_name, Answer, List, ListKind, Person, Role, RoleKind, SectionRef, SECTION_MAXLEN,
};
pub use mailmap::Mailmap;
pub use model::{Entry, Maintainers, Problem, ProblemKind, Section, Tag};
pub use patch::{scan as scan_patch, PatchScan};
pub use query::{Options, Query};
