//! Small hand-built reports for tests, snapshot tests and looking at the renderers: a queue of
//! eight ordinary patches ([`sample_report`]), the same with a patch, a feature and a stale
//! annotation whose every text tries to become markup, a link, a formula or a script
//! ([`hostile_report`]), and a report of an empty queue ([`empty_report`]). Sections, summary
//! and features are made by the same code as [`build_report`](crate::build_report)'s. Built for
//! the crate's own tests, and behind the `sample` feature for its integration tests: not part
//! of the library's API.

mod pages;

pub use pages::{sample_comparison, sample_history, sample_rebase};

use crate::build;
use crate::model::*;
use kdelta_analysis::{Candidate, Claim, ClaimCheck, Evidence, EvidenceKind, Status};
use kdelta_annotations::{Annotations, FeatureAnnotation, HistoryEntry, Verified};

/// The commit-URL template of the samples.
const COMMIT_URL: &str = "https://git.kernel.org/linus/{commit}";

/// The upstream commit of the first sample patch.
const BLK_MQ_COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

/// An image whose handler, if it ever ran, would mark the page's body `data-pwned="1"`.
pub const PWN_IMG: &str = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">";

/// A script that, if it ever ran, would mark the page's body `data-pwned="2"`.
pub const PWN_SCRIPT: &str = "<script>document.body.setAttribute('data-pwned','2')</script>";

/// A CSV cell a spreadsheet would run as a command.
pub const FORMULA: &str = "=cmd|' /C calc'!A0";

/// A Markdown link to a script.
pub const MD_LINK: &str = "[x](javascript:alert(1))";

/// Eight patches in queue order: two upstream (one with a header claim upstream contradicts),
/// one being upstreamed as part of the `xen-net` feature and one without a feature, one whose
/// upstream replacement is likely (feature `blkback-rings`), one that needs work, one set to
/// downstream-only by hand, and an obsolete one whose annotation is stale; besides those, an
/// annotation whose patch is gone.
pub fn sample_report() -> Report {
    let patches = vec![
        blk_mq_patch(),
        ext4_patch(),
        netfront_patch(),
        blkback_patch(),
        drm_patch(),
        balloon_patch(),
        nvme_patch(),
        ide_patch(),
    ];
    let stale = vec![
        StaleAnnotation {
            patch: "patches.kernel.org/old-ide-quirk.patch".into(),
            reason: StaleReason::Changed,
            detail: "written for patch-id:1a2b3c4d, the patch is now patch-id:5e6f7a8b".into(),
            status: Some(Status::NeedsWork),
            owner: None,
            feature: None,
            line: 31,
        },
        StaleAnnotation {
            patch: "patches.xen/xen-blktap.patch".into(),
            reason: StaleReason::Gone,
            detail: "the patch is no longer in the queue".into(),
            status: Some(Status::Obsolete),
            owner: Some("Bob".into()),
            feature: None,
            line: 38,
        },
    ];
    assemble(patches, sample_features(), stale)
}

/// [`sample_report`] with a ninth patch, a feature and a stale annotation whose every text is
/// hostile: a script, an image with a handler ([`PWN_IMG`], [`PWN_SCRIPT`]), quotes, line
/// breaks, `</nowiki>`, `|`, wiki and Markdown markup, `javascript:` links ([`MD_LINK`]) and a
/// spreadsheet formula ([`FORMULA`], or one starting with `+`, `-` or `@`) at the start. The
/// report's own names (distribution, queue, upstream…) are hostile too.
pub fn hostile_report() -> Report {
    let p = hostile_patch();
    let stale = StaleAnnotation {
        patch: p.name.clone(),
        reason: StaleReason::Changed,
        detail: hostile("stale detail"),
        status: Some(Status::Upstream),
        owner: Some(hostile("stale owner")),
        feature: Some(hostile("stale feature")),
        line: 50,
    };
    let sample = sample_report();
    let mut features = sample_features();
    features.features.insert(
        hostile("feature"),
        FeatureAnnotation {
            note: Some(hostile("feature note")),
            owner: Some(hostile_after(
                "@SUM(1+1)*cmd|' /C calc'!A0",
                "feature owner",
            )),
            links: vec!["javascript:alert(7)".into(), hostile("feature link")],
            line: 44,
        },
    );
    let mut patches = sample.patches;
    patches.push(p);
    let mut stale_annotations = sample.stale_annotations;
    stale_annotations.push(stale);
    let mut report = assemble(patches, features, stale_annotations);
    report.distribution = hostile("distribution");
    report.release = Some(hostile("release"));
    report.queue = hostile("queue");
    report.generator = hostile("generator");
    report.generated_at = Some(hostile("date"));
    report.upstream = Upstream {
        repository: Some(hostile("repository")),
        at: Some(hostile("at")),
        tree: Some(hostile("tree")),
    };
    report.commit_url = Some("javascript:alert({commit})".into());
    report
}

