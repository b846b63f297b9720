//! The team's annotations file and the site's decisions, both ways, so that a team that keeps
//! its decisions in git loses nothing.
//!
//! - **Import**, at each refresh: what changed in the file since the last import (owner,
//!   feature, status override and reason; new notes and links) is written into the patch's
//!   decision, as an event by [`IMPORTER`]. A decision made on the site is kept where the
//!   file did not change: the file as last imported is the base of a three-way merge.
//! - **Export**, on demand (`GET /api/v1/distributions/{name}/annotations.toml`): the file's
//!   text with the site's decisions written into it (owner, feature, status and reason,
//!   notes, links and a claim's link), its comments and layout kept, ready to commit. Exported
//!   and imported again, it changes nothing.

use crate::decision::{Decision, Note, Override};
use crate::error::{ApiFailure, Failure};
use crate::state::AppState;
use kdelta_annotations::{
    edit_patch, Annotations, Change, Fingerprint, PatchAnnotation, PatchEdit,
};
use kdelta_db::{DbError, DecisionWrite, DistributionId, Written};
use std::collections::{BTreeSet, HashMap};

/// Who the events of an import name.
pub const IMPORTER: &str = "annotations file";

/// `site` with what changed in the file's annotation (`file`) since `base` (the annotation
/// as last imported; empty when it was not there).
pub fn merged(
    site: &Decision,
    base: &PatchAnnotation,
    file: &PatchAnnotation,
    now: i64,
) -> Decision {
    let mut out = site.clone();
    if file.owner != base.owner {
        out.owner = file.owner.clone();
    }
    if file.feature != base.feature {
        out.feature = file.feature.clone();
    }
    if (file.status, &file.reason) != (base.status, &base.reason) {
        out.status = file.status.map(|status| Override {
            status,
            reason: file.reason.clone().unwrap_or_default(),
            by: IMPORTER.into(),
            at: now,
        });
    }
    for text in file.notes.iter().filter(|n| !base.notes.contains(n)) {
        if !out.notes.iter().any(|n| &n.text == text) {
            out.notes.push(Note {
                text: text.clone(),
                by: IMPORTER.into(),
                at: now,
            });
        }
    }
    for link in file.links.iter().filter(|l| !base.links.contains(l)) {
        if !out.links.contains(link) {
            out.links.push(link.clone());
        }
    }
    out
}

/// Import the annotations file `text` (read from `source`) into the decisions of
/// `distribution`, whose patches have `fingerprints`: how many decisions changed.
pub async fn import(
    state: &AppState,
    distribution: DistributionId,
    text: &str,
    source: &str,
    fingerprints: &HashMap<String, String>,
) -> Result<usize, DbError> {
    let base_text = state.db.imported_annotations(distribution).await?;
    if base_text.as_deref() == Some(text) {
        return Ok(0);
    }
    let parse = |t: &str| Annotations::parse(t, source).unwrap_or_default();
    let base = base_text.as_deref().map(parse).unwrap_or_default();
    let file = parse(text);
    let patches: BTreeSet<&String> = base.patches.keys().chain(file.patches.keys()).collect();
    let empty = PatchAnnotation::default();
    let mut changed = 0;
    for patch in patches {
        let (b, f) = (
            base.patches.get(patch).unwrap_or(&empty),
            file.patches.get(patch).unwrap_or(&empty),
        );
        // The file's word on which version of the patch it was written for stands: a stale
        // annotation makes a stale decision, flagged, its status not applied.
        let fingerprint = f
            .fingerprint
            .as_ref()
            .map(|f| f.to_string())
            .or_else(|| fingerprints.get(patch).cloned());
        if import_one(state, distribution, patch, b, f, fingerprint.as_ref()).await? {
            changed += 1;
        }
    }
    state
        .db
        .set_imported_annotations(distribution, text)
        .await?;
    Ok(changed)
}

/// Merge one patch's annotation into its decision (again, if a write came first).
async fn import_one(
    state: &AppState,
    distribution: DistributionId,
    patch: &str,
    base: &PatchAnnotation,
    file: &PatchAnnotation,
    fingerprint: Option<&String>,
) -> Result<bool, DbError> {
    for _ in 0..5 {
        let stored = state.db.decision(distribution, patch).await?;
        let site: Decision = stored
            .as_ref()
            .and_then(|s| serde_json::from_str(&s.state).ok())
            .unwrap_or_default();
        let now = kdelta_db::now();
        let new = merged(&site, base, file, now);
        if new == site {
            return Ok(false);
        }
        let write = DecisionWrite {
            distribution,
            patch,
            based_on: stored.as_ref().map_or(0, |s| s.version),
            state: &serde_json::to_string(&new)?,
            before: &stored.as_ref().map_or("null".into(), |s| s.state.clone()),
            // A decision keeps the version it was made on; a new one takes the file's.
            fingerprint: match &stored {
                Some(s) => s.fingerprint.as_deref(),
                None => fingerprint.map(String::as_str),
            },
            what: "import",
            by: IMPORTER,
            now,
        };
        if let Written::Done(_) = state.db.write_decision(&write).await? {
            return Ok(true);
        }
    }
    Err(DbError::Busy(format!(
        "importing the annotations of {patch}: other writes kept coming first"
    )))
}

