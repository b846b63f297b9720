//! `kdelta lint SPEC`: check the queue's patch headers against the distribution's
//! convention (SUSE, DEP-3), for a person (text), a script (JSON) or a forge (SARIF).
//! Exit 1 when a finding is at or above `--fail-on`.

use crate::Outcome;
use kdelta_lint::{lint, Convention, Finding, Severity};
use kdelta_queue::{read_queue, Filters, QueueSpec};
use std::io::Write;

/// A convention on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ConventionArg {
    /// Whichever the queue shows (series.conf or `Patch-mainline:`: SUSE; debian/patches or DEP-3 fields: DEP-3)
    Auto,
    /// SUSE kernel-source
    Suse,
    /// Debian DEP-3
    Dep3,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Level {
    Note,
    Warning,
    Error,
    /// Never fail on findings (exit 0 unless the queue cannot be read)
    Never,
}

/// Arguments of `kdelta lint`.
#[derive(clap::Args)]
pub struct Args {
    /// The queue: DIR, FILE (.dsc, .debian.tar.xz, mbox, patch, .spec), REPO@REV[:SUBDIR] or REPO@A..B
    spec: String,
    /// The convention to check (repeatable)
    #[arg(long, value_enum, default_value = "auto")]
    convention: Vec<ConventionArg>,
    /// Keep only patches whose name in the queue matches GLOB (repeatable)
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Output: text (FILE:LINE: severity: message [rule]), json, or sarif (SARIF 2.1.0)
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Exit 1 when a finding is at or above this severity
    #[arg(long, value_enum, default_value = "error")]
    fail_on: Level,
    /// The queue's directory relative to the repository root, put before file names in
    /// SARIF (`debian/patches`)
    #[arg(long, value_name = "PATH", default_value = "")]
    base: String,
}

/// Read the queue, lint it, print the findings.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let spec = QueueSpec::parse(&args.spec)?;
    let filters = Filters {
        include: args.include.clone(),
        touching: Vec::new(),
    };
    let queue = read_queue(&spec, &filters)?;
    let conventions = conventions(&args.convention, &queue);
    if conventions.is_empty() {
        crate::term::say!(
            "kdelta: {}: no convention shows (neither series.conf, debian/patches, `Patch-mainline:` nor DEP-3 fields): say one with --convention",
            queue.source
        );
    }
    let findings = lint(&queue, &conventions);
    print(&args, &findings)?;
    let fails = |s: Severity| match args.fail_on {
        Level::Never => false,
        Level::Note => true,
        Level::Warning => s >= Severity::Warning,
        Level::Error => s >= Severity::Error,
    };
    Ok(if findings.iter().any(|f| fails(f.severity)) {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

fn conventions(asked: &[ConventionArg], queue: &kdelta_queue::Queue) -> Vec<Convention> {
    let mut out = Vec::new();
    for c in asked {
        let add = match c {
            ConventionArg::Auto => Convention::detect(queue),
            ConventionArg::Suse => vec![Convention::Suse],
            ConventionArg::Dep3 => vec![Convention::Dep3],
        };
        for c in add {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

fn print(args: &Args, findings: &[Finding]) -> anyhow::Result<()> {
    let mut out = crate::term::stdout(args.format != Format::Text);
    match args.format {
        Format::Text => {
            for f in findings {
                let at = if f.line == 0 {
                    f.file.clone()
                } else {
                    format!("{}:{}", f.file, f.line)
                };
                writeln!(
                    out,
                    "{at}: {}: {} [{}]",
                    f.severity.as_str(),
                    f.message,
                    f.rule
                )?;
            }
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, findings)?;
            writeln!(out)?;
        }
        Format::Sarif => {
            let log = kdelta_lint::sarif::render(findings, env!("KDELTA_VERSION"), &args.base);
            serde_json::to_writer_pretty(&mut out, &log)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}
