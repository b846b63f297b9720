//! Editing an annotations file the way a reviewer wants it: only the edited table changes,
//! comments and the layout of everything else are kept, and every change to a patch is
//! recorded in its `history` in plain words. The result is checked to parse back before it
//! is returned.

mod doc;

use crate::date::is_date;
use crate::error::{AnnotationError, Problem};
use crate::fingerprint::Fingerprint;
use crate::model::{Annotations, FeatureAnnotation, HistoryEntry, PatchAnnotation, Verified};
use crate::parse::{has_reason, syntax_error, FEATURE_KEYS, PATCH_KEYS};
use doc::Fields;
use kdelta_analysis::Status;
use toml_edit::{DocumentMut, InlineTable, Key, Value};

/// The first line of a file the tool creates.
pub const NEW_FILE_HEADER: &str =
    "# Human decisions about the delta. `kdelta annotate` edits this file and keeps comments.\n";

type Result<T> = std::result::Result<T, AnnotationError>;

/// A change to one field: a new value, or none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change<T> {
    /// Set the field to this value.
    Set(T),
    /// Remove the field.
    Clear,
}

/// What to change in a patch's annotation. `None` and empty lists leave a field alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatchEdit {
    /// The status override (setting one needs a reason, in this edit or already in the file).
    pub status: Option<Change<Status>>,
    /// Why the status is (or is not) overridden.
    pub reason: Option<Change<String>>,
    /// The feature the patch belongs to.
    pub feature: Option<Change<String>>,
    /// Who works on upstreaming it.
    pub owner: Option<Change<String>>,
    /// Notes to append (those already there, or blank, are skipped).
    pub add_notes: Vec<String>,
    /// Links to append (those already there, or blank, are skipped).
    pub add_links: Vec<String>,
    /// Who verified the annotation, and when.
    pub verified: Option<Verified>,
    /// The patch's fingerprint now (callers always set it: the annotation is for this content).
    pub fingerprint: Option<Fingerprint>,
    /// Who makes the edit, for the history.
    pub by: String,
    /// When, `YYYY-MM-DD`, for the history.
    pub on: String,
}

/// What to change in a feature's annotation. `None` and empty lists leave a field alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeatureEdit {
    /// What the feature is.
    pub note: Option<Change<String>>,
    /// Who works on upstreaming it.
    pub owner: Option<Change<String>>,
    /// Links to append (those already there, or blank, are skipped).
    pub add_links: Vec<String>,
}

/// Apply `edit` to the annotation of `patch` in `text` (the file `source`; empty for a new
/// file) and return the new text, with a `history` entry saying what changed. An edit that
/// changes nothing returns `text` as it is.
pub fn edit_patch(text: &str, source: &str, patch: &str, edit: &PatchEdit) -> Result<String> {
    let refuse = |problem| edit_error(source, "patches", patch, problem);
    check_patch_edit(patch, edit).map_err(refuse)?;
    let current = Annotations::parse(text, source)?
        .patches
        .remove(patch)
        .unwrap_or_default();
    check_reason(&current, edit).map_err(refuse)?;
    let (preamble, mut document) = open(text, source)?;
    let mut fields = Fields::new(doc::entry(&mut document, "patches", patch), &PATCH_KEYS);
    let parts = apply_patch_edit(&mut fields, &current, edit);
    if parts.is_empty() {
        return Ok(text.to_string());
    }
    fields.append_history(&HistoryEntry {
        on: edit.on.clone(),
        by: edit.by.clone(),
        change: parts.join("; "),
    });
    finish(text, &preamble, &document, source)
}

/// Apply `edit` to the annotation of `feature` in `text` (the file `source`; empty for a new
/// file) and return the new text. An edit that changes nothing returns `text` as it is.
pub fn edit_feature(text: &str, source: &str, feature: &str, edit: &FeatureEdit) -> Result<String> {
    if feature.is_empty() {
        return Err(edit_error(source, "features", feature, Problem::EmptyName));
    }
    check_links(&edit.add_links).map_err(|p| edit_error(source, "features", feature, p))?;
    let current = Annotations::parse(text, source)?
        .features
        .remove(feature)
        .unwrap_or_default();
    let (preamble, mut document) = open(text, source)?;
    let mut fields = Fields::new(
        doc::entry(&mut document, "features", feature),
        &FEATURE_KEYS,
    );
    if !apply_feature_edit(&mut fields, &current, edit) {
        return Ok(text.to_string());
    }
    finish(text, &preamble, &document, source)
}

fn edit_error(source: &str, group: &str, name: &str, problem: Problem) -> AnnotationError {
    AnnotationError::Edit {
        file: source.to_string(),
        table: format!("[{group}.{}]", Key::new(name)),
        problem,
    }
}