/// A report of a queue without patches.
pub fn empty_report() -> Report {
    assemble(Vec::new(), Annotations::default(), Vec::new())
}

/// Hostile text naming `what`, after a spreadsheet formula.
fn hostile(what: &str) -> String {
    hostile_after(FORMULA, what)
}

/// Hostile text naming `what`, after `lead` (a formula).
fn hostile_after(lead: &str, what: &str) -> String {
    format!(
        "{lead} {what} {PWN_IMG}{PWN_SCRIPT}\"' </nowiki>|| {MD_LINK} javascript:alert(3)\n\
         == Pwned ==\n* [[Category:Pwned]] {{{{Delete}}}} ~~~~ '''bold''' <!-- &lt; **x**"
    )
}

/// The features the sample's annotations define.
fn sample_features() -> Annotations {
    let mut annotations = Annotations::default();
    annotations.features.insert(
        "blkback-rings".into(),
        FeatureAnnotation {
            note: Some("Multi-page rings for blkback".into()),
            owner: Some("Jan <jan@example.org>".into()),
            links: vec!["https://lore.kernel.org/xen-devel/5678".into()],
            line: 3,
        },
    );
    annotations.features.insert(
        "xen-net".into(),
        FeatureAnnotation {
            note: Some("Multi-queue netfront, being upstreamed".into()),
            owner: Some("Alice".into()),
            links: vec!["https://lore.kernel.org/xen-devel/1234".into()],
            line: 8,
        },
    );
    annotations
}

/// The report of `patches`, whose annotations define `annotations.features`, with the stale
/// annotations `stale`: sections, summary and features as `build_report` makes them.
fn assemble(
    patches: Vec<PatchReport>,
    annotations: Annotations,
    stale: Vec<StaleAnnotation>,
) -> Report {
    let features = build::features(&annotations, &patches);
    let sections = build::sections(&patches, &annotations);
    let summary = build::summary(&patches, &features, stale.len());
    Report {
        schema_version: SCHEMA_VERSION,
        generator: "kdelta 0.1.0".into(),
        generated_at: Some("2025-03-03 10:00 UTC".into()),
        distribution: "openSUSE".into(),
        release: Some("13.1".into()),
        queue: "kernel-source@openSUSE-13.1".into(),
        upstream: Upstream {
            repository: Some("linux.git".into()),
            at: Some("v6.12".into()),
            tree: None,
        },
        commit_url: Some(COMMIT_URL.into()),
        summary,
        sections,
        patches,
        features,
        stale_annotations: stale,
    }
}

/// A patch with nothing but its place, name, subject, author, date and status.
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
        send_to: Vec::new(),
        active_upstream: Vec::new(),
        posted: None,
        posted_url: None,
    }
}

/// `p` found upstream as `commit`, first in `release`.
fn upstream(mut p: PatchReport, commit: &str, release: &str) -> PatchReport {
    p.commit = Some(commit.into());
    p.commit_url = Some(build::commit_url(COMMIT_URL, commit));
    p.release = Some(release.into());
    p
}

fn claim(header: &str, text: &str, check: ClaimCheck, detail: &str) -> Claim {
    Claim {
        header: header.into(),
        text: text.into(),
        line: 3,
        check,
        detail: detail.into(),
        issue: None,
    }
}

fn field(name: &str, value: &str) -> HeaderField {
    HeaderField {
        name: name.into(),
        value: value.into(),
    }
}

fn diffstat(path: &str, added: usize, removed: usize) -> DiffStat {
    DiffStat {
        path: path.into(),
        added,
        removed,
    }
}

