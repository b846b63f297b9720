//! Building the [`Report`] from a queue, its verdicts and the annotations: overrides applied
//! only where the annotation was written for the patch as it is, stale annotations flagged,
//! patches grouped by status and feature, and the summaries a maintainer acts on.

use crate::model::*;
use kdelta_analysis::{ClaimCheck, Status, Verdict};
use kdelta_annotations::{Annotations, Fingerprint, Freshness, PatchAnnotation};
use kdelta_queue::{Queue, QueueEntry};
use std::collections::{BTreeMap, HashMap};

/// What a report is about, besides the queue and its verdicts.
#[derive(Clone, Debug, Default)]
pub struct ReportMeta {
    /// The distribution's name.
    pub distribution: String,
    /// Its release.
    pub release: Option<String>,
    /// What the queue was judged against.
    pub upstream: Upstream,
    /// A commit-URL template with `{commit}`.
    pub commit_url: Option<String>,
    /// A URL template for list archives, `%s` standing for the Message-ID
    /// (`https://lore.kernel.org/r/%s`).
    pub archive_url: Option<String>,
    /// When the report was made, `None` for reproducible output.
    pub generated_at: Option<String>,
}

/// Build the report of `queue`, whose verdicts are `verdicts` (one per entry, in order).
pub fn build_report(
    queue: &Queue,
    verdicts: &[Verdict],
    annotations: &Annotations,
    meta: ReportMeta,
) -> Report {
    let fingerprints = fingerprints(queue);
    let patches: Vec<PatchReport> = queue
        .entries
        .iter()
        .zip(verdicts)
        .map(|(entry, verdict)| {
            let now = fingerprints.get(&entry.name);
            let annotated = annotations.patches.get(&entry.name).map(|a| {
                let freshness = annotations.freshness(&entry.name, now);
                (a, freshness)
            });
            patch_report(entry, verdict, annotated, annotations, &meta)
        })
        .collect();
    let stale_annotations = stale_annotations(annotations, &fingerprints);
    let features = features(annotations, &patches);
    let sections = sections(&patches, annotations);
    let summary = summary(&patches, &features, stale_annotations.len());
    Report {
        schema_version: SCHEMA_VERSION,
        generator: format!("kdelta {}", env!("CARGO_PKG_VERSION")),
        generated_at: meta.generated_at,
        distribution: meta.distribution,
        release: meta.release,
        queue: queue.source.clone(),
        upstream: meta.upstream,
        commit_url: meta.commit_url,
        summary,
        sections,
        patches,
        features,
        stale_annotations,
    }
}

/// Recompute what a report derives from its patches (the sections by status and feature,
/// the summary) after their statuses, owners or features were changed in place (a server
/// applies the decisions recorded on its site to a stored report).
pub fn recount(report: &mut Report) {
    let mut annotations = Annotations::default();
    for f in &report.features {
        annotations.features.insert(
            f.name.clone(),
            kdelta_annotations::FeatureAnnotation {
                note: f.note.clone(),
                owner: f.owner.clone(),
                links: f.links.clone(),
                line: 0,
            },
        );
    }
    report.sections = sections(&report.patches, &annotations);
    report.summary = summary(
        &report.patches,
        &report.features,
        report.stale_annotations.len(),
    );
}

/// Who can upstream one patch or feature (the fields of the same names of [`PatchReport`]
/// and [`Feature`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PatchPeople {
    /// get_maintainer.pl's lines.
    pub send_to: Vec<String>,
    /// Active upstream authors, `Name <email> (N commits)`.
    pub active_upstream: Vec<String>,
}

/// Who can upstream each patch and each feature, by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct People {
    /// By patch name.
    pub patches: HashMap<String, PatchPeople>,
    /// By feature name: for all the feature's patches together.
    pub features: HashMap<String, PatchPeople>,
}

