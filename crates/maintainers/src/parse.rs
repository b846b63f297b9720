//! Reading `MAINTAINERS` the way get_maintainer.pl's `read_maintainer_file` does.
//!
//! The script keeps every line that is neither blank nor a comment (`@typevalue`); a line
//! `X:<white space>value` with `X` a capital letter is an entry, any other line is text. A
//! section is a maximal run of entries, titled by the text line just before it. The
//! introduction at the top documents the format with example `M:`/`F:` lines, but they are
//! indented, hence text, and text not followed by entries titles nothing: the introduction
//! yields no section, with no special case for it. Text after the first section that titles
//! nothing is reported as a problem.

use crate::keywords::KeywordMatcher;
use crate::model::{Entry, Keyword, Maintainers, PathRule, Problem, ProblemKind, Section, Tag};
use crate::pattern::{FilePattern, RegexPattern};
use std::collections::HashMap;

/// A line get_maintainer.pl keeps.
#[derive(Debug)]
struct Kept<'a> {
    /// 1-based line number.
    line: usize,
    /// `Some((letter, value))` for an entry.
    entry: Option<(char, &'a str)>,
    text: &'a str,
}

impl Maintainers {
    /// Parses a `MAINTAINERS` file. Never fails: what get_maintainer.pl would ignore, misread
    /// or die on is returned as problems, with line numbers.
    pub fn parse(text: &str) -> (Maintainers, Vec<Problem>) {
        let kept = keep_lines(text);
        let mut problems = Vec::new();
        let mut sections = Vec::new();
        let mut titles = vec![false; kept.len()];
        let mut start = 0;
        while start < kept.len() {
            if kept[start].entry.is_none() {
                start += 1;
                continue;
            }
            let end = (start..kept.len())
                .find(|&i| kept[i].entry.is_none())
                .unwrap_or(kept.len());
            let title = start.checked_sub(1);
            if let Some(title) = title {
                titles[title] = true;
            }
            sections.push(section(&kept, title, start, end, &mut problems));
            start = end;
        }
        check_text(&kept, &titles, &mut problems);
        check_duplicates(&sections, &mut problems);
        let maintainers = with_keywords(sections, &mut problems);
        problems.sort_by_key(|p| p.line);
        (maintainers, problems)
    }
}

/// The lines get_maintainer.pl keeps: entries, and text that is neither blank nor a comment.
fn keep_lines(text: &str) -> Vec<Kept<'_>> {
    text.split('\n')
        .enumerate()
        .filter_map(|(i, text)| {
            let entry = split_entry(text);
            let trimmed = text.trim_start();
            let kept = entry.is_some() || !(trimmed.is_empty() || trimmed.starts_with('#'));
            kept.then_some(Kept {
                line: i + 1,
                entry,
                text,
            })
        })
        .collect()
}

/// `m/^([A-Z]):\s*(.*)/`: the letter and the value of an entry line.
fn split_entry(line: &str) -> Option<(char, &str)> {
    let mut chars = line.chars();
    let letter = chars.next().filter(char::is_ascii_uppercase)?;
    let rest = line[1..].strip_prefix(':')?;
    Some((letter, rest.trim_start()))
}

