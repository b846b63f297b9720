//! One module per subcommand.

pub mod analyze;
pub mod annotate;
pub mod archive;
pub mod compare;
pub mod completions;
pub mod demo;
pub mod eval;
pub mod history;
pub mod index;
pub mod lint;
pub mod lookup;
pub mod maintainers;
pub mod manpages;
pub mod patch_id;
pub mod push;
pub mod queue;
pub mod rebase;
pub mod report;
pub mod serve;
