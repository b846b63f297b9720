//! The HTML report in a real browser: headless Chromium loads the page with a filter in the
//! URL (`#q=…&status=…`) and dumps the DOM after the script ran; the rows the filter does not
//! match carry `hidden`, and nothing a patch says ran as script.
//!
//! Without a `chromium` (or `chromium-browser`) binary the tests say "skipped" and pass, unless
//! `CI` is set: CI installs Chromium, so there a missing browser is a failure. The page is kept
//! at `target/tmp/kdelta-report-browser/report.html` for a look.

use kdelta_analysis::{Candidate, Claim, ClaimCheck, Evidence, EvidenceKind, Status};
use kdelta_annotations::{HistoryEntry, Verified};
use kdelta_report::model::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// An image whose handler, if it ever ran, marks the body.
const PWN_IMG: &str = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">";
/// A script that, if it ever ran, marks the body.
const PWN_SCRIPT: &str = "<script>document.body.setAttribute('data-pwned','2')</script>";

/// How long one browser run may take.
const TIMEOUT: Duration = Duration::from_secs(90);

fn hostile(what: &str) -> String {
    format!(
        "{what} {PWN_IMG}{PWN_SCRIPT}\" javascript:document.body.setAttribute('data-pwned','3')"
    )
}

fn patch(position: usize, name: &str, subject: &str, status: Status) -> PatchReport {
    PatchReport {
        position,
        name: name.into(),
        subject: Some(subject.into()),
        author: None,
        date: None,
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

fn upstream(position: usize, name: &str, subject: &str, commit: &str) -> PatchReport {
    let mut p = patch(position, name, subject, Status::Upstream);
    p.confidence = 0.98;
    p.commit = Some(commit.into());
    p.commit_url = Some(format!("https://git.kernel.org/linus/{commit}"));
    p.release = Some("v6.1".into());
    p.evidence = vec![Evidence::new(EvidenceKind::PatchId, "same patch-id")];
    p.candidates = vec![Candidate {
        commit: commit.into(),
        subject: subject.into(),
        release: Some("v6.1".into()),
        score: 1.0,
        similarity: 0.97,
        reasons: vec!["patch-id".into()],
        in_target: true,
    }];
    p.headers = vec![HeaderField {
        name: "Git-commit".into(),
        value: commit.into(),
    }];
    p.diffstat = vec![DiffStat {
        path: "block/blk-mq.c".into(),
        added: 12,
        removed: 3,
    }];
    p
}

/// Six patches: two upstream, one in progress with a feature, one set by hand, one with a
/// stale annotation, and one whose every text is hostile.
fn patches() -> Vec<PatchReport> {
    let mut feature = patch(
        3,
        "patches.xen/xen-netfront-multiqueue.patch",
        "xen-netfront: support multiple queues",
        Status::InProgress,
    );
    feature.feature = Some("xen-net".into());
    feature.owner = Some("Alice".into());
    feature.annotation = AnnotationState::Current;
    feature.verified = Some(Verified {
        by: "Alice".into(),
        on: "2025-03-01".into(),
    });
    feature.history = vec![HistoryEntry {
        on: "2025-02-01".into(),
        by: "Bob".into(),
        change: "owner set to Alice".into(),
    }];
    let mut by_hand = patch(
        4,
        "patches.suse/nvme-default-queue-depth.patch",
        "nvme: raise the default queue depth",
        Status::DownstreamOnly,
    );
    by_hand.machine_status = Status::NeedsWork;
    by_hand.status_override = Some(Override {
        status: Status::DownstreamOnly,
        reason: "distribution policy".into(),
        applied: true,
    });
    let mut stale = patch(
        5,
        "patches.kernel.org/old-ide-quirk.patch",
        "ide: quirk for an old controller",
        Status::Obsolete,
    );
    stale.annotation = AnnotationState::Stale;
    stale.stale = Some("the patch changed since the annotation was written".into());
    vec![
        upstream(
            1,
            "patches.suse/blk-mq-fix-requeue-hang.patch",
            "blk-mq: fix a hang on requeue",
            "0123456789abcdef0123456789abcdef01234567",
        ),
        upstream(
            2,
            "patches.suse/ext4-fix-journal-replay.patch",
            "ext4: fix journal replay",
            "89abcdef0123456789abcdef0123456789abcdef",
        ),
        feature,
        by_hand,
        stale,
        hostile_patch(),
    ]
}

fn hostile_patch() -> PatchReport {
    let mut p = patch(
        6,
        &format!("patches.suse/evil-{}.patch", hostile("name")),
        &hostile("subject"),
        Status::NeedsWork,
    );
    p.owner = Some(hostile("owner"));
    p.annotation = AnnotationState::Unrecorded;
    p.notes = vec![hostile("note")];
    p.links = vec![
        "javascript:document.body.setAttribute('data-pwned','4')".into(),
        hostile("link"),
    ];
    p.evidence = vec![Evidence::new(
        EvidenceKind::NothingUpstream,
        hostile("evidence"),
    )];
    p.claims = vec![Claim {
        header: hostile("header"),
        text: hostile("claim"),
        line: 1,
        check: ClaimCheck::Unverified,
        detail: hostile("detail"),
    }];
    p.headers = vec![HeaderField {
        name: hostile("field"),
        value: hostile("value"),
    }];
    p
}

/// The sample report, its sections and summary as `build_report` would make them.
fn sample_report() -> Report {
    let patches = patches();
    let of = |s: Status| -> Vec<String> {
        patches
            .iter()
            .filter(|p| p.status == s)
            .map(|p| p.name.clone())
            .collect()
    };
    let by_status = Status::ALL
        .iter()
        .map(|&status| StatusCount {
            status,
            count: of(status).len(),
        })
        .collect();
    let sections = Status::ALL
        .iter()
        .filter(|&&s| !of(s).is_empty())
        .map(|&status| Section {
            status,
            title: section_title(status).into(),
            advice: section_advice(status).into(),
            groups: vec![Group {
                feature: None,
                note: None,
                owner: None,
                patches: of(status),
            }],
        })
        .collect();
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
            total: patches.len(),
            by_status,
            by_feature: Vec::new(),
            to_drop: of(Status::Upstream),
            to_verify: Vec::new(),
            failed_claims: Vec::new(),
            overridden: 1,
            stale: 1,
        },
        sections,
        features: vec![Feature {
            name: "xen-net".into(),
            note: Some("Multi-queue netfront".into()),
            owner: Some("Alice".into()),
            links: Vec::new(),
            patches: vec!["patches.xen/xen-netfront-multiqueue.patch".into()],
        }],
        stale_annotations: Vec::new(),
        patches,
    }
}

