//! One module per subcommand.

pub mod demo;
pub mod patch_id;
pub mod queue;
