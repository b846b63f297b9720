//! Who is working on what, across distributions: every owner the teams' annotations name,
//! with the patches and features they own in each distribution and where those stand.

use crate::common::CommonDelta;
use kdelta_analysis::Status;
use serde::Serialize;
use std::collections::BTreeMap;

/// One thing a person owns.
#[derive(Clone, Debug, Serialize)]
pub struct Work {
    /// The distribution (its name in URLs).
    pub distribution: String,
    /// The distribution's title.
    pub title: String,
    /// `patch` or `feature`.
    pub kind: &'static str,
    /// The patch's or feature's name.
    pub name: String,
    /// The patch's status, or the most advanced of the feature's patches.
    pub status: Status,
    /// The patch's position in the report (for a link to its detail).
    pub position: Option<usize>,
    /// How many patches (a feature's).
    pub patches: usize,
}

/// Every owner, by name, with what they own.
pub fn people(common: &CommonDelta) -> BTreeMap<String, Vec<Work>> {
    let mut out: BTreeMap<String, Vec<Work>> = BTreeMap::new();
    for (q, name) in common.names.iter().enumerate() {
        let title = common.comparison.distributions[q].name.clone();
        let patches = &common.patches[q];
        let mut owned: Vec<_> = patches.values().filter(|p| p.owner.is_some()).collect();
        owned.sort_by_key(|p| p.position);
        for p in owned {
            let owner = p.owner.clone().unwrap_or_default();
            out.entry(owner).or_default().push(Work {
                distribution: name.clone(),
                title: title.clone(),
                kind: "patch",
                name: p.name.clone(),
                status: p.status,
                position: Some(p.position),
                patches: 1,
            });
        }
        for f in common.features.get(q).into_iter().flatten() {
            let Some(owner) = &f.owner else { continue };
            let status = f
                .patches
                .iter()
                .filter_map(|n| patches.get(n).map(|p| p.status))
                .min()
                .unwrap_or(Status::Unknown);
            out.entry(owner.clone()).or_default().push(Work {
                distribution: name.clone(),
                title: title.clone(),
                kind: "feature",
                name: f.name.clone(),
                status,
                position: None,
                patches: f.patches.len(),
            });
        }
    }
    out
}