/// The Chromium binary, if one is installed.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"].iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium, or `None` after saying the test is skipped; with `CI` set, a missing Chromium
/// fails the test.
fn browser_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium not installed, and CI is set: CI must install it (.ci/run does)"
        );
        eprintln!(
            "skipped: chromium not installed (neither chromium nor chromium-browser on PATH)"
        );
    }
    found
}

/// The sample written once for all tests: `target/tmp/kdelta-report-browser/report.html`.
fn page() -> &'static Path {
    static PAGE: OnceLock<PathBuf> = OnceLock::new();
    PAGE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kdelta-report-browser");
        std::fs::create_dir_all(&dir).expect("create the page's directory");
        let path = dir.join("report.html");
        let html = kdelta_report::render::html::render(&sample_report());
        std::fs::write(&path, html).expect("write the page");
        path
    })
}

/// The DOM of `page` with `fragment` after its script ran, as headless Chromium dumps it.
fn dump_dom(chromium: &Path, fragment: &str) -> String {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let page = page();
    let dir = page.parent().expect("the page's directory");
    let run = RUN.fetch_add(1, Ordering::SeqCst);
    let id = format!("{}-{run}", std::process::id());
    let profile = dir.join(format!("profile-{id}"));
    let out_path = dir.join(format!("dom-{id}.html"));
    let err_path = dir.join(format!("dom-{id}.err"));
    let url = format!("file://{}#{fragment}", page.display());
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("create the dump"))
        .stderr(std::fs::File::create(&err_path).expect("create the log"))
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium took over {TIMEOUT:?} on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let dom = std::fs::read_to_string(&out_path).expect("read the dump");
    let log = std::fs::read_to_string(&err_path).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&profile);
    let _ = std::fs::remove_file(&out_path);
    let _ = std::fs::remove_file(&err_path);
    assert!(
        status.success(),
        "chromium failed on {url}: {status}\n{log}"
    );
    assert!(
        dom.contains("id=\"patch-table\""),
        "no table in the dump of {url}:\n{log}"
    );
    dom
}

