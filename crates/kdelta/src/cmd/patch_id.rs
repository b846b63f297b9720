//! `kdelta patch-id [FILE…]`: git's stable patch-id of each patch or commit in a stream,
//! printed exactly as `git patch-id --stable` prints it. Streams line by line, so a whole
//! `git log -p` of a large history never sits in memory.

use crate::Outcome;
use anyhow::Context;
use kdelta_patch::patchid::PatchIdStream;
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// Arguments of `kdelta patch-id`.
#[derive(clap::Args)]
pub struct Args {
    /// Patch files, mboxes or `git log -p` output; standard input when none
    files: Vec<PathBuf>,
}

/// Print `<patch-id> <commit>` lines.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut out = crate::term::stdout(true);
    if args.files.is_empty() {
        let stdin = std::io::stdin();
        print_ids(&mut out, stdin.lock()).context("reading standard input")?;
    }
    for file in &args.files {
        let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
        print_ids(&mut out, std::io::BufReader::with_capacity(1 << 16, f))
            .with_context(|| format!("reading {}", file.display()))?;
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

fn print_ids(out: &mut impl Write, mut input: impl BufRead) -> anyhow::Result<()> {
    let mut stream = PatchIdStream::new();
    let mut line = Vec::with_capacity(256);
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if let Some(id) = stream.push_line(&line) {
            writeln!(out, "{id}")?;
        }
    }
    if let Some(id) = stream.finish() {
        writeln!(out, "{id}")?;
    }
    Ok(())
}
