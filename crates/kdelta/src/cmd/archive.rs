//! `kdelta archive index PATH…` reads mailing-list archives into the archive index;
//! `kdelta archive lookup` says which postings are a patch and where they stand.

use crate::Outcome;
use kdelta_archive::{
    default_archive_path, status_of, update, ArchiveStore, IndexOptions, MatchOptions, Matcher,
    PostingStatus,
};
use kdelta_jobs::observe::IndexProgress;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `kdelta archive`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Read public-inbox inboxes or epochs, mbox files and Maildirs into the archive index (incremental)
    Index(IndexArgs),
    /// The postings of a patch, or the mails with a message-id or subject, and where they stand
    Lookup(LookupArgs),
}

/// Where the archive index is.
#[derive(clap::Args)]
struct IndexPath {
    /// The archive index file (or a directory to hold `archive.sqlite`); default: in the user's cache directory
    #[arg(long, value_name = "PATH")]
    index: Option<PathBuf>,
}

impl IndexPath {
    fn path(&self) -> PathBuf {
        match &self.index {
            Some(p) if p.is_dir() => p.join("archive.sqlite"),
            Some(p) => p.clone(),
            None => default_archive_path(),
        }
    }
}

#[derive(clap::Args)]
struct IndexArgs {
    /// Archives: a public-inbox v2 inbox (its git/N.git epochs), one epoch, a v1 inbox, an mbox file or a Maildir
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    index: IndexPath,
    /// Worker threads; default: all cores
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// No progress bar
    #[arg(long, short)]
    quiet: bool,
    /// Print the outcome as JSON
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["patch", "message_id", "subject"])))]
struct LookupArgs {
    /// A patch file: its postings, found by header links, patch-id, subject and changed lines
    #[arg(long, value_name = "FILE")]
    patch: Option<PathBuf>,
    /// A Message-ID (with or without angle brackets)
    #[arg(long, value_name = "ID")]
    message_id: Option<String>,
    /// A subject; `[PATCH …]`, prefixes, case and spacing do not matter
    #[arg(long, value_name = "TEXT")]
    subject: Option<String>,
    /// Do not use the archive links the patch's headers give
    #[arg(long)]
    no_headers: bool,
    /// Link postings with this URL template, `%s` standing for the Message-ID
    #[arg(long, value_name = "URL")]
    archive_url: Option<String>,
    #[command(flatten)]
    index: IndexPath,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

/// Run `kdelta archive …`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    match args.command {
        Command::Index(args) => index(args),
        Command::Lookup(args) => lookup(args),
    }
}

fn index(args: IndexArgs) -> anyhow::Result<Outcome> {
    let path = args.index.path();
    for p in &args.paths {
        anyhow::ensure!(p.exists(), "{}: no such file or directory", p.display());
    }
    let mut store = ArchiveStore::open_for_writing(&path)?;
    let mut options = IndexOptions::default();
    if let Some(n) = args.threads {
        options.threads = n.max(1);
    }
    let mut observer = crate::observe::Shown::new(args.quiet);
    let mut progress = IndexProgress(&mut observer, kdelta_jobs::Task::IndexingArchive);
    let paths: Vec<&Path> = args.paths.iter().map(PathBuf::as_path).collect();
    let outcome = update(&mut store, &paths, &options, &mut progress)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&outcome)?);
    } else if !args.quiet {
        for s in &outcome.sources {
            let again = if s.reread {
                " (read again from the start)"
            } else {
                ""
            };
            crate::term::say!(
                "kdelta: {} {}: {} new mails, {} removed{again}",
                s.kind.as_str(),
                crate::term::clean(&s.path),
                s.added,
                s.removed
            );
        }
        crate::term::say!(
            "kdelta: archive index {} {}: {} mails, {} patches, {} series, {:.2} s",
            path.display(),
            if outcome.up_to_date {
                "up to date"
            } else {
                "updated"
            },
            outcome.messages,
            outcome.patches,
            outcome.series,
            outcome.seconds
        );
    }
    Ok(Outcome::Clean)
}

