//! Who can upstream a patch, besides what MAINTAINERS says: the upstream authors most active
//! on the files it touches (from the index), and the patch's own author and signers.

use crate::AnalysisError;
use kdelta_patch::Patch;
use kdelta_upstream::Store;
use serde::Serialize;
use std::collections::HashMap;

/// Commits looked at per file, newest first.
const PER_FILE: usize = 400;

/// Seconds in 24 months (730 days).
pub const TWO_YEARS: i64 = 730 * 86_400;

/// An upstream author active on some files.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActiveAuthor {
    /// `Name <email>` as the newest of their commits writes it.
    pub author: String,
    /// Their commits touching the files in the window.
    pub commits: usize,
    /// Their newest such commit's author time.
    pub last: i64,
}

/// The authors of upstream commits touching `paths` with an author time in
/// `since..=until`, most commits first (ties: most recent first), at most `limit`.
pub fn active_authors(
    store: &Store,
    paths: &[String],
    since: i64,
    until: i64,
    limit: usize,
) -> Result<Vec<ActiveAuthor>, AnalysisError> {
    let mut rows: Vec<i64> = Vec::new();
    for path in paths {
        rows.extend(store.rows_touching(path, PER_FILE)?);
    }
    rows.sort_unstable();
    rows.dedup();
    let mut by_email: HashMap<String, ActiveAuthor> = HashMap::new();
    for commit in store.commits_by_rows(&rows)? {
        if commit.author_time < since || commit.author_time > until {
            continue;
        }
        let key = email(&commit.author);
        let entry = by_email.entry(key).or_insert_with(|| ActiveAuthor {
            author: commit.author.clone(),
            commits: 0,
            last: commit.author_time,
        });
        entry.commits += 1;
        if commit.author_time >= entry.last {
            entry.last = commit.author_time;
            entry.author = commit.author.clone();
        }
    }
    let mut authors: Vec<ActiveAuthor> = by_email.into_values().collect();
    authors.sort_by(|a, b| {
        b.commits
            .cmp(&a.commits)
            .then(b.last.cmp(&a.last))
            .then(a.author.cmp(&b.author))
    });
    authors.truncate(limit);
    Ok(authors)
}

/// The email of `Name <email>`, lower-cased (the whole text when there is none).
pub(crate) fn email(author: &str) -> String {
    let inner = author
        .rsplit_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map_or(author, |(email, _)| email);
    inner.trim().to_lowercase()
}

/// Someone the patch itself names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PatchPerson {
    /// `Name <email>`.
    pub who: String,
    /// How the patch names them: `author`, `Signed-off-by`, `Acked-by`…
    pub role: String,
}

/// The trailers that name people who worked on or vouched for a patch.
const PERSON_TRAILERS: [&str; 6] = [
    "signed-off-by",
    "co-developed-by",
    "acked-by",
    "reviewed-by",
    "tested-by",
    "suggested-by",
];

/// The patch's author and the people its trailers name, each once (first role kept).
pub fn patch_people(patch: &Patch) -> Vec<PatchPerson> {
    let mut out: Vec<PatchPerson> = Vec::new();
    let mut add = |who: String, role: &str| {
        let key = email(&who);
        if !who.trim().is_empty() && !out.iter().any(|p| email(&p.who) == key) {
            out.push(PatchPerson {
                who,
                role: role.to_string(),
            });
        }
    };
    if let Some(author) = &patch.header.author {
        add(author.to_string(), "author");
    }
    for field in patch.header.fields.iter().chain(&patch.header.trailers) {
        if PERSON_TRAILERS.contains(&field.name.to_ascii_lowercase().as_str()) {
            add(field.value.to_string(), &field.name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_patch::ParseOptions;

    #[test]
    fn the_patch_names_its_people_once() {
        let text = "From: Ada <ada@example.org>\nSubject: x\n\nbody\n\nSigned-off-by: Ada <ADA@example.org>\nAcked-by: Bob <bob@example.org>\nCc: c@example.org\n---\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";
        let patch = Patch::parse(text.as_bytes(), &ParseOptions::default());
        let people: Vec<(String, String)> = patch_people(&patch)
            .into_iter()
            .map(|p| (p.who, p.role))
            .collect();
        assert_eq!(
            people,
            [
                ("Ada <ada@example.org>".to_string(), "author".to_string()),
                ("Bob <bob@example.org>".to_string(), "Acked-by".to_string()),
            ]
        );
    }

    #[test]
    fn emails_are_compared_without_case_or_name() {
        assert_eq!(email("Ada L <Ada@Example.org>"), "ada@example.org");
        assert_eq!(email("someone@citrix.com"), "someone@citrix.com");
    }
}
