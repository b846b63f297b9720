//! A whole patch: header facts plus file diffs, parsed from one patch file's bytes.

use crate::diff::{find_diff_start, parse_diffs};
use crate::header::parse_header;
use crate::{FileDiff, Header, Problem};
use serde::Serialize;

/// How to parse a patch.
#[derive(Clone, Debug)]
pub struct ParseOptions {
    /// Leading path components to strip from diff paths (quilt's `-pN`; 1 by default).
    pub strip: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions { strip: 1 }
    }
}

/// A parsed patch: its header facts, its file diffs, and what was wrong with it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Patch {
    /// Facts from the header.
    pub header: Header,
    /// The file diffs, in order.
    pub files: Vec<FileDiff>,
    /// Problems found, each with its line.
    pub problems: Vec<Problem>,
}

impl Patch {
    /// Parse one patch. Never fails: what cannot be understood becomes a [`Problem`].
    pub fn parse(text: &[u8], options: &ParseOptions) -> Patch {
        let start = find_diff_start(text);
        let header_end = start.map_or(text.len(), |s| s.offset);
        let (mut header, mut problems) = parse_header(&text[..header_end], 1);
        let files = match start {
            Some(s) => {
                let (files, diff_problems) =
                    parse_diffs(&text[s.offset..], s.line + 1, options.strip);
                problems.extend(diff_problems);
                files
            }
            None => Vec::new(),
        };
        if files.is_empty() && looks_binary(text) {
            // Its bytes are no header: nothing of them is taken as a subject or an author.
            header = Default::default();
            problems.clear();
            problems.push(Problem::new(0, "not a patch: the file holds binary data"));
        } else if files.is_empty() {
            problems.push(Problem::new(0, "no diff found in the patch"));
        }
        Patch {
            header,
            files,
            problems,
        }
    }

    /// Lines added over all files.
    pub fn added(&self) -> usize {
        self.files.iter().map(|f| f.added).sum()
    }

    /// Lines removed over all files.
    pub fn removed(&self) -> usize {
        self.files.iter().map(|f| f.removed).sum()
    }

    /// The stable patch-id git would give this change made as a commit (the file diffs
    /// written back in git's form, see [`crate::diff::git_text`]); `None` without a diff.
    pub fn patch_id(&self) -> Option<crate::PatchId> {
        crate::patchid::stable_patch_id(&crate::diff::git_text(&self.files))
    }
}

/// Whether the start of `text` looks like binary data rather than text.
fn looks_binary(text: &[u8]) -> bool {
    let sample = &text[..text.len().min(8000)];
    sample.contains(&0)
        || std::str::from_utf8(sample).is_err()
            && sample
                .iter()
                .filter(|b| b.is_ascii_control() && !b.is_ascii_whitespace())
                .count()
                > sample.len() / 20
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_diff_are_split_and_counted() {
        let text = b"Subject: x\n\nfree text\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n";
        let patch = Patch::parse(text, &ParseOptions::default());
        assert_eq!(patch.files.len(), 1);
        assert_eq!((patch.added(), patch.removed()), (1, 1));
        assert_eq!(patch.files[0].line, 4);
        assert!(patch.problems.is_empty(), "{:?}", patch.problems);
    }

    #[test]
    fn empty_and_binary_inputs_are_problems_not_panics() {
        let empty = Patch::parse(b"", &ParseOptions::default());
        assert_eq!(empty.problems[0].message, "no diff found in the patch");
        let garbage = Patch::parse(&[0u8, 159, 146, 150, 1, 2, 3], &ParseOptions::default());
        assert!(garbage.problems[0].message.contains("binary"));
        let elf = Patch::parse(
            b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0@\n",
            &ParseOptions::default(),
        );
        assert!(elf.header.subject.is_none(), "{:?}", elf.header.subject);
        assert_eq!(elf.problems.len(), 1, "{:?}", elf.problems);
    }
}
