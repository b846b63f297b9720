//! The spec reader: sections, conditionals, `%define`/`%global`, and the end state.

use super::macros::{valid_macro_name, TOTAL_EXPANSION_BUDGET};
use super::prep::{Apply, Target};
use super::resolve::{style_of, Resolver};
use super::{ApplyStyle, RpmSpec};
use crate::series::{Series, SeriesProblem};
use bstr::ByteSlice;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// The part of a spec a line is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Section {
    /// The main preamble, before any section line.
    Preamble,
    /// A `%package` preamble.
    SubPreamble,
    /// `%prep`.
    Prep,
    /// `%patchlist`.
    PatchList,
    /// `%sourcelist`.
    SourceList,
    /// `%changelog`: not read at all.
    Changelog,
    /// Any other script or text section.
    Other,
}

/// The section a `%word` line starts, if it starts one.
fn section_of(word: &str) -> Option<Section> {
    Some(match word {
        "package" => Section::SubPreamble,
        "prep" => Section::Prep,
        "patchlist" => Section::PatchList,
        "sourcelist" => Section::SourceList,
        "changelog" => Section::Changelog,
        "description"
        | "build"
        | "install"
        | "check"
        | "clean"
        | "files"
        | "pre"
        | "post"
        | "preun"
        | "postun"
        | "pretrans"
        | "posttrans"
        | "preuntrans"
        | "postuntrans"
        | "verifyscript"
        | "triggerprein"
        | "triggerin"
        | "triggerun"
        | "triggerpostun"
        | "filetriggerin"
        | "filetriggerun"
        | "filetriggerpostun"
        | "transfiletriggerin"
        | "transfiletriggerun"
        | "transfiletriggerpostun"
        | "generate_buildrequires"
        | "conf"
        | "sepolicy" => Section::Other,
        _ => return None,
    })
}

/// The reading state.
pub(super) struct Parser<'a> {
    /// The spec's lines, decoded lossily; a line is taken out while it is read.
    pub(super) lines: Vec<Cow<'a, str>>,
    /// Macro definitions: name to body (`%global` bodies are already expanded).
    pub(super) macros: HashMap<String, String>,
    /// Expansion work left for the whole spec.
    pub(super) budget: usize,
    /// The section being read.
    pub(super) section: Section,
    /// How many `%if`s are open.
    pub(super) depth: usize,
    /// The line of the outermost open `%if`.
    pub(super) depth_line: usize,
    /// The number the next numberless `Patch:` gets.
    pub(super) next_patch: u32,
    /// The number the next numberless `Source:` gets.
    pub(super) next_source: u32,
    /// Whether `%autosetup -S git…` chose git to apply patches (default `-p1`).
    pub(super) git_backend: bool,
    /// (is a patch, number) of the declarations outside conditionals.
    pub(super) declared: HashSet<(bool, u32)>,
    /// The application constructs met in %prep, in order.
    pub(super) applies: Vec<Apply>,
    /// The first loop that applies all patches in a way not read here.
    pub(super) inferred: Option<Apply>,
    /// What that loop is, for the report.
    pub(super) inferred_by: String,
    /// What has been read so far.
    pub(super) spec: RpmSpec,
}

impl<'a> Parser<'a> {
    /// A parser over `text`, decoded line by line (lossily).
    pub(super) fn new(text: &'a [u8]) -> Parser<'a> {
        let mut macros = HashMap::new();
        macros.insert("_sourcedir".to_string(), String::new());
        Parser {
            lines: text.lines().map(|l| l.to_str_lossy()).collect(),
            macros,
            budget: TOTAL_EXPANSION_BUDGET,
            section: Section::Preamble,
            depth: 0,
            depth_line: 0,
            next_patch: 0,
            next_source: 0,
            git_backend: false,
            declared: HashSet::new(),
            applies: Vec::new(),
            inferred: None,
            inferred_by: String::new(),
            spec: RpmSpec {
                name: None,
                version: None,
                release: None,
                sources: Vec::new(),
                patches: Vec::new(),
                style: ApplyStyle::NoPatches,
                series: Series::default(),
                entries: Vec::new(),
            },
        }
    }

    /// Report a problem at `line`.
    pub(super) fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.spec
            .series
            .problems
            .push(SeriesProblem::new(line, message));
    }

    /// Read every line.
    pub(super) fn run(&mut self) {
        let mut index = 0;
        while index < self.lines.len() {
            // Taken out to read it while `self` changes; only later lines are read again.
            let text = std::mem::take(&mut self.lines[index]);
            index = self.line(index, &text) + 1;
        }
    }