/// The section of the entries `kept[start..end]`, titled by `kept[title]`. Without a title
/// (entries on the file's first kept line), get_maintainer.pl takes the first entry as the
/// title; so does this.
fn section(
    kept: &[Kept<'_>],
    title: Option<usize>,
    start: usize,
    end: usize,
    problems: &mut Vec<Problem>,
) -> Section {
    let (title, first) = match title {
        Some(title) => (title, start),
        None => {
            problems.push(problem(kept[start].line, ProblemKind::NoTitle));
            (start, start + 1)
        }
    };
    let mut section = Section {
        name: kept[title].text.to_owned(),
        line: kept[title].line,
        first_index: first,
        entries: Vec::with_capacity(end - first),
        patterns: Vec::new(),
        exact: false,
    };
    for kept in &kept[first..end] {
        if let Some((letter, value)) = kept.entry {
            add_entry(&mut section, letter, value, kept.line, problems);
        }
    }
    section.exact = is_exact(&section);
    section
}

/// `range_is_maintained && range_has_maintainer`.
fn is_exact(section: &Section) -> bool {
    let maintained = section.values(Tag::Status).any(|s| {
        let s = s.to_lowercase();
        s.contains("maintain") || s.contains("support")
    });
    maintained && section.values(Tag::Maintainer).next().is_some()
}

/// Adds one entry line to `section`, compiling its pattern.
fn add_entry(
    section: &mut Section,
    letter: char,
    value: &str,
    line: usize,
    problems: &mut Vec<Problem>,
) {
    let tag = Tag::from_letter(letter);
    if let Tag::Other(letter) = tag {
        problems.push(problem(line, ProblemKind::UnknownTag(letter)));
    }
    if value.trim().is_empty() {
        problems.push(problem(line, ProblemKind::EmptyValue(letter)));
    }
    let rule = match tag {
        Tag::File => Some(FilePattern::new(value).map(PathRule::File)),
        Tag::Exclude => Some(FilePattern::new(value).map(PathRule::Exclude)),
        Tag::Name if !value.trim().is_empty() => Some(RegexPattern::new(value).map(PathRule::Name)),
        _ => None,
    };
    match rule {
        Some(Ok(rule)) => section.patterns.push(rule),
        Some(Err(error)) => {
            let error = error.to_string();
            problems.push(problem(
                line,
                ProblemKind::BadPattern { tag: letter, error },
            ));
        }
        None => {}
    }
    section.entries.push(Entry {
        tag,
        value: value.to_owned(),
        line,
    });
}

/// Problems with text lines after the first section that title nothing.
fn check_text(kept: &[Kept<'_>], titles: &[bool], problems: &mut Vec<Problem>) {
    let Some(first) = titles.iter().position(|&t| t) else {
        return;
    };
    for (kept, &title) in kept.iter().zip(titles).skip(first) {
        if kept.entry.is_some() {
            continue;
        }
        if split_entry(kept.text.trim_start()).is_some() {
            problems.push(problem(kept.line, ProblemKind::IndentedEntry));
        } else if !title {
            problems.push(problem(kept.line, ProblemKind::StrayText));
        }
    }
}

/// Problems with titles used twice.
fn check_duplicates(sections: &[Section], problems: &mut Vec<Problem>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for section in sections {
        if let Some(&first) = seen.get(section.name.as_str()) {
            problems.push(problem(section.line, ProblemKind::DuplicateSection(first)));
        } else {
            seen.insert(&section.name, section.line);
        }
    }
}

/// The file's `K:` lines, in the order get_maintainer.pl applies them: it sorts their
/// `@typevalue` indices as strings. Empty ones are left out: Perl would reuse the last
/// successful pattern for them.
fn with_keywords(sections: Vec<Section>, problems: &mut Vec<Problem>) -> Maintainers {
    let mut keywords = Vec::new();
    for (s, section) in sections.iter().enumerate() {
        for (index, entry) in (section.first_index..).zip(&section.entries) {
            if entry.tag == Tag::Keyword && !entry.value.trim().is_empty() {
                let keyword = Keyword {
                    section: s,
                    raw: entry.value.clone(),
                    line: entry.line,
                };
                keywords.push((index.to_string(), keyword));
            }
        }
    }
    keywords.sort_by(|a, b| a.0.cmp(&b.0));
    let keywords: Vec<Keyword> = keywords.into_iter().map(|(_, k)| k).collect();
    let (keyword_matcher, errors) = KeywordMatcher::new(keywords.iter().map(|k| k.raw.as_str()));
    for (i, error) in errors {
        let kind = ProblemKind::BadPattern { tag: 'K', error };
        problems.push(problem(keywords[i].line, kind));
    }
    Maintainers {
        sections,
        keywords,
        keyword_matcher,
        mailmap: Default::default(),
    }
}

/// A problem on `line`.
fn problem(line: usize, kind: ProblemKind) -> Problem {
    Problem { line, kind }
}

#[cfg(test)]
mod tests;
