//! openSUSE/SLE kernel-source `series.conf`: patch names with quilt guards.
//!
//! The file is read the way quilt's `guards` script reads it (kernel-source's
//! `scripts/guards` is the same program):
//!
//! * a `#` at the start of a line or after a blank starts a comment;
//! * a line ending in `\` continues on the next line;
//! * every word starting with `+` or `-` is a guard; every other word is a
//!   patch, guarded by all the guards met so far on its (logical) line.
//!
//! ```text
//!     ########################################################
//!     # Xen
//!     ########################################################
//!     +xen    patches.xen/xen3-fixup-common
//!     +xen -arm    patches.xen/xen-x86-only
//! ```
//!
//! Patches are always applied with `-p1`. Each entry records its guards and
//! the most recent section heading: the first text line of a comment block
//! framed by rule lines (`#####…`), or a lone comment line whose last word is
//! "patches" (`# Xen patches`). Guards with no patch after them are dropped,
//! as openSUSE's `rpm/guards` drops them; guards without a symbol (other than
//! the bare `-`, "always exclude"), and `$` in a guard or a patch name (an
//! unexpanded variable) are reported.
//!
//! [`active`] evaluates an entry's guards against a set of symbols; readers
//! keep every entry by default and show the guards.

use crate::series::{
    check_path, decode_name, disabled_patch, is_blank, lossy, strip_comment, words,
};
use crate::series::{Series, SeriesEntry, SeriesProblem};
use bstr::ByteSlice;

/// Parse a kernel-source `series.conf`.
pub fn parse(text: &[u8]) -> Series {
    let mut series = Series::default();
    let mut headings = Headings::default();
    let mut guards: Vec<String> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        headings.see(raw);
        series.disabled.extend(disabled_patch(raw));
        let mut content = strip_comment(raw);
        let continued = content.last() == Some(&b'\\');
        if continued {
            content = &content[..content.len() - 1];
        }
        for word in words(content) {
            if word[0] == b'+' || word[0] == b'-' {
                check_guard(word, line, &mut series.problems);
                if guard_room(&guards, word) {
                    guards.push(lossy(word));
                } else {
                    series.problems.push(SeriesProblem::new(
                        line,
                        format!("too many guards on one line; {:?} ignored", lossy(word)),
                    ));
                }
            } else {
                let path = decode_name(word, line, &mut series.problems);
                check_name(&path, line, &mut series.problems);
                let mut entry = SeriesEntry::new(path, line);
                entry.guards = guards.clone();
                entry.section = headings.current.clone();
                series.entries.push(entry);
            }
        }
        // Guards apply to the patches of their logical line; guards no patch follows
        // (`+xen_needs_update  # comment`) are dropped, as openSUSE's own `rpm/guards` does.
        if !continued {
            guards.clear();
        }
    }
    series
}

/// Whether `entry` is selected when exactly `symbols` are defined, by the rules of
/// quilt's `guards` script:
///
/// * no guards: selected;
/// * otherwise the entry starts out selected if its first guard is a `-` guard,
///   and unselected if it is a `+` guard; then every guard, left to right, that
///   matches sets the result (`+…` selects, `-…` deselects). The last match wins;
/// * `+sym` / `-sym` match when `sym` is defined; `+!sym` / `-!sym` match when it
///   is not; the bare `-` (and `+`) matches always.
///
/// So `+xen` means "only with xen", `-arm` "not with arm", `+!vanilla` "only
/// without vanilla", `-!vanilla` "not without vanilla", and `-` "never".
pub fn active(entry: &SeriesEntry, symbols: &[&str]) -> bool {
    guards_select(&entry.guards, symbols)
}

/// The guards rule of [`active`], on a bare list of guards.
pub fn guards_select(guards: &[String], symbols: &[&str]) -> bool {
    let Some(first) = guards.first() else {
        return true;
    };
    let mut selected = first.starts_with('-');
    for guard in guards {
        let (include, rest) = match guard.as_bytes().first() {
            Some(b'+') => (true, &guard[1..]),
            Some(b'-') => (false, &guard[1..]),
            _ => continue,
        };
        let matches = match rest.strip_prefix('!') {
            Some(symbol) => !symbols.contains(&symbol),
            None => rest.is_empty() || symbols.contains(&rest),
        };
        if matches {
            selected = include;
        }
    }
    selected
}

/// At most this many guards are kept for one line (every entry carries a copy).
const MAX_GUARDS: usize = 64;
/// At most this many bytes of guards are kept for one line.
const MAX_GUARD_BYTES: usize = 1024;
/// At most this many bytes of a section heading are kept (every entry carries a copy).
const MAX_HEADING_BYTES: usize = 256;

/// Whether one more guard fits on the line (see [`MAX_GUARDS`], [`MAX_GUARD_BYTES`]).
fn guard_room(guards: &[String], word: &[u8]) -> bool {
    let bytes: usize = guards.iter().map(String::len).sum();
    guards.len() < MAX_GUARDS && bytes + word.len() <= MAX_GUARD_BYTES
}