/// The start tag beginning at `from`, up to its `>` outside quoted values.
fn start_tag(html: &str, from: usize) -> &str {
    let mut quoted = false;
    for (i, c) in html[from..].char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return &html[from..=from + i],
            _ => {}
        }
    }
    &html[from..]
}

/// The attribute names of a start tag (its quoted values left out).
fn attribute_names(tag: &str) -> Vec<String> {
    let names: String = tag.split('"').step_by(2).collect::<Vec<_>>().join(" ");
    names
        .trim_start_matches('<')
        .trim_end_matches('>')
        .split(|c: char| c.is_whitespace() || c == '=')
        .filter(|w| !w.is_empty())
        .skip(1)
        .map(str::to_string)
        .collect()
}

/// The positions of the table's rows the DOM shows (no `hidden` attribute), in DOM order.
fn visible_rows(dom: &str) -> Vec<usize> {
    let mut shown = Vec::new();
    for (at, _) in dom.match_indices("<tr id=\"row-") {
        let tag = start_tag(dom, at);
        let n: String = tag["<tr id=\"row-".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !attribute_names(tag).iter().any(|a| a == "hidden") {
            shown.push(n.parse().expect("a row number"));
        }
    }
    shown
}

/// The positions of the sample's patches whose status is `status`.
fn positions(status: Status) -> Vec<usize> {
    patches()
        .iter()
        .filter(|p| p.status == status)
        .map(|p| p.position)
        .collect()
}

#[test]
fn the_status_in_the_url_filters_the_rows() {
    let Some(chromium) = browser_or_skip() else {
        return;
    };
    let dom = dump_dom(&chromium, "status=upstream");
    assert_eq!(dom.matches("<tr id=\"row-").count(), patches().len());
    assert_eq!(visible_rows(&dom), positions(Status::Upstream));
    assert!(dom.contains("2 of 6 patches"), "the count shown");

    let dom = dump_dom(&chromium, "status=upstream,obsolete");
    let mut both = positions(Status::Upstream);
    both.extend(positions(Status::Obsolete));
    assert_eq!(visible_rows(&dom), both);
}

#[test]
fn the_text_in_the_url_filters_the_rows() {
    let Some(chromium) = browser_or_skip() else {
        return;
    };
    let dom = dump_dom(&chromium, "q=netfront");
    assert_eq!(visible_rows(&dom), [3]);

    // Words are all required, case does not matter, and both filters combine.
    let dom = dump_dom(&chromium, "q=FIX%20journal");
    assert_eq!(visible_rows(&dom), [2]);
    let dom = dump_dom(&chromium, "q=fix&status=upstream");
    assert_eq!(visible_rows(&dom), [1, 2]);
    let dom = dump_dom(&chromium, "q=alice&status=upstream");
    assert_eq!(visible_rows(&dom), Vec::<usize>::new());
}

#[test]
fn without_a_filter_every_row_shows() {
    let Some(chromium) = browser_or_skip() else {
        return;
    };
    let dom = dump_dom(&chromium, "patch-3");
    assert_eq!(visible_rows(&dom), [1, 2, 3, 4, 5, 6]);
    assert!(dom.contains("6 of 6 patches"));
}

#[test]
fn nothing_a_patch_says_runs() {
    let Some(chromium) = browser_or_skip() else {
        return;
    };
    // The hostile patch is shown (its row and its detail view), and nothing of it ran.
    for fragment in ["q=evil", "patch-6"] {
        let dom = dump_dom(&chromium, fragment);
        assert!(visible_rows(&dom).contains(&6), "{fragment}");
        assert!(
            !dom.contains("data-pwned=\""),
            "injected code ran on #{fragment}"
        );
        let body = dom.find("<body").expect("a body");
        let body_tag = start_tag(&dom, body);
        assert!(
            !body_tag.contains("data-pwned"),
            "injected code ran: {body_tag}"
        );
        assert!(
            !dom.contains("<img"),
            "an injected image element on #{fragment}"
        );
        assert_eq!(
            dom.matches("<script").count(),
            1,
            "an injected script element"
        );
        assert!(!dom.contains("href=\"javascript:"));
        assert!(
            dom.contains("setAttribute('data-pwned','1')"),
            "the text is still shown"
        );
    }
}
