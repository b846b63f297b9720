//! The HTML renderer on a hand-built report: structure, escaping of hostile text, the
//! Content-Security-Policy's script hash, determinism.

use super::*;
use crate::model::*;
use kdelta_analysis::{Candidate, Claim, ClaimCheck, Evidence, EvidenceKind, Status};
use kdelta_annotations::{HistoryEntry, Verified};

const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

/// A patch with nothing but its place, name, subject and status.
fn patch(position: usize, name: &str, subject: &str, status: Status) -> PatchReport {
    PatchReport {
        position,
        name: name.into(),
        subject: Some(subject.into()),
        author: Some("Jane Doe <jane@example.org>".into()),
        date: Some("Mon, 3 Mar 2025 10:00:00 +0100".into()),
        status,
        machine_status: status,
        status_override: None,
        confidence: 0.5,
        commit: None,
        commit_url: None,
        release: None,
        feature: None,
        owner: None,
        notes: Vec::new(),
        links: Vec::new(),
        verified: None,
        annotation: AnnotationState::None,
        stale: None,
        history: Vec::new(),
        evidence: Vec::new(),
        candidates: Vec::new(),
        claims: Vec::new(),
        headers: Vec::new(),
        diffstat: Vec::new(),
    }
}

/// An upstream patch with its commit, evidence, a candidate, claims, headers and files.
fn upstream_patch() -> PatchReport {
    let mut p = patch(
        1,
        "patches.suse/blk-mq-fix-requeue-hang.patch",
        "blk-mq: fix a hang on requeue",
        Status::Upstream,
    );
    p.confidence = 0.98;
    p.commit = Some(COMMIT.into());
    p.commit_url = Some(format!("https://git.kernel.org/linus/{COMMIT}"));
    p.release = Some("v6.1".into());
    p.evidence = vec![
        Evidence::new(EvidenceKind::PatchId, "same patch-id as 0123456789ab"),
        Evidence::new(
            EvidenceKind::TreeApplied,
            "all 2 hunks are present in v6.12",
        ),
    ];
    p.candidates = vec![Candidate {
        commit: COMMIT.into(),
        subject: "blk-mq: fix a hang on requeue".into(),
        release: Some("v6.1".into()),
        score: 1.0,
        similarity: 0.97,
        reasons: vec!["patch-id".into(), "subject".into()],
        in_target: true,
    }];
    p.claims = vec![
        claim("Git-commit", COMMIT, ClaimCheck::Holds, "the index has it"),
        claim(
            "Patch-mainline",
            "v6.0",
            ClaimCheck::Contradicted,
            "the commit is first in v6.1",
        ),
    ];
    p.headers = vec![
        field("From", "Jane Doe <jane@example.org>"),
        field("Git-commit", COMMIT),
        field("Patch-mainline", "v6.0"),
    ];
    p.diffstat = vec![
        DiffStat {
            path: "block/blk-mq.c".into(),
            added: 12,
            removed: 3,
        },
        DiffStat {
            path: "include/linux/blk-mq.h".into(),
            added: 1,
            removed: 0,
        },
    ];
    p
}

fn claim(header: &str, text: &str, check: ClaimCheck, detail: &str) -> Claim {
    Claim {
        header: header.into(),
        text: text.into(),
        line: 3,
        check,
        detail: detail.into(),
    }
}

fn field(name: &str, value: &str) -> HeaderField {
    HeaderField {
        name: name.into(),
        value: value.into(),
    }
}