/// Put `people` into the report's patches and features.
pub fn attach_people(report: &mut Report, mut people: People) {
    for patch in &mut report.patches {
        if let Some(found) = people.patches.remove(&patch.name) {
            patch.send_to = found.send_to;
            patch.active_upstream = found.active_upstream;
        }
    }
    for feature in &mut report.features {
        if let Some(found) = people.features.remove(&feature.name) {
            feature.send_to = found.send_to;
            feature.active_upstream = found.active_upstream;
        }
    }
}

/// The fingerprint of every patch of the queue, by name.
pub fn fingerprints(queue: &Queue) -> HashMap<String, Fingerprint> {
    queue
        .entries
        .iter()
        .filter_map(|e| Some((e.name.clone(), Fingerprint::of(e.patch.as_ref()?))))
        .collect()
}

/// The URL of `commit` from `template` (`{commit}` replaced).
pub fn archive_url(template: &str, message_id: &str) -> String {
    let encoded: String = message_id
        .chars()
        .map(|c| match c {
            '/' | '?' | '#' | '%' | ' ' | '"' | '<' | '>' => format!("%{:02X}", c as u32),
            c => c.to_string(),
        })
        .collect();
    template.replace("%s", &encoded)
}

/// The URL of a commit: `{commit}` in `template` replaced by the commit id.
pub fn commit_url(template: &str, commit: &str) -> String {
    template.replace("{commit}", commit)
}

fn patch_report(
    entry: &QueueEntry,
    verdict: &Verdict,
    annotated: Option<(&PatchAnnotation, Freshness)>,
    annotations: &Annotations,
    meta: &ReportMeta,
) -> PatchReport {
    let header = entry.patch.as_ref().map(|p| &p.header);
    let text = |b: &Option<bstr::BString>| b.as_ref().map(|b| b.to_string());
    let mut report = PatchReport {
        position: entry.position,
        name: entry.name.clone(),
        subject: verdict.subject.clone(),
        author: header.and_then(|h| text(&h.author)),
        date: header.and_then(|h| text(&h.date)),
        status: verdict.status,
        machine_status: verdict.status,
        status_override: None,
        confidence: verdict.confidence,
        commit: verdict.commit.clone(),
        commit_url: None,
        release: verdict.release.clone(),
        feature: None,
        owner: None,
        notes: Vec::new(),
        links: Vec::new(),
        verified: None,
        annotation: AnnotationState::None,
        stale: None,
        history: Vec::new(),
        evidence: verdict.evidence.clone(),
        candidates: verdict.candidates.clone(),
        claims: verdict.claims.clone(),
        headers: header.map(header_fields).unwrap_or_default(),
        diffstat: entry.patch.as_ref().map(diffstat).unwrap_or_default(),
        send_to: Vec::new(),
        active_upstream: Vec::new(),
        posted: verdict.posted.clone(),
        posted_url: None,
    };
    if let (Some(template), Some(posted)) = (&meta.archive_url, &report.posted) {
        report.posted_url = Some(archive_url(template, &posted.message_id));
    }
    if let (Some(template), Some(commit)) = (&meta.commit_url, &report.commit) {
        report.commit_url = Some(commit_url(template, commit));
    }
    if let Some((annotation, freshness)) = annotated {
        annotate(&mut report, annotation, freshness, annotations);
    }
    report
}

/// Apply an annotation to a patch's report: the override only when it is not stale.
fn annotate(
    report: &mut PatchReport,
    annotation: &PatchAnnotation,
    freshness: Freshness,
    annotations: &Annotations,
) {
    let (state, stale) = match freshness {
        Freshness::Current => (AnnotationState::Current, None),
        Freshness::Unrecorded => (AnnotationState::Unrecorded, None),
        Freshness::Changed { recorded, now } => (
            AnnotationState::Stale,
            Some(format!(
                "the patch changed since the annotation was written ({recorded} → {now})"
            )),
        ),
        Freshness::Gone => (AnnotationState::Stale, Some("the patch is gone".into())),
    };
    report.annotation = state;
    report.stale = stale;
    report.feature = annotation.feature.clone();
    report.owner = annotations.owner_of(annotation);
    report.notes = annotation.notes.clone();
    report.links = annotation.links.clone();
    report.verified = annotation.verified.clone();
    report.history = annotation.history.clone();
    if let Some(status) = annotation.status {
        let applied = state != AnnotationState::Stale;
        if applied {
            report.status = status;
        }
        report.status_override = Some(Override {
            status,
            reason: annotation.reason.clone().unwrap_or_default(),
            applied,
        });
    }
}

