//! Who can upstream a patch or a feature: what the upstream `MAINTAINERS` says of the files
//! it touches (as `scripts/get_maintainer.pl` answers), the upstream authors most active on
//! them in the 24 months before the target revision (from the index), and the patch's own
//! author and signers.

use crate::{JobError, Observer};
use kdelta_analysis::people::{active_authors, patch_people, ActiveAuthor, PatchPerson, TWO_YEARS};
use kdelta_analysis::History;
use kdelta_maintainers::{Answer, Maintainers};
use kdelta_patch::Patch;
use kdelta_upstream::tree::{read_files, TreeSource};
use serde::Serialize;
use std::collections::HashSet;

/// Who can upstream one patch or feature.
#[derive(Serialize)]
pub struct Who {
    /// The patch's name, or the feature's.
    pub name: String,
    /// The files it touches.
    pub files: Vec<String>,
    /// What MAINTAINERS says, as get_maintainer.pl would.
    pub maintainers: Answer,
    /// get_maintainer.pl's output lines.
    pub lines: Vec<String>,
    /// Upstream authors most active on the files in the 24 months before the target.
    pub active_authors: Vec<ActiveAuthor>,
    /// The patch's own author and signers (for a feature: of all its patches).
    pub patch_people: Vec<PatchPerson>,
}

/// Where to look people up: MAINTAINERS, and the index over a window of time.
pub struct Directory<'h> {
    /// The upstream MAINTAINERS.
    pub maintainers: Maintainers,
    /// The upstream history, for active authors.
    pub history: &'h Option<History>,
    /// The 24 months before the target (start and end, seconds).
    pub window: Option<(i64, i64)>,
    /// How many active authors to name.
    pub authors: usize,
}

/// MAINTAINERS (with the tree's .mailmap and directories) from the upstream tree.
pub fn read_maintainers(
    source: &TreeSource,
    observer: &mut dyn Observer,
) -> Result<Maintainers, JobError> {
    let found = read_files(source, &|p: &str| p == "MAINTAINERS" || p == ".mailmap")?;
    let text = found
        .files
        .get("MAINTAINERS")
        .ok_or_else(|| JobError::Input(format!("{}: no MAINTAINERS file", found.describe)))?;
    let mailmap = found.files.get(".mailmap").map(Vec::as_slice);
    let paths = found.paths.iter().map(String::as_str);
    Ok(maintainers_from(
        text,
        mailmap,
        paths,
        &found.describe,
        observer,
    ))
}

/// The maintainers of a tree from its MAINTAINERS and .mailmap texts and its file paths
/// (which settle which patterns name directories).
pub fn maintainers_from<'p>(
    text: &[u8],
    mailmap: Option<&[u8]>,
    paths: impl Iterator<Item = &'p str>,
    describe: &str,
    observer: &mut dyn Observer,
) -> Maintainers {
    let (mut maintainers, problems) = Maintainers::parse(&String::from_utf8_lossy(text));
    for p in problems.iter().take(5) {
        observer.warning(&format!("{describe}: MAINTAINERS: {p}"));
    }
    if let Some(mailmap) = mailmap {
        let mailmap = kdelta_maintainers::Mailmap::parse(&String::from_utf8_lossy(mailmap));
        maintainers = maintainers.with_mailmap(mailmap);
    }
    let dirs: HashSet<&str> = paths
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect();
    maintainers.resolve_directories(|p| dirs.contains(p.trim_end_matches('/')));
    maintainers
}

/// The 24 months before the target revision (or before the newest indexed commit).
pub fn window(history: &History, at: Option<gix::ObjectId>) -> Result<(i64, i64), JobError> {
    let store = history.store();
    let until = match at {
        Some(id) => store
            .lookup(&kdelta_upstream::Lookup::Commit(id.to_string()))?
            .first()
            .map(|c| c.author_time),
        None => None,
    }
    .unwrap_or(i64::MAX);
    Ok((until.saturating_sub(TWO_YEARS), until))
}

/// The files `patches` touch together, sorted, each once.
pub fn files_of(patches: &[&Patch]) -> Vec<String> {
    let mut files: Vec<String> = patches
        .iter()
        .flat_map(|p| &p.files)
        .filter_map(|f| f.new_path.as_ref().or(f.old_path.as_ref()))
        .map(|p| p.to_string())
        .collect();
    files.sort();
    files.dedup();
    files
}

/// The patch as get_maintainer.pl reads one: description (for `K:` keywords) and diff.
fn patch_text(patch: &Patch) -> String {
    let subject = patch.header.subject.as_ref().map_or("", |s| s.raw.as_str());
    format!(
        "Subject: {subject}\n\n{}\n---\n{}",
        patch.header.description,
        String::from_utf8_lossy(&kdelta_patch::diff::git_text(&patch.files))
    )
}

impl Directory<'_> {
    /// Who can upstream `patches` together, under `name`.
    pub fn who(&self, name: &str, patches: &[&Patch]) -> Result<Who, JobError> {
        let files = files_of(patches);
        let texts: Vec<String> = patches.iter().map(|p| patch_text(p)).collect();
        let answer = self.maintainers.answer(&kdelta_maintainers::Query::patches(
            texts.iter().map(String::as_str),
        ));
        let active = match (self.history, self.window) {
            (Some(h), Some((since, until))) => {
                active_authors(h.store(), &files, since, until, self.authors)?
            }
            _ => Vec::new(),
        };
        let mut people: Vec<PatchPerson> = Vec::new();
        for p in patches {
            for person in patch_people(p) {
                if !people.iter().any(|q| q.who == person.who) {
                    people.push(person);
                }
            }
        }
        Ok(Who {
            name: name.to_string(),
            files,
            lines: answer.lines(),
            maintainers: answer,
            active_authors: active,
            patch_people: people,
        })
    }
}
