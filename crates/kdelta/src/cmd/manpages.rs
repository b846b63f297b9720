//! `kdelta manpages DIR`: the manual pages, from the command line's own definition:
//! `kdelta.1`, and `kdelta-SUBCOMMAND.1` for every subcommand (`kdelta-archive-index.1`
//! for nested ones), written together, atomically.

use crate::Outcome;
use anyhow::Context;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The directory to write the pages into (made if missing)
    dir: PathBuf,
}

pub fn run(args: Args, mut command: clap::Command) -> anyhow::Result<Outcome> {
    command.build();
    let mut pages = Vec::new();
    collect(&command, "kdelta", &mut pages)?;
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("{}: cannot make the directory", args.dir.display()))?;
    let files: Vec<(PathBuf, Vec<u8>)> = pages
        .into_iter()
        .map(|(name, page)| (args.dir.join(format!("{name}.1")), page))
        .collect();
    kdelta_annotations::write_all_atomically(&files)
        .map_err(|(path, e)| anyhow::anyhow!("{}: {e}", path.display()))?;
    for (path, _) in &files {
        println!("{}", path.display());
    }
    Ok(Outcome::Clean)
}

/// The page of `command`, named `name`, and those of its subcommands.
fn collect(
    command: &clap::Command,
    name: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> anyhow::Result<()> {
    let mut page = Vec::new();
    let titled = command.clone().name(name.to_string());
    clap_mangen::Man::new(titled)
        .render(&mut page)
        .with_context(|| format!("rendering the page of {name}"))?;
    pages.push((name.to_string(), page));
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        collect(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}