fn lookup(args: LookupArgs) -> anyhow::Result<Outcome> {
    let path = args.index.path();
    let store = ArchiveStore::open_for_reading(&path)?;
    let found = if let Some(file) = &args.patch {
        let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let patch = kdelta_patch::Patch::parse(&bytes, &Default::default());
        let options = MatchOptions {
            headers: !args.no_headers,
            ..MatchOptions::default()
        };
        let matcher = Matcher::new(store, options);
        matcher
            .find(&patch)?
            .into_iter()
            .map(|m| {
                Ok((
                    Some((m.kind.as_str(), m.score)),
                    status_of(matcher.store(), m.posting)?,
                ))
            })
            .collect::<anyhow::Result<Vec<_>>>()?
    } else {
        let postings = match (&args.message_id, &args.subject) {
            (Some(id), _) => {
                store.by_message_id(id.trim().trim_start_matches('<').trim_end_matches('>'))?
            }
            (_, Some(subject)) => store.by_title(&kdelta_upstream::normalize_subject(subject))?,
            _ => Vec::new(),
        };
        postings
            .into_iter()
            .map(|p| Ok((None, status_of(&store, p)?)))
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    let mut out = crate::term::stdout(args.json);
    if args.json {
        let rows: Vec<_> = found
            .iter()
            .map(|(m, s)| {
                serde_json::json!({
                    "match": m.map(|(kind, score)| serde_json::json!({"kind": kind, "score": score})),
                    "url": url(&args.archive_url, &s.posting.message_id),
                    "status": s,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for (m, s) in &found {
            print_status(&mut out, *m, s, &args.archive_url)?;
        }
    }
    out.flush()?;
    if found.is_empty() {
        crate::term::say!("kdelta: no mail in {} matches", path.display());
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Clean)
}

fn url(template: &Option<String>, message_id: &str) -> Option<String> {
    template.as_ref().map(|t| t.replace("%s", message_id))
}

fn day(date: Option<i64>) -> String {
    date.map_or_else(|| "?".into(), kdelta_jobs::clock::day_of)
}

fn print_status(
    out: &mut impl Write,
    m: Option<(&str, f64)>,
    s: &PostingStatus,
    template: &Option<String>,
) -> std::io::Result<()> {
    let p = &s.posting;
    let how = m.map_or(String::new(), |(kind, score)| {
        format!("{kind} {score:.2}  ")
    });
    writeln!(
        out,
        "{how}{}  {}  {}  {}",
        day(p.date),
        p.list.as_deref().unwrap_or("-"),
        p.subject,
        p.author
    )?;
    writeln!(
        out,
        "    {}",
        url(template, &p.message_id).unwrap_or_else(|| format!("<{}>", p.message_id))
    )?;
    if let Some(latest) = s.latest() {
        let versions: Vec<String> = s
            .versions
            .iter()
            .map(|v| format!("v{} {}", v.version, day(v.date)))
            .collect();
        writeln!(
            out,
            "    versions: {}; latest v{} ({} patches)",
            versions.join(", "),
            latest.version,
            latest.total
        )?;
    }
    writeln!(
        out,
        "    {} replies, last activity {}",
        s.replies,
        day(s.last_activity)
    )?;
    for r in &s.reviews {
        for t in &r.reviews {
            writeln!(out, "    {}: {} ({})", t.name, t.value, day(r.date))?;
        }
    }
    if let Some(a) = &s.applied {
        let tree = a
            .applied
            .as_ref()
            .and_then(|x| x.tree.as_deref())
            .unwrap_or("a tree it does not name");
        writeln!(
            out,
            "    applied to {tree} by {} ({})",
            a.author,
            day(a.date)
        )?;
    }
    Ok(())
}