    /// Read line `index`; returns the index of the last line it used (continuations).
    fn line(&mut self, index: usize, text: &str) -> usize {
        let line = index + 1;
        let trimmed = text.trim();
        if let Some((name, body)) = conditional_define(trimmed) {
            if self.section != Section::Changelog && !self.macros.contains_key(name) {
                self.define(index, body, body.starts_with("%global"));
            }
            return index;
        }
        if let Some(word) = directive(trimmed) {
            if let Some(section) = section_of(word) {
                self.section = section;
                return index;
            }
            if self.section == Section::Changelog {
                return index;
            }
            if self.conditional(word, line) {
                return index;
            }
            match word {
                "define" | "global" => return self.define(index, trimmed, word == "global"),
                "undefine" => {
                    let name = trimmed["%undefine".len()..].trim();
                    self.macros.remove(name);
                    return index;
                }
                "include" => {
                    let file = trimmed["%include".len()..].trim();
                    self.problem(
                        line,
                        format!("%include {file} is not followed: the patches and macros it declares are not read"),
                    );
                    return index;
                }
                _ => {}
            }
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return index;
        }
        match self.section {
            Section::Preamble | Section::SubPreamble => self.tag(line, trimmed),
            Section::Prep => self.prep(line, trimmed),
            Section::PatchList => self.declare(line, true, None, trimmed),
            Section::SourceList => self.declare(line, false, None, trimmed),
            Section::Changelog | Section::Other => {}
        }
        index
    }

    /// Track `%if`…`%endif`; returns whether `word` was a conditional.
    fn conditional(&mut self, word: &str, line: usize) -> bool {
        match word {
            "if" | "ifarch" | "ifnarch" | "ifos" | "ifnos" => {
                if self.depth == 0 {
                    self.depth_line = line;
                }
                self.depth += 1;
            }
            "else" | "elif" | "elifarch" | "elifos" if self.depth == 0 => {
                self.problem(line, format!("%{word} without %if"));
            }
            "else" | "elif" | "elifarch" | "elifos" => {}
            "endif" if self.depth == 0 => self.problem(line, "%endif without %if"),
            "endif" => self.depth -= 1,
            _ => return false,
        }
        true
    }

    /// `%define NAME VALUE` or `%global NAME VALUE`, continued over lines ending in `\`.
    fn define(&mut self, index: usize, trimmed: &str, global: bool) -> usize {
        let line = index + 1;
        let rest = trimmed[1..]
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
            .trim_start();
        let name_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (name, mut value) = (&rest[..name_end], rest[name_end..].trim().to_string());
        let name = name.split('(').next().unwrap_or(name);
        let mut last = index;
        while value.ends_with('\\') && last + 1 < self.lines.len() {
            value.pop();
            last += 1;
            value.push('\n');
            value.push_str(self.lines[last].trim_end());
        }
        if !valid_macro_name(name) {
            self.problem(line, format!("bad macro name {name:?}"));
            return last;
        }
        if global {
            value = self.expand(&value, line);
        }
        self.macros.insert(name.to_string(), value);
        last
    }

    /// Check the end state, resolve the applications into entries.
    pub(super) fn finish(mut self) -> RpmSpec {
        if self.depth > 0 {
            self.problem(self.depth_line, "%if without %endif");
        }
        let mut applies = std::mem::take(&mut self.applies);
        if let Some(inferred) = self.inferred.take() {
            if applies.is_empty() {
                let message = format!(
                    "patches are applied by {}; assuming all patches in number order, -p{}",
                    self.inferred_by, inferred.strip
                );
                self.problem(inferred.line, message);
                applies.push(inferred);
            } else {
                let message = format!(
                    "{} ignored: patches are also applied by %patch or %autosetup/%autopatch",
                    self.inferred_by
                );
                self.problem(inferred.line, message);
            }
        }
        self.spec.style = style_of(&applies, !self.spec.patches.is_empty());
        if applies.is_empty() && !self.spec.patches.is_empty() {
            self.problem(
                0,
                "%prep applies no patch; assuming all patches in number order, -p1",
            );
            let target = Target::All {
                min: None,
                max: None,
            };
            let style = ApplyStyle::Unknown;
            applies.push(Apply {
                target,
                strip: 1,
                reverse: false,
                line: 0,
                conditional: false,
                style,
            });
        }
        Resolver::new(&mut self.spec).resolve(&applies);
        self.spec
    }
}

/// The idiom `%{!?NAME: %global NAME VALUE}` (or `%define`): the name and the definition.
fn conditional_define(trimmed: &str) -> Option<(&str, &str)> {
    let inner = trimmed.strip_prefix("%{!?")?.strip_suffix('}')?;
    let (name, body) = inner.split_once(':')?;
    let body = body.trim();
    (body.starts_with("%global ") || body.starts_with("%define ")).then_some((name, body))
}

/// The name of a `%word` directive at the start of a trimmed line.
fn directive(trimmed: &str) -> Option<&str> {
    let rest = trimmed.strip_prefix('%')?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// Whether `text` is ASCII digits only (and not empty).
pub(super) fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `text` is empty or ASCII digits only.
pub(super) fn is_digits_or_empty(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}
