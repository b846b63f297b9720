//! Path patterns as get_maintainer.pl matches them.
//!
//! `F:` and `X:` globs become regexes (`read_maintainer_file`): `.` is escaped, `*` becomes
//! `.*` and `?` becomes `.`, and a pattern naming a directory of the tree gets a trailing `/`.
//! `file_match_pattern` then anchors the regex at the start of the path only: a pattern ending
//! in `/` matches everything below it; any other must also have as many `/` as the path, so
//! `*` and `?` never reach into a subdirectory even though `.*` would cross a `/`. (Anchoring
//! at the start only also means `foo.h` matches `foo.hx`; get_maintainer does the same.)
//!
//! Whether a pattern names a directory is a question about the tree, which this crate does not
//! read: [`crate::Maintainers::resolve_directories`] asks the caller. Until then a pattern
//! counts as a directory for a path that lies below it, which is right for every path that
//! exists in the tree except siblings sharing a prefix (`drivers/foo` the directory and
//! `drivers/foo.c` the file).

use crate::perlre;
use regex::Regex;
use std::sync::OnceLock;

/// An `F:` or `X:` pattern.
#[derive(Debug, Clone)]
pub(crate) struct FilePattern {
    /// The regex source get_maintainer.pl derives from the glob (without the `/` it adds for
    /// a directory).
    converted: String,
    /// Length of the literal start of `converted` every match begins with (0 when unknown).
    prefix: usize,
    /// Whether get_maintainer's `-d $value` could hold (no `\` and no `*` in `converted`).
    could_be_dir: bool,
    /// The answer of [`FilePattern::resolve_directory`], if asked.
    dir: Option<bool>,
    /// `converted` anchored, compiled on first use (or at parse time for a pattern with
    /// regex syntax of its own, so that errors are found then).
    plain: OnceLock<Option<Regex>>,
    /// `converted/` anchored, compiled on first use.
    slashed: OnceLock<Option<Regex>>,
    /// `$value_pd`: how deep the pattern reaches, the sort key for matched sections.
    pub(crate) depth: i64,
    /// Number of `/` in `converted`.
    slashes: usize,
}

/// A pattern whose regex does not compile: the compiler's message, on one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PatternError(String);

/// The characters that make a converted glob more than a literal with `.`, `.*` and `\.`.
const REGEX_SYNTAX: &[char] = &['\\', '[', ']', '(', ')', '{', '}', '|', '+', '^', '$'];

impl FilePattern {
    /// The pattern of the glob `raw`, or the compiler's message when its regex does not
    /// compile.
    pub(crate) fn new(raw: &str) -> Result<FilePattern, PatternError> {
        let converted = convert_glob(raw);
        let literal = !raw.contains(REGEX_SYNTAX);
        let pattern = FilePattern {
            prefix: if literal {
                literal_prefix(&converted)
            } else {
                0
            },
            could_be_dir: !converted.is_empty()
                && !converted.ends_with('/')
                && !converted.contains(['\\', '*']),
            dir: None,
            plain: OnceLock::new(),
            slashed: OnceLock::new(),
            depth: depth(&converted),
            slashes: slash_count(&converted),
            converted,
        };
        if !literal {
            let compiled = anchored(&pattern.converted, "");
            let _ = pattern.plain.set(compiled.as_ref().ok().cloned());
            compiled?;
        }
        Ok(pattern)
    }

    /// Settles whether the pattern names a directory, asking `is_dir` with the converted
    /// pattern (what get_maintainer.pl passes to `-d`) when it could.
    pub(crate) fn resolve_directory(&mut self, is_dir: &mut dyn FnMut(&str) -> bool) {
        self.dir = Some(self.could_be_dir && is_dir(&self.converted));
    }

    /// `file_match_pattern($file, $value)`.
    pub(crate) fn matches(&self, file: &str) -> bool {
        if !file.is_char_boundary(self.prefix)
            || file[..self.prefix] != self.converted[..self.prefix]
        {
            return false;
        }
        if self.is_dir_for(file) {
            return compiled(&self.slashed, &self.converted, "/")
                .is_some_and(|re| re.is_match(file));
        }
        compiled(&self.plain, &self.converted, "").is_some_and(|re| re.is_match(file))
            && (self.converted.ends_with('/') || slash_count(file) == self.slashes)
    }

    /// Whether the pattern counts as a directory when matching `file`.
    fn is_dir_for(&self, file: &str) -> bool {
        self.dir.unwrap_or_else(|| {
            self.could_be_dir
                && file.len() > self.converted.len()
                && file.starts_with(&self.converted)
                && file.as_bytes()[self.converted.len()] == b'/'
        })
    }
}

/// An `N:` or `K:` regex, Perl-`/x` rewritten and compiled.
#[derive(Debug, Clone)]
pub(crate) struct RegexPattern {
    pub(crate) regex: Regex,
}

impl RegexPattern {
    /// `raw` compiled as get_maintainer.pl's `m/$raw/x`, or the compiler's message.
    pub(crate) fn new(raw: &str) -> Result<RegexPattern, PatternError> {
        compile(&perlre::to_rust(raw, true)).map(|regex| RegexPattern { regex })
    }
}

