//! RPM spec files (Fedora, CentOS, XCP-ng…): which patches, in which order.
//!
//! A spec declares its patches in the preamble (`Patch12: name`, `Patch: name`
//! auto-numbered as rpm ≥ 4.15 does, or one per line in a `%patchlist`
//! section) and applies them in `%prep`, in one of these ways:
//!
//! * explicit lines: `%patch12 -p1`, `%patch 12`, `%patch -P 12 -P 13 -p1 -R`
//!   (a `%patch` with no `-p` is `-p0`, as rpm passes it), Fedora kernel's
//!   `ApplyPatch name.patch` / `ApplyOptionalPatch name.patch` (by name, `-p1`),
//!   or shell lines naming `%{PATCH12}` / `%{P:12}` (strip from their `-pN`);
//! * `%autosetup -p1` (all patches in number order, unless `-N`) and
//!   `%autopatch -p1` (all, or `-m`/`-M` ranges, or listed numbers);
//! * loops rpm cannot see through: `%apply_patches`, `git am`, `%{patches}`.
//!   These are taken as "all patches in number order" and reported.
//!
//! When %prep applies no patch at all, the patches are also taken in number
//! order and that is reported. Patches declared but never applied are reported.
//!
//! Macros from `%define`/`%global` and the `Name`/`Version`/`Release`/`Epoch`
//! tags are expanded in names, with `%{?x}`, `%{!?x:y}`, `%{?x:y}`, `%x`,
//! `%%`, and the built-ins `basename`, `dirname`, `expand`, `quote`, `shrink`,
//! `lower`, `upper`; `%{_sourcedir}` is empty, and a name is the part of its
//! value after the last `/` (as rpm takes it from a URL or a path). Undefined
//! macros, `%(shell)` and `%[expr]` stay as written (and are reported when
//! they end up in a name). Expansion depth and work are bounded.
//!
//! Conditionals (`%if`, `%ifarch`… `%else`, `%endif`) are not evaluated: all
//! branches are kept, and what lies inside one is marked `conditional`.

use crate::series::{is_safe_relative_path, parse_number, Series, SeriesEntry, SeriesProblem};
use bstr::ByteSlice;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// A numbered `SourceN:` or `PatchN:` declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RpmFile {
    /// The number (explicit, or given by rpm's auto-numbering).
    pub number: u32,
    /// The file name: the expanded value after its last `/`.
    pub name: String,
    /// The expanded value as declared: a URL, a path or a bare name.
    pub value: String,
    /// The 1-based line of the declaration.
    pub line: usize,
    /// Whether the declaration is inside an `%if`-family conditional.
    pub conditional: bool,
}

/// How the spec's `%prep` applies its patches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ApplyStyle {
    /// No patch is declared.
    NoPatches,
    /// `%patch` lines, `ApplyPatch` lines or `%{PATCHn}` references.
    Explicit,
    /// `%autosetup` (without `-N`).
    AutoSetup,
    /// `%autopatch`.
    AutoPatch,
    /// A loop rpm cannot see through (`%apply_patches`, `git am`, `%{patches}`): number order assumed.
    Inferred,
    /// Patches are declared but nothing in %prep applies them: number order assumed.
    Unknown,
    /// More than one of the styles above.
    Mixed,
}

/// The RPM facts of one patch application: those of the [`SeriesEntry`] at the same
/// index of [`RpmSpec::series`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RpmEntry {
    /// The patch number; `None` for a patch applied by name that is not declared.
    pub number: Option<u32>,
    /// Whether the declaration or the application is inside a conditional.
    pub conditional: bool,
    /// The %prep line that applies it; `None` when the order is assumed.
    pub applied_at: Option<usize>,
}

/// What a spec file says about its sources and patches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RpmSpec {
    /// The `Name:` tag, expanded.
    pub name: Option<String>,
    /// The `Version:` tag, expanded.
    pub version: Option<String>,
    /// The `Release:` tag, expanded.
    pub release: Option<String>,
    /// `SourceN:` declarations, in declaration order.
    pub sources: Vec<RpmFile>,
    /// `PatchN:` declarations, in declaration order.
    pub patches: Vec<RpmFile>,
    /// How %prep applies the patches.
    pub style: ApplyStyle,
    /// The patch applications in order, and everything odd met while reading. An
    /// entry's `path` is the patch's file name (in `SOURCES/` or next to the spec), its
    /// `line` the declaration's line (the applying line for an undeclared patch), its
    /// `strip` and `reverse` those of the applying line.
    pub series: Series,
    /// The RPM facts of each entry of `series`, index for index.
    pub entries: Vec<RpmEntry>,
}

impl RpmSpec {
    /// Each application with its RPM facts, in order.
    pub fn applications(&self) -> impl Iterator<Item = (&SeriesEntry, &RpmEntry)> {
        self.series.entries.iter().zip(&self.entries)
    }

    /// The declarations of patch `number` (more than one when conditionals declare it twice).
    pub fn patch(&self, number: u32) -> impl Iterator<Item = &RpmFile> {
        self.patches.iter().filter(move |p| p.number == number)
    }
}

