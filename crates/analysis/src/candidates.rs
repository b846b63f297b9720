//! The index stages of the cascade: upstream commits named by the headers (verified in the
//! index), with the same patch-id, with the same normalised subject, and with similar changed
//! lines (retrieved through the similarity index and the files the patch touches, never by
//! comparing with every commit) — each scored, best first.

use crate::claims::{ClaimKind, RawClaim};
use crate::described::{Sources, TextQuery, RANKED};
use crate::lines::LineSet;
use crate::model::Candidate;
use crate::upstream::History;
use crate::{AnalysisError, AnalysisOptions};
use kdelta_patch::Patch;
use kdelta_upstream::StoredCommit;
use std::collections::BTreeMap;

/// Why a commit is a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// Same stable patch-id.
    PatchId,
    /// Named by a header.
    Header,
    /// Same normalised subject.
    Subject,
    /// Retrieved by similar changed lines.
    SimilarLines,
    /// Touches the same files.
    SameFiles,
    /// Ranked high by its description and the names its diff brings in.
    Described,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Reason::PatchId => "patch-id",
            Reason::Header => "header",
            Reason::Subject => "subject",
            Reason::SimilarLines => "similar-lines",
            Reason::SameFiles => "same-files",
            Reason::Described => "described",
        }
    }
}

/// A candidate while it is being scored.
pub struct Scored {
    pub commit: StoredCommit,
    pub reasons: Vec<Reason>,
    pub similarity: f64,
    /// Share of the patch's files the commit touches too.
    pub overlap: f64,
    pub exact: bool,
    pub score: f64,
    pub in_target: bool,
    /// Commits named by a header that say they were cherry-picked from this one.
    pub picked_by: Vec<String>,
    /// How it ranked by text, when it did.
    pub text: Option<TextMatch>,
}

/// How a candidate ranked by text (see [`crate::described`]).
#[derive(Clone, Debug, PartialEq)]
pub struct TextMatch {
    /// Its rank, from 1.
    pub rank: usize,
    /// The names the patch provides that its diff brings in too.
    pub shared: Vec<String>,
    /// How many names the patch provides.
    pub provided: usize,
}

impl TextMatch {
    /// The share of the patch's provided names the commit brings in.
    pub fn share(&self) -> f64 {
        if self.provided == 0 {
            0.0
        } else {
            self.shared.len() as f64 / self.provided as f64
        }
    }
}

impl Scored {
    /// Whether `reason` is among the reasons.
    pub fn has(&self, reason: Reason) -> bool {
        self.reasons.contains(&reason)
    }

    /// The public form.
    pub fn to_candidate(&self) -> Candidate {
        Candidate {
            commit: self.commit.commit.clone(),
            subject: self.commit.subject.clone(),
            release: self.commit.release.clone(),
            score: round(self.score),
            similarity: round(self.similarity),
            reasons: self
                .reasons
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
            in_target: self.in_target,
            names: self
                .text
                .as_ref()
                .map(|t| t.shared.clone())
                .unwrap_or_default(),
        }
    }
}

/// Round to three decimals, for output.
pub fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Gather the candidates of `patch`, score them and sort them best first.
pub fn gather(
    history: &mut History,
    patch: &Patch,
    claims: &[RawClaim],
    lines: &LineSet,
    options: &AnalysisOptions,
) -> Result<Vec<Scored>, AnalysisError> {
    let mut found: BTreeMap<String, (StoredCommit, Vec<Reason>)> = BTreeMap::new();
    let mut add = |commits: Vec<StoredCommit>, reason: Reason| {
        for c in commits {
            let entry = found
                .entry(c.commit.clone())
                .or_insert_with(|| (c, Vec::new()));
            if !entry.1.contains(&reason) {
                entry.1.push(reason);
            }
        }
    };
    let mut picked: Vec<(String, String)> = Vec::new();
    for claim in claims {
        if let ClaimKind::Commit(id) = &claim.kind {
            if id.len() >= 7 {
                let named = history.by_commit(id)?;
                // A stable-branch copy names the commit it was picked from: that one is
                // the answer when the copy is not in the history judged against.
                for copy in &named {
                    for origin in history.picked_from(copy)? {
                        picked.push((origin.commit.clone(), copy.commit.clone()));
                        add(vec![origin], Reason::Header);
                    }
                }
                add(named, Reason::Header);
            }
        }
    }
    if let Some(id) = patch.patch_id() {
        add(history.by_patch_id(id)?, Reason::PatchId);
    }
    if let Some(subject) = patch
        .header
        .subject
        .as_ref()
        .filter(|_| options.use_subject)
    {
        if subject.title.len() >= 12 {
            add(history.by_subject(&subject.title)?, Reason::Subject);
        }
    }
    let mut texts: BTreeMap<String, TextMatch> = BTreeMap::new();
    let sources = if options.use_subject {
        Sources::All
    } else {
        Sources::NoSubject
    };
    if let Some(mut query) = TextQuery::of(patch, sources) {
        query.provided = rare_names(history, query.provided)?;
        for (i, (commit, ranked)) in history
            .described(&query.terms, RANKED)?
            .into_iter()
            .enumerate()
        {
            let text = TextMatch {
                rank: i + 1,
                shared: query.shared(&ranked.words),
                provided: query.provided.len(),
            };
            texts.insert(commit.commit.clone(), text);
            add(vec![commit], Reason::Described);
        }
    }
    add(
        history.similar(lines, options.retrieve)?,
        Reason::SimilarLines,
    );
    for file in patch.files.iter().take(8) {
        if let Some(path) = file.path() {
            let recent = history.touching(&path.to_string(), options.per_file)?;
            add(recent, Reason::SameFiles);
        }
    }
    let paths: Vec<String> = patch
        .files
        .iter()
        .filter_map(|f| f.path().map(|p| p.to_string()))
        .collect();
    let mut scored = score_all(
        history,
        found.into_values().collect(),
        (lines, &texts),
        &paths,
        options,
    )?;
    for s in &mut scored {
        s.picked_by = picked
            .iter()
            .filter(|(origin, _)| *origin == s.commit.commit)
            .map(|(_, copy)| copy.clone())
            .collect();
    }
    Ok(scored)
}

