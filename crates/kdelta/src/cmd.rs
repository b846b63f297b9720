//! One module per subcommand.

pub mod demo;
pub mod index;
pub mod lookup;
pub mod patch_id;
pub mod queue;