/// The edit's own values: a name, who and when, a well-formed verification.
fn check_patch_edit(patch: &str, edit: &PatchEdit) -> std::result::Result<(), Problem> {
    if patch.is_empty() {
        return Err(Problem::EmptyName);
    }
    if edit.by.trim().is_empty() {
        return Err(Problem::NoAuthor);
    }
    check_links(&edit.add_links)?;
    if !is_date(&edit.on) {
        return Err(Problem::BadDate(edit.on.clone()));
    }
    if let Some(verified) = &edit.verified {
        if verified.by.trim().is_empty() {
            return Err(Problem::Missing {
                table: "verified",
                key: "by",
            });
        }
        if !is_date(&verified.on) {
            return Err(Problem::BadDate(verified.on.clone()));
        }
    }
    Ok(())
}

/// Links must be plain `http(s)` URLs: whatever else a link says would end up in every
/// report format.
fn check_links(links: &[String]) -> std::result::Result<(), Problem> {
    let plain = |l: &str| {
        (l.starts_with("https://") || l.starts_with("http://"))
            && l.len() > "https://".len()
            && !l.chars().any(|c| c.is_whitespace() || c.is_control())
    };
    match links.iter().find(|l| !plain(l)) {
        Some(bad) => Err(Problem::BadLink(bad.clone())),
        None => Ok(()),
    }
}

/// A status override after the edit needs a reason after the edit.
fn check_reason(current: &PatchAnnotation, edit: &PatchEdit) -> std::result::Result<(), Problem> {
    let after = PatchAnnotation {
        status: after(current.status.as_ref(), edit.status.as_ref()),
        reason: after(current.reason.as_ref(), edit.reason.as_ref()),
        ..PatchAnnotation::default()
    };
    if after.status.is_some() && !has_reason(&after) {
        return Err(Problem::StatusWithoutReason);
    }
    Ok(())
}

/// A field's value after an optional change.
fn after<T: Clone>(current: Option<&T>, change: Option<&Change<T>>) -> Option<T> {
    match change {
        Some(Change::Set(value)) => Some(value.clone()),
        Some(Change::Clear) => None,
        None => current.cloned(),
    }
}

/// The field's new value when `change` changes it: `Some(None)` when it is cleared.
fn changed<T: Clone + PartialEq>(
    current: Option<&T>,
    change: Option<&Change<T>>,
) -> Option<Option<T>> {
    let new = after(current, change);
    (change.is_some() && new.as_ref() != current).then_some(new)
}

/// Parse `text` for editing: a file without tables keeps all its text as a preamble (its
/// comments would otherwise end up after the new tables); an empty one gets a header.
fn open(text: &str, source: &str) -> Result<(String, DocumentMut)> {
    let document: DocumentMut = text.parse().map_err(|e| syntax_error(text, source, &e))?;
    if !document.as_table().is_empty() {
        return Ok((String::new(), document));
    }
    let kept = text.trim_end();
    let preamble = if kept.is_empty() {
        format!("{NEW_FILE_HEADER}\n")
    } else {
        format!("{kept}\n\n")
    };
    Ok((preamble, DocumentMut::new()))
}