/// The names of `names` rare enough in the index to identify a change.
fn rare_names(history: &History, names: Vec<String>) -> Result<Vec<String>, AnalysisError> {
    let mut rare = Vec::with_capacity(names.len());
    for name in names {
        if history.is_rare_name(&name)? {
            rare.push(name);
        }
    }
    Ok(rare)
}

/// The share of `paths` that `commit` touches too.
fn overlap(paths: &[String], commit: &StoredCommit) -> f64 {
    if paths.is_empty() {
        return 0.0;
    }
    let shared = paths.iter().filter(|p| commit.files.contains(p)).count();
    shared as f64 / paths.len() as f64
}

fn score_all(
    history: &mut History,
    found: Vec<(StoredCommit, Vec<Reason>)>,
    (lines, texts): (&LineSet, &BTreeMap<String, TextMatch>),
    paths: &[String],
    options: &AnalysisOptions,
) -> Result<Vec<Scored>, AnalysisError> {
    let minhash = lines.minhash();
    let mut scored: Vec<Scored> = found
        .into_iter()
        .map(|(commit, mut reasons)| {
            reasons.sort();
            let similarity = match (&minhash, &commit.minhash) {
                (Some(a), Some(b)) => a.similarity(b),
                _ => 0.0,
            };
            Scored {
                overlap: overlap(paths, &commit),
                text: texts.get(&commit.commit).cloned(),
                commit,
                reasons,
                similarity,
                exact: false,
                score: 0.0,
                in_target: true,
                picked_by: Vec::new(),
            }
        })
        .collect();
    // Exact comparison for the named and the most promising candidates.
    scored.sort_by(|a, b| {
        strong(b)
            .cmp(&strong(a))
            .then(b.similarity.total_cmp(&a.similarity))
    });
    for (i, s) in scored.iter_mut().enumerate() {
        if i < options.exact || strong(s) {
            if let Some(exact) = history.lines_of(&s.commit.commit) {
                s.similarity = lines.similarity(exact);
                s.exact = true;
            }
        }
        s.score = score(s);
        s.in_target = history.in_target(&s.commit.commit).unwrap_or(true);
    }
    scored.retain(|s| s.score >= options.keep || strong(s) || names_alike(s));
    scored.sort_by(|a, b| {
        b.in_target
            .cmp(&a.in_target)
            .then(b.score.total_cmp(&a.score))
            .then(a.commit.author_time.cmp(&b.commit.author_time))
    });
    Ok(scored)
}

/// Ranked by text and bringing in names the patch provides: kept whatever its lines.
fn names_alike(s: &Scored) -> bool {
    s.text.as_ref().is_some_and(|t| !t.shared.is_empty())
}

/// Named by a header, same patch-id or same subject: always compared exactly and kept.
fn strong(s: &Scored) -> bool {
    s.has(Reason::PatchId) || s.has(Reason::Header) || s.has(Reason::Subject)
}

/// The score of a candidate, 0–1: an equal patch-id is certain; a header's word counts for
/// most of the score and a subject for about half, the rest is the lines' similarity (for a
/// subject, touching the same files stands in for up to 0.4 of it: a backport whose lines
/// were adapted to older code keeps the subject and the files).
fn score(s: &Scored) -> f64 {
    let sim = s.similarity;
    if s.has(Reason::PatchId) {
        1.0
    } else if s.has(Reason::Header) {
        0.8 + 0.2 * sim
    } else if s.has(Reason::Subject) {
        0.45 + 0.55 * sim.max(0.4 * s.overlap)
    } else if s.exact {
        0.95 * sim
    } else {
        0.8 * sim
    }
}

/// Words too common in kernel commit subjects to say what a change is about.
const COMMON_WORDS: &[&str] = &[
    "add", "adds", "added", "allow", "also", "avoid", "change", "check", "correct", "driver",
    "drivers", "enable", "ensure", "error", "fix", "fixes", "from", "handle", "into", "make",
    "more", "move", "only", "remove", "support", "that", "this", "update", "use", "when", "with",
    "without",
];