/// The edit that writes `decision` (made on the patch with `fingerprint`) into a file.
fn edit_of(decision: &Decision, fingerprint: Option<&str>) -> PatchEdit {
    let mut links = decision.links.clone();
    if let Some(link) = decision.claim.as_ref().and_then(|c| c.link.clone()) {
        links.push(link);
    }
    PatchEdit {
        status: decision.status.as_ref().map(|o| Change::Set(o.status)),
        reason: decision
            .status
            .as_ref()
            .map(|o| Change::Set(o.reason.clone())),
        feature: decision.feature.clone().map(Change::Set),
        owner: decision.owner.clone().map(Change::Set),
        add_notes: decision.notes.iter().map(|n| n.text.clone()).collect(),
        add_links: links,
        verified: None,
        fingerprint: fingerprint.and_then(|f| Fingerprint::parse(f).ok()),
        by: "kdelta serve".into(),
        on: kdelta_jobs::clock::today(),
    }
}

/// `GET /api/v1/distributions/{name}/annotations.toml`: the annotations file with the site's
/// decisions written into it.
pub async fn export(state: &AppState, name: &str) -> Result<axum::response::Response, ApiFailure> {
    use axum::response::IntoResponse;
    let d = crate::view::configured(state, name).map_err(ApiFailure)?;
    let stored = state
        .db
        .distribution(&d.name)
        .await?
        .ok_or_else(|| ApiFailure(Failure::NotFound(format!("distribution {name:?}"))))?;
    let source = d
        .annotations
        .as_ref()
        .map_or("kdelta-annotations.toml".into(), |p| {
            p.display().to_string()
        });
    let mut text = match &d.annotations {
        Some(path) => std::fs::read_to_string(path).unwrap_or_default(),
        None => String::new(),
    };
    for s in state.db.decisions(stored.id).await? {
        let decision: Decision = serde_json::from_str(&s.state).unwrap_or_default();
        let edit = edit_of(&decision, s.fingerprint.as_deref());
        text = edit_patch(&text, &source, &s.patch, &edit).map_err(|e| {
            ApiFailure(Failure::BadRequest(format!(
                "the annotations file cannot take the site's decisions: {e}"
            )))
        })?;
    }
    let file = format!("attachment; filename=\"{name}-annotations.toml\"");
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/toml; charset=utf-8".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, file),
        ],
        text,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::{merged, IMPORTER};
    use crate::decision::{Decision, Note};
    use kdelta_analysis::Status;
    use kdelta_annotations::PatchAnnotation;

    fn annotation(owner: &str, notes: &[&str]) -> PatchAnnotation {
        PatchAnnotation {
            owner: Some(owner.into()),
            notes: notes.iter().map(|n| n.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn what_the_file_changed_wins_and_what_the_site_changed_stays() {
        let base = annotation("Ada", &["old"]);
        let site = Decision {
            owner: Some("Bob".into()),
            feature: Some("site-feature".into()),
            ..Default::default()
        };
        // The file did not change the owner: the site's stays.
        let same = merged(&site, &base, &annotation("Ada", &["old", "new"]), 7);
        assert_eq!(same.owner.as_deref(), Some("Bob"));
        assert_eq!(same.feature.as_deref(), Some("site-feature"));
        assert_eq!(
            same.notes,
            [Note {
                text: "new".into(),
                by: IMPORTER.into(),
                at: 7
            }]
        );
        // The file changed it: the file's wins.
        let moved = merged(&site, &base, &annotation("Cy", &["old"]), 7);
        assert_eq!(moved.owner.as_deref(), Some("Cy"));
        // Imported twice, nothing more changes.
        assert_eq!(
            merged(
                &same,
                &annotation("Ada", &["old", "new"]),
                &annotation("Ada", &["old", "new"]),
                8
            ),
            same
        );
    }

    #[test]
    fn a_status_override_comes_with_its_reason_and_goes_when_removed() {
        let with = PatchAnnotation {
            status: Some(Status::Obsolete),
            reason: Some("the driver is gone".into()),
            ..Default::default()
        };
        let set = merged(&Decision::default(), &PatchAnnotation::default(), &with, 1);
        let o = set.status.as_ref().expect("override");
        assert_eq!(
            (o.status, o.reason.as_str()),
            (Status::Obsolete, "the driver is gone")
        );
        let cleared = merged(&set, &with, &PatchAnnotation::default(), 2);
        assert!(cleared.status.is_none());
    }
}