/// Upstream by patch-id, with a candidate, a claim that holds and one upstream contradicts.
fn blk_mq_patch() -> PatchReport {
    let subject = "blk-mq: fix a hang on requeue";
    let p = patch(
        1,
        "patches.suse/blk-mq-fix-requeue-hang.patch",
        subject,
        Status::Upstream,
    );
    let mut p = upstream(p, BLK_MQ_COMMIT, "v6.1");
    p.confidence = 0.98;
    p.evidence = vec![
        Evidence::new(EvidenceKind::PatchId, "same patch-id as 0123456789ab"),
        Evidence::new(
            EvidenceKind::TreeApplied,
            "all 2 hunks are present in v6.12",
        ),
    ];
    p.candidates = vec![Candidate {
        commit: BLK_MQ_COMMIT.into(),
        subject: subject.into(),
        release: Some("v6.1".into()),
        score: 1.0,
        similarity: 0.97,
        reasons: vec!["patch-id".into(), "subject".into()],
        in_target: true,
        names: Vec::new(),
    }];
    p.claims = vec![
        claim(
            "Git-commit",
            BLK_MQ_COMMIT,
            ClaimCheck::Holds,
            "the index has it",
        ),
        claim(
            "Patch-mainline",
            "v6.0",
            ClaimCheck::Contradicted,
            "the commit is first in v6.1",
        ),
    ];
    p.headers = vec![
        field("From", "Jane Doe <jane@example.org>"),
        field("Git-commit", BLK_MQ_COMMIT),
        field("Patch-mainline", "v6.0"),
    ];
    p.diffstat = vec![
        diffstat("block/blk-mq.c", 12, 3),
        diffstat("include/linux/blk-mq.h", 1, 0),
    ];
    p
}

/// Upstream by the commit its header names.
fn ext4_patch() -> PatchReport {
    let commit = "89abcdef0123456789abcdef0123456789abcdef";
    let p = patch(
        2,
        "patches.suse/ext4-fix-journal-replay.patch",
        "ext4: fix journal replay",
        Status::Upstream,
    );
    let mut p = upstream(p, commit, "v6.2");
    p.confidence = 0.95;
    p.evidence = vec![Evidence::new(
        EvidenceKind::HeaderReference,
        "Git-commit 89abcdef0123 is in the index",
    )];
    p.claims = vec![claim(
        "Git-commit",
        commit,
        ClaimCheck::Holds,
        "the index has it",
    )];
    p.headers = vec![
        field("From", "Jane Doe <jane@example.org>"),
        field("Git-commit", commit),
        field("Patch-mainline", "v6.2"),
        field("References", "bsc#1200001"),
    ];
    p.diffstat = vec![diffstat("fs/ext4/super.c", 4, 1)];
    p
}

/// Being upstreamed, in feature `xen-net`: annotated and verified, with a history.
fn netfront_patch() -> PatchReport {
    let mut p = patch(
        3,
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
        names: Vec::new(),
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
        diffstat("drivers/net/xen-netfront.c", 210, 64),
        diffstat("include/xen/interface/io/netif.h", 18, 2),
    ];
    p.posted = Some(kdelta_analysis::Posted {
        message_id: "20250301.netfront-v3-1@example.org".into(),
        list: Some("xen-devel.lists.xenproject.org".into()),
        subject: "[PATCH v3 1/2] xen-netfront: support multiple queues <script>".into(),
        author: "Alice <alice@example.org>".into(),
        date: Some(1_740_822_400),
        found_by: "patch-id".into(),
        score: 1.0,
        versions: 3,
        latest_version: 3,
        latest_message_id: "20250301.netfront-v3-0@example.org".into(),
        latest_date: Some(1_740_822_400),
        replies: 4,
        reviews: vec!["Reviewed-by: Bob <bob@example.org>".into()],
        applied_to: None,
        applied_by: None,
        applied_date: None,
        last_activity: Some(1_741_000_000),
    });
    p.posted_url = Some(crate::build::archive_url(
        "https://lore.kernel.org/r/%s",
        "20250301.netfront-v3-1@example.org",
    ));
    p
}

/// Upstream solves it differently, in feature `blkback-rings`, whose owner it takes.
fn blkback_patch() -> PatchReport {
    let mut p = patch(
        4,
        "patches.xen/xen-blkback-multi-page-ring.patch",
        "xen-blkback: multi-page ring support",
        Status::ReplacementLikely,
    );
    p.confidence = 0.72;
    p.feature = Some("blkback-rings".into());
    p.owner = Some("Jan <jan@example.org>".into());
    p.annotation = AnnotationState::Current;
    p.notes = vec!["upstream has max_ring_page_order".into()];
    p.links = vec!["https://lore.kernel.org/xen-devel/5678".into()];
    p.evidence = vec![Evidence::new(
        EvidenceKind::SimilarCommits,
        "86839c56dee2 (v4.2) adds multi-page rings to xen-blkback",
    )];
    p.candidates = vec![Candidate {
        commit: "86839c56dee28c315a4c19b7bfee450ccd84cd25".into(),
        subject: "xen/block: add multi-page ring support".into(),
        release: Some("v4.2".into()),
        score: 0.72,
        similarity: 0.44,
        reasons: vec!["same-files".into(), "subject-words".into()],
        in_target: true,
        names: Vec::new(),
    }];
    p.diffstat = vec![diffstat("drivers/block/xen-blkback/xenbus.c", 96, 41)];
    p
}