/// The distinctive words of a subject: lower case, letters and digits (with `_`), four or
/// more characters, not among [`COMMON_WORDS`].
pub fn subject_words(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map(str::to_ascii_lowercase)
        .filter(|w| w.len() >= 4 && !COMMON_WORDS.contains(&w.as_str()))
        .collect()
}

/// The candidate in the target whose diff brings in most of the names the patch provides,
/// with what that weighs for "replaced": two names or more and at least half of the
/// patch's, 0.55; one name of at most two, for a commit ranked among the first three by
/// description, 0.35.
pub fn names_brought(candidates: &[Scored]) -> Option<(&Scored, &TextMatch, f64)> {
    candidates
        .iter()
        .filter(|c| c.in_target)
        .filter_map(|c| {
            let t = c.text.as_ref()?;
            let weight: f64 = if t.shared.len() >= 2 && t.share() >= 0.5 {
                0.55
            } else if !t.shared.is_empty() && t.share() >= 0.5 && t.rank <= 3 {
                0.35
            } else {
                return None;
            };
            Some((c, t, weight))
        })
        .max_by(|a, b| {
            a.2.total_cmp(&b.2)
                .then(a.1.shared.len().cmp(&b.1.shared.len()))
                .then(b.1.rank.cmp(&a.1.rank))
        })
}

/// The candidate (not a match) whose subject shares most of its distinctive words with
/// `subject` and which touches the same files or changes somewhat similar lines: upstream
/// may have done the same thing differently. Returns it with the words' Jaccard similarity.
pub fn described_alike<'s>(subject: &str, candidates: &'s [Scored]) -> Option<(&'s Scored, f64)> {
    let mine = subject_words(subject);
    if mine.len() < 2 {
        return None;
    }
    candidates
        .iter()
        .filter(|c| c.in_target && (c.overlap >= 0.5 || c.similarity >= 0.15))
        .map(|c| (c, words_alike(&mine, &c.commit.subject)))
        .filter(|(_, sim)| *sim >= 0.5)
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// The Jaccard similarity of `mine` (a subject's [`subject_words`]) and `subject`'s words.
pub fn words_alike(mine: &std::collections::BTreeSet<String>, subject: &str) -> f64 {
    let theirs = subject_words(subject);
    let common = mine.intersection(&theirs).count() as f64;
    let union = mine.union(&theirs).count() as f64;
    if union == 0.0 {
        0.0
    } else {
        common / union
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(subject: &str, overlap: f64, similarity: f64) -> Scored {
        Scored {
            commit: StoredCommit {
                commit: "0".repeat(40),
                subject: subject.into(),
                patch_id: None,
                release: None,
                author: String::new(),
                author_time: 0,
                added: 1,
                removed: 1,
                files: Vec::new(),
                row: 1,
                minhash: None,
            },
            reasons: vec![Reason::SameFiles],
            similarity,
            overlap,
            exact: true,
            score: 0.1,
            in_target: true,
            picked_by: Vec::new(),
            text: None,
        }
    }

    #[test]
    fn a_commit_bringing_in_the_names_a_patch_provides_is_named() {
        let text = |rank: usize, shared: &[&str], provided: usize| TextMatch {
            rank,
            shared: shared.iter().map(|s| s.to_string()).collect(),
            provided,
        };
        let mut weak = scored("unrelated", 0.0, 0.0);
        weak.text = Some(text(1, &["one_name"], 4));
        let mut single = scored("single", 0.0, 0.0);
        single.text = Some(text(2, &["foo_enable"], 2));
        assert_eq!(
            names_brought(&[weak]).map(|b| b.2),
            None,
            "1 of 4 is not enough"
        );
        let mut strong = scored("strong", 0.0, 0.0);
        strong.text = Some(text(7, &["foo_enable", "foo_disable"], 3));
        let all = [single, strong];
        let (c, t, w) = names_brought(&all).expect("named");
        assert_eq!(
            (c.commit.subject.as_str(), t.shared.len(), w),
            ("strong", 2, 0.55)
        );
        let mut outside = scored("outside the target", 0.0, 0.0);
        outside.text = Some(text(1, &["foo_enable", "foo_disable"], 2));
        outside.in_target = false;
        assert!(names_brought(&[outside]).is_none());
    }

    #[test]
    fn a_commit_describing_the_same_change_on_the_same_files_is_found() {
        let subject = "xen-blkfront: handle discard requests with persistent grants";
        let candidates = vec![
            scored("xen-blkfront: fix a typo", 1.0, 0.0),
            scored(
                "xen-blkfront: persistent grants and discard requests",
                1.0,
                0.05,
            ),
            scored(
                "xen-blkfront: persistent grants and discard requests",
                0.0,
                0.0,
            ),
        ];
        let (found, words) = described_alike(subject, &candidates).expect("found");
        assert!(std::ptr::eq(found, &candidates[1]));
        assert!(words >= 0.5, "{words}");
        assert!(
            described_alike("xen-blkfront: fix", &candidates).is_none(),
            "too few words"
        );
        assert!(subject_words("Fix the driver: add xen_blkif support").contains("xen_blkif"));
    }
}
