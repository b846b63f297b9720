//! quilt `series` files, and the types every patch-queue reader shares.
//!
//! A quilt series names one patch per line, in application order, each
//! optionally followed by options for patch(1):
//!
//! ```text
//! # comment
//! bugfix/x86/fix-foo.patch
//! debian/old-style.diff -p0
//! features/all/bar.patch -p 2 -R   # trailing comment
//! ```
//!
//! Debian's `debian/patches/series` and Qubes' `series*.conf` files use this
//! format. The parsing follows quilt's own scripts: a `#` at the start of a
//! line or after a blank starts a comment, the first word is the patch name
//! and the remaining words are options. Options understood are `-pN`, `-p N`,
//! `-pab` (quilt's name for `-p1` with `a/` and `b/` prefixes), `-R`,
//! `--fuzz=N`, `-FN` and `-F N`; anything else is reported as a
//! [`SeriesProblem`] and the entry is kept.
//!
//! Everything here is bytes in, facts out: no I/O, no UTF-8 assumed (names are
//! decoded lossily, and a name that is not valid UTF-8 is reported), and no
//! panics on any input.

use bstr::ByteSlice;
use serde::Serialize;

/// One patch named by a series file, in application order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeriesEntry {
    /// The patch as named in the series, relative to the series' base directory.
    pub path: String,
    /// Leading path components patch(1) strips (`-pN`); 1 unless the series says otherwise.
    pub strip: usize,
    /// The 1-based line of the series file that names the patch.
    pub line: usize,
    /// Guards (`+xen`, `-arm`, `+!vanilla`…) for series.conf entries; empty otherwise.
    pub guards: Vec<String>,
    /// The section heading comment the entry falls under (series.conf), if any.
    pub section: Option<String>,
    /// Whether the patch is applied in reverse (`-R`).
    pub reverse: bool,
}

impl SeriesEntry {
    /// An entry for `path` at `line` with the defaults: `-p1`, no guards, no section, forward.
    pub fn new(path: impl Into<String>, line: usize) -> SeriesEntry {
        SeriesEntry {
            path: path.into(),
            strip: 1,
            line,
            guards: Vec::new(),
            section: None,
            reverse: false,
        }
    }
}

/// Something odd in a series file, located by its 1-based line (0: the whole file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeriesProblem {
    /// The 1-based line the problem is on, or 0 when it concerns the whole input.
    pub line: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl SeriesProblem {
    /// A problem at `line`.
    pub fn new(line: usize, message: impl Into<String>) -> SeriesProblem {
        SeriesProblem {
            line,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for SeriesProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

/// The patches a series file names, in application order, and what was odd about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Series {
    /// The patches, in application order.
    pub entries: Vec<SeriesEntry>,
    /// Patches named on commented-out lines (`#\tpatches.xen/foo`): disabled for now, as
    /// kernel teams do during a rebase.
    pub disabled: Vec<String>,
    /// Everything odd met while reading; reading never stops at a problem.
    pub problems: Vec<SeriesProblem>,
}

/// The patch a commented-out series line names, if the comment is just that: optional
/// `+guard`/`-guard` words and one word that is a patch path (`patches.xen/foo`,
/// `bugfix/x.patch`), nothing else.
pub fn disabled_patch(line: &[u8]) -> Option<String> {
    let trimmed = line.trim_start();
    let text = trimmed.strip_prefix(b"#")?.trim_start_with(|c| c == '#');
    let mut names = words(text).filter(|w| w[0] != b'+' && w[0] != b'-');
    let name = names.next()?;
    if names.next().is_some() {
        return None;
    }
    let name = std::str::from_utf8(name).ok()?;
    let dir = name.split('/').next().unwrap_or("");
    let looks = name.contains('/')
        && (dir.starts_with("patches.") || crate::layout::is_patch_name(name))
        || crate::layout::is_patch_name(name) && !name.contains(' ');
    looks.then(|| name.to_string())
}

/// Parse a quilt `series` file (also Debian's `debian/patches/series`).
pub fn parse(text: &[u8]) -> Series {
    let mut series = Series::default();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        series.disabled.extend(disabled_patch(raw));
        let content = strip_comment(raw);
        let mut words = words(content);
        let Some(name) = words.next() else { continue };
        let mut entry = SeriesEntry::new(decode_name(name, line, &mut series.problems), line);
        check_path(&entry.path, line, &mut series.problems);
        parse_options(&mut words, &mut entry, &mut series.problems);
        series.entries.push(entry);
    }
    series
}

/// Apply the options that follow a patch name to `entry`, reporting the ones not understood.
fn parse_options<'a>(
    words: &mut impl Iterator<Item = &'a [u8]>,
    entry: &mut SeriesEntry,
    problems: &mut Vec<SeriesProblem>,
) {
    let line = entry.line;
    let mut strip_seen = false;
    while let Some(word) = words.next() {
        if word == b"-R" {
            entry.reverse = true;
        } else if let Some(value) = word.strip_prefix(b"-p") {
            let value = if value.is_empty() {
                words.next()
            } else {
                Some(value)
            };
            match value.and_then(parse_strip) {
                Some(_) if strip_seen => {
                    problems.push(SeriesProblem::new(
                        line,
                        "more than one -p option; the first one counts",
                    ));
                }
                Some(strip) => {
                    entry.strip = strip;
                    strip_seen = true;
                }
                None => problems.push(SeriesProblem::new(
                    line,
                    format!("bad strip option {:?}", lossy(word)),
                )),
            }
        } else if let Some(value) = word.strip_prefix(b"--fuzz=") {
            if parse_number(value).is_none() {
                problems.push(SeriesProblem::new(
                    line,
                    format!("bad fuzz option {:?}", lossy(word)),
                ));
            }
        } else if let Some(value) = word.strip_prefix(b"-F") {
            let value = if value.is_empty() {
                words.next()
            } else {
                Some(value)
            };
            if value.and_then(parse_number).is_none() {
                problems.push(SeriesProblem::new(
                    line,
                    format!("bad fuzz option {:?}", lossy(word)),
                ));
            }
        } else if word.starts_with(b"-") {
            problems.push(SeriesProblem::new(
                line,
                format!("unknown option {:?}", lossy(word)),
            ));
        } else {
            problems.push(SeriesProblem::new(
                line,
                format!("unexpected word {:?} after the patch name", lossy(word)),
            ));
        }
    }
}