/// Compiles `source`; the error on one line.
pub(crate) fn compile(source: &str) -> Result<Regex, PatternError> {
    Regex::new(source).map_err(|e| PatternError(one_line(&e.to_string())))
}

/// A multi-line compiler message on one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `^` + `converted` + `suffix`, compiled.
fn anchored(converted: &str, suffix: &str) -> Result<Regex, PatternError> {
    compile(&format!("^{}{suffix}", perlre::to_rust(converted, false)))
}

/// The regex in `cell`, compiling `^converted suffix` on first use.
fn compiled<'a>(
    cell: &'a OnceLock<Option<Regex>>,
    converted: &str,
    suffix: &str,
) -> Option<&'a Regex> {
    cell.get_or_init(|| anchored(converted, suffix).ok())
        .as_ref()
}

/// get_maintainer.pl's glob conversion: `.` → `\.`, `*` → `.*`, `?` → `.`.
pub(crate) fn convert_glob(raw: &str) -> String {
    let mut converted = String::with_capacity(raw.len() + 8);
    for c in raw.chars() {
        match c {
            '.' => converted.push_str(r"\."),
            '*' => converted.push_str(".*"),
            '?' => converted.push('.'),
            c => converted.push(c),
        }
    }
    converted
}

/// The literal start of a converted glob without other regex syntax: up to the first `.` or
/// `\`.
fn literal_prefix(converted: &str) -> usize {
    converted.find(['.', '\\']).unwrap_or(converted.len())
}

/// `$value_pd`: the `/` of the pattern, one more unless it ends in `/`, and -1 for a pattern
/// starting with `*` (THE REST's `*` and `*/` come last).
fn depth(converted: &str) -> i64 {
    if converted.starts_with(".*") {
        return -1;
    }
    let slashes = i64::try_from(slash_count(converted)).unwrap_or(i64::MAX - 1);
    slashes + i64::from(!converted.ends_with('/'))
}

/// `tr@/@@`.
pub(crate) fn slash_count(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'/').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(raw: &str) -> FilePattern {
        FilePattern::new(raw).unwrap_or_else(|e| panic!("{raw}: {e}"))
    }

    #[test]
    fn globs_do_not_reach_into_subdirectories() {
        let p = pattern("drivers/net/*");
        assert!(p.matches("drivers/net/loopback.c"));
        assert!(!p.matches("drivers/net/xen-netback/netback.c"));
        let p = pattern("*/net/*");
        assert!(p.matches("drivers/net/tun.c"));
        assert!(!p.matches("net/core/dev.c"));
        let p = pattern("drivers/input/misc/da72??.[ch]");
        assert!(p.matches("drivers/input/misc/da7280.c"));
        assert!(!p.matches("drivers/input/misc/da7280.o"));
    }

    #[test]
    fn trailing_slash_matches_below() {
        let p = pattern("drivers/xen/");
        assert!(p.matches("drivers/xen/events/events_base.c"));
        assert!(!p.matches("drivers/xenfs.c"));
        assert_eq!(p.depth, 2);
    }

    #[test]
    fn directories_without_slash() {
        let mut p = pattern("arch/x86/xen");
        assert!(
            p.matches("arch/x86/xen/enlighten.c"),
            "inferred from the path"
        );
        assert!(
            p.matches("arch/x86/xenfoo.c"),
            "not known to be a directory"
        );
        p.resolve_directory(&mut |dir| dir == "arch/x86/xen");
        assert!(p.matches("arch/x86/xen/enlighten.c"));
        assert!(!p.matches("arch/x86/xenfoo.c"));
        assert_eq!(p.depth, 3);
        let mut file = pattern("include/linux/foo.h");
        file.resolve_directory(&mut |_| panic!("-d of an escaped pattern is never true"));
        assert!(
            file.matches("include/linux/foo.hx"),
            "anchored at the start only"
        );
    }

    #[test]
    fn depth_of_the_rest() {
        assert_eq!(pattern("*").depth, -1);
        assert_eq!(pattern("*/").depth, -1);
        assert!(pattern("*").matches("Makefile"));
        assert!(!pattern("*").matches("a/Makefile"));
        assert!(pattern("*/").matches("a/b/c"));
        assert_eq!(pattern("include/xen/*.h").depth, 3);
    }

    #[test]
    fn broken_regex_is_an_error() {
        let Err(bad) = FilePattern::new("drivers/foo[") else {
            panic!("an unclosed class compiles")
        };
        assert!(
            bad.to_string().contains("unclosed character class"),
            "{bad}"
        );
        assert!(!bad.to_string().contains('\n'), "one line: {bad}");
        let Err(bad) = RegexPattern::new("(unclosed") else {
            panic!("an unclosed group compiles")
        };
        assert!(bad.to_string().contains("unclosed group"), "{bad}");
        assert!(RegexPattern::new("[^a-z]tegra").is_ok());
    }
}
