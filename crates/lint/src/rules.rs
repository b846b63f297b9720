//! The rules, one module per convention, and the queue's own findings.

pub mod dep3;
pub mod prefix;
pub mod suse;
pub mod ubuntu;
pub mod yocto;

use crate::finding::{Finding, RuleId, Severity};
use bstr::ByteSlice;
use kdelta_patch::header::Field;
use kdelta_patch::{Patch, RefKind, UpstreamRef};
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

/// Every field or trailer called `name` (ASCII case-insensitive), in line order. A trailer
/// (`Signed-off-by:`, `BugLink:`) in the header block at the top is read as a field, in the
/// body as a trailer: the conventions below mean either.
fn tags<'p>(patch: &'p Patch, name: &str) -> Vec<&'p Field> {
    let header = &patch.header;
    let mut all: Vec<&Field> = header
        .fields
        .iter()
        .chain(&header.trailers)
        .filter(|f| f.name.eq_ignore_ascii_case(name))
        .collect();
    all.sort_by_key(|f| f.line);
    all
}

/// The first field or trailer called `name`, if any.
fn tag<'p>(patch: &'p Patch, name: &str) -> Option<&'p Field> {
    tags(patch, name).into_iter().next()
}

/// The line of the subject: its `Subject:` field, else the header's first line (a subject
/// taken from free text has no line of its own in the parsed header).
fn subject_line(patch: &Patch) -> usize {
    let raw = patch.header.subject.as_ref().map(|s| s.raw.as_str());
    let subjects: Vec<&Field> = patch.header.fields_named("Subject").collect();
    subjects
        .iter()
        .find(|f| raw.is_some_and(|raw| f.value == raw.as_bytes()))
        .or(subjects.first())
        .map_or(HEADER, |f| f.line)
}

/// The free text of the message, line by line, trimmed. The parser keeps no line numbers
/// for it: a finding about a free-text line names the field it belongs with, or the header.
fn prose(patch: &Patch) -> Vec<String> {
    patch
        .header
        .description
        .lines()
        .map(|l| l.to_str_lossy().trim().to_string())
        .collect()
}

/// The free-text line right after the one reading `line` (compared trimmed).
fn line_after<'a>(prose: &'a [String], line: &str) -> Option<&'a str> {
    let at = prose.iter().position(|l| l == line.trim())?;
    prose.get(at + 1).map(String::as_str)
}

/// The references of the given kinds, in line order.
fn refs<'p>(patch: &'p Patch, kinds: &[RefKind]) -> Vec<&'p UpstreamRef> {
    patch
        .header
        .refs
        .iter()
        .filter(|r| kinds.contains(&r.kind))
        .collect()
}

/// `rule` (an error) when the patch has no `Signed-off-by:`, which `convention` requires.
fn signed_off(file: &str, patch: &Patch, rule: &'static str, convention: &str) -> Option<Finding> {
    tag(patch, "Signed-off-by").is_none().then(|| {
        Finding::new(
            RuleId(rule),
            Severity::Error,
            file,
            HEADER,
            format!("no `Signed-off-by:`: {convention} requires the author's sign-off"),
        )
    })
}

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