/// Report a guard with no symbol (other than the bare `-`) or with a `$` in it.
fn check_guard(word: &[u8], line: usize, problems: &mut Vec<SeriesProblem>) {
    let symbol = word[1..].strip_prefix(b"!").unwrap_or(&word[1..]);
    if symbol.is_empty() && word != b"-" {
        problems.push(SeriesProblem::new(
            line,
            format!("guard {:?} has no symbol", lossy(word)),
        ));
    }
    if word.contains(&b'$') {
        problems.push(SeriesProblem::new(
            line,
            format!(
                "guard {:?} contains '$' (an unexpanded variable?)",
                lossy(word)
            ),
        ));
    }
}

/// Report a patch name with a `$` in it, or one that could leave the tree.
fn check_name(path: &str, line: usize, problems: &mut Vec<SeriesProblem>) {
    if path.contains('$') {
        problems.push(SeriesProblem::new(
            line,
            format!("patch name {path:?} contains '$' (an unexpanded variable?)"),
        ));
    }
    check_path(path, line, problems);
}

/// Tracks section headings in comments as lines go by.
#[derive(Default)]
struct Headings {
    /// The heading in force.
    current: Option<String>,
    /// Inside a block opened by a rule line: the first text line seen so far, if any.
    block: Option<Option<String>>,
}

impl Headings {
    /// Account for one physical line of the file.
    fn see(&mut self, raw: &[u8]) {
        let trimmed = raw.trim_with(|c| c.is_ascii() && is_blank(c as u8));
        if !trimmed.starts_with(b"#") {
            self.block = None;
            return;
        }
        if is_rule(trimmed) {
            self.block = match self.block.take() {
                Some(Some(text)) => {
                    self.current = Some(text);
                    None
                }
                _ => Some(None),
            };
            return;
        }
        let text = comment_text(trimmed);
        match &mut self.block {
            Some(first @ None) if !text.is_empty() => *first = Some(cut_heading(text)),
            Some(_) => {}
            None if is_heading_line(&text) => self.current = Some(cut_heading(text)),
            None => {}
        }
    }
}

/// Whether a comment line is a rule: at least four characters, all of `#=-*~_`
/// apart from blanks (`########`, `# ---------`).
fn is_rule(trimmed: &[u8]) -> bool {
    let mut count = 0;
    for &byte in trimmed {
        if is_blank(byte) {
            continue;
        }
        if !matches!(byte, b'#' | b'=' | b'-' | b'*' | b'~' | b'_') {
            return false;
        }
        count += 1;
    }
    count >= 4
}

/// The text of a comment line: without its leading `#`s and surrounding blanks.
fn comment_text(trimmed: &[u8]) -> String {
    let text = trimmed.trim_start_with(|c| c == '#');
    lossy(text.trim_with(|c| c.is_ascii() && is_blank(c as u8)))
}

