//! `kdelta queue SPEC`: read a queue and list its patches.

use crate::Outcome;
use kdelta_queue::{read_queue, Filters, QueueSpec};
use std::io::Write;

/// Arguments of `kdelta queue`.
#[derive(clap::Args)]
pub struct Args {
    /// The queue: DIR, FILE (.dsc, .debian.tar.xz, mbox, patch, .spec), REPO@REV[:SUBDIR] or REPO@A..B
    spec: String,
    /// Keep only patches whose name in the queue matches GLOB (repeatable)
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Keep only patches that change a file matching GLOB (repeatable)
    #[arg(long, value_name = "GLOB")]
    touching: Vec<String>,
    /// Print a JSON array, one object per patch
    #[arg(long)]
    json: bool,
}

/// Read the queue, print it, report problems on stderr.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let spec = QueueSpec::parse(&args.spec)?;
    let filters = Filters {
        include: args.include,
        touching: args.touching,
    };
    let queue = read_queue(&spec, &filters)?;
    let mut out = crate::term::stdout(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &crate::table::json_rows(&queue))?;
        writeln!(out)?;
    } else {
        crate::table::write_table(&mut out, &queue)?;
    }
    out.flush()?;
    crate::show::report_problems(&queue);
    Ok(if queue.has_errors() {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}
