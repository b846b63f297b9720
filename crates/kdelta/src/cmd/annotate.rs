//! `kdelta annotate SPEC [PATCH]`: record a human decision about a patch (owner, feature,
//! status override with its reason, notes, links, verification) or about a feature (note,
//! owner, links) in the annotations file, keeping its formatting and comments, with the
//! patch's current fingerprint and a history entry; written atomically.

use crate::args::QueueArgs;
use crate::Outcome;
use anyhow::Context;
use kdelta_analysis::Status;
use kdelta_annotations::{
    edit_feature, edit_patch, Change, FeatureEdit, Fingerprint, PatchEdit, Verified,
};
use kdelta_jobs::find_patch;
use kdelta_jobs::report::DEFAULT_ANNOTATIONS;
use kdelta_queue::QueueEntry;
use std::path::PathBuf;

/// Arguments of `kdelta annotate`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    queue: QueueArgs,
    /// The patch: its name in the queue, or a unique suffix of it (`xen-balloon-sysfs.patch`);
    /// without it, the options describe the feature named by --feature
    patch: Option<String>,
    /// The annotations file
    #[arg(long, value_name = "FILE", default_value = DEFAULT_ANNOTATIONS)]
    annotations: PathBuf,
    /// Who works on upstreaming it (`Name <email>`)
    #[arg(long, conflicts_with = "no_owner")]
    owner: Option<String>,
    /// Remove the owner
    #[arg(long)]
    no_owner: bool,
    /// The feature the patch provides (with no PATCH: the feature to describe)
    #[arg(long, conflicts_with = "no_feature")]
    feature: Option<String>,
    /// Remove the patch from its feature
    #[arg(long)]
    no_feature: bool,
    /// Override the analysis' status (needs --reason unless the file has one)
    #[arg(long, value_parser = parse_status, conflicts_with = "no_status")]
    status: Option<Status>,
    /// Why the status is overridden
    #[arg(long)]
    reason: Option<String>,
    /// Remove the status override
    #[arg(long)]
    no_status: bool,
    /// Add a note (repeatable); with no PATCH, set the feature's note
    #[arg(long = "note", value_name = "TEXT")]
    notes: Vec<String>,
    /// Add a link: a list posting, a bug (repeatable)
    #[arg(long = "link", value_name = "URL")]
    links: Vec<String>,
    /// Record that you verified the annotation today
    #[arg(long)]
    verified: bool,
    /// Who makes the change [default: $KDELTA_USER, git's user.name, or $USER]
    #[arg(long)]
    by: Option<String>,
}

fn parse_status(text: &str) -> Result<Status, String> {
    text.parse()
        .map_err(|e: kdelta_analysis::UnknownStatus| e.to_string())
}

/// Edit the annotations file: the edit is worked out first (the queue read, the patch
/// found), then applied to the file as it is under its lock, so an edit another process made
/// meanwhile is kept.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let path = &args.annotations;
    let source = path.display().to_string();
    let by = args.by.clone().unwrap_or_else(who);
    let on = kdelta_jobs::clock::today();
    let what = match &args.patch {
        Some(wanted) => {
            let queue = args.queue.read()?;
            let entry = find_patch(&queue, wanted)?;
            let edit = patch_edit(&args, entry, by, on)?;
            kdelta_annotations::update(path, |text| edit_patch(text, &source, &entry.name, &edit))?;
            entry.name.clone()
        }
        None => {
            let feature = args
                .feature
                .clone()
                .context("name a PATCH to annotate, or --feature NAME to describe a feature")?;
            let edit = feature_edit(&args)?;
            kdelta_annotations::update(path, |text| edit_feature(text, &source, &feature, &edit))?;
            format!("feature {feature}")
        }
    };
    crate::term::say!("kdelta: annotated {what} in {}", path.display());
    Ok(Outcome::Clean)
}

fn patch_edit(
    args: &Args,
    entry: &QueueEntry,
    by: String,
    on: String,
) -> anyhow::Result<PatchEdit> {
    let patch = entry
        .patch
        .as_ref()
        .with_context(|| format!("{}: the patch file is missing", entry.location))?;
    Ok(PatchEdit {
        owner: change(&args.owner, args.no_owner),
        feature: change(&args.feature, args.no_feature),
        status: match (args.status, args.no_status) {
            (Some(s), _) => Some(Change::Set(s)),
            (None, true) => Some(Change::Clear),
            (None, false) => None,
        },
        reason: match (&args.reason, args.no_status) {
            (Some(r), _) => Some(Change::Set(r.clone())),
            (None, true) => Some(Change::Clear),
            (None, false) => None,
        },
        add_notes: args.notes.clone(),
        add_links: args.links.clone(),
        verified: args.verified.then(|| Verified {
            by: by.clone(),
            on: on.clone(),
        }),
        fingerprint: Some(Fingerprint::of(patch)),
        by,
        on,
    })
}

fn feature_edit(args: &Args) -> anyhow::Result<FeatureEdit> {
    anyhow::ensure!(
        args.notes.len() <= 1,
        "a feature has one note: give --note once"
    );
    anyhow::ensure!(
        args.status.is_none() && !args.no_status && !args.verified && !args.no_feature,
        "--status, --no-status, --verified and --no-feature need a PATCH"
    );
    Ok(FeatureEdit {
        note: args.notes.first().map(|n| Change::Set(n.clone())),
        owner: change(&args.owner, args.no_owner),
        add_links: args.links.clone(),
    })
}

fn change(value: &Option<String>, clear: bool) -> Option<Change<String>> {
    match (value, clear) {
        (Some(v), _) => Some(Change::Set(v.clone())),
        (None, true) => Some(Change::Clear),
        (None, false) => None,
    }
}

/// Who is editing: `$KDELTA_USER`, git's `user.name`, or `$USER`.
fn who() -> String {
    if let Ok(user) = std::env::var("KDELTA_USER") {
        return user;
    }
    let git = std::process::Command::new("git")
        .args(["config", "user.name"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|name| !name.is_empty());
    git.or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "unknown".to_string())
}
