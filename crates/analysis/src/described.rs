//! Upstream commits described like a patch. The index ranks its commits (BM25 over their
//! subjects, message bodies and the words their diffs bring in) by the patch's subject,
//! description, the words its own diff brings in and the names it provides; each ranked
//! commit is then checked by which of the provided names (functions, macros, types,
//! Kconfig symbols, parameters, keys) its diff brings in too. A commit that brings in the
//! names a patch provides is where upstream got the feature, whatever the form.

use crate::{AnalysisError, History};
use kdelta_patch::diff::LineKind;
use kdelta_patch::symbols::{introduced, Symbol};
use kdelta_patch::Patch;
use kdelta_upstream::text::{is_stop_word, tokens, ChangedWords};
use std::collections::BTreeSet;

/// Commits ranked per patch.
pub const RANKED: usize = 10;

/// At most this many words of the description and of the diff go into a query each.
const MAX_TERMS: usize = 40;

/// Prose too common in patch descriptions to rank by.
const PROSE: &[&str] = &[
    "about", "after", "also", "because", "been", "before", "being", "both", "cannot", "could",
    "does", "doing", "done", "each", "even", "first", "here", "into", "just", "like", "made",
    "make", "many", "more", "most", "much", "must", "need", "needed", "needs", "only", "other",
    "over", "patch", "same", "should", "since", "some", "such", "than", "their", "them", "then",
    "there", "these", "they", "those", "thus", "upon", "used", "using", "very", "well", "were",
    "what", "where", "which", "while", "will", "without", "would", "your",
];

/// What of a patch to rank by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sources {
    /// Subject, description, the words the diff brings in, the names it provides.
    All,
    /// All but the subject (to measure the other stages alone).
    NoSubject,
    /// The diff only: the words it brings in and the names it provides.
    DiffOnly,
}

/// What a patch is ranked by, and the names a ranked commit is checked by.
#[derive(Clone, Debug, Default)]
pub struct TextQuery {
    /// The terms, lower case.
    pub terms: Vec<String>,
    /// The distinctive names the patch provides (see [`provided_names`]).
    pub provided: Vec<String>,
}

impl TextQuery {
    /// The query of `patch` from `sources`. `None` when the patch says nothing to rank by.
    pub fn of(patch: &Patch, sources: Sources) -> Option<TextQuery> {
        let provided = provided_names(patch);
        let mut terms: BTreeSet<String> = BTreeSet::new();
        if sources == Sources::All {
            if let Some(subject) = &patch.header.subject {
                terms.extend(words(&subject.title).take(MAX_TERMS));
            }
        }
        if sources != Sources::DiffOnly {
            let description = String::from_utf8_lossy(&patch.header.description);
            terms.extend(words(&description).take(MAX_TERMS));
        }
        let brought = brought_in(patch);
        terms.extend(brought.iter().flat_map(|w| words(w)).take(MAX_TERMS));
        terms.extend(provided.iter().flat_map(|n| words(n)));
        (!terms.is_empty()).then(|| TextQuery {
            terms: terms.into_iter().collect(),
            provided,
        })
    }

    /// The provided names that `words` (a ranked commit's) has too.
    pub fn shared(&self, words: &[String]) -> Vec<String> {
        let theirs: BTreeSet<&str> = words.iter().map(String::as_str).collect();
        self.provided
            .iter()
            .filter(|n| theirs.contains(n.as_str()))
            .cloned()
            .collect()
    }
}

/// Where `commit` (hex) ranks among the commits described like `patch` (from 1), if among
/// the first [`RANKED`].
pub fn rank_of(
    history: &History,
    patch: &Patch,
    commit: &str,
    sources: Sources,
) -> Result<Option<usize>, AnalysisError> {
    let Some(query) = TextQuery::of(patch, sources) else {
        return Ok(None);
    };
    let ranked = history.described(&query.terms, RANKED)?;
    Ok(ranked
        .iter()
        .position(|(c, _)| c.commit == commit)
        .map(|i| i + 1))
}

/// The tokens of `text` worth ranking by, in order, repeated ones included.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    tokens(text).filter(|t| !is_stop_word(t) && !PROSE.contains(&t.as_str()) && !is_number(t))
}

fn is_number(token: &str) -> bool {
    token.bytes().all(|b| b.is_ascii_hexdigit()) && token.bytes().any(|b| b.is_ascii_digit())
}

/// The words the patch's added lines bring in, as the index computes them for commits.
fn brought_in(patch: &Patch) -> Vec<String> {
    let mut changed = ChangedWords::default();
    for file in patch.files.iter().filter(|f| !f.binary) {
        let path = file.path().map(|p| p.to_string()).unwrap_or_default();
        for line in file.hunks.iter().flat_map(|h| &h.lines) {
            match line.kind {
                LineKind::Added => changed.line(path.as_bytes(), true, &line.text),
                LineKind::Removed => changed.line(path.as_bytes(), false, &line.text),
                LineKind::Context => {}
            }
        }
    }
    changed.brought_in()
}

/// The distinctive names `patch` provides: what it defines, and its keys, parameters and
/// attributes (not every identifier it uses).
pub fn provided_names(patch: &Patch) -> Vec<String> {
    let mut seen = BTreeSet::new();
    introduced(&patch.files)
        .into_iter()
        .filter(crate::tree::names::distinctive)
        .map(|s: Symbol| s.name)
        .filter(|n| seen.insert(n.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_patch::ParseOptions;

    const PATCH: &[u8] = b"From: A <a@example.org>
Subject: [PATCH] xenguest: activate nested virtualization

The toolstack could not turn nested virtualization on for a guest,
which this patch makes possible.

---
--- a/tools/xenguest/main.c
+++ b/tools/xenguest/main.c
@@ -1,3 +1,8 @@
 int main(void)
 {
+\tif (want_nested)
+\t\tenable_nested_virt(domid);
+}
+static int enable_nested_virt(int domid)
+{
 \treturn 0;
 }
";

    #[test]
    fn a_query_holds_the_subject_description_and_the_names_the_diff_brings_in() {
        let patch = Patch::parse(PATCH, &ParseOptions::default());
        let q = TextQuery::of(&patch, Sources::All).expect("query");
        for term in [
            "xenguest",
            "activate",
            "nested",
            "toolstack",
            "enable_nested_virt",
            "want_nested",
        ] {
            assert!(q.terms.contains(&term.to_string()), "{term}: {:?}", q.terms);
        }
        for common in ["patch", "which", "return"] {
            assert!(
                !q.terms.contains(&common.to_string()),
                "{common}: {:?}",
                q.terms
            );
        }
        assert_eq!(q.provided, ["enable_nested_virt"]);
        let theirs = vec!["domid".to_string(), "enable_nested_virt".to_string()];
        assert_eq!(q.shared(&theirs), ["enable_nested_virt"]);
        let q = TextQuery::of(&patch, Sources::NoSubject).expect("query");
        assert!(!q.terms.contains(&"activate".to_string()), "{:?}", q.terms);
        assert!(q.terms.contains(&"toolstack".to_string()), "{:?}", q.terms);
        let q = TextQuery::of(&patch, Sources::DiffOnly).expect("query");
        assert!(!q.terms.contains(&"toolstack".to_string()), "{:?}", q.terms);
        assert!(
            q.terms.contains(&"want_nested".to_string()),
            "{:?}",
            q.terms
        );
    }
}