/// A heading cut to [`MAX_HEADING_BYTES`] (at a character boundary).
fn cut_heading(mut text: String) -> String {
    if text.len() > MAX_HEADING_BYTES {
        let mut end = MAX_HEADING_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// Whether a lone comment line is a section heading: its last word is "patches"
/// and its first word does not look like a commented-out patch path or guard.
fn is_heading_line(text: &str) -> bool {
    let mut words = text.split_ascii_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    if first.contains('/') || first.starts_with('+') || first.starts_with('-') {
        return false;
    }
    let last = text.split_ascii_whitespace().last().unwrap_or(first);
    last.trim_end_matches([':', '.'])
        .eq_ignore_ascii_case("patches")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up series.conf in the kernel-source layout.
    const FIXTURE: &[u8] = b"\
# Kernel patches configuration file (test fixture)
#
# +symbol  include if symbol is defined
#
	########################################################
	# Upstream stable updates
	########################################################
	patches.kernel.org/1.2.3-001-first.patch
	patches.kernel.org/1.2.3-002-second.patch

	########################################################
	# Xen
	# (paravirtualized guests)
	########################################################
	+xen	patches.xen/xen3-auto-common.diff
	+xen -arm	patches.xen/xen3-x86-only.diff
	+!vanilla	patches.suse/suse-only.patch
	-!vanilla	patches.suse/also-suse-only.patch
	#	patches.xen/disabled.diff

	# Networking patches
	patches.fixes/net-fix.patch
	-	patches.suse/never.patch
	+ppc64 +ppc64le \\
	    patches.arch/ppc-thing.patch
";

    #[test]
    fn fixture_entries_guards_and_sections() {
        let series = parse(FIXTURE);
        assert!(series.problems.is_empty(), "{:?}", series.problems);
        let got: Vec<(&str, usize, Vec<&str>, Option<&str>)> = series
            .entries
            .iter()
            .map(|e| {
                (
                    e.path.as_str(),
                    e.line,
                    e.guards.iter().map(String::as_str).collect(),
                    e.section.as_deref(),
                )
            })
            .collect();
        let up = Some("Upstream stable updates");
        let xen = Some("Xen");
        let net = Some("Networking patches");
        assert_eq!(
            got,
            vec![
                ("patches.kernel.org/1.2.3-001-first.patch", 8, vec![], up),
                ("patches.kernel.org/1.2.3-002-second.patch", 9, vec![], up),
                ("patches.xen/xen3-auto-common.diff", 15, vec!["+xen"], xen),
                (
                    "patches.xen/xen3-x86-only.diff",
                    16,
                    vec!["+xen", "-arm"],
                    xen
                ),
                ("patches.suse/suse-only.patch", 17, vec!["+!vanilla"], xen),
                (
                    "patches.suse/also-suse-only.patch",
                    18,
                    vec!["-!vanilla"],
                    xen
                ),
                ("patches.fixes/net-fix.patch", 22, vec![], net),
                ("patches.suse/never.patch", 23, vec!["-"], net),
                (
                    "patches.arch/ppc-thing.patch",
                    25,
                    vec!["+ppc64", "+ppc64le"],
                    net
                ),
            ]
        );
        assert!(series.entries.iter().all(|e| e.strip == 1 && !e.reverse));
    }

    #[test]
    fn guards_semantics() {
        let series = parse(FIXTURE);
        let on = |i: usize, symbols: &[&str]| active(&series.entries[i], symbols);
        assert!(on(0, &[]));
        assert!(on(2, &["xen"]));
        assert!(!on(2, &[]));
        assert!(on(3, &["xen"]));
        assert!(!on(3, &["xen", "arm"]));
        assert!(on(4, &[]));
        assert!(!on(4, &["vanilla"]));
        assert!(!on(5, &[]));
        assert!(on(5, &["vanilla"]));
        assert!(!on(7, &[]));
        assert!(!on(7, &["xen"]));
        assert!(on(8, &["ppc64le"]));
        assert!(!on(8, &["x86_64"]));
    }

    #[test]
    fn last_matching_guard_wins() {
        let g = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(!guards_select(&g(&["-a", "+b"]), &["a"]));
        assert!(guards_select(&g(&["-a", "+b"]), &["a", "b"]));
        assert!(guards_select(&g(&["-a", "+b"]), &[]));
        assert!(!guards_select(&g(&["+a", "-b"]), &["a", "b"]));
    }

    #[test]
    fn oddities_are_reported() {
        let text = b"\t+xen\n\t+$ARCH\tpatches.arch/$ARCH.patch\n\t+!\tpatches.x/y\n\tpatches.z/w +trailing\n";
        let series = parse(text);
        assert_eq!(series.entries.len(), 3);
        let lines: Vec<_> = series.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 2, 3], "{:?}", series.problems);
    }

    #[test]
    fn guards_no_patch_follows_are_dropped_as_rpm_guards_drops_them() {
        let series =
            parse(b"\t+xen_needs_update  # comment\n\tpatches.a/b\n\tpatches.c/d +trailing\n");
        assert!(series.problems.is_empty(), "{:?}", series.problems);
        let guards: Vec<&[String]> = series.entries.iter().map(|e| e.guards.as_slice()).collect();
        assert_eq!(
            guards,
            [&[] as &[String], &[]],
            "guards apply to their own line only"
        );
    }

    #[test]
    fn lone_comments_that_are_not_headings() {
        let series = parse(
            b"# bsc#123 fix\npatches.fixes/a\n#\tpatches.fixes/old patches\npatches.fixes/b\n",
        );
        assert!(series.entries.iter().all(|e| e.section.is_none()));
    }

    #[test]
    fn rules_without_text_then_heading() {
        let series = parse(b"####\n####\n# Core\n####\npatches.a/b\n");
        assert_eq!(series.entries[0].section.as_deref(), Some("Core"));
    }

    #[test]
    fn guard_floods_are_capped() {
        let mut text = Vec::new();
        for i in 0..200 {
            text.extend_from_slice(format!("+g{i} ").as_bytes());
        }
        text.extend_from_slice(b"patches.a/b patches.a/c\n");
        let series = parse(&text);
        assert_eq!(series.entries.len(), 2);
        assert_eq!(series.entries[0].guards.len(), MAX_GUARDS);
        assert_eq!(series.problems.len(), 200 - MAX_GUARDS);
        let long = format!("# {} patches\npatches.a/b\n", "x".repeat(1000));
        let series = parse(long.as_bytes());
        assert_eq!(
            series.entries[0].section.as_ref().map(String::len),
            Some(MAX_HEADING_BYTES)
        );
    }

    #[test]
    fn garbage_does_not_panic() {
        let _ = parse(b"\\");
        let _ = parse(b"+\\\n\\\n-");
        let _ = parse(b"\xff\xfe#\x00 +\xff \xff");
        let _ = parse(b"#####\n# \xff\n#####\n\xff");
    }
}
