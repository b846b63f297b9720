//! `kdelta lookup UPSTREAM`: answer from the index by commit, patch-id or subject.

use crate::Outcome;
use kdelta_patch::PatchId;
use kdelta_upstream::{default_index_path, Lookup, Store};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `kdelta lookup`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["commit", "patch_id", "subject"])))]
pub struct Args {
    /// The upstream git repository the index belongs to
    upstream: PathBuf,
    /// The index file; default: the upstream's index in the user's cache directory
    #[arg(long, value_name = "PATH")]
    index: Option<PathBuf>,
    /// A commit id or a prefix of at least 4 hex digits
    #[arg(long, value_name = "SHA")]
    commit: Option<String>,
    /// A stable patch-id (40 hex digits)
    #[arg(long, value_name = "ID")]
    patch_id: Option<String>,
    /// A subject; `[PATCH …]`, prefixes, case and spacing do not matter
    #[arg(long, value_name = "TEXT")]
    subject: Option<String>,
    /// Print a JSON array
    #[arg(long)]
    json: bool,
}

/// Print the matching commits; exit 1 when there are none.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let what = lookup_of(&args)?;
    let path = args
        .index
        .clone()
        .unwrap_or_else(|| default_index_path(&args.upstream));
    let store = Store::open_for_reading(&path)?;
    let found = store.lookup(&what)?;
    let mut out = crate::term::stdout(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &found)?;
        writeln!(out)?;
    } else {
        for c in &found {
            let pid = c.patch_id.map(|p| p.to_hex()).unwrap_or_else(|| "-".into());
            let release = c.release.as_deref().unwrap_or("-");
            writeln!(out, "{} {pid} {release:<14} {}", c.commit, c.subject)?;
        }
    }
    out.flush()?;
    if found.is_empty() {
        crate::term::say!("kdelta: no upstream commit in {} matches", path.display());
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Clean)
}

fn lookup_of(args: &Args) -> anyhow::Result<Lookup> {
    if let Some(commit) = &args.commit {
        let ok = commit.len() >= 4
            && commit.len() <= 40
            && commit.bytes().all(|b| b.is_ascii_hexdigit());
        anyhow::ensure!(ok, "--commit wants 4 to 40 hex digits, not {commit:?}");
        return Ok(Lookup::Commit(commit.clone()));
    }
    if let Some(id) = &args.patch_id {
        let parsed = PatchId::from_hex(id)
            .ok_or_else(|| anyhow::anyhow!("--patch-id wants 40 hex digits, not {id:?}"))?;
        return Ok(Lookup::PatchId(parsed));
    }
    Ok(Lookup::Subject(args.subject.clone().unwrap_or_default()))
}