/// The edited text, once it is known to parse back. It keeps the line endings of `original`:
/// a file written on Windows (CRLF) stays CRLF, though `toml_edit` writes LF.
fn finish(original: &str, preamble: &str, document: &DocumentMut, source: &str) -> Result<String> {
    let mut text = format!("{preamble}{document}");
    if original.contains("\r\n") {
        text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    match Annotations::parse(&text, source) {
        Ok(_) => Ok(text),
        Err(e) => Err(AnnotationError::EditBroke {
            file: source.to_string(),
            source: Box::new(e),
        }),
    }
}

/// Write the changes of `edit` into `fields`; what changed, in plain words, in the order
/// status (with its reason), owner, feature, reason, notes, links, verification, fingerprint.
fn apply_patch_edit(
    fields: &mut Fields,
    current: &PatchAnnotation,
    edit: &PatchEdit,
) -> Vec<String> {
    let (status, reason) = apply_status(fields, current, edit);
    let mut parts: Vec<String> = status.into_iter().collect();
    let owner = set_string(fields, "owner", current.owner.as_ref(), edit.owner.as_ref());
    parts.extend(owner.map(|o| said("owner", o)));
    let feature = set_string(
        fields,
        "feature",
        current.feature.as_ref(),
        edit.feature.as_ref(),
    );
    parts.extend(feature.map(|f| said("feature", f)));
    parts.extend(reason);
    parts.extend(append_new(fields, "notes", &current.notes, &edit.add_notes).map(notes_added));
    parts.extend(append_new(fields, "links", &current.links, &edit.add_links).map(links_added));
    let fingerprint = set_fingerprint(
        fields,
        current.fingerprint.as_ref(),
        edit.fingerprint.as_ref(),
    );
    // Verifying a changed patch again is news even on the day of the last verification.
    let reverified = matches!(fingerprint, Some(Recorded::Updated));
    parts.extend(set_verified(
        fields,
        current.verified.as_ref(),
        edit.verified.as_ref(),
        reverified,
    ));
    match fingerprint {
        Some(Recorded::Updated) => parts.push("fingerprint updated".to_string()),
        Some(Recorded::First) if parts.is_empty() => parts.push("fingerprint recorded".to_string()),
        _ => {}
    }
    parts
}

/// Write the status and reason changes; what changed in plain words: the status (with its
/// new reason, `status: needs-work (reason: …)`), and the reason when said apart.
fn apply_status(
    fields: &mut Fields,
    current: &PatchAnnotation,
    edit: &PatchEdit,
) -> (Option<String>, Option<String>) {
    let reason = set_string(
        fields,
        "reason",
        current.reason.as_ref(),
        edit.reason.as_ref(),
    );
    match changed(current.status.as_ref(), edit.status.as_ref()) {
        Some(Some(status)) => {
            fields.set_str("status", status.as_str());
            match reason {
                Some(Some(r)) => (Some(format!("status: {status} (reason: {r})")), None),
                _ => (Some(format!("status: {status}")), None),
            }
        }
        Some(None) => {
            fields.remove("status");
            (
                Some("status cleared".to_string()),
                reason.map(|r| said("reason", r)),
            )
        }
        None => (None, reason.map(|r| said("reason", r))),
    }
}

/// Write the changes of `edit` into `fields`; whether anything changed.
fn apply_feature_edit(
    fields: &mut Fields,
    current: &FeatureAnnotation,
    edit: &FeatureEdit,
) -> bool {
    let note = set_string(fields, "note", current.note.as_ref(), edit.note.as_ref());
    let owner = set_string(fields, "owner", current.owner.as_ref(), edit.owner.as_ref());
    let links = append_new(fields, "links", &current.links, &edit.add_links);
    note.is_some() || owner.is_some() || links.is_some()
}

/// Apply a change to a string field; its new value when it changed.
fn set_string(
    fields: &mut Fields,
    key: &str,
    current: Option<&String>,
    change: Option<&Change<String>>,
) -> Option<Option<String>> {
    let new = changed(current, change)?;
    match &new {
        Some(value) => fields.set_str(key, value),
        None => fields.remove(key),
    }
    Some(new)
}

/// `key: value`, or `key cleared`.
fn said(key: &str, value: Option<String>) -> String {
    match value {
        Some(value) => format!("{key}: {value}"),
        None => format!("{key} cleared"),
    }
}

/// Append the strings of `add` not already in `current` (nor blank, nor repeated); those
/// appended, when there are any.
fn append_new(
    fields: &mut Fields,
    key: &str,
    current: &[String],
    add: &[String],
) -> Option<Vec<String>> {
    let mut new: Vec<String> = Vec::new();
    for value in add {
        if !value.trim().is_empty() && !current.contains(value) && !new.contains(value) {
            new.push(value.clone());
        }
    }
    fields.append_strings(key, &new);
    (!new.is_empty()).then_some(new)
}

fn notes_added(notes: Vec<String>) -> String {
    match notes.len() {
        1 => "note added".to_string(),
        n => format!("{n} notes added"),
    }
}

fn links_added(links: Vec<String>) -> String {
    match links.len() {
        1 => format!("link added: {}", links.join(", ")),
        _ => format!("links added: {}", links.join(", ")),
    }
}

fn set_verified(
    fields: &mut Fields,
    current: Option<&Verified>,
    new: Option<&Verified>,
    again: bool,
) -> Option<String> {
    let new = new.filter(|&v| again || Some(v) != current)?;
    let mut table = InlineTable::new();
    table.insert("by", Value::from(new.by.as_str()));
    table.insert("on", Value::from(new.on.as_str()));
    fields.set("verified", Value::InlineTable(table));
    Some(format!("verified by {} on {}", new.by, new.on))
}

/// How a fingerprint was written.
enum Recorded {
    /// Where there was none.
    First,
    /// Replacing another: the annotation now holds for the patch as it is.
    Updated,
}

fn set_fingerprint(
    fields: &mut Fields,
    current: Option<&Fingerprint>,
    new: Option<&Fingerprint>,
) -> Option<Recorded> {
    let new = new.filter(|&f| Some(f) != current)?;
    fields.set_str("fingerprint", new.as_str());
    Some(if current.is_some() {
        Recorded::Updated
    } else {
        Recorded::First
    })
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
