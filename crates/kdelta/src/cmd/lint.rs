//! `kdelta lint SPEC`: check the queue's patch headers against the distribution's
//! convention (SUSE, DEP-3, …), and, given an upstream (`--upstream`, `--tree`,
//! `--archive`), whether what they claim is true; for a person (text), a script (JSON) or a
//! forge (SARIF). `--fix` writes the mechanical fixes; `--changed-since` keeps the files a
//! pull request changed. Exit 1 when a finding is at or above `--fail-on`.

use crate::args::JudgeArgs;
use crate::Outcome;
use kdelta_jobs::lint::ChangedSince;
use kdelta_lint::{lint_judged, Convention, Finding, Severity};
use kdelta_queue::QueueSpec;
use std::io::Write;
use std::path::PathBuf;

/// A convention on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ConventionArg {
    /// Whichever the queue shows (series.conf or `Patch-mainline:`: SUSE; debian/patches or DEP-3 fields: DEP-3; `Upstream-Status:`: Yocto; subject prefixes: ChromeOS, Android, Ubuntu)
    Auto,
    /// SUSE kernel-source
    Suse,
    /// Debian DEP-3
    Dep3,
    /// Yocto / OpenEmbedded (`Upstream-Status:`)
    Yocto,
    /// ChromiumOS kernel subject prefixes (`UPSTREAM:`, `FROMGIT:`, `CHROMIUM:` …)
    Chromeos,
    /// Android common kernel subject prefixes (`UPSTREAM:`, `ANDROID:` …)
    Android,
    /// Ubuntu kernel (`UBUNTU: SAUCE:`, cherry-pick lines, `BugLink:`)
    Ubuntu,
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
    #[command(flatten)]
    judge: JudgeArgs,
    /// An upstream source tree to check the claims against: a directory or a tarball
    #[arg(long, value_name = "DIR|TARBALL")]
    tree: Option<PathBuf>,
    /// The convention to check (repeatable)
    #[arg(long, value_enum, default_value = "auto")]
    convention: Vec<ConventionArg>,
    /// Output: text (FILE:LINE: severity: message [rule]), json, or sarif (SARIF 2.1.0)
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// The same as `--format json`, as every listing takes it
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Exit 1 when a finding is at or above this severity
    #[arg(long, value_enum, default_value = "error")]
    fail_on: Level,
    /// The queue's directory relative to the repository root, put before file names in
    /// SARIF (`debian/patches`)
    #[arg(long, value_name = "PATH", default_value = "")]
    base: String,
    /// Write the mechanical fixes into the patch files (a queue directory), atomically
    #[arg(long)]
    fix: bool,
    /// Only the files that differ from their content at REV (a queue directory in a git
    /// work tree, or REPO@REV)
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
}

/// Read the queue (and judge it, given an upstream), lint it, print the findings, apply
/// the fixes when asked.
pub fn run(mut args: Args) -> anyhow::Result<Outcome> {
    let spec = QueueSpec::parse(&args.judge.queue.spec)?;
    let judged = args.judge.upstream.upstream.is_some()
        || args.tree.is_some()
        || args.judge.upstream.archive.is_some();
    let (queue, verdicts) = if judged {
        let analysed = args.judge.analyse(args.tree.as_deref())?;
        (analysed.queue, analysed.verdicts)
    } else {
        (args.judge.queue.read()?, Vec::new())
    };
    let conventions = conventions(&args.convention, &queue);
    if conventions.is_empty() {
        crate::term::say!(
            "kdelta: {}: no convention shows (series.conf, debian/patches, or the fields and subject prefixes of one): say one with --convention",
            queue.source
        );
    }
    let mut findings = lint_judged(&queue, &verdicts, &conventions);
    let since = match &args.changed_since {
        Some(rev) => Some(ChangedSince::read(&spec, rev, &conventions)?),
        None => None,
    };
    if let Some(since) = &since {
        findings = since.filter(&queue, findings);
    }
    print(&args, &findings)?;
    if args.fix {
        let written = fix(&spec, &queue, &findings)?;
        if !written.is_empty() {
            findings = after_fixes(&args, since.as_ref(), &conventions, findings, &written)?;
        }
    }
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

/// Write the fixes, say what was written and refused; the files written.
fn fix(
    spec: &QueueSpec,
    queue: &kdelta_queue::Queue,
    findings: &[Finding],
) -> anyhow::Result<Vec<String>> {
    let fixed = kdelta_jobs::lint::apply_fixes(spec, queue, findings)?;
    for (file, n) in &fixed.written {
        let s = if *n == 1 { "" } else { "es" };
        crate::term::say!("kdelta: {file}: {n} fix{s} written");
    }
    for (file, why) in &fixed.refused {
        crate::term::say!("kdelta: {file}: not fixed: {why}");
    }
    Ok(fixed.written.into_iter().map(|(f, _)| f).collect())
}

/// The findings left once fixes went into `written`: the header rules on the queue read
/// again, and the claims' findings whose fix was not written.
fn after_fixes(
    args: &Args,
    since: Option<&ChangedSince>,
    conventions: &[Convention],
    before: Vec<Finding>,
    written: &[String],
) -> anyhow::Result<Vec<Finding>> {
    let queue = args.judge.queue.read()?;
    let mut left = kdelta_lint::lint(&queue, conventions);
    if let Some(since) = since {
        left = since.filter(&queue, left);
    }
    // A claim's finding stays unless its fix went into its file.
    left.extend(before.into_iter().filter(|f| {
        f.rule.0.starts_with("upstream/") && !(f.fix.is_some() && written.contains(&f.file))
    }));
    Ok(left)
}

fn conventions(asked: &[ConventionArg], queue: &kdelta_queue::Queue) -> Vec<Convention> {
    let mut out = Vec::new();
    for c in asked {
        let add = match c {
            ConventionArg::Auto => Convention::detect(queue),
            ConventionArg::Suse => vec![Convention::Suse],
            ConventionArg::Dep3 => vec![Convention::Dep3],
            ConventionArg::Yocto => vec![Convention::Yocto],
            ConventionArg::Chromeos => vec![Convention::Chromeos],
            ConventionArg::Android => vec![Convention::Android],
            ConventionArg::Ubuntu => vec![Convention::Ubuntu],
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
    let format = if args.json { Format::Json } else { args.format };
    let mut out = crate::term::stdout(format != Format::Text);
    match format {
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
