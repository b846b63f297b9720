//! A change as a set of line features (the same features the upstream index hashes into its
//! MinHashes), and the similarity measures between two changes.

use kdelta_patch::diff::LineKind;
use kdelta_patch::FileDiff;
use kdelta_upstream::minhash::{line_feature, MinHash};
use std::collections::HashSet;

/// The changed lines of a change, as feature hashes (serialised as their sorted list).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "Vec<u64>", into = "Vec<u64>")]
pub struct LineSet {
    features: HashSet<u64>,
}

impl From<Vec<u64>> for LineSet {
    fn from(features: Vec<u64>) -> LineSet {
        LineSet {
            features: features.into_iter().collect(),
        }
    }
}

impl From<LineSet> for Vec<u64> {
    fn from(set: LineSet) -> Vec<u64> {
        let mut features: Vec<u64> = set.features.into_iter().collect();
        features.sort_unstable();
        features
    }
}

impl LineSet {
    /// The features of the added and removed lines of `files` (binary files have none).
    pub fn of_files(files: &[FileDiff]) -> LineSet {
        let mut features = HashSet::new();
        for file in files.iter().filter(|f| !f.binary) {
            for line in file.hunks.iter().flat_map(|h| &h.lines) {
                let sign = match line.kind {
                    LineKind::Added => b'+',
                    LineKind::Removed => b'-',
                    LineKind::Context => continue,
                };
                if let Some(h) = line_feature(sign, &line.text) {
                    features.insert(h);
                }
            }
        }
        LineSet { features }
    }

    /// Number of distinct features.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether there is no feature.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The MinHash of the set, as the index computes it for commits.
    pub fn minhash(&self) -> Option<MinHash> {
        MinHash::from_hashes(self.features.iter().copied())
    }

    /// How alike two changes are: their Jaccard similarity, or — when this change is a
    /// part of the other (a partial backport) or the other a part of this one — the share
    /// of the smaller change found in the larger, discounted a little.
    pub fn similarity(&self, other: &LineSet) -> f64 {
        if self.is_empty() || other.is_empty() {
            return 0.0;
        }
        let common = self.features.intersection(&other.features).count() as f64;
        let union = (self.len() + other.len()) as f64 - common;
        let jaccard = common / union;
        let smaller = self.len().min(other.len());
        if smaller < 3 {
            return jaccard;
        }
        jaccard.max(0.9 * common / smaller as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_patch::{ParseOptions, Patch};

    fn set(diff: &str) -> LineSet {
        LineSet::of_files(&Patch::parse(diff.as_bytes(), &ParseOptions::default()).files)
    }

    fn diff(lines: &[&str]) -> String {
        let mut s = format!(
            "--- a/f.c\n+++ b/f.c\n@@ -1,1 +1,{} @@\n-old_line(x);\n",
            lines.len()
        );
        for l in lines {
            s.push_str(&format!("+{l}\n"));
        }
        s
    }

    #[test]
    fn equal_partial_and_unrelated_changes() {
        let a = set(&diff(&["alpha(1);", "beta(2);", "gamma(3);", "delta(4);"]));
        let same = set(&diff(&[
            "  alpha(1);",
            "beta(2);  ",
            "gamma(3);",
            "delta(4);",
        ]));
        assert_eq!(a.similarity(&same), 1.0);
        let part = set(&diff(&["alpha(1);", "beta(2);"]));
        assert!((a.similarity(&part) - 0.9).abs() < 1e-9);
        let other = set(&diff(&["one_thing(9);", "another(8);", "third(7);"]));
        assert!(
            a.similarity(&other) < 0.3,
            "only the removed line is shared"
        );
        assert_eq!(a.minhash(), same.minhash());
    }
}
