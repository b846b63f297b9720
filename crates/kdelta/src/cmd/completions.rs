//! `kdelta completions SHELL`: the shell completion script, from the command line's own
//! definition, on standard output.

use crate::Outcome;
use clap_complete::Shell;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// The shell: bash, zsh, fish, elvish or powershell
    shell: Shell,
}

pub fn run(args: Args, mut command: clap::Command) -> anyhow::Result<Outcome> {
    // Made in memory (writing to a Vec cannot fail), so that a closed pipe is an error
    // to report, not a panic inside the generator.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "kdelta", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(Outcome::Clean)
}
