//! A hunk present modulo renamed identifiers: its new image (context and added lines) is in
//! the target's code token for token, except for identifiers renamed consistently (one old
//! name always becomes the same new name, and no two old names become one), while none of
//! its removed lines is there under the same renaming. Upstream took the change and then
//! renamed a variable, a field or a helper around it. A renamed name must show the
//! renaming is consistent: it occurs in the hunk's context, or twice in its new image (a
//! name met once only on an added line may be upstream's different change, not a rename).

use super::locate::distinctive;
use kdelta_patch::diff::LineKind;
use kdelta_patch::Hunk;
use std::collections::HashMap;

/// Lines of the target searched, from the anchor.
const REGION: usize = 400;

/// At most this many identifiers may be renamed, and at most one in this many of the
/// distinct identifiers of the new image: beyond that, any code of the same shape matches.
const MAX_RENAMES: usize = 3;
const RENAMED_SHARE: usize = 3;

/// C keywords and types, never renamed.
const FIXED: &[&str] = &[
    "auto", "bool", "break", "case", "char", "const", "continue", "default", "do", "double",
    "else", "enum", "extern", "false", "float", "for", "goto", "if", "inline", "int", "long",
    "NULL", "register", "return", "short", "signed", "sizeof", "static", "struct", "switch",
    "true", "typedef", "union", "unsigned", "void", "volatile", "while",
];

/// Where the hunk's new image was found, and the renaming.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renamed {
    /// The 1-based line of the target where the new image starts.
    pub line: usize,
    /// `old→new` for each renamed identifier, in order of appearance.
    pub renames: Vec<String>,
}

/// One token of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
    /// An identifier that may be renamed.
    Name(&'a [u8]),
    /// Anything else: keywords, numbers, operators, punctuation.
    Fixed(&'a [u8]),
}

fn tokenize(line: &[u8]) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let start = i;
            while i < line.len() && (line[i].is_ascii_alphanumeric() || line[i] == b'_') {
                i += 1;
            }
            let word = &line[start..i];
            // A member (`->name`, `.name`) is another namespace: kept as it is.
            let member = matches!(
                out.as_slice(),
                [.., Token::Fixed(b".")] | [.., Token::Fixed(b"-"), Token::Fixed(b">")]
            );
            let fixed = member || std::str::from_utf8(word).is_ok_and(|w| FIXED.contains(&w));
            out.push(if fixed {
                Token::Fixed(word)
            } else {
                Token::Name(word)
            });
        } else if b.is_ascii_digit() {
            let start = i;
            while i < line.len() && (line[i].is_ascii_alphanumeric() || line[i] == b'.') {
                i += 1;
            }
            out.push(Token::Fixed(&line[start..i]));
        } else {
            out.push(Token::Fixed(&line[i..i + 1]));
            i += 1;
        }
    }
    out
}

/// A consistent renaming, growing as lines match.
#[derive(Default, Clone)]
struct Mapping<'a> {
    forward: HashMap<&'a [u8], &'a [u8]>,
    backward: HashMap<&'a [u8], &'a [u8]>,
    order: Vec<&'a [u8]>,
}

impl<'a> Mapping<'a> {
    /// Extend the mapping so that `ours` reads as `theirs`; false (the mapping then
    /// undefined) when it cannot.
    fn unify(&mut self, ours: &[Token<'a>], theirs: &[Token<'a>]) -> bool {
        if ours.len() != theirs.len() {
            return false;
        }
        for (a, b) in ours.iter().zip(theirs) {
            match (a, b) {
                (Token::Fixed(x), Token::Fixed(y)) if x == y => {}
                (Token::Name(x), Token::Name(y)) => {
                    match (self.forward.get(x), self.backward.get(y)) {
                        (Some(m), _) if m != y => return false,
                        (_, Some(m)) if m != x => return false,
                        (Some(_), Some(_)) => {}
                        _ => {
                            self.forward.insert(x, y);
                            self.backward.insert(y, x);
                            self.order.push(x);
                        }
                    }
                }
                _ => return false,
            }
        }
        true
    }

    /// Whether `ours` reads as `theirs` under the mapping as it is (no new names).
    fn reads_as(&self, ours: &[Token<'a>], theirs: &[Token<'a>]) -> bool {
        ours.len() == theirs.len()
            && ours.iter().zip(theirs).all(|(a, b)| match (a, b) {
                (Token::Fixed(x), Token::Fixed(y)) => x == y,
                (Token::Name(x), Token::Name(y)) => self.forward.get(x).unwrap_or(x) == y,
                _ => false,
            })
    }