/// A patch of the `xen-net` feature, annotated and verified, with a history.
fn feature_patch() -> PatchReport {
    let mut p = patch(
        2,
        "patches.xen/xen-netfront-multiqueue.patch",
        "xen-netfront: support multiple queues",
        Status::InProgress,
    );
    p.confidence = 0.7;
    p.feature = Some("xen-net".into());
    p.owner = Some("Alice".into());
    p.annotation = AnnotationState::Current;
    p.notes = vec!["v3 posted, waiting for review".into()];
    p.links = vec!["https://lore.kernel.org/xen-devel/1234".into()];
    p.verified = Some(Verified {
        by: "Alice".into(),
        on: "2025-03-01".into(),
    });
    p.history = vec![HistoryEntry {
        on: "2025-02-01".into(),
        by: "Bob".into(),
        change: "owner set to Alice".into(),
    }];
    p.evidence = vec![
        Evidence::new(
            EvidenceKind::InProgressClaim,
            "Patch-mainline: Submitted <20250301.1234@example.org> to xen-devel",
        ),
        Evidence::new(
            EvidenceKind::TreeApplies,
            "all 4 hunks still apply to v6.12",
        ),
    ];
    p.candidates = vec![Candidate {
        commit: "fedcba9876543210fedcba9876543210fedcba98".into(),
        subject: "xen-netfront: add multi-queue support (RFC)".into(),
        release: None,
        score: 0.41,
        similarity: 0.38,
        reasons: vec!["same-files".into(), "similar-lines".into()],
        in_target: false,
    }];
    p.claims = vec![claim(
        "Patch-mainline",
        "Submitted <20250301.1234@example.org>",
        ClaimCheck::Unverified,
        "a posting cannot be checked against the index",
    )];
    p.headers = vec![
        field("From", "Alice <alice@example.org>"),
        field(
            "Subject",
            "[PATCH v3] xen-netfront: support multiple queues",
        ),
        field("Patch-mainline", "Submitted <20250301.1234@example.org>"),
        field("References", "bsc#1234567"),
        field("Signed-off-by", "Alice <alice@example.org>"),
    ];
    p.diffstat = vec![
        DiffStat {
            path: "drivers/net/xen-netfront.c".into(),
            added: 210,
            removed: 64,
        },
        DiffStat {
            path: "include/xen/interface/io/netif.h".into(),
            added: 18,
            removed: 2,
        },
    ];
    p
}

/// A patch whose status a human set by hand.
fn overridden_patch() -> PatchReport {
    let mut p = patch(
        3,
        "patches.suse/nvme-default-queue-depth.patch",
        "nvme: raise the default queue depth",
        Status::DownstreamOnly,
    );
    p.machine_status = Status::NeedsWork;
    p.annotation = AnnotationState::Unrecorded;
    p.status_override = Some(Override {
        status: Status::DownstreamOnly,
        reason: "distribution policy".into(),
        applied: true,
    });
    p.evidence = vec![Evidence::new(
        EvidenceKind::NothingUpstream,
        "nothing similar upstream",
    )];
    p
}

/// A patch whose annotation is stale: its override is shown, not applied.
fn stale_patch() -> PatchReport {
    let mut p = patch(
        4,
        "patches.kernel.org/old-ide-quirk.patch",
        "ide: quirk for an old controller",
        Status::Obsolete,
    );
    p.annotation = AnnotationState::Stale;
    p.stale = Some("the patch changed since the annotation was written (1a2b → 3c4d)".into());
    p.status_override = Some(Override {
        status: Status::NeedsWork,
        reason: "still needed".into(),
        applied: false,
    });
    p.evidence = vec![Evidence::new(
        EvidenceKind::FilesGone,
        "drivers/ide/ is gone upstream",
    )];
    p
}

