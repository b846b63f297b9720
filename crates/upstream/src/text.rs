//! The text the index ranks commits by (BM25 over SQLite FTS5, see [`crate::store`]): a
//! commit's subject, its message body without trailers, and the words its diff brings in
//! (words of added lines that no removed line of the commit has: the names, keys and log
//! strings a change introduces or starts to use). A distribution patch is ranked against
//! it by its own description and the words it brings in, so that an upstream commit doing
//! the same thing in another form can be named even when no line is alike.

use kdelta_patch::symbols::source::{scan_words, SourceKind};
use std::collections::HashSet;

/// At most this many words are kept per commit (the first ones, in diff order).
pub const MAX_WORDS: usize = 400;

/// At most this many bytes of a message body are kept.
pub const MAX_BODY: usize = 4096;

/// At most this many added and this many removed lines of a commit are looked at (an
/// import or a removal of thousands of lines says what it is about early on).
const MAX_LINES: u32 = 4000;

/// Words too common in code or prose to say what a change is about.
const STOP: &[&str] = &[
    "break", "case", "char", "const", "continue", "default", "else", "enum", "extern", "false",
    "from", "goto", "have", "inline", "int16_t", "int32_t", "int64_t", "int8_t", "long", "NULL",
    "return", "short", "signed", "sizeof", "static", "struct", "switch", "that", "this", "true",
    "typedef", "uint16_t", "uint32_t", "uint64_t", "uint8_t", "union", "unsigned", "void",
    "volatile", "when", "while", "with",
];

/// Whether `word` is too common to rank by.
pub fn is_stop_word(word: &str) -> bool {
    STOP.contains(&word)
}

/// The words a diff's added lines bring in, collected line by line.
#[derive(Default)]
pub struct ChangedWords {
    added: Vec<(u64, String)>,
    seen: HashSet<u64, Hashed>,
    removed: HashSet<u64, Hashed>,
    /// The last path seen and its kind (lines come file by file).
    path: Vec<u8>,
    kind: Option<SourceKind>,
    /// Added and removed lines looked at.
    lines: (u32, u32),
}

/// The words' sets hold hashes already: they are used as they are.
type Hashed = std::hash::BuildHasherDefault<AsIs>;

/// A hasher for keys that are hashes.
#[derive(Default)]
struct AsIs(u64);

