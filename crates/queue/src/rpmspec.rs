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

mod declare;
mod macros;
mod parser;
mod prep;
mod resolve;
#[cfg(test)]
mod tests;

use crate::series::{Series, SeriesEntry};
use parser::Parser;
use serde::Serialize;

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
