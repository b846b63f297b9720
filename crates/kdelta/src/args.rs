//! The command-line options several subcommands share: the queue, the upstream, the
//! release judged against, the report formats. Each turns into the jobs crate's plain
//! description of the same thing.

use kdelta_jobs::analyse::QueueSource;
use kdelta_jobs::{Analysed, UpstreamSpec};
use kdelta_report::Format;
use std::path::PathBuf;

/// The queue options.
#[derive(clap::Args)]
pub struct QueueArgs {
    /// The queue: DIR, FILE (.dsc, .debian.tar.xz, mbox, patch, .spec), REPO@REV[:SUBDIR] or REPO@A..B
    pub spec: String,
    /// Keep only patches whose name in the queue matches GLOB (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
}

impl QueueArgs {
    /// The queue these options name.
    pub fn source(&self) -> QueueSource {
        QueueSource {
            spec: self.spec.clone(),
            include: self.include.clone(),
        }
    }

    /// Read the queue.
    pub fn read(&self) -> anyhow::Result<kdelta_queue::Queue> {
        Ok(self.source().read()?)
    }
}

/// The upstream repository options.
#[derive(clap::Args)]
pub struct UpstreamArgs {
    /// The upstream git repository; indexed (or brought up to date) on the way
    #[arg(long, value_name = "GIT")]
    pub upstream: Option<PathBuf>,
    /// The index file; default: one per upstream in the user's cache directory
    #[arg(long, value_name = "PATH")]
    pub index: Option<PathBuf>,
    /// The upstream revision to judge against; default: the upstream HEAD
    #[arg(long, value_name = "REF")]
    pub at: Option<String>,
    /// Tags whose name matches GLOB are releases (when indexing on the way); default: the index's pattern, or v*
    #[arg(long, value_name = "GLOB")]
    pub release_pattern: Option<String>,
    /// Use the index as it is, without bringing it up to date first
    #[arg(long)]
    pub no_update: bool,
    /// No progress bars
    #[arg(long, short)]
    pub quiet: bool,
    /// The release judged against, when the tree's Makefile and name do not say (v6.12, 4.17);
    /// also `--release` outside `kdelta report`
    #[arg(long, value_name = "VERSION", value_parser = parse_release)]
    pub target_release: Option<kdelta_patch::Version>,
    /// Read the tree without keeping its index in the cache (beside --index, or the user's cache directory)
    #[arg(long)]
    pub no_tree_cache: bool,
    /// The mailing-list archive index (`kdelta archive index`): each patch's postings, reviews and "applied" replies
    #[arg(long, value_name = "PATH")]
    pub archive: Option<PathBuf>,
    /// Link postings in reports: a URL with %s for the Message-ID (`https://lore.kernel.org/r/%s`)
    #[arg(long, value_name = "TEMPLATE")]
    pub archive_url: Option<String>,
}

impl UpstreamArgs {
    /// The upstream these options name.
    pub fn spec(&self) -> UpstreamSpec {
        UpstreamSpec {
            repository: self.upstream.clone(),
            index: self.index.clone(),
            at: self.at.clone(),
            release_pattern: self.release_pattern.clone(),
            no_update: self.no_update,
            target_release: self.target_release.clone(),
            no_tree_cache: self.no_tree_cache,
            archive: self.archive.clone(),
            posting_match: Default::default(),
            archive_url: self.archive_url.clone(),
        }
    }

    /// The CLI's observer: bars unless `--quiet`.
    pub fn observer(&self) -> crate::observe::Shown {
        crate::observe::Shown::new(self.quiet)
    }
}

/// `--release VERSION`: the release judged against, for the commands where `--release` does
/// not name the distribution's release (it does in `kdelta report`).
#[derive(clap::Args)]
pub struct ReleaseArg {
    /// The release judged against, when the tree's Makefile and name do not say (v6.12, 4.17)
    #[arg(long, value_name = "VERSION", value_parser = parse_release)]
    release: Option<kdelta_patch::Version>,
}

impl ReleaseArg {
    /// Put the release into `upstream`, unless `--target-release` gave one.
    pub fn apply(&self, upstream: &mut UpstreamArgs) {
        if upstream.target_release.is_none() {
            upstream.target_release = self.release.clone();
        }
    }
}

/// A queue judged against an upstream: what `analyze` and `rebase` take alike.
#[derive(clap::Args)]
pub struct JudgeArgs {
    #[command(flatten)]
    pub queue: QueueArgs,
    #[command(flatten)]
    pub upstream: UpstreamArgs,
    #[command(flatten)]
    pub release: ReleaseArg,
}

impl JudgeArgs {
    /// Judge the queue against the upstream and `tree`, with progress bars unless `--quiet`.
    pub fn analyse(&mut self, tree: Option<&std::path::Path>) -> anyhow::Result<Analysed> {
        self.release.apply(&mut self.upstream);
        let mut observer = self.upstream.observer();
        let spec = self.upstream.spec();
        Ok(kdelta_jobs::analyse(
            &self.queue.source(),
            &spec,
            tree,
            &mut observer,
        )?)
    }
}

fn parse_release(text: &str) -> Result<kdelta_patch::Version, String> {
    kdelta_patch::Version::parse(text)
        .ok_or_else(|| format!("{text:?} is not a release (expected e.g. v6.12, 6.12.107, 4.17)"))
}

/// The report formats to write (`report`, `compare` and `history` take them alike).
#[derive(clap::Args)]
pub struct FormatArgs {
    /// The formats to write, comma-separated: html, md, mediawiki, json, csv
    #[arg(
        long = "format",
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "html,md,mediawiki,json,csv",
        value_parser = parse_format
    )]
    pub formats: Vec<Format>,
    /// Link upstream commits: a URL with {commit} (`https://git.kernel.org/linus/{commit}`)
    #[arg(long, value_name = "TEMPLATE")]
    pub commit_url: Option<String>,
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::parse(name).map_err(|e| e.to_string())
}

/// What a report is made of besides the queue and the upstream (`report` and `push` take
/// them alike).
#[derive(clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub upstream: UpstreamArgs,
    /// An upstream source tree to judge against: a directory or a tarball (.tar.xz, .tar.gz)
    #[arg(long, value_name = "DIR|TARBALL")]
    pub tree: Option<PathBuf>,
    /// The annotations file [default: kdelta-annotations.toml, when it exists]
    #[arg(long, value_name = "FILE")]
    pub annotations: Option<PathBuf>,
    /// The distribution's name in headings [default: the queue's directory or file name]
    #[arg(long)]
    pub name: Option<String>,
    /// The distribution's release in headings (`13.1`, `bookworm`)
    #[arg(long)]
    pub release: Option<String>,
}

impl ReportArgs {
    /// Analyse `queue` and build its report, as these options say.
    pub fn make(
        &self,
        queue: QueueSource,
        commit_url: Option<String>,
    ) -> anyhow::Result<kdelta_jobs::report::Made> {
        let annotations = kdelta_jobs::report::load_annotations(self.annotations.as_deref())?;
        let job = kdelta_jobs::report::ReportJob {
            queue,
            upstream: self.upstream.spec(),
            tree: self.tree.clone(),
            name: self.name.clone(),
            release: self.release.clone(),
            commit_url,
            generated_at: Some(kdelta_jobs::clock::timestamp()),
        };
        let made =
            kdelta_jobs::report::make_report(&job, &annotations, &mut self.upstream.observer())?;
        Ok(made)
    }
}
