//! `kdelta index UPSTREAM`: fingerprint every upstream commit into the index, incrementally.

use crate::Outcome;
use kdelta_jobs::observe::IndexProgress;
use kdelta_upstream::{check_upstream, default_index_path, update_index, IndexOptions, Store};
use std::path::PathBuf;

/// Arguments of `kdelta index`.
#[derive(clap::Args)]
pub struct Args {
    /// The upstream git repository (bare or not)
    upstream: PathBuf,
    /// Index the history of REF (repeatable); default: HEAD and every tag
    #[arg(long = "ref", value_name = "REF")]
    refs: Vec<String>,
    /// The index file; default: one per upstream in the user's cache directory
    #[arg(long, value_name = "PATH")]
    index: Option<PathBuf>,
    /// Tags whose name matches GLOB are releases (first-release data); default: the index's pattern, or v*
    #[arg(long, value_name = "GLOB")]
    release_pattern: Option<String>,
    /// Worker threads; default: all cores
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Fingerprint again the commits stored without patch-id because blobs of theirs were
    /// missing (a partial clone whose blobs have been fetched since)
    #[arg(long)]
    retry_incomplete: bool,
    /// No progress bar
    #[arg(long, short)]
    quiet: bool,
    /// Print the outcome as JSON
    #[arg(long)]
    json: bool,
}

/// Update the index and say what changed.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let path = args
        .index
        .clone()
        .unwrap_or_else(|| default_index_path(&args.upstream));
    // Nothing is created for a repository or a revision that does not resolve.
    check_upstream(&args.upstream, &args.refs)?;
    let mut store = Store::open_for_writing(&path)?;
    let mut options = IndexOptions {
        refs: args.refs,
        release_pattern: args.release_pattern,
        retry_incomplete: args.retry_incomplete,
        ..IndexOptions::default()
    };
    if let Some(n) = args.threads {
        options.threads = n;
    }
    let mut observer = crate::observe::Shown::new(args.quiet);
    let mut progress = IndexProgress(&mut observer, kdelta_jobs::Task::Indexing);
    let outcome = update_index(&args.upstream, &mut store, &options, &mut progress)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&outcome)?);
    } else if !args.quiet {
        let state = if outcome.up_to_date {
            "up to date"
        } else {
            "updated"
        };
        crate::term::say!(
            "kdelta: index {} {state}: {} new commits, {} in all, {} first releases changed, {:.2} s",
            path.display(),
            outcome.new_commits,
            outcome.total_commits,
            outcome.releases_updated,
            outcome.seconds
        );
        crate::term::say!(
            "kdelta: releases are the tags matching {}{}",
            outcome.release_pattern,
            if outcome.pattern_detected {
                " (detected from the tags; --release-pattern to choose)"
            } else {
                ""
            }
        );
    }
    if outcome.without_renamed_ids > 0 && !args.quiet {
        crate::term::say!(
            "kdelta: note: {} commits were indexed before patch-ids with renames were kept: \
             a patch that renames files, made from one of them, is found by its other \
             evidence only (to have them, delete {} and index again)",
            outcome.without_renamed_ids,
            path.display()
        );
    }
    if outcome.incomplete > 0 {
        crate::term::say!(
            "kdelta: warning: {} commits of the index have no patch-id, files or fingerprint: \
             blobs of theirs are missing from {} (a partial clone?); they are matched by \
             subject and references only (once the blobs are there: --retry-incomplete)",
            outcome.incomplete,
            args.upstream.display()
        );
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Clean)
}