fn header_fields(header: &kdelta_patch::Header) -> Vec<HeaderField> {
    let mut fields = Vec::new();
    let has = |name: &str| header.field(name).is_some();
    if let Some(author) = header
        .author
        .as_ref()
        .filter(|_| !has("From") && !has("Author"))
    {
        fields.push(field("From", &author.to_string()));
    }
    if let Some(date) = header.date.as_ref().filter(|_| !has("Date")) {
        fields.push(field("Date", &date.to_string()));
    }
    for f in header.fields.iter().chain(&header.trailers) {
        fields.push(field(&f.name.to_string(), &f.value.to_string()));
    }
    fields
}

fn field(name: &str, value: &str) -> HeaderField {
    HeaderField {
        name: name.to_string(),
        value: value.to_string(),
    }
}

fn diffstat(patch: &kdelta_patch::Patch) -> Vec<DiffStat> {
    patch
        .files
        .iter()
        .map(|f| DiffStat {
            path: f
                .new_path
                .as_ref()
                .or(f.old_path.as_ref())
                .map(|p| p.to_string())
                .unwrap_or_default(),
            added: f.added,
            removed: f.removed,
        })
        .collect()
}

fn stale_annotations(
    annotations: &Annotations,
    fingerprints: &HashMap<String, Fingerprint>,
) -> Vec<StaleAnnotation> {
    annotations
        .stale(fingerprints)
        .into_iter()
        .filter_map(|(name, freshness)| {
            let annotation = annotations.patches.get(&name)?;
            let (reason, detail) = match freshness {
                Freshness::Changed { recorded, now } => (
                    StaleReason::Changed,
                    format!("written for {recorded}, the patch is now {now}"),
                ),
                Freshness::Gone => (
                    StaleReason::Gone,
                    "the patch is no longer in the queue".to_string(),
                ),
                Freshness::Current | Freshness::Unrecorded => return None,
            };
            Some(StaleAnnotation {
                patch: name,
                reason,
                detail,
                status: annotation.status,
                owner: annotation.owner.clone(),
                feature: annotation.feature.clone(),
                line: annotation.line,
            })
        })
        .collect()
}

/// Every feature the annotations define or a patch names, by name, with its patches.
pub(crate) fn features(annotations: &Annotations, patches: &[PatchReport]) -> Vec<Feature> {
    let mut names: Vec<&String> = annotations.features.keys().collect();
    for p in patches {
        if let Some(f) = &p.feature {
            if !annotations.features.contains_key(f) && !names.contains(&f) {
                names.push(f);
            }
        }
    }
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let defined = annotations.features.get(name);
            Feature {
                name: name.clone(),
                note: defined.and_then(|f| f.note.clone()),
                owner: defined.and_then(|f| f.owner.clone()),
                links: defined.map(|f| f.links.clone()).unwrap_or_default(),
                send_to: Vec::new(),
                active_upstream: Vec::new(),
                patches: patches
                    .iter()
                    .filter(|p| p.feature.as_ref() == Some(name))
                    .map(|p| p.name.clone())
                    .collect(),
            }
        })
        .collect()
}

