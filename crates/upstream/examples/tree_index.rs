//! Index an upstream tree (or load its cached index) and report what it holds and how long
//! that took.
//!
//! Usage: `tree_index PATH [--rev REV] [--cache DIR] [--word W]… [--def NAME]…`
//!
//! PATH is a directory or tarball, or with `--rev` a git repository.

use kdelta_upstream::tree::{open, TreeSource};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut path, mut rev, mut cache) = (None, None, None);
    let (mut words, mut defs) = (Vec::new(), Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rev" => rev = args.next(),
            "--cache" => cache = args.next().map(PathBuf::from),
            "--word" => words.extend(args.next()),
            "--def" => defs.extend(args.next()),
            _ => path = Some(PathBuf::from(arg)),
        }
    }
    let path = path.ok_or("usage: tree_index PATH [--rev REV] [--cache DIR]")?;
    let source = match rev {
        Some(rev) => TreeSource::Git { repo: path, rev },
        None => TreeSource::detect(&path)?,
    };
    let started = Instant::now();
    let index = open(&source, cache.as_deref())?;
    eprintln!(
        "{}: {} paths, release {:?}, in {:.2} s{}",
        index.describe(),
        index.len(),
        index.release().map(|r| r.to_string()),
        started.elapsed().as_secs_f64(),
        index
            .cache_note()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default()
    );
    let (words_n, pairs, defs_n) = index.stats();
    eprintln!("{words_n} words, {pairs} word-file pairs, {defs_n} definitions");
    for w in &words {
        let files: Vec<&str> = index
            .files_with(w)
            .iter()
            .take(5)
            .map(|&f| index.path(f))
            .collect();
        println!("word {w}: {} files, e.g. {files:?}", index.word_count(w));
    }
    for d in &defs {
        for def in index.definitions(d) {
            println!(
                "def {d}: {:?} {}:{}",
                def.kind,
                index.path(def.file),
                def.line
            );
        }
    }
    Ok(())
}
