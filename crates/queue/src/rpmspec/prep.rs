//! `%prep` lines: which patches each construct applies, with which options.

use super::parser::{is_digits, is_digits_or_empty, Parser};
use super::ApplyStyle;
use crate::series::parse_number;

/// Which patches one %prep construct applies.
#[derive(Clone, Debug)]
pub(super) enum Target {
    /// These numbers, in this order.
    Numbers(Vec<u32>),
    /// The patch with this file name.
    Name(String),
    /// Every patch in number order, optionally limited to `min..=max`.
    All { min: Option<u32>, max: Option<u32> },
}

/// One %prep construct that applies patches.
#[derive(Clone, Debug)]
pub(super) struct Apply {
    pub(super) target: Target,
    pub(super) strip: usize,
    pub(super) reverse: bool,
    pub(super) line: usize,
    pub(super) conditional: bool,
    pub(super) style: ApplyStyle,
}

impl Parser<'_> {
    /// A `%prep` line.
    pub(super) fn prep(&mut self, line: usize, trimmed: &str) {
        let (head, rest) = trimmed
            .split_once(char::is_whitespace)
            .unwrap_or((trimmed, ""));
        match head {
            "%autosetup" | "%{autosetup}" => self.autosetup(line, rest),
            "%autopatch" | "%{autopatch}" => self.autopatch(line, rest),
            "%apply_patches" | "%{apply_patches}" => self.infer(line, rest, "%apply_patches"),
            "ApplyPatch" | "ApplyOptionalPatch" => self.apply_by_name(line, rest),
            _ if head.starts_with("%patch") && is_digits_or_empty(&head[6..]) => {
                self.patch_line(line, &head[6..], rest);
            }
            _ => self.shell_line(line, trimmed),
        }
    }

    /// Record one application construct.
    fn apply(
        &mut self,
        line: usize,
        target: Target,
        strip: usize,
        reverse: bool,
        style: ApplyStyle,
    ) {
        let conditional = self.depth > 0;
        self.applies.push(Apply {
            target,
            strip,
            reverse,
            line,
            conditional,
            style,
        });
    }

    /// The `-p` value of parsed options, reported when bad; `default` when absent.
    fn strip_option(&mut self, line: usize, opts: &Options, default: usize) -> usize {
        match opts.value('p') {
            None => default,
            Some(value) => parse_number(value.as_bytes()).unwrap_or_else(|| {
                self.problem(line, format!("bad strip option -p {value:?}"));
                default
            }),
        }
    }

    /// Parse options of a macro line, reporting the ones not understood.
    fn options(&mut self, line: usize, rest: &str, with_value: &str, flags: &str) -> Options {
        let expanded = self.expand(rest, line);
        let opts = Options::parse(&expanded, with_value, flags);
        for bad in &opts.bad {
            self.problem(line, bad.clone());
        }
        opts
    }

    /// `%autosetup [-p N] [-N] [-S vcs] …`.
    fn autosetup(&mut self, line: usize, rest: &str) {
        let opts = self.options(line, rest, "nabSp", "vcDTNCq");
        let vcs = opts.value('S').unwrap_or("patch");
        self.git_backend = vcs.starts_with("git");
        let strip = self.strip_option(line, &opts, usize::from(self.git_backend));
        if !opts.flag('N') {
            let target = Target::All {
                min: None,
                max: None,
            };
            self.apply(line, target, strip, false, ApplyStyle::AutoSetup);
        }
    }

    /// `%autopatch [-p N] [-m MIN] [-M MAX] [NUMBER…]`.
    fn autopatch(&mut self, line: usize, rest: &str) {
        let opts = self.options(line, rest, "pmM", "vq");
        let strip = self.strip_option(line, &opts, usize::from(self.git_backend));
        let min = self.number_option(line, opts.value('m'));
        let max = self.number_option(line, opts.value('M'));
        let numbers = self.numbers(line, &opts.positional);
        let target = if numbers.is_empty() {
            Target::All { min, max }
        } else {
            Target::Numbers(numbers)
        };
        self.apply(line, target, strip, false, ApplyStyle::AutoPatch);
    }

    /// A patch number given as an option value, reported when bad.
    fn number_option(&mut self, line: usize, value: Option<&str>) -> Option<u32> {
        let value = value?;
        let number = value.parse::<u32>().ok();
        if number.is_none() {
            self.problem(line, format!("bad patch number {value:?}"));
        }
        number
    }

    /// Patch numbers given as words, each reported when bad.
    fn numbers(&mut self, line: usize, words: &[String]) -> Vec<u32> {
        words
            .iter()
            .filter_map(|w| self.number_option(line, Some(w)))
            .collect()
    }

    /// `%patchN [options]`, `%patch N`, `%patch -P N [-P M] [options]`.
    fn patch_line(&mut self, line: usize, suffix: &str, rest: &str) {
        let opts = self.options(line, rest, "PpbzFdoD", "REZsq");
        let mut numbers = Vec::new();
        if !suffix.is_empty() {
            numbers.extend(self.number_option(line, Some(suffix)));
        }
        let given: Vec<String> = opts.values('P').map(str::to_string).collect();
        numbers.extend(self.numbers(line, &given));
        numbers.extend(self.numbers(line, &opts.positional));
        if numbers.is_empty() {
            self.problem(line, "%patch without a number: taken as patch 0");
            numbers.push(0);
        }
        let strip = self.strip_option(line, &opts, 0);
        let reverse = opts.flag('R');
        self.apply(
            line,
            Target::Numbers(numbers),
            strip,
            reverse,
            ApplyStyle::Explicit,
        );
    }

    /// Fedora kernel's `ApplyPatch name [-R]` / `ApplyOptionalPatch name`.
    fn apply_by_name(&mut self, line: usize, rest: &str) {
        let expanded = self.expand(rest, line);
        let mut words = expanded.split_whitespace();
        let Some(name) = words.next() else {
            return self.problem(line, "ApplyPatch without a patch name");
        };
        let name = name.rsplit('/').next().unwrap_or(name).to_string();
        let reverse = words.any(|w| w == "-R");
        self.apply(line, Target::Name(name), 1, reverse, ApplyStyle::Explicit);
    }

    /// Any other %prep line: `%{PATCHn}` references, or a patch loop to infer.
    fn shell_line(&mut self, line: usize, trimmed: &str) {
        let numbers = patch_references(trimmed);
        let git = trimmed.contains("git am") || trimmed.contains("git apply");
        if !numbers.is_empty() {
            let words: Vec<&str> = trimmed.split_whitespace().collect();
            let strip = strip_word(&words).unwrap_or(usize::from(git));
            let reverse = words.contains(&"-R");
            self.apply(
                line,
                Target::Numbers(numbers),
                strip,
                reverse,
                ApplyStyle::Explicit,
            );
        } else if git || mentions_patches_macro(trimmed) {
            self.infer(line, trimmed, "this loop");
        }
    }

    /// A construct that applies all patches in a way not read here: keep the first.
    fn infer(&mut self, line: usize, text: &str, what: &str) {
        if self.inferred.is_some() {
            return;
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let strip = strip_word(&words).unwrap_or(1);
        self.inferred_by = what.to_string();
        let target = Target::All {
            min: None,
            max: None,
        };
        let conditional = self.depth > 0;
        let style = ApplyStyle::Inferred;
        self.inferred = Some(Apply {
            target,
            strip,
            reverse: false,
            line,
            conditional,
            style,
        });
    }
}

