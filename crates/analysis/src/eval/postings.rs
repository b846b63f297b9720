//! `kdelta eval --posting-labels`: how well the archive finds a patch's posting with the
//! header links hidden. The labels say, per patch, which mails are its postings (every
//! version); a patch without a label has none in the archives indexed. The matcher's best
//! posting is correct when it is one of the labelled mails.

use kdelta_archive::Matcher;
use kdelta_queue::Queue;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The labelled postings of one queue: patch name → message-ids.
pub type PostingLabels = HashMap<String, HashSet<String>>;

/// Read labels: a tab-separated file with a header line naming its columns, at least
/// `queue`, `patch` and `message_id`; only the rows of queue `queue` are kept.
pub fn read_posting_labels(path: &std::path::Path, queue: &str) -> Result<PostingLabels, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let column = |name: &str| {
        header.iter().position(|h| h.trim() == name).ok_or_else(|| {
            format!(
                "{}:1: no column {name:?} in the header line",
                path.display()
            )
        })
    };
    let (q, p, m) = (column("queue")?, column("patch")?, column("message_id")?);
    let mut out = PostingLabels::new();
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(lq), Some(lp), Some(lm)) = (fields.get(q), fields.get(p), fields.get(m)) else {
            return Err(format!(
                "{}:{}: expected {} tab-separated fields",
                path.display(),
                i + 2,
                header.len()
            ));
        };
        if lq.trim() == queue {
            out.entry(lp.trim().to_string())
                .or_default()
                .insert(lm.trim().to_string());
        }
    }
    Ok(out)
}

/// A patch the matcher got wrong or missed.
#[derive(Clone, Debug, Serialize)]
pub struct PostingMiss {
    /// The patch.
    pub name: String,
    /// What the matcher found (its best posting), if anything.
    pub found: Option<String>,
    /// How it found it.
    pub kind: Option<String>,
    /// Whether the patch has labelled postings.
    pub labelled: bool,
}

/// The figures.
#[derive(Clone, Debug, Serialize)]
pub struct PostingEval {
    /// Patches in the queue.
    pub patches: usize,
    /// Patches with labelled postings.
    pub labelled: usize,
    /// Patches the matcher found a posting for.
    pub answered: usize,
    /// Of those, found one of the labelled postings.
    pub correct: usize,
    /// `correct / answered`.
    pub precision: f64,
    /// `correct / labelled`.
    pub recall: f64,
    /// Correct and wrong answers by how they were found.
    pub by_kind: BTreeMap<String, (usize, usize)>,
    /// Every wrong answer and every miss.
    pub misses: Vec<PostingMiss>,
}

/// Match every patch of `queue` and compare with the labels.
pub fn evaluate_postings(
    queue: &Queue,
    matcher: &Matcher,
    labels: &PostingLabels,
) -> Result<PostingEval, kdelta_upstream::StoreError> {
    let mut eval = PostingEval {
        patches: queue.entries.len(),
        labelled: 0,
        answered: 0,
        correct: 0,
        precision: 0.0,
        recall: 0.0,
        by_kind: BTreeMap::new(),
        misses: Vec::new(),
    };
    for entry in &queue.entries {
        let expected = labels.get(&entry.name);
        eval.labelled += usize::from(expected.is_some());
        let found = match &entry.patch {
            Some(patch) => matcher.find(patch)?.into_iter().next(),
            None => None,
        };
        let right = match (&found, expected) {
            (Some(f), Some(ids)) => ids.contains(&f.posting.message_id),
            _ => false,
        };
        if let Some(f) = &found {
            eval.answered += 1;
            let counts = eval.by_kind.entry(f.kind.as_str().to_string()).or_default();
            if right {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
        }
        if right {
            eval.correct += 1;
        } else if found.is_some() || expected.is_some() {
            eval.misses.push(PostingMiss {
                name: entry.name.clone(),
                found: found.as_ref().map(|f| f.posting.message_id.clone()),
                kind: found.as_ref().map(|f| f.kind.as_str().to_string()),
                labelled: expected.is_some(),
            });
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    eval.precision = ratio(eval.correct, eval.answered);
    eval.recall = ratio(eval.correct, eval.labelled);
    Ok(eval)
}
