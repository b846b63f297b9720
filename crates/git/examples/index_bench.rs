//! Stable patch-ids of every non-merge commit reachable from a revision, with the
//! parallel pipeline of kdelta-git; for timing against
//! `git log -p --no-merges --no-renames --format='commit %H' REV | git patch-id --stable`.
//!
//! ```text
//! cargo run --release -p kdelta-git --example index_bench -- REPO [--rev REV]
//!     [--threads N] [--out FILE] [--limit N] [--chunk N] [--pack-cache-mb N]
//!     [--blob-cache-mb N] [--check]
//! ```
//!
//! Without `--limit`, the pipeline walks the history itself (overlapping the workers);
//! with it, the commits are listed first. Prints `commit_count`, the walk (listing) and
//! pipeline times and the total wall time; `--out`
//! writes `<patch-id> <commit>` lines as git prints them (commits with an empty diff
//! have none); `--check` also renders every commit with `PatchFormatter` and compares
//! the patch-id parsed from that text (slow, single-threaded).

use kdelta_git::pipeline::CacheSizes;
use kdelta_git::pipeline::{fingerprints_parallel, CommitSource, PipelineOptions};
use kdelta_git::PatchFormatter;
use kdelta_patch::patchid::stable_patch_ids;
use std::io::Write;
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Command-line settings.
struct Args {
    repo: String,
    rev: String,
    out: Option<String>,
    limit: Option<usize>,
    check: bool,
    options: PipelineOptions,
}

fn parse_args() -> Result<Args> {
    let mut args = std::env::args().skip(1);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut parsed = Args {
        repo: String::new(),
        rev: "HEAD".to_string(),
        out: None,
        limit: None,
        check: false,
        options: PipelineOptions::with_threads(threads),
    };
    let mut caches = CacheSizes::default();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--rev" => parsed.rev = value()?,
            "--threads" => parsed.options.threads = value()?.parse()?,
            "--out" => parsed.out = Some(value()?),
            "--limit" => parsed.limit = Some(value()?.parse()?),
            "--chunk" => parsed.options.chunk = value()?.parse()?,
            "--pack-cache-mb" => caches.pack_bytes = value()?.parse::<usize>()? << 20,
            "--blob-cache-mb" => caches.blob_bytes = value()?.parse::<usize>()? << 20,
            "--check" => parsed.check = true,
            _ if parsed.repo.is_empty() && !arg.starts_with('-') => parsed.repo = arg,
            _ => return Err(format!("unexpected argument {arg:?}").into()),
        }
    }
    if parsed.repo.is_empty() {
        return Err("usage: index_bench REPO [--rev REV] [--threads N] [--out FILE] ...".into());
    }
    parsed.options.caches = caches;
    Ok(parsed)
}

/// Non-merge commits reachable from `rev`, newest first (by commit time, as `git log`).
fn non_merge_commits(repo: &gix::Repository, rev: &str) -> Result<Vec<gix::ObjectId>> {
    let tip = kdelta_git::resolve_commit(repo, rev)?;
    let sorting = gix::revision::walk::Sorting::ByCommitTime(Default::default());
    let mut commits = Vec::new();
    for info in repo.rev_walk([tip]).sorting(sorting).all()? {
        let info = info?;
        if info.parent_ids.len() <= 1 {
            commits.push(info.id);
        }
    }
    Ok(commits)
}

/// Compare each result with the patch-id of the rendered mail.
fn check(repo: &gix::Repository, results: &[(gix::ObjectId, Option<String>)]) -> Result<usize> {
    let mut formatter = PatchFormatter::new(repo);
    let mut mismatches = 0;
    for (commit, ours) in results {
        let object = repo.find_commit(*commit)?;
        let tree = object.tree_id()?.detach();
        let parent_tree = match object.parent_ids().next() {
            Some(parent) => Some(repo.find_commit(parent)?.tree_id()?.detach()),
            None => None,
        };
        let mut text = format!("commit {commit}\n\n").into_bytes();
        formatter.write_diff(parent_tree, tree, &mut text)?;
        let expected = stable_patch_ids(&text)
            .last()
            .map(|l| l.patch_id.to_string());
        if &expected != ours {
            mismatches += 1;
            if mismatches <= 10 {
                eprintln!("mismatch {commit}: ours {ours:?}, rendered {expected:?}");
            }
        }
    }
    Ok(mismatches)
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let start = Instant::now();
    let repo = gix::open_opts(&args.repo, gix::open::Options::isolated())?;
    let tip = kdelta_git::resolve_commit(&repo, &args.rev)?;
    // Without a limit the pipeline walks the history itself, while the workers run.
    let source = match args.limit {
        Some(limit) => {
            let mut commits = non_merge_commits(&repo, &args.rev)?;
            commits.truncate(limit);
            CommitSource::List(commits)
        }
        None => CommitSource::NonMergesFrom(tip),
    };
    let walked = start.elapsed();
    let mut results = Vec::new();
    let mut errors = 0usize;
    fingerprints_parallel(
        &args.repo,
        source,
        args.options,
        || kdelta_git::patchid::NoLines,
        |commit, result| match result {
            Ok(facts) => results.push((commit, facts.patch_id.map(|id| id.to_string()))),
            Err(e) => {
                errors += 1;
                eprintln!("{commit}: {e}");
            }
        },
    )?;
    let total = start.elapsed();
    println!("commit_count {}", results.len() + errors);
    println!(
        "patch_ids {}",
        results.iter().filter(|r| r.1.is_some()).count()
    );
    println!("errors {errors}");
    println!("threads {}", args.options.threads);
    println!("walk_seconds {:.3}", walked.as_secs_f64());
    println!("pipeline_seconds {:.3}", (total - walked).as_secs_f64());
    println!("wall_seconds {:.3}", total.as_secs_f64());
    if let Some(path) = &args.out {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        for (commit, id) in &results {
            if let Some(id) = id {
                writeln!(out, "{id} {commit}")?;
            }
        }
        out.flush()?;
    }
    if args.check {
        println!("check_mismatches {}", check(&repo, &results)?);
    }
    Ok(())
}