/// Sections, summary and features of `patches`, as `build_report` would make them.
fn assemble(patches: Vec<PatchReport>, features: Vec<Feature>) -> Report {
    let count = |s: Status, ps: &[&PatchReport]| ps.iter().filter(|p| p.status == s).count();
    let all: Vec<&PatchReport> = patches.iter().collect();
    let by_status = Status::ALL
        .iter()
        .map(|&status| StatusCount {
            status,
            count: count(status, &all),
        })
        .collect();
    let by_feature = features
        .iter()
        .map(|f| {
            let mine: Vec<&PatchReport> = all
                .iter()
                .copied()
                .filter(|p| p.feature.as_deref() == Some(&f.name))
                .collect();
            FeatureCount {
                feature: f.name.clone(),
                count: mine.len(),
                by_status: Status::ALL
                    .iter()
                    .map(|&status| StatusCount {
                        status,
                        count: count(status, &mine),
                    })
                    .filter(|c| c.count > 0)
                    .collect(),
            }
        })
        .collect();
    let names = |s: Status| -> Vec<String> {
        all.iter()
            .filter(|p| p.status == s)
            .map(|p| p.name.clone())
            .collect()
    };
    let failed_claims = all
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
        .collect();
    let sections = Status::ALL
        .iter()
        .filter(|&&s| count(s, &all) > 0)
        .map(|&status| Section {
            status,
            title: section_title(status).into(),
            advice: section_advice(status).into(),
            groups: groups(&all, status, &features),
        })
        .collect();
    let stale = all.iter().filter(|p| p.stale.is_some()).count();
    Report {
        schema_version: SCHEMA_VERSION,
        generator: "kdelta 0.1.0".into(),
        generated_at: None,
        distribution: "openSUSE".into(),
        release: Some("13.1".into()),
        queue: "kernel-source@openSUSE-13.1".into(),
        upstream: Upstream {
            repository: Some("linux.git".into()),
            at: Some("v6.12".into()),
            tree: None,
        },
        commit_url: Some("https://git.kernel.org/linus/{commit}".into()),
        summary: Summary {
            total: all.len(),
            by_status,
            by_feature,
            to_drop: names(Status::Upstream),
            to_verify: names(Status::ReplacementLikely),
            failed_claims,
            overridden: all
                .iter()
                .filter(|p| p.status_override.as_ref().is_some_and(|o| o.applied))
                .count(),
            stale,
        },
        sections,
        stale_annotations: all
            .iter()
            .filter(|p| p.stale.is_some())
            .map(|p| StaleAnnotation {
                patch: p.name.clone(),
                reason: StaleReason::Changed,
                detail: p.stale.clone().unwrap_or_default(),
                status: p.status_override.as_ref().map(|o| o.status),
                owner: p.owner.clone(),
                feature: p.feature.clone(),
                line: 7,
            })
            .collect(),
        patches,
        features,
    }
}

/// The groups of a section: the features in order, then the patches without one.
fn groups(all: &[&PatchReport], status: Status, features: &[Feature]) -> Vec<Group> {
    let of = |feature: Option<&str>| -> Vec<String> {
        all.iter()
            .filter(|p| p.status == status && p.feature.as_deref() == feature)
            .map(|p| p.name.clone())
            .collect()
    };
    let mut groups: Vec<Group> = features
        .iter()
        .map(|f| Group {
            feature: Some(f.name.clone()),
            note: f.note.clone(),
            owner: f.owner.clone(),
            patches: of(Some(&f.name)),
        })
        .filter(|g| !g.patches.is_empty())
        .collect();
    let rest = of(None);
    if !rest.is_empty() {
        groups.push(Group {
            feature: None,
            note: None,
            owner: None,
            patches: rest,
        });
    }
    groups
}

/// Four patches: upstream, in progress with a feature, overridden by hand, stale.
pub(super) fn sample_report() -> Report {
    let features = vec![Feature {
        name: "xen-net".into(),
        note: Some("Multi-queue netfront, being upstreamed".into()),
        owner: Some("Alice".into()),
        links: vec!["https://lore.kernel.org/xen-devel/1234".into()],
        patches: vec!["patches.xen/xen-netfront-multiqueue.patch".into()],
    }];
    let patches = vec![
        upstream_patch(),
        feature_patch(),
        overridden_patch(),
        stale_patch(),
    ];
    assemble(patches, features)
}

const SCRIPT_TAG: &str = "<script>alert(1)</script>";
const IMG_TAG: &str = "<img src=x onerror=alert(2)>";

/// Hostile text: a script, an image with a handler, a quote, a `javascript:` URL.
fn hostile(what: &str) -> String {
    format!("{what} {SCRIPT_TAG}{IMG_TAG}\"' javascript:alert(3)")
}

