//! The parsed `MAINTAINERS` file: sections with their entries and line numbers, and the
//! problems found while reading it.

use crate::pattern::{FilePattern, RegexPattern};
use serde::Serialize;

/// The letter of an entry line (`M:`, `F:`, …), as documented at the top of `MAINTAINERS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tag {
    /// `M:` a maintainer, `Name <address>`.
    Maintainer,
    /// `R:` a designated reviewer.
    Reviewer,
    /// `L:` a mailing list, maybe followed by a note such as `(moderated for non-subscribers)`.
    List,
    /// `S:` the status: Supported, Maintained, Odd Fixes, Orphan, Obsolete, Buried alive in
    /// reporters.
    Status,
    /// `W:` a web page.
    Web,
    /// `Q:` the patchwork instance.
    Patchwork,
    /// `B:` where to report bugs.
    Bugs,
    /// `C:` a chat channel.
    Chat,
    /// `P:` the subsystem profile.
    Profile,
    /// `T:` the SCM tree.
    Tree,
    /// `F:` a file pattern.
    File,
    /// `X:` an excluded file pattern.
    Exclude,
    /// `N:` a regex on file names.
    Name,
    /// `K:` a regex on patch content.
    Keyword,
    /// Any other capital letter: get_maintainer.pl keeps it in the section and ignores it.
    Other(char),
}

impl Tag {
    /// The tag of `letter` (an ASCII capital).
    pub fn from_letter(letter: char) -> Tag {
        match letter {
            'M' => Tag::Maintainer,
            'R' => Tag::Reviewer,
            'L' => Tag::List,
            'S' => Tag::Status,
            'W' => Tag::Web,
            'Q' => Tag::Patchwork,
            'B' => Tag::Bugs,
            'C' => Tag::Chat,
            'P' => Tag::Profile,
            'T' => Tag::Tree,
            'F' => Tag::File,
            'X' => Tag::Exclude,
            'N' => Tag::Name,
            'K' => Tag::Keyword,
            other => Tag::Other(other),
        }
    }

    /// The letter as written in `MAINTAINERS`.
    pub fn letter(self) -> char {
        match self {
            Tag::Maintainer => 'M',
            Tag::Reviewer => 'R',
            Tag::List => 'L',
            Tag::Status => 'S',
            Tag::Web => 'W',
            Tag::Patchwork => 'Q',
            Tag::Bugs => 'B',
            Tag::Chat => 'C',
            Tag::Profile => 'P',
            Tag::Tree => 'T',
            Tag::File => 'F',
            Tag::Exclude => 'X',
            Tag::Name => 'N',
            Tag::Keyword => 'K',
            Tag::Other(letter) => letter,
        }
    }
}

/// One `X:\tvalue` line of a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The letter.
    pub tag: Tag,
    /// The text after the colon and the white space that follows it, as written.
    pub value: String,
    /// 1-based line number.
    pub line: usize,
}

/// A section: its title line and the entry lines that follow it.
#[derive(Debug, Clone)]
pub struct Section {
    pub(crate) name: String,
    pub(crate) line: usize,
    /// Index of the first entry in get_maintainer.pl's `@typevalue` (the file's lines without
    /// blank and comment lines): the key it sorts keyword matches by.
    pub(crate) first_index: usize,
    pub(crate) entries: Vec<Entry>,
    /// `F:`, `X:` and `N:` patterns in file order.
    pub(crate) patterns: Vec<PathRule>,
    /// get_maintainer's `range_is_maintained && range_has_maintainer`: an F: match at least as
    /// deep as the file spares it the git fallback.
    pub(crate) exact: bool,
}

/// A path rule of a section.
#[derive(Debug, Clone)]
pub(crate) enum PathRule {
    /// `F:`
    File(FilePattern),
    /// `X:`
    Exclude(FilePattern),
    /// `N:`
    Name(RegexPattern),
}

impl Section {
    /// The title line, as written.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// 1-based line number of the title.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The entry lines, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The values of the entries with `tag`.
    pub fn values(&self, tag: Tag) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(move |e| e.tag == tag)
            .map(|e| e.value.as_str())
    }

    /// The status (the last `S:` line, as get_maintainer.pl reads it).
    pub fn status(&self) -> Option<&str> {
        self.values(Tag::Status).last()
    }
}

/// A `K:` line (its regexes are compiled in [`Maintainers::keyword_matcher`]).
#[derive(Debug, Clone)]
pub(crate) struct Keyword {
    /// Index of the section in [`Maintainers::sections`].
    pub(crate) section: usize,
    /// The pattern as written.
    pub(crate) raw: String,
    /// 1-based line number.
    pub(crate) line: usize,
}

/// A parsed `MAINTAINERS` file. Build it with [`Maintainers::parse`]; ask it with
/// [`Maintainers::for_files`], [`Maintainers::for_patch`] or [`Maintainers::answer`].
#[derive(Debug, Clone, Default)]
pub struct Maintainers {
    pub(crate) sections: Vec<Section>,
    /// `K:` lines in the order get_maintainer.pl applies them (its `@typevalue` indices sorted
    /// as strings).
    pub(crate) keywords: Vec<Keyword>,
    pub(crate) keyword_matcher: crate::keywords::KeywordMatcher,
    pub(crate) mailmap: crate::mailmap::Mailmap,
}

impl Maintainers {
    /// The sections, in file order.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// The section titled `name`, if any.
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }
}

/// Something wrong with a line of `MAINTAINERS`. Reading goes on: the line is ignored or read
/// as get_maintainer.pl reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct Problem {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "detail")]
pub enum ProblemKind {
    /// An entry letter `MAINTAINERS` does not document.
    #[error("unknown entry letter {0}:")]
    UnknownTag(char),
    /// An entry without a value.
    #[error("{0}: without a value")]
    EmptyValue(char),
    /// A pattern that does not compile (get_maintainer.pl would die on it); it matches nothing.
    #[error("{tag}: pattern does not compile: {error}")]
    BadPattern {
        /// The letter.
        tag: char,
        /// The compiler's message, on one line.
        error: String,
    },
    /// A text line after the first section that is neither a section title nor an entry.
    #[error("text that is neither a section title nor an entry")]
    StrayText,
    /// An indented `X:` line: get_maintainer.pl reads it as text (a section title if entries
    /// follow).
    #[error("indented entry line, read as text")]
    IndentedEntry,
    /// Entry lines at the very start of the file, without a title.
    #[error("entries without a section title")]
    NoTitle,
    /// A section title already used.
    #[error("duplicate section title (first on line {0})")]
    DuplicateSection(usize),
}
