//! `kdelta demo`: write the built-in demo queue and list it, as `kdelta queue` would.

use crate::Outcome;
use anyhow::Context;
use std::path::PathBuf;

/// Arguments of `kdelta demo`.
#[derive(clap::Args)]
pub struct Args {
    /// Where to write the demo queue
    #[arg(short, long, default_value = "kdelta-demo")]
    output: PathBuf,
    /// Print the listing as JSON
    #[arg(long)]
    json: bool,
}

/// Write the demo queue and run `kdelta queue` on it.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    crate::demo::write_demo(&args.output)
        .with_context(|| format!("writing the demo queue to {}", args.output.display()))?;
    eprintln!("kdelta: demo queue written to {}", args.output.display());
    let spec = args.output.display().to_string();
    super::queue::run(super::queue::Args::new(spec, args.json))
}