/// Parse a spec file.
pub fn parse(text: &[u8]) -> RpmSpec {
    let mut parser = Parser::new(text);
    parser.run();
    parser.finish()
}

/// Parse a spec file and keep only its patch applications.
pub fn parse_series(text: &[u8]) -> Series {
    parse(text).series
}

/// The part of a spec a line is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
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

/// Which patches one %prep construct applies.
#[derive(Clone, Debug)]
enum Target {
    /// These numbers, in this order.
    Numbers(Vec<u32>),
    /// The patch with this file name.
    Name(String),
    /// Every patch in number order, optionally limited to `min..=max`.
    All { min: Option<u32>, max: Option<u32> },
}

/// One %prep construct that applies patches.
#[derive(Clone, Debug)]
struct Apply {
    target: Target,
    strip: usize,
    reverse: bool,
    line: usize,
    conditional: bool,
    style: ApplyStyle,
}

/// At most this much expansion work for one value.
const EXPANSION_BUDGET: usize = 64 * 1024;
/// At most this much expansion work for a whole spec.
const TOTAL_EXPANSION_BUDGET: usize = 8 * 1024 * 1024;
/// Macros nest at most this deep.
const MAX_DEPTH: usize = 16;

/// The reading state.
struct Parser<'a> {
    /// The spec's lines, decoded lossily; a line is taken out while it is read.
    lines: Vec<Cow<'a, str>>,
    /// Macro definitions: name to body (`%global` bodies are already expanded).
    macros: HashMap<String, String>,
    /// Expansion work left for the whole spec.
    budget: usize,
    /// Whether running out of expansion work has been reported.
    budget_reported: bool,
    /// The section being read.
    section: Section,
    /// How many `%if`s are open.
    depth: usize,
    /// The line of the outermost open `%if`.
    depth_line: usize,
    /// The number the next numberless `Patch:` gets.
    next_patch: u32,
    /// The number the next numberless `Source:` gets.
    next_source: u32,
    /// Whether `%autosetup -S git…` chose git to apply patches (default `-p1`).
    git_backend: bool,
    /// (is a patch, number) of the declarations outside conditionals.
    declared: HashSet<(bool, u32)>,
    /// The application constructs met in %prep, in order.
    applies: Vec<Apply>,
    /// The first loop that applies all patches in a way not read here.
    inferred: Option<Apply>,
    /// What that loop is, for the report.
    inferred_by: String,
    /// What has been read so far.
    spec: RpmSpec,
}