/// The strip level of a `-p` value: a number, or quilt's `ab` (which means 1).
fn parse_strip(value: &[u8]) -> Option<usize> {
    if value == b"ab" {
        Some(1)
    } else {
        parse_number(value)
    }
}

/// A decimal number made only of ASCII digits, or `None` (also on overflow).
pub(crate) fn parse_number(digits: &[u8]) -> Option<usize> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    digits.iter().try_fold(0usize, |acc, &d| {
        acc.checked_mul(10)?.checked_add(usize::from(d - b'0'))
    })
}

/// The line without its comment: a `#` at the start of the line or after a blank
/// starts a comment that runs to the end of the line (quilt's and guards' rule).
pub(crate) fn strip_comment(line: &[u8]) -> &[u8] {
    let mut previous_blank = true;
    for (at, &byte) in line.iter().enumerate() {
        if byte == b'#' && previous_blank {
            return &line[..at];
        }
        previous_blank = is_blank(byte);
    }
    line
}

/// Whether `byte` separates words: ASCII space, tab, CR, vertical tab or form feed.
pub(crate) fn is_blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

/// The words of `text`, separated by runs of blanks (see [`is_blank`]).
pub(crate) fn words(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|&b| is_blank(b)).filter(|word| !word.is_empty())
}

/// `bytes` decoded as UTF-8, invalid sequences replaced by U+FFFD.
pub(crate) fn lossy(bytes: &[u8]) -> String {
    bytes.to_str_lossy().into_owned()
}

/// A name decoded lossily; a name that is not valid UTF-8 is reported at `line`.
pub(crate) fn decode_name(name: &[u8], line: usize, problems: &mut Vec<SeriesProblem>) -> String {
    let text = lossy(name);
    if name.to_str().is_err() {
        problems.push(SeriesProblem::new(
            line,
            format!("name {text:?} is not valid UTF-8; shown with replacement characters"),
        ));
    }
    text
}

/// Whether `path` stays inside the directory it is relative to: not absolute,
/// no `..` component, not empty, no NUL byte.
pub fn is_safe_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\0')
        && !path.split('/').any(|part| part == "..")
}

