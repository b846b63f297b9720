//! The rules, one module per convention, and the queue's own findings.

pub mod dep3;
pub mod suse;

use crate::finding::{Finding, RuleId, Severity};
use kdelta_patch::header::Field;
use kdelta_patch::Patch;
use kdelta_queue::Queue;

/// The queue's problems as findings: a series entry whose file is missing, a patch file no
/// series names, a patch that could not be read as written.
pub fn queue_findings(queue: &Queue) -> Vec<Finding> {
    let mut out: Vec<Finding> = queue
        .problems
        .iter()
        .map(|p| {
            let severity = match p.severity {
                kdelta_queue::Severity::Error => Severity::Error,
                kdelta_queue::Severity::Warning => Severity::Warning,
            };
            Finding::new(
                RuleId("queue/series"),
                severity,
                &p.file,
                p.line,
                &p.message,
            )
        })
        .collect();
    for entry in &queue.entries {
        for p in entry.all_problems() {
            out.push(Finding::new(
                RuleId("queue/patch"),
                Severity::Error,
                &entry.name,
                p.line,
                &p.message,
            ));
        }
    }
    out
}

/// The field `name` of the patch's header, if any (ASCII case-insensitive).
fn field<'p>(patch: &'p Patch, name: &str) -> Option<&'p Field> {
    patch.header.field(name)
}

/// A field's value as text, trimmed.
fn text(f: &Field) -> String {
    f.value.to_string().trim().to_string()
}

/// The line the header starts on (1), for a finding about a missing field.
const HEADER: usize = 1;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The rules `check` finds in a patch with `header` (and a one-line diff), with their
    /// lines.
    pub(crate) fn rules(
        check: fn(&str, &Patch) -> Vec<Finding>,
        file: &str,
        header: &str,
    ) -> Vec<(&'static str, usize)> {
        let text = format!("{header}\n---\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n");
        let patch = Patch::parse(text.as_bytes(), &kdelta_patch::ParseOptions::default());
        check(file, &patch)
            .into_iter()
            .map(|f| (f.rule.0, f.line))
            .collect()
    }
}