/// Being upstreamed, without a feature or an annotation.
fn drm_patch() -> PatchReport {
    let mut p = patch(
        5,
        "patches.suse/drm-panel-orientation-quirk.patch",
        "drm: add a panel orientation quirk for the Tablet 11",
        Status::InProgress,
    );
    p.confidence = 0.6;
    p.evidence = vec![Evidence::new(
        EvidenceKind::InProgressClaim,
        "Patch-mainline: Queued in subsystem maintainer repository (drm-misc-next)",
    )];
    p.claims = vec![claim(
        "Patch-mainline",
        "Queued in subsystem maintainer repository",
        ClaimCheck::Unverified,
        "the maintainer repository is not indexed",
    )];
    p.diffstat = vec![diffstat(
        "drivers/gpu/drm/drm_panel_orientation_quirks.c",
        6,
        0,
    )];
    p
}

/// Needs upstream effort: nothing like it upstream, nobody on it.
fn balloon_patch() -> PatchReport {
    let mut p = patch(
        6,
        "patches.xen/xen-balloon-sysfs-target.patch",
        "xen-balloon: show the target in sysfs",
        Status::NeedsWork,
    );
    p.confidence = 0.8;
    p.evidence = vec![
        Evidence::new(EvidenceKind::NothingUpstream, "nothing similar upstream"),
        Evidence::new(
            EvidenceKind::TreeApplies,
            "all 3 hunks still apply to v6.12",
        ),
    ];
    p.diffstat = vec![diffstat("drivers/xen/xen-balloon.c", 25, 0)];
    p
}

/// Downstream only, set by hand (annotation without a fingerprint); the analysis said it
/// needs work.
fn nvme_patch() -> PatchReport {
    let mut p = patch(
        7,
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
    p.diffstat = vec![diffstat("drivers/nvme/host/pci.c", 1, 1)];
    p
}

/// Obsolete, with a stale annotation: its override is shown, not applied.
fn ide_patch() -> PatchReport {
    let mut p = patch(
        8,
        "patches.kernel.org/old-ide-quirk.patch",
        "ide: quirk for an old controller",
        Status::Obsolete,
    );
    p.annotation = AnnotationState::Stale;
    p.stale = Some(
        "the patch changed since the annotation was written \
         (patch-id:1a2b3c4d → patch-id:5e6f7a8b)"
            .into(),
    );
    p.status_override = Some(Override {
        status: Status::NeedsWork,
        reason: "still needed".into(),
        applied: false,
    });
    p.evidence = vec![Evidence::new(
        EvidenceKind::FilesGone,
        "drivers/ide/ is gone upstream",
    )];
    p.diffstat = vec![diffstat("drivers/ide/ide-pci-generic.c", 8, 2)];
    p
}

/// Needs work, in a hostile feature, with a stale annotation: every text of it is hostile.
fn hostile_patch() -> PatchReport {
    let mut p = patch(9, &hostile("evil"), &hostile("subject"), Status::NeedsWork);
    p.author = Some(hostile("author"));
    p.date = Some(hostile("date"));
    p.owner = Some(hostile_after("@SUM(1+1)*cmd|' /C calc'!A0", "owner"));
    p.feature = Some(hostile("feature"));
    p.annotation = AnnotationState::Stale;
    p.stale = Some(hostile("stale"));
    p.notes = vec![
        hostile_after("+cmd|' /C calc'!A0", "note"),
        hostile("second note"),
    ];
    p.links = vec![
        "javascript:alert(4)".into(),
        "https://x/\"><script>alert(5)</script>".into(),
        MD_LINK.into(),
        hostile("link"),
    ];
    // Twelve characters that end inside a multi-byte one: a short commit id must not split it.
    p.commit = Some(hostile_after("=cmd|' /C cé", "commit"));
    p.commit_url = Some("javascript:alert(6)".into());
    p.release = Some(hostile("release"));
    p.evidence = vec![Evidence::new(
        EvidenceKind::Subject,
        hostile_after("-2+3+cmd|' /C calc'!A0", "evidence"),
    )];
    p.candidates = vec![Candidate {
        commit: hostile("candidate"),
        subject: hostile("candidate subject"),
        release: Some(hostile("candidate release")),
        score: 0.5,
        similarity: 0.5,
        reasons: vec![hostile("reason")],
        in_target: false,
        names: Vec::new(),
    }];
    p.claims = vec![claim(
        &hostile("header"),
        &hostile("claim"),
        ClaimCheck::Contradicted,
        &hostile("claim detail"),
    )];
    p.headers = vec![field(&hostile("header name"), &hostile("header value"))];
    p.diffstat = vec![diffstat(&hostile("path"), 1, 1)];
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
    p
}
