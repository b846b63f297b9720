//! `kdelta demo`: write the built-in demo queue and upstream tree, then analyse the queue
//! against the tree, as `kdelta analyze DIR/queue --tree DIR/upstream` would.

use crate::demo::{QUEUE_DIR, UPSTREAM_DIR};
use crate::Outcome;
use anyhow::Context;
use std::ffi::OsString;
use std::path::PathBuf;

/// Arguments of `kdelta demo`.
#[derive(clap::Args)]
pub struct Args {
    /// Where to write the demo (the queue in DIR/queue, the upstream tree in DIR/upstream)
    #[arg(short, long, value_name = "DIR", default_value = "kdelta-demo")]
    output: PathBuf,
    /// Print the verdicts as JSON
    #[arg(long)]
    json: bool,
}

/// The command line of `kdelta analyze`, to run it exactly as typed.
#[derive(clap::Parser)]
#[command(name = "kdelta analyze")]
struct AnalyzeLine {
    #[command(flatten)]
    args: super::analyze::Args,
}

/// Write the demo and run `kdelta analyze` on it.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    crate::demo::write_demo(&args.output)
        .with_context(|| format!("writing the demo to {}", args.output.display()))?;
    let queue = args.output.join(QUEUE_DIR);
    let tree = args.output.join(UPSTREAM_DIR);
    eprintln!(
        "kdelta: demo queue written to {}, its upstream tree to {}",
        queue.display(),
        tree.display()
    );
    eprintln!(
        "kdelta: running kdelta analyze {} --tree {}{}",
        queue.display(),
        tree.display(),
        if args.json { " --json" } else { "" }
    );
    let mut line: Vec<OsString> = vec![
        "kdelta analyze".into(),
        queue.display().to_string().into(),
        "--tree".into(),
        tree.into_os_string(),
        "--quiet".into(),
    ];
    if args.json {
        line.push("--json".into());
    }
    let line = <AnalyzeLine as clap::Parser>::try_parse_from(line)
        .context("building the kdelta analyze command line")?;
    super::analyze::run(line.args)
}
