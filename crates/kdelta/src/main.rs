//! kdelta: the truth about a distribution's kernel delta.
//!
//! The binary is glue: it parses the command line, calls the library crates and prints.
//! Exit codes: 0 all good, 1 the input was read but has problems (reported on stderr),
//! 2 the input could not be read or the command line is wrong.

mod alloc;
mod args;
mod cmd;
mod observe;
mod show;
mod table;
mod term;
mod timing;

use clap::{CommandFactory, Parser, Subcommand};
use std::process::ExitCode;

/// The truth about a distribution's kernel delta.
#[derive(Parser)]
#[command(name = "kdelta", version = env!("KDELTA_VERSION"), about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the patches of a queue with their upstream references and problems
    Queue(cmd::queue::Args),
    /// Print the git patch-id of each patch, exactly as `git patch-id --stable` does
    PatchId(cmd::patch_id::Args),
    /// Write a demo queue and upstream tree, and analyse the queue against the tree
    Demo(cmd::demo::Args),
    /// Fingerprint every upstream commit into the index (incremental)
    Index(cmd::index::Args),
    /// Look up upstream commits in the index by commit, patch-id or subject
    Lookup(cmd::lookup::Args),
    /// Say where each patch stands against upstream, with the evidence
    Analyze(cmd::analyze::Args),
    /// Plan moving the queue onto a new upstream release: drop, keep, refresh, conflict
    Rebase(cmd::rebase::Args),
    /// Check the patch headers against the distribution's convention (SUSE, DEP-3)
    Lint(cmd::lint::Args),
    /// Measure how well the analysis finds the upstream commits that headers name
    Eval(cmd::eval::Args),
    /// Write the delta report (HTML, Markdown, MediaWiki, JSON, CSV) with the annotations
    Report(cmd::report::Args),
    /// Record a human decision about a patch or a feature in the annotations file
    Annotate(cmd::annotate::Args),
    /// Compare several distributions' queues: the delta they share, and what is unique
    Compare(cmd::compare::Args),
    /// A queue over several revisions: what was added, removed, went upstream; delta over time
    History(cmd::history::Args),
    /// Who can upstream each patch: MAINTAINERS, active upstream authors, the patch's signers
    Maintainers(cmd::maintainers::Args),
    /// Serve the shared delta pages and API for several distributions (SQLite or PostgreSQL)
    Serve(cmd::serve::Args),
    /// Send a distribution's report to a `kdelta serve` that cannot read its queue itself
    Push(cmd::push::Args),
    /// Mailing-list archives: index them, and look up the postings of a patch
    Archive(cmd::archive::Args),
    /// Print the shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(cmd::completions::Args),
    /// Write the manual pages (kdelta.1, kdelta-SUBCOMMAND.1) into a directory
    Manpages(cmd::manpages::Args),
}

/// What a command found, mapped to the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was read and nothing is wrong.
    Clean,
    /// The input was read, but some of it has problems.
    Problems,
}

fn main() -> ExitCode {
    alloc::keep_freed_memory();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Queue(args) => cmd::queue::run(args),
        Command::PatchId(args) => cmd::patch_id::run(args),
        Command::Demo(args) => cmd::demo::run(args),
        Command::Index(args) => cmd::index::run(args),
        Command::Archive(args) => cmd::archive::run(args),
        Command::Lookup(args) => cmd::lookup::run(args),
        Command::Analyze(args) => cmd::analyze::run(args),
        Command::Rebase(args) => cmd::rebase::run(args),
        Command::Lint(args) => cmd::lint::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Report(args) => cmd::report::run(args),
        Command::Annotate(args) => cmd::annotate::run(args),
        Command::Compare(args) => cmd::compare::run(args),
        Command::History(args) => cmd::history::run(args),
        Command::Maintainers(args) => cmd::maintainers::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Push(args) => cmd::push::run(args),
        Command::Completions(args) => cmd::completions::run(args, Cli::command()),
        Command::Manpages(args) => cmd::manpages::run(args, Cli::command()),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            crate::term::say!("kdelta: error: {}", message(&err));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, each said once: a cause whose text its error already
/// includes (`PATH: CAUSE`) is not repeated.
fn message(err: &anyhow::Error) -> String {
    kdelta_jobs::error::said(err.as_ref())
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    /// An error that says its cause, as the library crates' `PATH: CAUSE` errors do.
    #[derive(Debug)]
    struct Wrapped(std::io::Error);

    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "idx.sqlite: {}", self.0)
        }
    }

    impl std::error::Error for Wrapped {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_cause_already_said_is_not_said_again() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no index here");
        let err = anyhow::Error::from(Wrapped(io)).context("looking up");
        assert_eq!(
            super::message(&err),
            "looking up: idx.sqlite: no index here"
        );
    }
}