/// Report a patch path that could leave the series' directory or that looks like an option.
pub(crate) fn check_path(path: &str, line: usize, problems: &mut Vec<SeriesProblem>) {
    if !is_safe_relative_path(path) {
        problems.push(SeriesProblem::new(
            line,
            format!("patch path {path:?} is absolute or leaves the series directory"),
        ));
    }
    if path.starts_with('-') {
        problems.push(SeriesProblem::new(
            line,
            format!("patch name {path:?} starts with '-'"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEBIAN: &[u8] = b"# Debian kernel patches (fixture)\n\
debian/version.patch\n\
\n\
bugfix/x86/x86-fix-the-thing.patch\n\
  bugfix/all/old-style.diff -p0   # applied from the top dir\n\
features/all/lockdown/reverse.patch -R -p 2\n\
features/all/fuzzy.patch --fuzz=3\n";

    #[test]
    fn debian_series() {
        let series = parse(DEBIAN);
        assert!(series.problems.is_empty(), "{:?}", series.problems);
        let names: Vec<_> = series.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            names,
            [
                "debian/version.patch",
                "bugfix/x86/x86-fix-the-thing.patch",
                "bugfix/all/old-style.diff",
                "features/all/lockdown/reverse.patch",
                "features/all/fuzzy.patch"
            ]
        );
        assert_eq!(series.entries[0].line, 2);
        assert_eq!(series.entries[0].strip, 1);
        assert_eq!(series.entries[2].strip, 0);
        assert_eq!(series.entries[2].line, 5);
        assert!(series.entries[3].reverse);
        assert_eq!(series.entries[3].strip, 2);
        assert!(!series.entries[4].reverse);
        assert!(series
            .entries
            .iter()
            .all(|e| e.guards.is_empty() && e.section.is_none()));
    }

    #[test]
    fn comments_need_a_blank_before_them() {
        let series = parse(b"#whole line\n   # indented comment\nfoo#1.patch #trailing\n");
        assert_eq!(series.entries.len(), 1);
        assert_eq!(series.entries[0].path, "foo#1.patch");
        assert!(series.problems.is_empty());
    }

    #[test]
    fn crlf_and_quilt_ab() {
        let series = parse(b"a.patch -pab\r\nb.patch\r\n");
        assert_eq!(series.entries.len(), 2);
        assert_eq!(series.entries[0].strip, 1);
        assert_eq!(series.entries[1].path, "b.patch");
        assert!(series.problems.is_empty());
    }

    #[test]
    fn unknown_options_are_reported_with_their_line() {
        let series = parse(b"ok.patch\nx.patch -E -pX extra\ny.patch -p\nz.patch -p1 -p2\n");
        assert_eq!(series.entries.len(), 4);
        let lines: Vec<_> = series.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 2, 2, 3, 4]);
        assert!(series.problems[0].message.contains("unknown option"));
        assert!(series.problems[1].message.contains("bad strip"));
        assert!(series.problems[2].message.contains("unexpected word"));
        assert_eq!(series.entries[3].strip, 1);
    }

    #[test]
    fn odd_names_are_reported() {
        let series = parse(b"../escape.patch\n/abs.patch\n-dash.patch\nbad\xff.patch\n");
        assert_eq!(series.entries.len(), 4);
        assert_eq!(series.problems.len(), 4);
        assert_eq!(series.entries[3].path, "bad\u{fffd}.patch");
        assert_eq!(series.problems[3].line, 4);
    }

    #[test]
    fn huge_strip_does_not_overflow() {
        let series = parse(b"a.patch -p99999999999999999999999999\n");
        assert_eq!(series.entries[0].strip, 1);
        assert_eq!(series.problems.len(), 1);
    }

    #[test]
    fn empty_and_garbage_inputs() {
        assert_eq!(parse(b""), Series::default());
        assert!(parse(b"\n\n   \n#\n").entries.is_empty());
        let _ = parse(b"\x00\xff\xfe -p \t-R\r\r\n");
    }

    #[test]
    fn safe_paths() {
        assert!(is_safe_relative_path("a/b.patch"));
        assert!(is_safe_relative_path("a/..b.patch"));
        assert!(!is_safe_relative_path("a/../b.patch"));
        assert!(!is_safe_relative_path("/a"));
        assert!(!is_safe_relative_path(""));
    }

    #[test]
    fn commented_out_patches_are_disabled_not_lost() {
        use super::disabled_patch;
        assert_eq!(
            disabled_patch(b"#\tpatches.xen/ipv6-no-autoconf"),
            Some("patches.xen/ipv6-no-autoconf".into())
        );
        assert_eq!(
            disabled_patch(b"# +xen\tpatches.xen/xen3-patch-3.12"),
            Some("patches.xen/xen3-patch-3.12".into())
        );
        assert_eq!(
            disabled_patch(b"#  bugfix/x.patch"),
            Some("bugfix/x.patch".into())
        );
        assert_eq!(disabled_patch(b"# Xen patches"), None, "a heading");
        assert_eq!(disabled_patch(b"########"), None);
        assert_eq!(
            disabled_patch(b"# see patches.xen/a and patches.xen/b"),
            None
        );
        assert_eq!(disabled_patch(b"patches.xen/active"), None, "not a comment");
        let series = parse(b"a.patch\n#b.patch\n");
        assert_eq!(series.disabled, ["b.patch"]);
    }
}