/// The sample with a hostile patch: every text of it tries to become markup.
fn hostile_report() -> Report {
    let mut p = patch(5, &hostile("name"), &hostile("subject"), Status::NeedsWork);
    p.owner = Some(hostile("owner"));
    p.feature = Some(hostile("feature"));
    p.annotation = AnnotationState::Stale;
    p.stale = Some(hostile("stale"));
    p.notes = vec![hostile("note")];
    p.links = vec![
        "javascript:alert(4)".into(),
        "https://x/\"><script>alert(5)</script>".into(),
        hostile("link"),
    ];
    p.commit = Some(hostile("commit"));
    p.commit_url = Some("javascript:alert(6)".into());
    p.release = Some(hostile("release"));
    p.evidence = vec![Evidence::new(EvidenceKind::Subject, hostile("evidence"))];
    p.candidates = vec![Candidate {
        commit: hostile("candidate"),
        subject: hostile("candidate subject"),
        release: Some(hostile("candidate release")),
        score: 0.5,
        similarity: 0.5,
        reasons: vec![hostile("reason")],
        in_target: false,
    }];
    p.claims = vec![claim(
        &hostile("header"),
        &hostile("claim"),
        ClaimCheck::Contradicted,
        &hostile("claim detail"),
    )];
    p.headers = vec![field(&hostile("header name"), &hostile("header value"))];
    p.diffstat = vec![DiffStat {
        path: hostile("path"),
        added: 1,
        removed: 1,
    }];
    p.status_override = Some(Override {
        status: Status::Upstream,
        reason: hostile("reason"),
        applied: false,
    });
    p.verified = Some(Verified {
        by: hostile("verifier"),
        on: hostile("day"),
    });
    p.history = vec![HistoryEntry {
        on: hostile("on"),
        by: hostile("by"),
        change: hostile("change"),
    }];
    let sample = sample_report();
    let mut features = sample.features;
    features.push(Feature {
        name: hostile("feature"),
        note: Some(hostile("feature note")),
        owner: Some(hostile("feature owner")),
        links: vec!["javascript:alert(7)".into()],
        patches: vec![p.name.clone()],
    });
    let mut patches = sample.patches;
    patches.push(p);
    let mut report = assemble(patches, features);
    report.distribution = hostile("distribution");
    report.queue = hostile("queue");
    report.generator = hostile("generator");
    report.commit_url = Some("javascript:alert({commit})".into());
    report
}

/// The page without its script: what the model could have put there.
fn outside_script(html: &str) -> String {
    let start = html.find("<script>").expect("a script");
    let end = html[start..].find("</script>").expect("a closed script") + start;
    format!("{}{}", &html[..start], &html[end..])
}

/// Every tag of `html` (outside the script), as written between `<` and `>`.
fn tags(html: &str) -> Vec<String> {
    let html = outside_script(html);
    html.split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or("").to_string())
        .collect()
}

/// A tag with its quoted attribute values left out: element and attribute names.
fn names_of(tag: &str) -> String {
    tag.split('"').step_by(2).collect::<Vec<_>>().join("\"\"")
}

#[test]
fn has_every_part_and_a_row_and_detail_per_patch() {
    let report = sample_report();
    let html = render(&report);
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("<title>Kernel delta: openSUSE 13.1</title>"));
    for id in [
        "summary",
        "sections",
        "patches",
        "stale",
        "to-drop",
        "to-verify",
        "features",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    for section in &report.sections {
        let id = format!("id=\"section-{}\"", section.status.as_str());
        assert!(html.contains(&id), "{id}");
    }
    for p in &report.patches {
        let n = p.position;
        assert_eq!(html.matches(&format!("<tr id=\"row-{n}\"")).count(), 1);
        assert_eq!(
            html.matches(&format!("<article class=\"detail\" id=\"patch-{n}\""))
                .count(),
            1
        );
        assert!(html.contains(&format!("<a class=\"name\" href=\"#patch-{n}\">")));
    }
    assert_eq!(html.matches("<tr id=\"row-").count(), report.patches.len());
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(html.contains("data-status=\"upstream\""));
}

