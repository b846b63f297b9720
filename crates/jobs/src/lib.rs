//! Whole kdelta jobs, shared by the front ends (the CLI and the server): read a queue
//! spec, open the upstream (index and tree), analyse, build the report model with the
//! team's annotations and who can upstream each patch, compare distributions, walk a
//! queue's history.
//!
//! Nothing here prints. What a person should see while a job runs (progress, warnings,
//! step timings) goes to an [`Observer`] the front end supplies; results come back as the
//! report crate's models, for the front end to write, print or store.

pub mod analyse;
pub mod clock;
pub mod compare;
pub mod error;
pub mod history;
pub mod inputs;
pub mod lint;
pub mod observe;
pub mod people;
pub mod push;
pub mod rebase;
pub mod report;
pub mod source;
pub mod upstream;

pub use analyse::{analyse, run_analysis, Analysed};
pub use error::JobError;
pub use observe::{Observer, Silent, Task};
pub use source::{default_name, find_patch, read_spec};
pub use upstream::UpstreamSpec;
