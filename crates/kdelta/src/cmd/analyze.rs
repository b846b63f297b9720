//! `kdelta analyze SPEC`: a verdict with evidence for every patch of a queue, against an
//! upstream repository (indexed on the way) and/or an upstream source tree.

use crate::args::JudgeArgs;
use crate::show::{outcome, write_verdicts};
use crate::Outcome;
use kdelta_jobs::Analysed;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `kdelta analyze`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    judge: JudgeArgs,
    /// An upstream source tree to judge against: a directory or a tarball (.tar.xz, .tar.gz)
    #[arg(long, value_name = "DIR|TARBALL")]
    tree: Option<PathBuf>,
    /// Print a JSON array, one object per patch, in queue order
    #[arg(long)]
    json: bool,
}

/// Analyse the queue and print the verdicts.
pub fn run(mut args: Args) -> anyhow::Result<Outcome> {
    let Analysed {
        queue, verdicts, ..
    } = args.judge.analyse(args.tree.as_deref())?;
    let mut out = crate::term::stdout(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &verdicts)?;
        writeln!(out)?;
    } else {
        write_verdicts(&mut out, &verdicts)?;
    }
    out.flush()?;
    Ok(outcome(&queue))
}
