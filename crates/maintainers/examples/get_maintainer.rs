//! `get_maintainer.pl --no-git --no-git-fallback` with kdelta-maintainers, for comparing the
//! two line by line (`scripts/check-maintainers.sh`).
//!
//! ```sh
//! cargo run --release -p kdelta-maintainers --example get_maintainer -- \
//!     [--tree DIR [--infer-dirs]] [--patch] [--json] [--time] MAINTAINERS PATH...
//! ```
//!
//! PATHs are files of the tree (`-f`), or patch files with `--patch`. With `--tree DIR` (the
//! top of a kernel tree, where the script runs) it also does what the script does with the
//! tree: applies `DIR/.mailmap`, asks `DIR` which `F:` patterns are directories, and reads the
//! `.yaml` files of the query for addresses (`--infer-dirs`: all but the directories, which are
//! then inferred from the paths asked about). `--time` prints to stderr how long parsing
//! `MAINTAINERS` and answering took; `--json` prints the answer as JSON instead of lines.

use kdelta_maintainers::{Mailmap, Maintainers, Query};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The command line.
#[derive(Default)]
struct Args {
    tree: Option<PathBuf>,
    infer_dirs: bool,
    patch: bool,
    json: bool,
    time: bool,
    maintainers: PathBuf,
    paths: Vec<String>,
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)).and_then(|args| run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("get_maintainer: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse_args(mut words: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args::default();
    let mut positional = Vec::new();
    while let Some(word) = words.next() {
        match word.as_str() {
            "--tree" => args.tree = Some(words.next().ok_or("--tree needs a directory")?.into()),
            "--infer-dirs" => args.infer_dirs = true,
            "--patch" => args.patch = true,
            "--json" => args.json = true,
            "--time" => args.time = true,
            _ => positional.push(word),
        }
    }
    let mut positional = positional.into_iter();
    args.maintainers = positional
        .next()
        .ok_or(
            "usage: get_maintainer [--tree DIR [--infer-dirs]] [--patch] [--json] [--time] MAINTAINERS PATH...",
        )?
        .into();
    args.paths = positional.collect();
    Ok(args)
}

fn run(args: &Args) -> Result<(), String> {
    let text = read(&args.maintainers)?;
    let started = Instant::now();
    let (mut maintainers, problems) = Maintainers::parse(&text);
    let parsed = started.elapsed();
    for problem in &problems {
        eprintln!("{}:{problem}", args.maintainers.display());
    }
    if let Some(tree) = &args.tree {
        if !args.infer_dirs {
            maintainers.resolve_directories(|pattern| tree.join(pattern).is_dir());
        }
        if let Ok(mailmap) = std::fs::read_to_string(tree.join(".mailmap")) {
            maintainers = maintainers.with_mailmap(Mailmap::parse(&mailmap));
        }
    }
    let patches = if args.patch {
        args.paths
            .iter()
            .map(|p| read(Path::new(p)))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let texts = yaml_texts(args);
    let mut query = if args.patch {
        Query::patches(patches.iter().map(String::as_str))
    } else {
        Query::files(args.paths.iter().map(|p| canonical(p)))
    };
    query.file_texts = texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let started = Instant::now();
    let answer = maintainers.answer(&query);
    let answered = started.elapsed();
    if args.json {
        let json = serde_json::to_string_pretty(&answer).map_err(|e| e.to_string())?;
        println!("{json}");
    } else {
        for line in answer.lines() {
            println!("{line}");
        }
    }
    if args.time {
        let sections = maintainers.sections().len();
        eprintln!(
            "parse: {parsed:.2?} ({} bytes, {sections} sections); answer: {answered:.2?}",
            text.len()
        );
    }
    Ok(())
}

/// The texts of the query's `.yaml` files in the tree (patch mode: of the files it names).
fn yaml_texts(args: &Args) -> Vec<(String, String)> {
    let Some(tree) = &args.tree else {
        return Vec::new();
    };
    let files: Vec<String> = if args.patch {
        args.paths
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .flat_map(|p| kdelta_maintainers::scan_patch(&p).files)
            .collect()
    } else {
        args.paths.iter().map(|p| canonical(p)).collect()
    };
    files
        .into_iter()
        .filter(|f| f.ends_with(".yaml"))
        .filter_map(|f| std::fs::read_to_string(tree.join(&f)).ok().map(|t| (f, t)))
        .collect()
}

/// A path as the script's `canonpath` leaves it: no `./`, no doubled or trailing `/`.
fn canonical(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let joined = parts.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}