    /// The names renamed.
    fn renamed(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        self.order
            .iter()
            .copied()
            .filter(|x| self.forward.get(x).is_some_and(|y| y != x))
    }

    fn renames(&self) -> Vec<String> {
        self.order
            .iter()
            .filter_map(|x| {
                let y = self.forward.get(x)?;
                (x != y).then(|| {
                    format!(
                        "{}→{}",
                        String::from_utf8_lossy(x),
                        String::from_utf8_lossy(y)
                    )
                })
            })
            .collect()
    }
}

/// The hunk's sides, as tokens.
struct Images<'h> {
    /// Context and added lines (not blank), each with whether it is a distinctive added one.
    new: Vec<(Vec<Token<'h>>, bool)>,
    context: Vec<Vec<Token<'h>>>,
    removed: Vec<Vec<Token<'h>>>,
    /// Distinct names of the new image.
    names: usize,
}

impl<'h> Images<'h> {
    fn of(hunk: &'h Hunk) -> Images<'h> {
        let lines = |keep: &dyn Fn(LineKind) -> bool| -> Vec<(Vec<Token<'h>>, bool)> {
            hunk.lines
                .iter()
                .filter(|l| keep(l.kind) && !l.text.trim_ascii().is_empty())
                .map(|l| {
                    let added = l.kind == LineKind::Added && distinctive(&l.text);
                    (tokenize(&l.text), added)
                })
                .collect()
        };
        let new = lines(&|k| k != LineKind::Removed);
        let strip = |v: Vec<(Vec<Token<'h>>, bool)>| v.into_iter().map(|(t, _)| t).collect();
        Images {
            names: distinct_names(&new),
            context: strip(lines(&|k| k == LineKind::Context)),
            removed: strip(lines(&|k| k == LineKind::Removed)),
            new,
        }
    }

    /// Whether the renaming of `mapping` is acceptable: some names, not too many, none
    /// becoming another name of the hunk, each shown consistent (in the context, or twice
    /// in the new image).
    fn acceptable(&self, mapping: &Mapping<'_>) -> bool {
        let renamed: Vec<&[u8]> = mapping.renamed().collect();
        !renamed.is_empty()
            && renamed.len() <= MAX_RENAMES
            && renamed.len() * RENAMED_SHARE <= self.names
            && renamed.iter().all(|x| {
                // A name becoming another name of the hunk is code shifted, not renamed.
                let y = mapping.forward.get(x).copied().unwrap_or(x);
                uses(&self.new, y) == 0
            })
            && renamed.iter().all(|x| {
                uses(&self.new, x) >= 2 || self.context.iter().any(|l| l.contains(&Token::Name(x)))
            })
    }
}

/// Find `hunk`'s new image in `text` from line `from` (0-based) on, modulo renamed
/// identifiers; `None` when it is not there, when nothing is renamed (the exact checks
/// decide that), when the renaming is not acceptable (see [`Images::acceptable`]), or
/// when a removed line is still there under the renaming.
pub fn find(hunk: &Hunk, text: &[u8], from: usize) -> Option<Renamed> {
    let images = Images::of(hunk);
    let n = images.new.len();
    if n < 3 || !images.new.iter().any(|(_, added)| *added) {
        return None;
    }
    let region: Vec<(usize, Vec<Token<'_>>)> = text
        .split(|&b| b == b'\n')
        .enumerate()
        .skip(from)
        .take(REGION)
        .filter(|(_, l)| !l.trim_ascii().is_empty())
        .map(|(i, l)| (i + 1, tokenize(l)))
        .collect();
    (0..region.len().saturating_sub(n - 1)).find_map(|start| {
        let mut mapping = Mapping::default();
        let window = &region[start..start + n];
        let all = images
            .new
            .iter()
            .zip(window)
            .all(|((ours, _), (_, theirs))| mapping.unify(ours, theirs));
        let old_kept = || {
            images
                .removed
                .iter()
                .any(|r| region.iter().any(|(_, l)| mapping.reads_as(r, l)))
        };
        (all && images.acceptable(&mapping) && !old_kept()).then(|| Renamed {
            line: window[0].0,
            renames: mapping.renames(),
        })
    })
}

/// How often `name` occurs in `image`.
fn uses(image: &[(Vec<Token<'_>>, bool)], name: &[u8]) -> usize {
    image
        .iter()
        .map(|(tokens, _)| tokens.iter().filter(|t| **t == Token::Name(name)).count())
        .sum()
}

fn distinct_names(image: &[(Vec<Token<'_>>, bool)]) -> usize {
    let mut names: Vec<&[u8]> = image
        .iter()
        .flat_map(|(tokens, _)| tokens.iter())
        .filter_map(|t| match t {
            Token::Name(n) => Some(*n),
            Token::Fixed(_) => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_patch::{ParseOptions, Patch};

    fn hunk(diff: &str) -> Hunk {
        let text = format!("--- a/f.c\n+++ b/f.c\n{diff}");
        let patch = Patch::parse(text.as_bytes(), &ParseOptions::default());
        patch.files[0].hunks[0].clone()
    }

    const HUNK: &str = "@@ -1,5 +1,6 @@ static int blk_submit(struct blk_request *req)\n {\n \tint slot = req->slot;\n+\tif (slot >= BLK_RING_SIZE)\n+\t\treturn -EINVAL;\n \tblk_ring[slot] = req;\n \treturn blk_kick(slot);\n";

    #[test]
    fn a_change_whose_variable_was_renamed_since_is_found() {
        let target = b"static int blk_submit(struct blk_request *rq)\n{\n\tint idx = rq->slot;\n\n\tif (idx >= BLK_RING_SIZE)\n\t\treturn -EINVAL;\n\tblk_ring[idx] = rq;\n\treturn blk_kick(idx);\n}\n";
        let found = find(&hunk(HUNK), target, 0).expect("found");
        assert_eq!(found.line, 2);
        assert_eq!(found.renames, ["slot→idx", "req→rq"]);
    }

    #[test]
    fn inconsistent_or_wholesale_renaming_is_not_a_match() {
        // `slot` would have to become both `idx` and `pos`.
        let mixed = b"{\n\tint idx = req->slot;\n\tif (idx >= BLK_RING_SIZE)\n\t\treturn -EINVAL;\n\tblk_ring[pos] = req;\n\treturn blk_kick(idx);\n";
        assert_eq!(find(&hunk(HUNK), mixed, 0), None);
        // Calls shifted by one line: each name becomes another name of the hunk.
        let shifted = hunk("@@ -1,4 +1,5 @@\n {\n \tpagefault_disable();\n+\tenable_kernel_altivec();\n \tpagefault_enable();\n \treturn 0;\n");
        let other = b"{\n\tpreempt_disable();\n\tpagefault_disable();\n\tenable_kernel_altivec();\n\treturn 0;\n";
        assert_eq!(find(&shifted, other, 0), None);
        // Every name different: only the shape is alike.
        let shape =
            b"{\n\tint a = b->c;\n\tif (a >= D_E)\n\t\treturn -F;\n\tg[a] = b;\n\treturn h(a);\n";
        assert_eq!(find(&hunk(HUNK), shape, 0), None);
        // The same code unrenamed is for the exact checks.
        let same = b"{\n\tint slot = req->slot;\n\tif (slot >= BLK_RING_SIZE)\n\t\treturn -EINVAL;\n\tblk_ring[slot] = req;\n\treturn blk_kick(slot);\n";
        assert_eq!(find(&hunk(HUNK), same, 0), None);
    }

    #[test]
    fn a_different_call_on_the_added_line_is_not_a_rename() {
        let h = hunk("@@ -1,4 +1,5 @@\n {\n \tint slot = req->slot;\n+\tblk_ring_check_bounds(slot, req);\n \tblk_ring[slot] = req;\n \treturn blk_kick(slot);\n");
        let other = b"{\n\tint slot = req->slot;\n\tblk_ring_validate_all(slot, req);\n\tblk_ring[slot] = req;\n\treturn blk_kick(slot);\n";
        assert_eq!(find(&h, other, 0), None);
    }

    #[test]
    fn old_code_still_there_under_the_renaming_is_not_present() {
        let h = hunk("@@ -1,4 +1,4 @@\n {\n \tint slot = req->slot;\n-\tblk_ring_store_legacy(slot, req);\n+\tblk_ring_store_checked(slot, req);\n \treturn blk_kick(slot);\n");
        let both = b"{\n\tint idx = req->slot;\n\tblk_ring_store_checked(idx, req);\n\treturn blk_kick(idx);\n}\nvoid other(void)\n{\n\tblk_ring_store_legacy(idx, req);\n}\n";
        assert_eq!(find(&h, both, 0), None);
        let done = b"{\n\tint idx = req->slot;\n\tblk_ring_store_checked(idx, req);\n\treturn blk_kick(idx);\n}\n";
        assert_eq!(
            find(&h, done, 0).map(|r| r.renames),
            Some(vec!["slot→idx".to_string()])
        );
    }
}