#[test]
fn sections_follow_the_model_order() {
    let report = sample_report();
    let html = render(&report);
    let at: Vec<usize> = report
        .sections
        .iter()
        .map(|s| {
            let id = format!("id=\"section-{}\"", s.status.as_str());
            html.find(&id).expect("section present")
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    assert!(html.contains("<h4>Feature: xen-net <span class=\"owner\">owner: Alice</span></h4>"));
    assert!(html.contains("Multi-queue netfront, being upstreamed"));
}

#[test]
fn marks_overrides_and_stale_annotations() {
    let html = render(&sample_report());
    let row = |n: usize| {
        let start = html.find(&format!("<tr id=\"row-{n}\"")).expect("row");
        let end = html[start..].find("</tr>").expect("row end") + start;
        html[start..end].to_string()
    };
    assert!(row(3).contains("set by hand"));
    assert!(
        !row(4).contains("set by hand"),
        "a stale override is not applied"
    );
    assert!(row(4).contains("stale annotation"));
    assert!(row(1).contains(&format!("href=\"https://git.kernel.org/linus/{COMMIT}\"")));
    assert!(row(1).contains("<span class=\"release\">v6.1</span>"));
    assert!(html.contains("not applied: the annotation is stale"));
    assert!(html.contains("<td>owner set to Alice</td>"));
}

#[test]
fn hostile_text_stays_text() {
    let html = render(&hostile_report());
    assert_eq!(html.matches("<script").count(), 1, "only our own script");
    assert!(!html.contains("<img"));
    assert!(!html.contains("href=\"javascript:"));
    assert!(!html.to_lowercase().contains("href=\"javascript"));
    for tag in tags(&html) {
        let lower = names_of(&tag).to_lowercase();
        assert!(!lower.contains("onerror"), "a handler in a tag: <{tag}>");
        assert!(
            !lower.contains("javascript"),
            "a script URL in a tag: <{tag}>"
        );
        assert!(!lower.starts_with("script"), "a script tag: <{tag}>");
    }
    // The text is still there, escaped.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;&quot;&#39;"));
    // Only the plain http(s) links became links; the others are text.
    assert!(html.contains("javascript:alert(4)"));
    assert!(!html.contains("href=\"https://x/\""));
}

#[test]
fn the_script_holds_no_model_text() {
    let html = render(&hostile_report());
    let start = html.find("<script>").expect("script") + "<script>".len();
    let end = html[start..].find("</script>").expect("end") + start;
    assert_eq!(&html[start..end], SCRIPT);
    assert!(!SCRIPT.contains("</"), "the script could close its element");
}

#[test]
fn the_policy_allows_exactly_the_inline_script() {
    let html = render(&sample_report());
    let start = html.find("<script>").expect("script") + "<script>".len();
    let end = html[start..].find("</script>").expect("end") + start;
    let digest = Sha256::digest(&html.as_bytes()[start..end]);
    let hash = base64::engine::general_purpose::STANDARD.encode(digest);
    let policy = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{hash}';"
    );
    assert!(
        html.contains(&policy),
        "no policy with the script's hash {hash}"
    );
    assert_eq!(hash.len(), 44);
}

#[test]
fn loads_nothing_from_anywhere() {
    let html = render(&sample_report());
    for tag in tags(&html) {
        let lower = tag.to_lowercase();
        assert!(!lower.contains("src="), "<{tag}>");
        let name = lower.split_whitespace().next().unwrap_or("");
        if name == "link" {
            assert!(lower.contains("href=\"data:"), "<{tag}>");
        }
    }
    assert!(!html.contains("@import") && !html.contains("url("));
}

#[test]
fn the_same_model_gives_the_same_bytes() {
    assert_eq!(render(&sample_report()), render(&sample_report()));
    assert_eq!(render(&hostile_report()), render(&hostile_report()));
}

#[test]
fn an_empty_queue_still_renders() {
    let html = render(&assemble(Vec::new(), Vec::new()));
    assert!(html.contains("The queue has no patches."));
    assert!(html.contains("0 of 0 patches"));
    assert!(html.ends_with("</html>\n"));
}

#[test]
fn percentages_round_half_up() {
    assert_eq!(summary::percent(1, 3), 33);
    assert_eq!(summary::percent(1, 8), 13);
    assert_eq!(summary::percent(0, 0), 0);
}

/// `KDELTA_HTML_SAMPLE=/tmp/sample.html cargo test -p kdelta-report html_sample` writes the
/// sample page there, to look at in a browser.
#[test]
fn html_sample_written_on_request() {
    if let Some(path) = std::env::var_os("KDELTA_HTML_SAMPLE") {
        std::fs::write(&path, render(&sample_report())).expect("write the sample page");
    }
}
