//! Ruling files out before reading them. A line of code can only be in a file whose
//! indexed words include every word of the line (identifiers and key-like literals
//! outside comments, found by the same scan the tree index used). So for a set of lines
//! the rarest such word, when the index lists every file holding it, names all the files
//! that can hold the lines; any other file whose words were indexed is skipped unread.

use kdelta_patch::symbols::source::{scan_words, SourceKind};
use kdelta_upstream::tree::index::POSTINGS_CAP;
use kdelta_upstream::tree::TreeIndex;

/// Words looked up at most, per set of lines.
const MAX_LOOKUPS: usize = 40;

/// The files that may hold every one of a set of lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Holders {
    /// The index cannot tell: any file may.
    Any,
    /// Only these files (ascending), among those whose words were indexed, and of the
    /// same kind of source as the lines.
    Only { files: Vec<u32>, kind: SourceKind },
}

impl Holders {
    /// The holders of all of `lines`, lines of a file of `kind`. Lines that may sit in a
    /// comment (`*`, `/*`, `//`, `*/` in them) are not used: their words were not indexed.
    pub(super) fn of(index: &TreeIndex, kind: SourceKind, lines: &[&[u8]]) -> Holders {
        let mut rarest: Option<(usize, String)> = None;
        let mut looked = 0;
        for line in lines.iter().filter(|l| !in_comment(l)) {
            scan_words(kind, line, &mut |word| {
                let Ok(word) = std::str::from_utf8(word) else {
                    return;
                };
                if looked >= MAX_LOOKUPS {
                    return;
                }
                looked += 1;
                let count = index.word_count(word);
                if count <= POSTINGS_CAP && rarest.as_ref().is_none_or(|(n, _)| count < *n) {
                    rarest = Some((count, word.to_string()));
                }
            });
        }
        match rarest {
            Some((_, word)) => Holders::Only {
                files: index.files_with(&word),
                kind,
            },
            None => Holders::Any,
        }
    }

    /// Whether the file `path` may hold the lines.
    pub(super) fn may_hold(&self, index: &TreeIndex, path: &str) -> bool {
        let Holders::Only { files, kind } = self else {
            return true;
        };
        match index.path_id(path) {
            Some(id) if index.words_indexed(id) && SourceKind::of(path) == *kind => {
                files.binary_search(&id).is_ok()
            }
            _ => true,
        }
    }
}

/// Whether `line` may be (part of) a comment.
fn in_comment(line: &[u8]) -> bool {
    let text = line.trim_ascii_start();
    text.starts_with(b"*")
        || line
            .windows(2)
            .any(|w| w == b"/*" || w == b"*/" || w == b"//")
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_upstream::tree::TreeSource;

    #[test]
    fn only_files_with_the_rarest_word_may_hold_the_lines() -> Result<(), Box<dyn std::error::Error>>
    {
        let tmp = tempfile::tempdir()?;
        let files: &[(&str, &[u8])] = &[
            (
                "a.c",
                b"int f(void)\n{\n\treturn xen_blkif_schedule(ring);\n}\n",
            ),
            ("b.c", b"int g(void)\n{\n\tgoto out;\n}\n"),
            ("c.c", b"/* xen_blkif_schedule(ring) only in a comment */\n"),
            ("blob.bin", b"\0xen_blkif_schedule\0"),
            ("notes.txt", b"xen_blkif_schedule is documented here\n"),
        ];
        for (path, bytes) in files {
            std::fs::write(tmp.path().join(path), bytes)?;
        }
        let index = kdelta_upstream::tree::open(&TreeSource::Dir(tmp.path().into()), None)?;
        let line: &[u8] = b"\treturn xen_blkif_schedule(ring);";
        let holders = Holders::of(&index, SourceKind::C, &[line]);
        assert!(holders.may_hold(&index, "a.c"));
        assert!(!holders.may_hold(&index, "b.c"), "it lacks the word");
        assert!(!holders.may_hold(&index, "c.c"), "a comment is not code");
        // Files the index cannot rule out: words not indexed, another kind, unknown.
        assert!(holders.may_hold(&index, "blob.bin"));
        assert!(holders.may_hold(&index, "notes.txt"));
        assert!(holders.may_hold(&index, "no/such.c"));
        // A word no file has rules out every indexed C file; comment lines say nothing.
        let gone = Holders::of(&index, SourceKind::C, &[b"\tnever_seen_anywhere(x);"]);
        assert!(!gone.may_hold(&index, "a.c"));
        let comment = Holders::of(&index, SourceKind::C, &[b" * never_seen_anywhere"]);
        assert_eq!(comment, Holders::Any);
        Ok(())
    }

    #[test]
    fn comment_lines_are_not_used() {
        assert!(in_comment(b" * xen_blkif_schedule() is called"));
        assert!(in_comment(b"\tfoo(); /* why */"));
        assert!(in_comment(b"\tfoo(); // why"));
        assert!(!in_comment(b"\tret = xen_blkif_schedule(ring);"));
    }
}
