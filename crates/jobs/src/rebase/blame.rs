//! Which upstream commits changed what a conflicting hunk expects: the commits between the
//! queue's base and the target (`git rev-list --no-merges BASE..TARGET`), newest first,
//! whose diff removes or rewrites a line the hunk needs to find (a context or removed
//! line that is not trivial), or deletes its file. Only the failed hunks' files are
//! diffed, so a range of thousands of commits costs little more than their tree diffs.

use crate::JobError;
use kdelta_analysis::rebase::push::Push;
use kdelta_analysis::rebase::{Action, Step};
use kdelta_patch::apply::{is_trivial, Placed};
use kdelta_patch::diff::LineKind;
use kdelta_patch::{ChangeKind, Patch};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// At most this many commits are named per hunk.
const PER_HUNK: usize = 3;

/// One failed hunk to explain: where its reason goes, and what it expects to find.
struct Failed {
    step: usize,
    path: String,
    hunk: usize,
    expects: HashSet<Vec<u8>>,
    found: Vec<String>,
}

/// Add to each conflict of `steps` the commits of `repo` in `base..target` that changed
/// the lines its failed hunks expect. `patches` and `pushes` are by entry, like `steps`.
pub fn explain(
    repo: &Path,
    base: &str,
    target: &str,
    patches: &[Option<&Patch>],
    pushes: &[Option<Push>],
    steps: &mut [Step],
) -> Result<(), JobError> {
    let mut failed = failed_hunks(patches, pushes, steps);
    if failed.is_empty() {
        return Ok(());
    }
    let repo = gix::open(repo).map_err(|e| JobError::Git(format!("{}: {e}", repo.display())))?;
    let commits = kdelta_git::range_commits(&repo, base, target)
        .map_err(|e| JobError::Git(format!("{base}..{target}: {e}")))?;
    let paths: HashSet<Vec<u8>> = failed.iter().map(|f| f.path.as_bytes().to_vec()).collect();
    let mut formatter = kdelta_git::PatchFormatter::new(&repo);
    let mut text = Vec::new();
    for commit in commits.iter().rev() {
        if failed.iter().all(|f| f.found.len() >= PER_HUNK) {
            break;
        }
        text.clear();
        let keep = |p: &[u8]| paths.contains(p);
        let touched = formatter
            .write_patch_touching(*commit, &keep, &mut text)
            .map_err(|e| JobError::Git(format!("{commit}: {e}")))?;
        if touched {
            credit(
                &Patch::parse(&text, &Default::default()),
                *commit,
                &mut failed,
            );
        }
    }
    for f in failed.into_iter().filter(|f| !f.found.is_empty()) {
        if let Some(step) = steps.get_mut(f.step) {
            step.why.push(format!(
                "{} hunk {}: changed upstream by {}",
                f.path,
                f.hunk + 1,
                f.found.join(", ")
            ));
        }
    }
    Ok(())
}

/// The failed hunks of the conflicting steps that are not blocked by an earlier patch.
fn failed_hunks(
    patches: &[Option<&Patch>],
    pushes: &[Option<Push>],
    steps: &[Step],
) -> Vec<Failed> {
    let mut out = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        if step.action != Action::Conflict {
            continue;
        }
        let (Some(Some(patch)), Some(Some(push))) = (patches.get(i), pushes.get(i)) else {
            continue;
        };
        for file in &push.files {
            let Some(diff) = patch.files.get(file.diff) else {
                continue;
            };
            for (n, (placed, hunk)) in file.hunks.iter().zip(&diff.hunks).enumerate() {
                if !matches!(placed, Placed::Failed { .. }) || file.blocked_by.contains_key(&n) {
                    continue;
                }
                let expects = hunk
                    .lines
                    .iter()
                    .filter(|l| l.kind != LineKind::Added && !is_trivial(&l.text))
                    .map(|l| l.text.to_vec())
                    .collect();
                out.push(Failed {
                    step: i,
                    path: file.path.clone(),
                    hunk: n,
                    expects,
                    found: Vec::new(),
                });
            }
        }
    }
    out
}

/// Credit `commit` (its diff restricted to the failed hunks' files) to each hunk whose
/// expected lines it removes, or whose file it deletes.
fn credit(diff: &Patch, commit: gix::ObjectId, failed: &mut [Failed]) {
    let mut removed: HashMap<String, (bool, HashSet<&[u8]>)> = HashMap::new();
    for file in &diff.files {
        let Some(path) = file.old_path.as_ref().map(|p| p.to_string()) else {
            continue;
        };
        let entry = removed.entry(path).or_default();
        entry.0 |= file.change == ChangeKind::Deleted;
        entry.1.extend(
            file.hunks
                .iter()
                .flat_map(|h| &h.lines)
                .filter(|l| l.kind == LineKind::Removed)
                .map(|l| l.text.as_slice()),
        );
    }
    let subject = diff
        .header
        .subject
        .as_ref()
        .map(|s| s.title.clone())
        .unwrap_or_default();
    let short = commit.to_hex_with_len(12).to_string();
    for f in failed.iter_mut().filter(|f| f.found.len() < PER_HUNK) {
        let Some((deleted, lines)) = removed.get(&f.path) else {
            continue;
        };
        if *deleted || f.expects.iter().any(|e| lines.contains(e.as_slice())) {
            let what = if *deleted { " (deletes the file)" } else { "" };
            f.found.push(format!("{short} (\"{subject}\"){what}"));
        }
    }
}