impl<'a> Parser<'a> {
    /// A parser over `text`, decoded line by line (lossily).
    fn new(text: &'a [u8]) -> Parser<'a> {
        let mut macros = HashMap::new();
        macros.insert("_sourcedir".to_string(), String::new());
        Parser {
            lines: text.lines().map(|l| l.to_str_lossy()).collect(),
            macros,
            budget: TOTAL_EXPANSION_BUDGET,
            budget_reported: false,
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
    fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.spec
            .series
            .problems
            .push(SeriesProblem::new(line, message));
    }

    /// Read every line.
    fn run(&mut self) {
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

    /// A preamble line: `Tag: value`.
    fn tag(&mut self, line: usize, trimmed: &str) {
        let Some((tag, value)) = split_tag(trimmed) else {
            return;
        };
        let lower = tag.to_ascii_lowercase();
        if let Some(number) = lower
            .strip_prefix("patch")
            .filter(|n| is_digits_or_empty(n))
        {
            self.declare(line, true, Some(number), value);
        } else if let Some(number) = lower
            .strip_prefix("source")
            .filter(|n| is_digits_or_empty(n))
        {
            self.declare(line, false, Some(number), value);
        } else if self.section == Section::Preamble
            && matches!(lower.as_str(), "name" | "version" | "release" | "epoch")
        {
            let value = self.expand(value, line);
            self.macros
                .insert(lower.to_ascii_uppercase(), value.clone());
            self.macros.insert(lower.clone(), value.clone());
            let field = match lower.as_str() {
                "name" => &mut self.spec.name,
                "version" => &mut self.spec.version,
                "release" => &mut self.spec.release,
                _ => return,
            };
            field.get_or_insert(value);
        }
    }

    /// Declare a patch (or source) numbered `number` (`Some("")` or `None`: automatic).
    fn declare(&mut self, line: usize, patch: bool, number: Option<&str>, value: &str) {
        let next = if patch {
            self.next_patch
        } else {
            self.next_source
        };
        let number = match number.filter(|n| !n.is_empty()) {
            None => next,
            Some(digits) => match digits.parse::<u32>() {
                Ok(number) => number,
                Err(_) => return self.problem(line, format!("number {digits} is too large")),
            },
        };
        let next = number.saturating_add(1);
        if patch {
            self.next_patch = next;
        } else {
            self.next_source = next;
        }
        let value = self.expand(value.trim(), line);
        let name = value.rsplit('/').next().unwrap_or(&value).to_string();
        let kind = if patch { "Patch" } else { "Source" };
        if name.is_empty() || !is_safe_relative_path(&name) || name == "." {
            return self.problem(line, format!("{kind}{number} has no usable file name"));
        }
        if patch {
            self.check_name(line, &name);
        }
        let conditional = self.depth > 0;
        if !conditional && !self.declared.insert((patch, number)) {
            self.problem(line, format!("{kind}{number} is declared more than once"));
        }
        let macro_name = format!("{}{number}", kind.to_ascii_uppercase());
        self.macros.insert(macro_name, name.clone());
        let file = RpmFile {
            number,
            name,
            value,
            line,
            conditional,
        };
        if patch {
            self.spec.patches.push(file);
        } else {
            self.spec.sources.push(file);
        }
    }

    /// Report a patch name with an unexpanded macro or replacement characters in it.
    fn check_name(&mut self, line: usize, name: &str) {
        if name.contains('%') {
            self.problem(line, format!("patch name {name:?} has an unexpanded macro"));
        }
        if name.contains('\u{fffd}') {
            self.problem(line, format!("patch name {name:?} is not valid UTF-8"));
        }
    }

    /// A `%prep` line.
    fn prep(&mut self, line: usize, trimmed: &str) {
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

    /// Expand macros in `text`, reporting when the work limit cuts it short.
    fn expand(&mut self, text: &str, line: usize) -> String {
        let mut expander = Expander {
            macros: &self.macros,
            budget: self.budget.min(EXPANSION_BUDGET),
            cut: false,
        };
        let start = expander.budget;
        let mut out = String::new();
        expander.run(text, 0, &mut out);
        let (cut, used) = (expander.cut, start - expander.budget);
        self.budget -= used;
        if cut && !self.budget_reported {
            self.budget_reported = true;
            self.problem(line, "macro expansion too deep or too large; cut short");
        }
        out
    }

    /// Check the end state, resolve the applications into entries.
    fn finish(mut self) -> RpmSpec {
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

/// The style a list of applications amounts to.
fn style_of(applies: &[Apply], any_patch: bool) -> ApplyStyle {
    let Some(first) = applies.first() else {
        return if any_patch {
            ApplyStyle::Unknown
        } else {
            ApplyStyle::NoPatches
        };
    };
    if applies.iter().all(|a| a.style == first.style) {
        first.style
    } else {
        ApplyStyle::Mixed
    }
}

/// At most this many patch applications are resolved (a guard against inputs that
/// apply the same patches over and over).
const MAX_STEPS: usize = 200_000;

/// Turns applications into entries, with the declarations at hand.
struct Resolver<'s> {
    spec: &'s mut RpmSpec,
    by_number: HashMap<u32, Vec<usize>>,
    by_name: HashMap<String, usize>,
    in_order: Vec<usize>,
    applied: Vec<bool>,
    steps: usize,
}

impl<'s> Resolver<'s> {
    /// Index the declarations of `spec`.
    fn new(spec: &'s mut RpmSpec) -> Resolver<'s> {
        let mut by_number: HashMap<u32, Vec<usize>> = HashMap::new();
        let mut by_name = HashMap::new();
        for (index, patch) in spec.patches.iter().enumerate() {
            by_number.entry(patch.number).or_default().push(index);
            by_name.entry(patch.name.clone()).or_insert(index);
        }
        let mut in_order: Vec<usize> = (0..spec.patches.len()).collect();
        in_order.sort_by_key(|&i| spec.patches[i].number);
        let applied = vec![false; spec.patches.len()];
        Resolver {
            spec,
            by_number,
            by_name,
            in_order,
            applied,
            steps: 0,
        }
    }

    /// Report a problem at `line`.
    fn problem(&mut self, line: usize, message: String) {
        self.spec
            .series
            .problems
            .push(SeriesProblem::new(line, message));
    }

    /// Count one step; false (reported once) when [`MAX_STEPS`] are spent.
    fn step(&mut self) -> bool {
        self.steps += 1;
        if self.steps == MAX_STEPS {
            self.problem(
                0,
                "too many patch applications; the rest are not read".to_string(),
            );
        }
        self.steps < MAX_STEPS
    }

    /// Add the entries of every application, then report patches never applied.
    fn resolve(mut self, applies: &[Apply]) {
        for apply in applies {
            match &apply.target {
                Target::Numbers(numbers) => {
                    for &number in numbers {
                        self.number(apply, number);
                    }
                }
                Target::Name(name) => self.name(apply, name),
                Target::All { min, max } => self.all(apply, *min, *max),
            }
        }
        for (index, patch) in self.spec.patches.iter().enumerate() {
            if !self.applied[index] {
                let message = format!(
                    "Patch{} ({}) is declared but never applied",
                    patch.number, patch.name
                );
                self.spec
                    .series
                    .problems
                    .push(SeriesProblem::new(patch.line, message));
            }
        }
    }

    /// Apply, in number order, the patches numbered `min..=max` not applied yet.
    fn all(&mut self, apply: &Apply, min: Option<u32>, max: Option<u32>) {
        let patches = &self.spec.patches;
        let start = self
            .in_order
            .partition_point(|&i| min.is_some_and(|m| patches[i].number < m));
        let mut again = 0;
        for at in start..self.in_order.len() {
            let index = self.in_order[at];
            if max.is_some_and(|m| self.spec.patches[index].number > m) || !self.step() {
                break;
            }
            if self.applied[index] {
                again += 1;
            } else {
                self.push(apply, index);
            }
        }
        if again > 0 {
            self.problem(
                apply.line,
                format!("{again} patches were already applied; not applied again"),
            );
        }
    }

    /// Apply every declaration of patch `number`.
    fn number(&mut self, apply: &Apply, number: u32) {
        let count = self.by_number.get(&number).map_or(0, Vec::len);
        if count == 0 {
            let message = format!("patch {number} is applied but no Patch{number} is declared");
            return self.problem(apply.line, message);
        }
        for at in 0..count {
            if !self.step() {
                return;
            }
            let index = self.by_number[&number][at];
            if self.applied[index] {
                let patch = &self.spec.patches[index];
                let message = format!(
                    "Patch{} ({}) is applied more than once",
                    patch.number, patch.name
                );
                self.problem(apply.line, message);
            }
            self.push(apply, index);
        }
    }

    /// Apply the patch declared with file name `name`, or an undeclared one.
    fn name(&mut self, apply: &Apply, name: &str) {
        if !self.step() {
            return;
        }
        if let Some(&index) = self.by_name.get(name) {
            return self.push(apply, index);
        }
        self.problem(
            apply.line,
            format!("{name} is applied but not declared as a Patch"),
        );
        let mut entry = SeriesEntry::new(name, apply.line);
        entry.strip = apply.strip;
        entry.reverse = apply.reverse;
        self.spec.series.entries.push(entry);
        self.spec.entries.push(RpmEntry {
            number: None,
            conditional: apply.conditional,
            applied_at: Some(apply.line),
        });
    }

    /// Add the entry of declaration `index` applied by `apply`.
    fn push(&mut self, apply: &Apply, index: usize) {
        self.applied[index] = true;
        let patch = &self.spec.patches[index];
        let mut entry = SeriesEntry::new(patch.name.clone(), patch.line);
        entry.strip = apply.strip;
        entry.reverse = apply.reverse;
        let assumed = matches!(apply.style, ApplyStyle::Inferred | ApplyStyle::Unknown);
        self.spec.series.entries.push(entry);
        self.spec.entries.push(RpmEntry {
            number: Some(patch.number),
            conditional: patch.conditional || apply.conditional,
            applied_at: (!assumed).then_some(apply.line),
        });
    }
}

/// Options of a macro line, parsed the getopt way (`-p1`, `-p 1`, `-Rp1`).
struct Options {
    found: Vec<(char, Option<String>)>,
    positional: Vec<String>,
    bad: Vec<String>,
}

impl Options {
    /// Parse `text`: letters in `with_value` take a value, letters in `flags` do not.
    fn parse(text: &str, with_value: &str, flags: &str) -> Options {
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
    fn flag(&self, letter: char) -> bool {
        self.found.iter().any(|(l, _)| *l == letter)
    }

    /// The first value of option `letter`.
    fn value(&self, letter: char) -> Option<&str> {
        self.values(letter).next()
    }

    /// Every value of option `letter`, in order.
    fn values(&self, letter: char) -> impl Iterator<Item = &str> {
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
fn patch_references(text: &str) -> Vec<u32> {
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
fn mentions_patches_macro(text: &str) -> bool {
    text.contains("%{patches}")
        || text.match_indices("%patches").any(|(at, m)| {
            !text[at + m.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        })
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

/// `Tag: value` (a tag may carry a qualifier: `Requires(post):`).
fn split_tag(trimmed: &str) -> Option<(&str, &str)> {
    let end = trimmed
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(trimmed.len());
    let (tag, mut rest) = trimmed.split_at(end);
    if tag.is_empty() || !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    if rest.starts_with('(') {
        rest = &rest[rest.find(')')? + 1..];
    }
    let value = rest.trim_start().strip_prefix(':')?;
    Some((tag, value.trim()))
}

/// Whether `text` is ASCII digits only (and not empty).
fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `text` is empty or ASCII digits only.
fn is_digits_or_empty(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `name` can name a macro: a letter or `_`, then letters, digits, `_`.
fn valid_macro_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Expands macros with bounded depth and work.
struct Expander<'m> {
    macros: &'m HashMap<String, String>,
    /// Work left: bytes written plus bytes of macro bodies expanded.
    budget: usize,
    /// Whether depth or work limits cut the expansion short.
    cut: bool,
}

impl Expander<'_> {
    /// Expand `text` into `out`.
    fn run(&mut self, text: &str, depth: usize, out: &mut String) {
        let mut rest = text;
        while !rest.is_empty() {
            if self.budget == 0 {
                self.cut = true;
                return;
            }
            let at = rest.find('%').unwrap_or(rest.len());
            self.emit(&rest[..at], out);
            rest = &rest[at..];
            if rest.is_empty() {
                break;
            }
            let used = self.macro_at(rest, depth, out);
            rest = &rest[used..];
        }
    }

    /// Write `text`, as far as the budget allows.
    fn emit(&mut self, text: &str, out: &mut String) {
        let mut end = text.len().min(self.budget);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end < text.len() {
            self.cut = true;
        }
        out.push_str(&text[..end]);
        self.budget -= end;
    }

    /// Charge `cost` to the budget; false (and cut) when it is spent.
    fn charge(&mut self, cost: usize) -> bool {
        if cost > self.budget {
            self.budget = 0;
            self.cut = true;
            return false;
        }
        self.budget -= cost;
        true
    }

    /// Expand the macro reference at the start of `text` (which starts with `%`);
    /// returns how many bytes it spans.
    fn macro_at(&mut self, text: &str, depth: usize, out: &mut String) -> usize {
        let bytes = text.as_bytes();
        match bytes.get(1) {
            Some(b'%') => {
                self.emit("%", out);
                2
            }
            Some(b'{') => match matching(text, 1, b'{', b'}') {
                Some(end) => {
                    self.braced(&text[2..end], &text[..=end], depth, out);
                    end + 1
                }
                None => {
                    self.emit(text, out);
                    text.len()
                }
            },
            Some(b'(') | Some(b'[') => {
                let close = if bytes[1] == b'(' { b')' } else { b']' };
                let end = matching(text, 1, bytes[1], close).map_or(text.len(), |e| e + 1);
                self.emit(&text[..end], out);
                end
            }
            _ => self.bare(text, depth, out),
        }
    }

    /// `%name`, `%?name`, `%!?name`: a macro reference without braces.
    fn bare(&mut self, text: &str, depth: usize, out: &mut String) -> usize {
        let flags = text[1..]
            .bytes()
            .take_while(|b| matches!(b, b'?' | b'!'))
            .count();
        let name_start = 1 + flags;
        let name_len = text[name_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let end = name_start + name_len;
        let name = &text[name_start..end];
        if name.is_empty() || !valid_macro_name(name) {
            self.emit(&text[..1], out);
            return 1;
        }
        let flag_text = &text[1..name_start];
        if flag_text.contains('?') {
            if flag_text.contains('!') != self.macros.contains_key(name) {
                self.value_of(name, &text[..end], depth, out);
            }
        } else if self.macros.contains_key(name) {
            self.value_of(name, &text[..end], depth, out);
        } else {
            self.emit(&text[..end], out);
        }
        end
    }

    /// The inside of `%{…}`; `whole` is the reference as written.
    fn braced(&mut self, body: &str, whole: &str, depth: usize, out: &mut String) {
        let flags = body
            .bytes()
            .take_while(|b| matches!(b, b'?' | b'!'))
            .count();
        let (flag_text, body) = body.split_at(flags);
        let (name, arg) = match body.split_once(':') {
            Some((name, arg)) => (name, Some(arg)),
            None => (body, None),
        };
        if flag_text.contains('?') {
            let wanted = flag_text.contains('!') != self.macros.contains_key(name);
            match (wanted, arg) {
                (true, Some(arg)) => self.nested(arg, whole, depth, out),
                (true, None) if !flag_text.contains('!') => self.value_of(name, whole, depth, out),
                _ => {}
            }
            return;
        }
        if self.macros.contains_key(name) {
            return self.value_of(name, whole, depth, out);
        }
        match (name, arg) {
            (
                "basename" | "dirname" | "expand" | "quote" | "shrink" | "lower" | "upper",
                Some(arg),
            ) => {
                let mut inner = String::new();
                self.nested(arg, whole, depth, &mut inner);
                let result = builtin(name, &inner);
                self.emit(&result, out);
            }
            _ => self.emit(whole, out),
        }
    }

    /// Expand `text` one level deeper, or write `whole` as is when too deep.
    fn nested(&mut self, text: &str, whole: &str, depth: usize, out: &mut String) {
        if depth >= MAX_DEPTH {
            self.cut = true;
            return self.emit(whole, out);
        }
        if self.charge(text.len()) {
            self.run(text, depth + 1, out);
        }
    }

    /// Expand the value of the defined macro `name`.
    fn value_of(&mut self, name: &str, whole: &str, depth: usize, out: &mut String) {
        let macros = self.macros;
        if let Some(value) = macros.get(name) {
            self.nested(value, whole, depth, out);
        }
    }
}

/// The result of a built-in macro function on its (expanded) argument.
fn builtin(name: &str, arg: &str) -> String {
    match name {
        "basename" => arg.rsplit('/').next().unwrap_or(arg).to_string(),
        "dirname" => match arg.rfind('/') {
            Some(0) => "/".to_string(),
            Some(at) => arg[..at].to_string(),
            None => ".".to_string(),
        },
        "shrink" => arg.split_whitespace().collect::<Vec<_>>().join(" "),
        "lower" => arg.to_lowercase(),
        "upper" => arg.to_uppercase(),
        _ => arg.to_string(),
    }
}

/// The index of the byte closing the bracket opened at `open_at`, counting nesting.
fn matching(text: &str, open_at: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    for (at, &byte) in text.as_bytes().iter().enumerate().skip(open_at) {
        if byte == open {
            depth += 1;
        } else if byte == close {
            depth -= 1;
            if depth == 0 {
                return Some(at);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An XCP-ng/Fedora-like kernel spec with `%autosetup -p1` (written for these tests).
    const AUTOSETUP: &[u8] = br#"%global package_speccommit 0123456789abcdef
%global base_version 4.19.19
%define uname %{base_version}
%{!?_release: %global _release 8.0.40}

Summary: The Linux kernel built for the test suite
Name: kernel
License: GPLv2
Version: %{base_version}
Release: %{?_release}%{?dist}
ExclusiveArch: x86_64
URL: https://example.invalid/linux
Source0: https://example.invalid/linux-%{version}.tar.gz
Source1: kernel-x86_64.config
Source2: macros.kernel

Patch0: 0001-xen-netback-fix-the-thing.patch
Patch1: 0002-xen-blkback-be-careful.patch
Patch2: 0003-x86-xen-do-not-crash.patch
Patch3: 0004-mm-avoid-a-leak.patch
Patch4: 0005-net-fix-%{name}-warning.patch
Patch5: https://example.invalid/patches/0006-fs-from-a-url.patch
Patch6: %{_sourcedir}/0007-scsi-from-sourcedir.patch
Patch7: 0008-block-add-a-knob.patch
%if 0%{?with_debug}
Patch8: 0009-debug-only.patch
%endif
patch10: 0011-lowercase-tag.patch
Patch9: 0010-declared-after-ten.patch

%description
The kernel %patch3 is mentioned here but this is no %prep.

%prep
%autosetup -p1 -n linux-%{version}
cp %{SOURCE1} .config

%build
make %{?_smp_mflags}

%changelog
* Mon Jan 01 2024 Someone <someone@example.invalid> - 4.19.19-8.0.40
- %patch0 in a changelog is nothing
"#;

    /// A spec applying its patches with explicit `%patch` lines (written for these tests).
    const EXPLICIT: &[u8] = br#"Name: xen
Version: 4.17.3
Release: 1%{?dist}
Source0: xen-%{version}.tar.gz
Patch0: xen-first.patch
Patch1: xen-second.patch
Patch2: xen-third.patch
Patch3: xen-never-applied.patch
Patch4: xen-fourth.patch
Patch: xen-auto-five.patch
Patch: xen-auto-six.patch

%prep
%setup -q
%patch0 -p1
%patch -P 1 -P 2 -p1
# %patch3 -p1
%ifarch x86_64
%patch 4 -R -p2
%endif
%patch -P5 -p0
patch -p1 < %{PATCH6}
%patch -P 42 -p1
"#;

    fn names(spec: &RpmSpec) -> Vec<&str> {
        spec.series
            .entries
            .iter()
            .map(|e| e.path.as_str())
            .collect()
    }

    #[test]
    fn autosetup_applies_everything_in_number_order() {
        let spec = parse(AUTOSETUP);
        assert!(
            spec.series.problems.is_empty(),
            "{:?}",
            spec.series.problems
        );
        assert_eq!(spec.style, ApplyStyle::AutoSetup);
        assert_eq!(spec.name.as_deref(), Some("kernel"));
        assert_eq!(spec.version.as_deref(), Some("4.19.19"));
        assert_eq!(spec.release.as_deref(), Some("8.0.40"));
        assert_eq!(spec.sources.len(), 3);
        assert_eq!(spec.sources[0].name, "linux-4.19.19.tar.gz");
        assert_eq!(
            spec.sources[0].value,
            "https://example.invalid/linux-4.19.19.tar.gz"
        );
        assert_eq!(
            names(&spec),
            [
                "0001-xen-netback-fix-the-thing.patch",
                "0002-xen-blkback-be-careful.patch",
                "0003-x86-xen-do-not-crash.patch",
                "0004-mm-avoid-a-leak.patch",
                "0005-net-fix-kernel-warning.patch",
                "0006-fs-from-a-url.patch",
                "0007-scsi-from-sourcedir.patch",
                "0008-block-add-a-knob.patch",
                "0009-debug-only.patch",
                "0010-declared-after-ten.patch",
                "0011-lowercase-tag.patch",
            ]
        );
        assert!(spec
            .series
            .entries
            .iter()
            .all(|e| e.strip == 1 && !e.reverse));
        let conditional: Vec<_> = spec.entries.iter().map(|e| e.conditional).collect();
        assert_eq!(conditional.iter().filter(|c| **c).count(), 1);
        assert!(spec.entries[8].conditional);
        assert_eq!(spec.series.entries[0].line, 17);
        assert_eq!(spec.entries[0].applied_at, Some(35));
        assert_eq!(spec.entries[10].number, Some(10));
        assert_eq!(spec.entries.len(), 11);
        assert_eq!(spec.applications().count(), 11);
    }

    #[test]
    fn explicit_patch_lines() {
        let spec = parse(EXPLICIT);
        assert_eq!(spec.style, ApplyStyle::Explicit);
        assert_eq!(
            names(&spec),
            [
                "xen-first.patch",
                "xen-second.patch",
                "xen-third.patch",
                "xen-fourth.patch",
                "xen-auto-five.patch",
                "xen-auto-six.patch"
            ]
        );
        let strips: Vec<_> = spec.series.entries.iter().map(|e| e.strip).collect();
        assert_eq!(strips, [1, 1, 1, 2, 0, 1]);
        assert!(spec.series.entries[3].reverse);
        assert!(spec.entries[3].conditional);
        assert!(!spec.entries[2].conditional);
        let messages: Vec<(usize, &str)> = spec
            .series
            .problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (23, "patch 42 is applied but no Patch42 is declared"),
                (
                    8,
                    "Patch3 (xen-never-applied.patch) is declared but never applied"
                ),
            ]
        );
        assert_eq!(
            spec.patch(5).next().map(|p| p.name.as_str()),
            Some("xen-auto-five.patch")
        );
    }

    #[test]
    fn autosetup_dash_n_then_autopatch_ranges() {
        let text = b"Patch1: a.patch\nPatch2: b.patch\nPatch100: c.patch\n%prep\n%autosetup -N -S git\n%autopatch -M 99\necho between\n%autopatch -p2 -m 100\n";
        let spec = parse(text);
        assert!(
            spec.series.problems.is_empty(),
            "{:?}",
            spec.series.problems
        );
        assert_eq!(spec.style, ApplyStyle::AutoPatch);
        assert_eq!(names(&spec), ["a.patch", "b.patch", "c.patch"]);
        let strips: Vec<_> = spec.series.entries.iter().map(|e| e.strip).collect();
        assert_eq!(strips, [1, 1, 2]);
    }

    #[test]
    fn git_am_loops_are_inferred_and_reported() {
        let text = b"Patch2: b.patch\nPatch1: a.patch\n%prep\n%setup -q\ngit init\nfor p in %{patches}; do git am $p; done\ngit am %{patches}\n";
        let mixed = [&text[..], b"%patch1 -p1\n%patch2 -p1\n"].concat();
        let spec = parse(&mixed);
        assert_eq!(spec.style, ApplyStyle::Explicit);
        assert_eq!(spec.series.problems.len(), 1);
        assert!(spec.series.problems[0].message.contains("ignored"));
        let spec = parse(text);
        assert_eq!(spec.style, ApplyStyle::Inferred);
        assert_eq!(names(&spec), ["a.patch", "b.patch"]);
        assert_eq!(spec.series.problems.len(), 1);
        assert_eq!(spec.series.problems[0].line, 6);
        assert_eq!(spec.entries[0].applied_at, None);
    }

    #[test]
    fn apply_patches_macro_and_no_prep() {
        let spec = parse(b"Patch0: x.patch\n%prep\n%apply_patches\n");
        assert_eq!(spec.style, ApplyStyle::Inferred);
        assert_eq!(names(&spec), ["x.patch"]);
        let spec = parse(b"Patch0: x.patch\nPatch1: y.patch\n");
        assert_eq!(spec.style, ApplyStyle::Unknown);
        assert_eq!(names(&spec), ["x.patch", "y.patch"]);
        assert_eq!(spec.series.problems.len(), 1);
        assert_eq!(parse(b"Name: foo\n").style, ApplyStyle::NoPatches);
    }

    #[test]
    fn fedora_kernel_apply_patch_by_name() {
        let text = b"Patch1: linux-kernel-test.patch\nPatch999999: patch-%{name}-redhat.patch\nName: k\n%prep\nApplyOptionalPatch linux-kernel-test.patch\nApplyPatch other.patch -R\n";
        let spec = parse(text);
        assert_eq!(names(&spec), ["linux-kernel-test.patch", "other.patch"]);
        assert_eq!(spec.entries[1].number, None);
        assert!(spec.series.entries[1].reverse);
        let lines: Vec<_> = spec.series.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 6, 2], "{:?}", spec.series.problems);
        assert!(spec.series.problems[0].message.contains("%{name}"));
    }

    #[test]
    fn conditional_branches_are_all_kept() {
        let text = b"%if 0%{?rhel}\nPatch1: rhel.patch\n%else\nPatch1: fedora.patch\n%endif\n%prep\n%autosetup -p1\n";
        let spec = parse(text);
        assert!(
            spec.series.problems.is_empty(),
            "{:?}",
            spec.series.problems
        );
        assert_eq!(names(&spec), ["rhel.patch", "fedora.patch"]);
        assert!(spec.entries.iter().all(|e| e.conditional));
    }

    #[test]
    fn duplicate_numbers_are_reported() {
        let spec = parse(b"Patch1: a\nPatch1: b\nSource1: a\n%if x\nPatch1: c\n%endif\n");
        let lines: Vec<_> = spec.series.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 0], "{:?}", spec.series.problems);
    }

    #[test]
    fn unbalanced_conditionals_are_reported() {
        let spec = parse(b"%endif\n%else\n%if 1\nPatch0: a\n");
        let lines: Vec<_> = spec.series.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 2, 3, 0]);
    }

    #[test]
    fn macro_expansion() {
        let mut macros = HashMap::new();
        for (k, v) in [
            ("name", "kernel"),
            ("ver", "%{name}-1"),
            ("loop", "%{loop}x"),
        ] {
            macros.insert(k.to_string(), v.to_string());
        }
        let expand = |text: &str| {
            let mut e = Expander {
                macros: &macros,
                budget: EXPANSION_BUDGET,
                cut: false,
            };
            let mut out = String::new();
            e.run(text, 0, &mut out);
            (out, e.cut)
        };
        assert_eq!(expand("%{ver}.patch").0, "kernel-1.patch");
        assert_eq!(
            expand("%name-%{?dist}-%{?name:yes}-%{!?nope:no}-%{!?name:x}").0,
            "kernel--yes-no-"
        );
        assert_eq!(
            expand("%%{name} %undefined %{undefined} %(echo) 100%").0,
            "%{name} %undefined %{undefined} %(echo) 100%"
        );
        assert_eq!(expand("%{basename:/a/b/%{name}.patch}").0, "kernel.patch");
        assert_eq!(expand("%{?name}%?name%!?name").0, "kernelkernel");
        let (out, cut) = expand("%{loop}");
        assert!(cut);
        assert!(out.ends_with("x"));
        assert_eq!(expand("%{unclosed").0, "%{unclosed");
    }

    #[test]
    fn exponential_macros_are_bounded() {
        let mut text = String::from("%define m0 xxxxxxxxxxxxxxxx\n");
        for i in 1..40 {
            text.push_str(&format!("%define m{i} %{{m{0}}}%{{m{0}}}\n", i - 1));
        }
        text.push_str("Patch0: %{m39}.patch\n");
        for _ in 0..1000 {
            text.push_str("Source: %{m39}\n");
        }
        let spec = parse(text.as_bytes());
        assert_eq!(spec.patches.len(), 1);
        assert!(spec
            .series
            .problems
            .iter()
            .any(|p| p.message.contains("cut short")));
    }

    #[test]
    fn options_parse_like_getopt() {
        let opts = Options::parse("-Rp1 -P 3 -P4 -b .orig 7 -x", "Ppb", "R");
        assert!(opts.flag('R'));
        assert_eq!(opts.value('p'), Some("1"));
        assert_eq!(opts.values('P').collect::<Vec<_>>(), ["3", "4"]);
        assert_eq!(opts.positional, ["7"]);
        assert_eq!(opts.bad.len(), 1);
        assert_eq!(Options::parse("-p", "p", "").bad.len(), 1);
    }

    #[test]
    fn references_and_tags() {
        assert_eq!(
            patch_references("patch -p1 < %{PATCH12} %PATCH3 %{P:4} %{PATCHx} %{PATCH5"),
            [12, 3, 4]
        );
        assert_eq!(split_tag("Requires(post): foo"), Some(("Requires", "foo")));
        assert_eq!(split_tag("Patch12 :  a b "), Some(("Patch12", "a b")));
        assert_eq!(split_tag("echo foo"), None);
        assert!(mentions_patches_macro("for p in %patches; do"));
        assert!(!mentions_patches_macro("%patches_dir"));
    }

    #[test]
    fn repeated_applications_are_bounded() {
        let mut text = String::new();
        for _ in 0..400 {
            text.push_str("Patch1: same.patch\n");
        }
        text.push_str("%prep\n");
        for _ in 0..400 {
            text.push_str("%autopatch -p1\n%patch1\n");
        }
        let spec = parse(text.as_bytes());
        assert!(spec.entries.len() < MAX_STEPS);
        assert!(spec
            .series
            .problems
            .iter()
            .any(|p| p.message.starts_with("too many")));
        let spec = parse(b"Patch1: a\nPatch2: b\n%prep\n%autopatch\n%autopatch -m 2\n");
        assert_eq!(spec.entries.len(), 2);
        assert_eq!(spec.series.problems.len(), 1);
        assert_eq!(spec.series.problems[0].line, 5);
    }

    #[test]
    fn garbage_does_not_panic() {
        for text in [
            &b"%"[..],
            b"%{",
            b"%define",
            b"%define x \\",
            b"%global a %{a}\nPatch: %{a}",
            b"Patch99999999999999: x\nSource: /\nPatch: ..\n%prep\n%patch -P\n%patch -p\n%autopatch -m x\n",
            b"\xff\xfe%{\xff}\n%prep\n%patch\xff\n%{P:\n%PATCH\n",
            b"%prep\n%patch -P 1 -P 1\nApplyPatch\n",
        ] {
            let _ = parse(text);
        }
    }
}
