//! The decisions recorded on the site, applied to a stored report before it is shown or
//! compared: a status set by hand moves the patch (the analysis' own status stays beside
//! it), owners, features, notes, links and claims show with the patch. A decision made on
//! another version of the patch than the one analysed (its fingerprint differs) is stale:
//! its status is not applied, and the patch says so.

use crate::decision::Decision;
use kdelta_db::StoredDecision;
use kdelta_report::model::Override;
use kdelta_report::Report;
use std::collections::HashMap;

/// Apply `decisions` to `report`; `fingerprints` are the patches' now (`patch-id:…`).
pub fn apply(
    report: &mut Report,
    decisions: &[StoredDecision],
    fingerprints: &HashMap<String, String>,
) {
    if decisions.is_empty() {
        return;
    }
    for stored in decisions {
        let Ok(d) = serde_json::from_str::<Decision>(&stored.state) else {
            continue;
        };
        let Some(p) = report.patches.iter_mut().find(|p| p.name == stored.patch) else {
            continue;
        };
        let now = fingerprints.get(&stored.patch);
        let stale = matches!((&stored.fingerprint, now), (Some(then), Some(now)) if then != now);
        if let Some(o) = &d.status {
            p.status_override = Some(Override {
                status: o.status,
                reason: format!("{} ({}, on this site)", o.reason, o.by),
                applied: !stale,
            });
            if !stale {
                p.status = o.status;
            }
        }
        if stale {
            p.stale =
                Some("decisions on this site were made on another version of the patch".into());
        }
        if let Some(owner) = &d.owner {
            p.owner = Some(owner.clone());
        }
        if let Some(feature) = &d.feature {
            p.feature = Some(feature.clone());
        }
        if let Some(c) = &d.claim {
            let state = format!("{:?}", c.state).to_lowercase();
            let link = c
                .link
                .as_deref()
                .map(|l| format!(": {l}"))
                .unwrap_or_default();
            p.notes.push(format!("{state} by {}{link}", c.by));
            if p.owner.is_none() {
                p.owner = Some(c.by.clone());
            }
        }
        // A note imported from the annotations file is in the report already, as the file
        // has it; so is a link.
        for n in &d.notes {
            if !(n.by == crate::annotations::IMPORTER && p.notes.contains(&n.text)) {
                p.notes.push(format!("{} — {}", n.text, n.by));
            }
        }
        for link in &d.links {
            if !p.links.contains(link) {
                p.links.push(link.clone());
            }
        }
    }
    kdelta_report::recount(report);
}

/// The patches' fingerprints (`patch-id:…`) from a snapshot's facts.
pub fn fingerprints(facts: Option<&str>) -> HashMap<String, String> {
    let facts: Vec<kdelta_analysis::compare::PatchFacts> = facts
        .and_then(|f| serde_json::from_str(f).ok())
        .unwrap_or_default();
    fingerprints_of(&facts)
}

/// The patches' fingerprints (`patch-id:…`) by name, from their facts.
pub fn fingerprints_of(facts: &[kdelta_analysis::compare::PatchFacts]) -> HashMap<String, String> {
    facts
        .iter()
        .filter_map(|f| Some((f.name.clone(), format!("patch-id:{}", f.patch_id.as_ref()?))))
        .collect()
}