impl std::hash::Hasher for AsIs {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = hash(bytes);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// FNV-1a of a word: sets of words are kept as hashes, without allocating.
fn hash(word: &[u8]) -> u64 {
    word.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl ChangedWords {
    /// Forget everything, for the next diff.
    pub fn clear(&mut self) {
        self.added.clear();
        self.seen.clear();
        self.removed.clear();
        self.lines = (0, 0);
    }

    fn kind(&mut self, path: &[u8]) -> SourceKind {
        match self.kind {
            Some(kind) if self.path == path => kind,
            _ => {
                let kind = SourceKind::of(&String::from_utf8_lossy(path));
                self.path.clear();
                self.path.extend_from_slice(path);
                self.kind = Some(kind);
                kind
            }
        }
    }

    /// Take in one changed line of the file at `path`.
    pub fn line(&mut self, path: &[u8], added: bool, text: &[u8]) {
        let count = if added {
            &mut self.lines.0
        } else {
            &mut self.lines.1
        };
        if *count >= MAX_LINES {
            return;
        }
        *count += 1;
        let kind = self.kind(path);
        if added {
            if self.added.len() >= 4 * MAX_WORDS {
                return;
            }
            scan_words(kind, text, &mut |w| {
                let w = trim_quotes(w);
                let h = hash(w);
                if self.seen.insert(h) {
                    if let Ok(s) = std::str::from_utf8(w) {
                        if !is_stop_word(s) {
                            self.added.push((h, s.to_string()));
                        }
                    }
                }
            });
        } else {
            scan_words(kind, text, &mut |w| {
                self.removed.insert(hash(trim_quotes(w)));
            });
        }
    }

    /// The words added lines have and removed lines do not, in diff order, at most
    /// [`MAX_WORDS`].
    pub fn brought_in(&self) -> Vec<String> {
        self.added
            .iter()
            .filter(|(h, _)| !self.removed.contains(h))
            .take(MAX_WORDS)
            .map(|(_, w)| w.clone())
            .collect()
    }
}

/// A key-like literal (`"feature-persistent"`) without its quotes.
fn trim_quotes(word: &[u8]) -> &[u8] {
    match word {
        [b'"', inner @ .., b'"'] => inner,
        _ => word,
    }
}

/// The prose of a commit message: everything after the subject line, without trailers
/// (`Signed-off-by:`, `Link:`, `Fixes:` …) and cherry-pick notes, at most [`MAX_BODY`]
/// bytes.
pub fn message_body(message: &str) -> String {
    let mut body = String::new();
    for line in message.lines().skip(1) {
        let trimmed = line.trim();
        if trimmed.is_empty() || is_trailer(trimmed) || is_pick_note(trimmed) {
            continue;
        }
        if body.len() + trimmed.len() + 1 > MAX_BODY {
            break;
        }
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(trimmed);
    }
    body
}

/// `Key: value` where the key is a trailer's (`…-by`, `Link`, `Fixes`, `Cc` …).
fn is_trailer(line: &str) -> bool {
    let Some((key, _)) = line.split_once(':') else {
        return false;
    };
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return false;
    }
    let key = key.to_ascii_lowercase();
    key.ends_with("-by")
        || key.ends_with("-id")
        || key.ends_with("-to")
        || matches!(
            key.as_str(),
            "link" | "fixes" | "cc" | "closes" | "bug" | "buglink" | "git-commit" | "references"
        )
}

/// `(cherry picked from commit …)`, `[ Upstream commit … ]`, `commit … upstream.`
fn is_pick_note(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    lower.starts_with("(cherry picked from")
        || lower.starts_with("[ upstream commit")
        || (lower.starts_with("commit ") && lower.ends_with("upstream."))
}

/// The tokens of `text` as the index's tokenizer (FTS5 `ascii`) sees them: runs of ASCII
/// letters, digits, `_` and any non-ASCII character, ASCII letters in lower case, of
/// [`kdelta_patch::symbols::source::MIN_WORD`] characters or more.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| c.is_ascii() && !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|t| t.chars().count() >= kdelta_patch::symbols::source::MIN_WORD)
        .map(str::to_ascii_lowercase)
}

/// An FTS5 query matching any of `terms` (each quoted), or `None` for no terms.
pub fn any_of<'t>(terms: impl IntoIterator<Item = &'t str>) -> Option<String> {
    let quoted: Vec<String> = terms
        .into_iter()
        .filter(|t| !t.is_empty())
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    (!quoted.is_empty()).then(|| quoted.join(" OR "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_brought_in_are_those_no_removed_line_has() {
        let mut words = ChangedWords::default();
        words.line(b"xen/arch/x86/hvm.c", false, b"    old_helper(d, NULL);");
        words.line(
            b"xen/arch/x86/hvm.c",
            true,
            b"    new_helper(d, old_helper); /* comment_word */",
        );
        words.line(
            b"xen/arch/x86/hvm.c",
            true,
            b"    printk(\"nested virt enabled\"); return;",
        );
        words.line(b"docs/misc/keys.txt", true, b"\"feature-persistent\"");
        let got = words.brought_in();
        assert_eq!(
            got,
            [
                "new_helper",
                "printk",
                "nested",
                "virt",
                "enabled",
                "feature-persistent",
                "feature",
                "persistent"
            ]
        );
        words.clear();
        assert!(words.brought_in().is_empty());
    }

    #[test]
    fn the_body_keeps_prose_and_drops_trailers_and_pick_notes() {
        let message = "x86/hvm: fix it\n\nThe nested code forgot the flag.\n\n(cherry picked from commit abc)\nSigned-off-by: A <a@x>\nReviewed-by: B <b@x>\nLink: https://x\nFixes: 123456789abc (\"y\")\nNote: this stays\n";
        assert_eq!(
            message_body(message),
            "The nested code forgot the flag.\nNote: this stays"
        );
    }

    #[test]
    fn queries_quote_every_term() {
        assert_eq!(
            any_of(["a\"b", "c", ""]).as_deref(),
            Some("\"a\"\"b\" OR \"c\"")
        );
        assert_eq!(any_of(Vec::<&str>::new()), None);
        let t: Vec<String> = tokens("x86/HVM: nested_virt, the fix, Jürgen's").collect();
        assert_eq!(t, ["nested_virt", "jürgen"]);
    }
}
