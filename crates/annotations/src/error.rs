//! What can go wrong with an annotations file or an edit of it, located by file, 1-based line
//! and, where known, column — `kdelta-annotations.toml:12:10: unknown status "needswork"`.

use crate::fingerprint::BadFingerprint;
use kdelta_analysis::UnknownStatus;
use std::fmt;
use std::path::PathBuf;

/// A place in an annotations file: a 1-based line and, where known, a 1-based column
/// (counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// The 1-based line.
    pub line: usize,
    /// The 1-based column, in characters, when known.
    pub column: Option<usize>,
}

impl Location {
    /// The location of byte `offset` of `text` (clamped to the text, moved back to the start
    /// of the character it falls in).
    pub fn of_offset(text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Location {
            line: before.bytes().filter(|&b| b == b'\n').count() + 1,
            column: Some(before[line_start..].chars().count() + 1),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "{}:{column}", self.line),
            None => write!(f, "{}", self.line),
        }
    }
}

/// What is wrong, in plain words, without saying where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The text is not TOML.
    #[error("{0}")]
    Syntax(String),
    /// A key the format does not know (a typo must not be silently ignored).
    #[error("unknown key {key:?}: expected one of {expected}")]
    UnknownKey {
        /// The key as written.
        key: String,
        /// The keys allowed there, comma-separated.
        expected: &'static str,
    },
    /// A value of the wrong TOML type.
    #[error("{key}: expected {expected}, found {found}")]
    WrongType {
        /// The key whose value it is.
        key: String,
        /// What the format wants there.
        expected: &'static str,
        /// The TOML type found.
        found: &'static str,
    },
    /// A required key is absent.
    #[error("{table} needs `{key}`")]
    Missing {
        /// The table that lacks it.
        table: &'static str,
        /// The key it lacks.
        key: &'static str,
    },
    /// A status name that is not one of `kdelta_analysis::Status`.
    #[error(transparent)]
    UnknownStatus(#[from] UnknownStatus),
    /// `status` without a (non-blank) `reason`.
    #[error("a status override needs a reason")]
    StatusWithoutReason,
    /// A date that is not `YYYY-MM-DD`.
    #[error("{0:?} is not a date: expected YYYY-MM-DD")]
    BadDate(String),
    /// A fingerprint that is not `KIND:HEX`.
    #[error(transparent)]
    BadFingerprint(#[from] BadFingerprint),
    /// An edit that does not say who made it.
    #[error("an edit needs who made it (`by`)")]
    NoAuthor,
    /// An edit of a patch or feature with an empty name.
    #[error("an empty name cannot be annotated")]
    EmptyName,
    /// A link that is not a plain `http(s)` URL.
    #[error("link {0:?}: only http:// and https:// URLs without blanks or control characters are accepted")]
    BadLink(String),
}

/// An error reading, editing or writing an annotations file.
#[derive(Debug, thiserror::Error)]
pub enum AnnotationError {
    /// The file is not a valid annotations file.
    #[error("{file}:{at}: {problem}")]
    Invalid {
        /// The file's name, as given by the caller.
        file: String,
        /// Where in the file.
        at: Location,
        /// What is wrong.
        problem: Problem,
    },
    /// An edit that cannot be made (its values are wrong, not the file).
    #[error("{file}: {table}: {problem}")]
    Edit {
        /// The file's name, as given by the caller.
        file: String,
        /// The table edited, as its TOML header spells it (`[patches."x.patch"]`).
        table: String,
        /// What is wrong.
        problem: Problem,
    },
    /// The edited text would not parse back: nothing was changed.
    #[error("{file}: the edit would leave a file that does not parse: {source}")]
    EditBroke {
        /// The file's name, as given by the caller.
        file: String,
        /// Why the edited text does not parse.
        source: Box<AnnotationError>,
    },
    /// Reading or writing the file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file read or written.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

impl AnnotationError {
    /// The problem, for the errors about the file's content or an edit's values.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            AnnotationError::Invalid { problem, .. } | AnnotationError::Edit { problem, .. } => {
                Some(problem)
            }
            AnnotationError::EditBroke { source, .. } => source.problem(),
            AnnotationError::Io { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let text = "a\nbé = 1\n";
        assert_eq!(Location::of_offset(text, 0).to_string(), "1:1");
        assert_eq!(Location::of_offset(text, 2).to_string(), "2:1");
        // `=` is byte 6 but character 4 of line 2; an offset inside `é` moves back to it.
        assert_eq!(Location::of_offset(text, 6).to_string(), "2:4");
        assert_eq!(Location::of_offset(text, 4).to_string(), "2:2");
        assert_eq!(Location::of_offset(text, 99).to_string(), "3:1");
    }
}
