//! Which side of a hunk the target's code is closer to, when neither image matches: each
//! of the hunk's distinctive added and removed lines is compared, token by token, with the
//! lines of the function it changes (or of the file), and the two sides' best matches are
//! averaged. Code closer to the added lines has the change in an evolved form; code
//! closer to the removed lines still has the old code, evolved.

use super::locate::distinctive;
use kdelta_patch::diff::LineKind;
use kdelta_patch::Hunk;

/// Lines of the target compared at most (from the function's start, or the file's).
const REGION: usize = 400;

/// How close a hunk's two sides are to the target's code.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Closeness {
    /// Mean best similarity of the distinctive added lines (None without any).
    pub added: Option<f64>,
    /// Mean best similarity of the distinctive removed lines (None without any).
    pub removed: Option<f64>,
}

impl Closeness {
    /// How much of the change this says is there, 0–1, when it says anything: the added
    /// side clearly closer (or, for a pure insertion, nearly identical lines present).
    pub fn credit(&self) -> Option<f64> {
        match (self.added, self.removed) {
            (Some(a), Some(r)) if a.max(r) >= 0.6 => Some((0.5 + (a - r) / 0.4).clamp(0.0, 1.0)),
            (Some(a), None) if a >= 0.9 => Some(((a - 0.8) / 0.2).clamp(0.0, 1.0)),
            _ => None,
        }
    }

    /// Whether the old code is clearly still there, changed: the removed side close and
    /// clearly closer than the added one.
    pub fn old_code_kept(&self) -> bool {
        match (self.added, self.removed) {
            (Some(a), Some(r)) => r >= 0.7 && r - a >= 0.2,
            (None, Some(r)) => r >= 0.9,
            _ => false,
        }
    }
}

/// Compare `hunk` with `target` from line `from` (0-based) on.
pub fn closeness(hunk: &Hunk, target: &[u8], from: usize) -> Closeness {
    let region: Vec<Vec<u64>> = target
        .split(|&b| b == b'\n')
        .skip(from)
        .take(REGION)
        .map(tokens)
        .filter(|t| !t.is_empty())
        .collect();
    let side = |kind: LineKind| -> Option<f64> {
        let lines: Vec<Vec<u64>> = hunk
            .lines
            .iter()
            .filter(|l| l.kind == kind && distinctive(&l.text))
            .map(|l| tokens(&l.text))
            .collect();
        if lines.is_empty() {
            return None;
        }
        let best = |line: &Vec<u64>| {
            let mut best = 0.0f64;
            for r in &region {
                // Lines whose lengths alone keep them from beating the best are skipped.
                if dice_bound(line.len(), r.len()) > best {
                    best = best.max(dice(line, r));
                }
            }
            best
        };
        Some(lines.iter().map(best).sum::<f64>() / lines.len() as f64)
    };
    Closeness {
        added: side(LineKind::Added),
        removed: side(LineKind::Removed),
    }
}

/// The tokens of a line (identifiers and numbers, and runs of other non-blank bytes),
/// hashed and sorted.
fn tokens(line: &[u8]) -> Vec<u64> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let start = i;
        if word(b) {
            while i < line.len() && word(line[i]) {
                i += 1;
            }
        } else {
            while i < line.len() && !word(line[i]) && !line[i].is_ascii_whitespace() {
                i += 1;
            }
        }
        out.push(kdelta_upstream::tree::index::word_hash(&line[start..i]));
    }
    out.sort_unstable();
    out
}

/// The highest Dice similarity two multisets of these sizes can have.
fn dice_bound(a: usize, b: usize) -> f64 {
    if a == 0 || b == 0 {
        return 0.0;
    }
    2.0 * a.min(b) as f64 / (a + b) as f64
}

/// Dice similarity of two sorted token multisets.
pub(super) fn dice<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = kdelta_upstream::minhash::sorted_common(a, b);
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_patch::diff::parse_diffs;

    fn hunk(text: &str) -> Hunk {
        let (mut files, _) = parse_diffs(text.as_bytes(), 1, 1);
        files.remove(0).hunks.remove(0)
    }

    #[test]
    fn an_evolved_change_is_closer_to_its_added_side() {
        let h = hunk("--- a/f.c\n+++ b/f.c\n@@ -1,4 +1,4 @@\n \tif (ret) {\n-\t\tprintk(KERN_ERR \"bad item(name: %s) into tree\", name);\n+\t\tprintk(KERN_ERR \"bad item(name: %.*s) into tree\", name_len, name);\n \t}\n");
        let evolved = b"int f(void)\n{\n\tif (unlikely(ret)) {\n\t\tbtrfs_err(fs, \"bad item(name: %.*s) into tree\", name_len, name);\n\t}\n}\n";
        let c = closeness(&h, evolved, 0);
        assert!(c.credit().is_some_and(|x| x > 0.6), "{c:?}");
        let old = b"int f(void)\n{\n\tif (unlikely(ret)) {\n\t\tbtrfs_err(fs, \"bad item(name: %s) into tree\", name);\n\t}\n}\n";
        let c = closeness(&h, old, 0);
        assert!(c.credit().is_some_and(|x| x < 0.4), "{c:?}");
        assert!(c.old_code_kept() || c.removed > c.added, "{c:?}");
    }

    #[test]
    fn dice_never_exceeds_its_bound() {
        let a = [1, 2, 3, 5, 8];
        for b in [
            &[1u64, 2, 3, 5, 8][..],
            &[1, 2],
            &[9],
            &[],
            &[1, 1, 2, 3, 5, 8, 13],
        ] {
            assert!(dice(&a, b) <= dice_bound(a.len(), b.len()), "{b:?}");
        }
        assert_eq!(dice_bound(5, 5), 1.0);
    }

    #[test]
    fn unrelated_code_says_nothing() {
        let h = hunk("--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n ctx\n-\tfoo_remove_this_line(alpha);\n+\tbar_add_that_line(beta, gamma);\n");
        let c = closeness(&h, b"completely different things here\n", 0);
        assert_eq!(c.credit(), None);
        assert!(!c.old_code_kept());
    }
}
