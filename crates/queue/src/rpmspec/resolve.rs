//! %prep application-order resolution: applications into entries, by number or by name.

use super::prep::{Apply, Target};
use super::{ApplyStyle, RpmEntry, RpmSpec};
use crate::series::{SeriesEntry, SeriesProblem};
use std::collections::HashMap;

/// The style a list of applications amounts to.
pub(super) fn style_of(applies: &[Apply], any_patch: bool) -> ApplyStyle {
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
pub(super) const MAX_STEPS: usize = 200_000;

/// Turns applications into entries, with the declarations at hand.
pub(super) struct Resolver<'s> {
    spec: &'s mut RpmSpec,
    by_number: HashMap<u32, Vec<usize>>,
    by_name: HashMap<String, usize>,
    in_order: Vec<usize>,
    applied: Vec<bool>,
    steps: usize,
}

impl<'s> Resolver<'s> {
    /// Index the declarations of `spec`.
    pub(super) fn new(spec: &'s mut RpmSpec) -> Resolver<'s> {
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
    pub(super) fn resolve(mut self, applies: &[Apply]) {
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