/// Options of a macro line, parsed the getopt way (`-p1`, `-p 1`, `-Rp1`).
pub(super) struct Options {
    found: Vec<(char, Option<String>)>,
    pub(super) positional: Vec<String>,
    pub(super) bad: Vec<String>,
}

impl Options {
    /// Parse `text`: letters in `with_value` take a value, letters in `flags` do not.
    pub(super) fn parse(text: &str, with_value: &str, flags: &str) -> Options {
        let mut opts = Options {
            found: Vec::new(),
            positional: Vec::new(),
            bad: Vec::new(),
        };
        let mut words = text.split_whitespace();
        while let Some(word) = words.next() {
            let Some(letters) = word.strip_prefix('-').filter(|l| !l.is_empty()) else {
                opts.positional.push(word.to_string());
                continue;
            };
            for (at, letter) in letters.char_indices() {
                if with_value.contains(letter) {
                    let rest = &letters[at + letter.len_utf8()..];
                    let value = if rest.is_empty() {
                        words.next()
                    } else {
                        Some(rest)
                    };
                    match value {
                        Some(value) => opts.found.push((letter, Some(value.to_string()))),
                        None => opts.bad.push(format!("option -{letter} needs a value")),
                    }
                    break;
                } else if flags.contains(letter) {
                    opts.found.push((letter, None));
                } else {
                    opts.bad.push(format!("unknown option {word:?}"));
                    break;
                }
            }
        }
        opts
    }

    /// Whether flag `letter` was given.
    pub(super) fn flag(&self, letter: char) -> bool {
        self.found.iter().any(|(l, _)| *l == letter)
    }

    /// The first value of option `letter`.
    pub(super) fn value(&self, letter: char) -> Option<&str> {
        self.values(letter).next()
    }

    /// Every value of option `letter`, in order.
    pub(super) fn values(&self, letter: char) -> impl Iterator<Item = &str> {
        self.found
            .iter()
            .filter(move |(l, _)| *l == letter)
            .filter_map(|(_, v)| v.as_deref())
    }
}

/// The `-pN` / `-p N` strip level among shell words, if any.
fn strip_word(words: &[&str]) -> Option<usize> {
    let at = words.iter().position(|w| w.starts_with("-p"))?;
    let value = match &words[at][2..] {
        "" => words.get(at + 1).copied().unwrap_or(""),
        value => value,
    };
    parse_number(value.as_bytes())
}

/// The patch numbers a shell line names: `%{PATCH12}`, `%PATCH12`, `%{P:12}`.
pub(super) fn patch_references(text: &str) -> Vec<u32> {
    let mut numbers = Vec::new();
    for (at, _) in text.match_indices('%') {
        let rest = &text[at + 1..];
        let digits = if let Some(r) = rest
            .strip_prefix("{PATCH")
            .or_else(|| rest.strip_prefix("{P:"))
        {
            r.split('}').next().filter(|d| r.len() > d.len())
        } else if let Some(r) = rest.strip_prefix("PATCH") {
            Some(r.split(|c: char| !c.is_ascii_digit()).next().unwrap_or(""))
        } else {
            None
        };
        if let Some(number) =
            digits.and_then(|d| is_digits(d).then(|| d.parse::<u32>().ok()).flatten())
        {
            numbers.push(number);
        }
    }
    numbers
}

/// Whether a line uses rpm's list of all patches (`%{patches}`, `%patches`).
pub(super) fn mentions_patches_macro(text: &str) -> bool {
    text.contains("%{patches}")
        || text.match_indices("%patches").any(|(at, m)| {
            !text[at + m.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        })
}
