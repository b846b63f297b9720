//! Scan an upstream tree once and report what was found and how long it took.
//!
//! Usage: `tree_scan PATH [--rev REV] [--needles FILE] [--want GLOB] [--counts]`
//!
//! PATH is a directory or tarball, or with `--rev` a git repository. The needles file
//! holds one needle a line: identifiers are searched as whole words, anything else as a
//! substring. Files matching GLOB (default `**/Kconfig`) are kept. `--counts` prints
//! each needle's file count, tab-separated, after the summary.

use kdelta_upstream::tree::{scan, Needle, ScanRequest, TreeSource};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut rev = None;
    let mut needles_file = None;
    let mut want = "**/Kconfig".to_string();
    let mut counts = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rev" => rev = args.next(),
            "--needles" => needles_file = args.next(),
            "--counts" => counts = true,
            "--want" => want = args.next().ok_or("--want needs a glob")?,
            _ => path = Some(PathBuf::from(arg)),
        }
    }
    let path =
        path.ok_or("usage: tree_scan PATH [--rev REV] [--needles FILE] [--want GLOB] [--counts]")?;
    let source = match rev {
        Some(rev) => TreeSource::Git { repo: path, rev },
        None => TreeSource::detect(&path)?,
    };
    let needles = match needles_file {
        Some(file) => read_needles(&std::fs::read_to_string(file)?),
        None => Vec::new(),
    };
    let glob = globset::Glob::new(&want)?.compile_matcher();
    let request = ScanRequest {
        wanted: Box::new(move |p| glob.is_match(p)),
        needles,
    };
    let start = Instant::now();
    let result = scan(&source, &request)?;
    let elapsed = start.elapsed().as_secs_f64();
    let found = result.hit_counts.iter().filter(|&&n| n > 0).count();
    let total: usize = result.hit_counts.iter().sum();
    println!("source:        {}", result.describe);
    println!("paths:         {}", result.paths.len());
    println!("wanted files:  {}", result.files.len());
    println!("needles:       {}", request.needles.len());
    println!("needles found: {found}");
    println!("(needle,file): {total}");
    println!("elapsed:       {elapsed:.2} s");
    if counts {
        for (needle, count) in request.needles.iter().zip(&result.hit_counts) {
            println!("{count}\t{}", needle.text);
        }
    }
    Ok(())
}

fn read_needles(text: &str) -> Vec<Needle> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let word = l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            Needle {
                text: l.to_string(),
                whole_word: word,
            }
        })
        .collect()
}