/// One section per status with patches; in each, groups by feature (by name), then the
/// patches without one.
pub(crate) fn sections(patches: &[PatchReport], annotations: &Annotations) -> Vec<Section> {
    Status::ALL
        .into_iter()
        .filter_map(|status| {
            let mut by_feature: BTreeMap<Option<&String>, Vec<String>> = BTreeMap::new();
            for p in patches.iter().filter(|p| p.status == status) {
                by_feature
                    .entry(p.feature.as_ref())
                    .or_default()
                    .push(p.name.clone());
            }
            if by_feature.is_empty() {
                return None;
            }
            let ungrouped = by_feature.remove(&None);
            let mut groups: Vec<Group> = by_feature
                .into_iter()
                .map(|(feature, patches)| {
                    let defined = feature.and_then(|f| annotations.features.get(f));
                    Group {
                        feature: feature.cloned(),
                        note: defined.and_then(|f| f.note.clone()),
                        owner: defined.and_then(|f| f.owner.clone()),
                        patches,
                    }
                })
                .collect();
            groups.extend(ungrouped.map(|patches| Group {
                feature: None,
                note: None,
                owner: None,
                patches,
            }));
            Some(Section {
                status,
                title: section_title(status).to_string(),
                advice: section_advice(status).to_string(),
                groups,
            })
        })
        .collect()
}

/// The counts and lists of `patches`, whose features are `features`, with `stale` stale
/// annotations.
pub(crate) fn summary(patches: &[PatchReport], features: &[Feature], stale: usize) -> Summary {
    let count = |status: Status, among: &mut dyn Iterator<Item = &PatchReport>| {
        among.filter(|p| p.status == status).count()
    };
    let by_status = Status::ALL
        .into_iter()
        .map(|status| StatusCount {
            status,
            count: count(status, &mut patches.iter()),
        })
        .collect();
    let by_feature = features
        .iter()
        .map(|f| {
            let members: Vec<&PatchReport> = patches
                .iter()
                .filter(|p| f.patches.contains(&p.name))
                .collect();
            FeatureCount {
                feature: f.name.clone(),
                count: members.len(),
                by_status: Status::ALL
                    .into_iter()
                    .map(|status| StatusCount {
                        status,
                        count: count(status, &mut members.iter().copied()),
                    })
                    .filter(|c| c.count > 0)
                    .collect(),
            }
        })
        .collect();
    let named = |status: Status| {
        patches
            .iter()
            .filter(|p| p.status == status)
            .map(|p| p.name.clone())
            .collect()
    };
    Summary {
        total: patches.len(),
        by_status,
        by_feature,
        to_drop: named(Status::Upstream),
        to_verify: named(Status::ReplacementLikely),
        failed_claims: failed_claims(patches),
        overridden: patches
            .iter()
            .filter(|p| p.status_override.as_ref().is_some_and(|o| o.applied))
            .count(),
        stale,
    }
}

fn failed_claims(patches: &[PatchReport]) -> Vec<FailedClaim> {
    patches
        .iter()
        .flat_map(|p| {
            p.claims
                .iter()
                .filter(|c| c.check == ClaimCheck::Contradicted)
                .map(|c| FailedClaim {
                    patch: p.name.clone(),
                    header: c.header.clone(),
                    text: c.text.clone(),
                    line: c.line,
                    detail: c.detail.clone(),
                })
        })
        .collect()
}

#[cfg(test)]
mod recount_tests {
    use kdelta_analysis::Status;

    #[test]
    fn a_status_changed_in_place_is_counted_where_it_now_is() {
        let mut report = crate::sample::sample_report();
        let before = report.summary.clone();
        let first = report.patches[0].status;
        let target = if first == Status::DownstreamOnly {
            Status::NeedsWork
        } else {
            Status::DownstreamOnly
        };
        report.patches[0].status = target;
        super::recount(&mut report);
        let count = |s: &crate::model::Summary, status: Status| {
            s.by_status
                .iter()
                .find(|c| c.status == status)
                .map_or(0, |c| c.count)
        };
        assert_eq!(count(&report.summary, first), count(&before, first) - 1);
        assert_eq!(count(&report.summary, target), count(&before, target) + 1);
        let name = &report.patches[0].name;
        assert!(report
            .sections
            .iter()
            .any(|s| s.status == target && s.groups.iter().any(|g| g.patches.contains(name))));
        // Nothing changed, nothing moves.
        let mut same = crate::sample::sample_report();
        let expected = same.clone();
        super::recount(&mut same);
        assert_eq!(same, expected);
    }
}
