use super::*;
use proptest::prelude::*;

const SMALL: &str = "\
List of maintainers
===================

Descriptions of section entries:

\tM: *Mail* patches to: FullName <address@domain>
\tF: *Files* and directories wildcard patterns.
\t   F:\tdrivers/net/\tall files in and below drivers/net

Maintainers List
----------------

.. note:: When reading this list, please look for the most precise areas
          first.

XEN HYPERVISOR INTERFACE
M:\tJuergen Gross <jgross@suse.com>
L:\txen-devel@lists.xenproject.org (moderated for non-subscribers)
S:\tSupported
F:\tdrivers/xen/
# a comment inside a section
K:\txen

THE REST
M:\tLinus Torvalds <torvalds@linux-foundation.org>
S:\tBuried alive in reporters
F:\t*
F:\t*/
";

fn kinds(problems: &[Problem]) -> Vec<(usize, ProblemKind)> {
    problems.iter().map(|p| (p.line, p.kind.clone())).collect()
}

#[test]
fn the_introduction_makes_no_section() {
    let (maintainers, problems) = Maintainers::parse(SMALL);
    assert!(problems.is_empty(), "{problems:?}");
    let names: Vec<&str> = maintainers.sections().iter().map(Section::name).collect();
    assert_eq!(names, ["XEN HYPERVISOR INTERFACE", "THE REST"]);
}

#[test]
fn sections_keep_line_numbers() {
    let (maintainers, _) = Maintainers::parse(SMALL);
    let xen = &maintainers.sections()[0];
    assert_eq!(xen.line(), 16);
    assert_eq!(xen.status(), Some("Supported"));
    let lines: Vec<(char, usize)> = xen
        .entries()
        .iter()
        .map(|e| (e.tag.letter(), e.line))
        .collect();
    assert_eq!(
        lines,
        [('M', 17), ('L', 18), ('S', 19), ('F', 20), ('K', 22)]
    );
    assert_eq!(xen.values(Tag::File).collect::<Vec<_>>(), ["drivers/xen/"]);
    assert_eq!(maintainers.section("THE REST").map(Section::line), Some(24));
}

#[test]
fn malformed_lines_are_problems() {
    let text = "\
F:\tno title
M:\tsomeone@example.org

FOO
A:\tunknown letter
F:
F:\tdrivers/foo[
N:\t(unclosed
K:\tbroken)
stray text

  F:\tindented
F:\tdrivers/bar/

FOO
S:\tMaintained
";
    let (maintainers, problems) = Maintainers::parse(text);
    assert_eq!(
        kinds(&problems),
        [
            (1, ProblemKind::NoTitle),
            (5, ProblemKind::UnknownTag('A')),
            (6, ProblemKind::EmptyValue('F')),
            (
                7,
                ProblemKind::BadPattern {
                    tag: 'F',
                    error: first_error(&problems, 7)
                }
            ),
            (
                8,
                ProblemKind::BadPattern {
                    tag: 'N',
                    error: first_error(&problems, 8)
                }
            ),
            (
                9,
                ProblemKind::BadPattern {
                    tag: 'K',
                    error: first_error(&problems, 9)
                }
            ),
            (10, ProblemKind::StrayText),
            (12, ProblemKind::IndentedEntry),
            (15, ProblemKind::DuplicateSection(4)),
        ]
    );
    let names: Vec<&str> = maintainers.sections().iter().map(Section::name).collect();
    assert_eq!(names, ["F:\tno title", "FOO", "  F:\tindented", "FOO"]);
    assert!(problems.iter().all(|p| !p.to_string().is_empty()));
}

fn first_error(problems: &[Problem], line: usize) -> String {
    problems
        .iter()
        .find_map(|p| match &p.kind {
            ProblemKind::BadPattern { error, .. } if p.line == line => Some(error.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

#[test]
fn keywords_are_ordered_as_strings_of_their_index() {
    // get_maintainer.pl sorts @typevalue indices as strings: "10" before "9".
    let mut text = String::from("A\nK:\tfirst\n");
    for i in 0..3 {
        text.push_str(&format!("S{i}\nS:\tMaintained\n"));
    }
    text.push_str("B\nK:\tsecond\n");
    let (maintainers, problems) = Maintainers::parse(&text);
    assert!(problems.is_empty());
    let order: Vec<&str> = maintainers
        .keywords
        .iter()
        .map(|k| k.raw.as_str())
        .collect();
    // Indices 1 and 9.
    assert_eq!(order, ["first", "second"]);
    let text = text.replace(
        "S2\nS:\tMaintained\n",
        "S2\nS:\tMaintained\nS3\nS:\tMaintained\n",
    );
    let (maintainers, _) = Maintainers::parse(&text);
    let order: Vec<&str> = maintainers
        .keywords
        .iter()
        .map(|k| k.raw.as_str())
        .collect();
    // Indices 1 and 11: "1" < "11" still; move the first keyword to index 2.
    assert_eq!(order, ["first", "second"]);
    let text = format!("X\n{text}").replace("A\nK:\tfirst\n", "A\nS:\tx\nK:\tfirst\n");
    let (maintainers, _) = Maintainers::parse(&text);
    let order: Vec<&str> = maintainers
        .keywords
        .iter()
        .map(|k| k.raw.as_str())
        .collect();
    // Indices 3 and 13: "13" < "3".
    assert_eq!(order, ["second", "first"]);
}

#[test]
fn empty_input() {
    let (maintainers, problems) = Maintainers::parse("");
    assert!(maintainers.sections().is_empty() && problems.is_empty());
}

proptest! {
    #[test]
    fn parse_never_panics_and_lines_are_inside(text in "(?s)(([A-Z]:[ \t]?)?[ -~\t\u{e9}]{0,30}\n){0,40}") {
        let lines = text.split('\n').count();
        let (maintainers, problems) = Maintainers::parse(&text);
        for problem in &problems {
            prop_assert!(problem.line >= 1 && problem.line <= lines);
        }
        for section in maintainers.sections() {
            prop_assert!(section.line() >= 1 && section.line() <= lines);
            for entry in section.entries() {
                prop_assert!(entry.line > section.line() && entry.line <= lines);
            }
        }
        let paths = ["drivers/xen/a.c", "Makefile", "", "/", "a/b/c/d.yaml"];
        let _ = maintainers.for_files(&paths, Some(&text)).lines();
    }

    #[test]
    fn parse_never_panics_on_any_text(text in any::<String>()) {
        let lines = text.split('\n').count();
        let (maintainers, problems) = Maintainers::parse(&text);
        prop_assert!(problems.iter().all(|p| p.line >= 1 && p.line <= lines));
        let _ = maintainers.for_patch(&text);
    }
}
