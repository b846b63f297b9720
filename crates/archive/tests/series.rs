//! A v2 epoch with a two-version series, a review, an "applied" reply and a lone patch:
//! the index groups the series, links its versions, and a queue patch finds its postings.

mod support;

use kdelta_archive::{
    status_of, update, ArchiveStore, IndexOptions, MatchKind, MatchOptions, Matcher,
};
use kdelta_patch::{ParseOptions, Patch};
use kdelta_upstream::Silent;
use support::{diff, mail, Epoch};

const A: [&str; 8] = [
    "quiet_cmd_cc_o_c = CC $@",
    "cmd_cc_o_c = $(CC) $(c_flags) -c -o $@ $<",
    "targets += $(real-obj-y)",
    "always-y += modules.order",
    "KBUILD_CFLAGS += -fno-strict-aliasing",
    "export KBUILD_VERBOSE quiet Q",
    "include scripts/Kbuild.include",
    "PHONY += __build",
];
const B: [&str; 6] = [
    "old_rule_one = $(obj)/old.o",
    "old_rule_two = $(obj)/older.o",
    "clean-files += old.o older.o",
    "extra-y += legacy.lds",
    "subdir-ccflags-y += -DLEGACY",
    "obj-$(CONFIG_LEGACY) += legacy.o",
];

fn a_v2() -> Vec<&'static str> {
    let mut lines = A.to_vec();
    lines[7] = "PHONY += __build __modpost";
    lines
}

/// The fixture epoch.
fn epoch(dir: &std::path::Path) -> Epoch {
    let e = Epoch::new(&dir.join("git/0.git"));
    let dev = "Dev One <dev@example.org>";
    let rev = "Rev Iewer <rev@example.org>";
    e.add(&mail(
        "s1@x",
        "Other <o@example.org>",
        "[PATCH] xen: fix it",
        "Sun, 1 Jan 2023 10:00:00 +0000",
        "",
        &diff("drivers/xen/a.c", &["int a = 1;"], &["int a = 2;"]),
    ));
    e.add(&mail(
        "c1@x",
        dev,
        "[PATCH 0/2] kbuild: speed",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "",
        "Intro\n\nchange-id: 20240101-speed-1\n",
    ));
    let refs1 = "In-Reply-To: <c1@x>\nReferences: <c1@x>\n";
    e.add(&mail(
        "p1a@x",
        dev,
        "[PATCH 1/2] kbuild: faster rule",
        "Mon, 1 Jan 2024 10:00:01 +0000",
        refs1,
        &format!(
            "Why.\n\nSigned-off-by: {dev}\n{}",
            diff("Makefile", &[], &A)
        ),
    ));
    e.add(&mail(
        "p1b@x",
        dev,
        "[PATCH 2/2] kbuild: drop old rule",
        "Mon, 1 Jan 2024 10:00:02 +0000",
        refs1,
        &diff("scripts/Makefile.build", &B, &[]),
    ));
    e.add(&mail(
        "r1@x",
        rev,
        "Re: [PATCH 1/2] kbuild: faster rule",
        "Tue, 2 Jan 2024 10:00:00 +0000",
        "In-Reply-To: <p1a@x>\nReferences: <c1@x> <p1a@x>\n",
        "> +PHONY\nPlease rename it.\n",
    ));
    e.add(&mail(
        "c2@x",
        dev,
        "[PATCH v2 0/2] kbuild: speed",
        "Thu, 1 Feb 2024 10:00:00 +0000",
        "",
        "v1: https://lore.kernel.org/r/c1@x\n\nchange-id: 20240101-speed-1\n",
    ));
    let refs2 = "In-Reply-To: <c2@x>\nReferences: <c2@x>\n";
    e.add(&mail(
        "p2a@x",
        dev,
        "[PATCH v2 1/2] kbuild: faster rule",
        "Thu, 1 Feb 2024 10:00:01 +0000",
        refs2,
        &diff("Makefile", &[], &a_v2()),
    ));
    e.add(&mail(
        "p2b@x",
        dev,
        "[PATCH v2 2/2] kbuild: drop old rule",
        "Thu, 1 Feb 2024 10:00:02 +0000",
        refs2,
        &diff("scripts/Makefile.build", &B, &[]),
    ));
    e.add(&mail(
        "r2@x",
        rev,
        "Re: [PATCH v2 0/2] kbuild: speed",
        "Fri, 2 Feb 2024 10:00:00 +0000",
        refs2,
        "> Intro\n\nReviewed-by: Rev Iewer <rev@example.org>\n",
    ));
    e.add(&mail("r3@x", "Maint <m@example.org>", "Re: [PATCH v2 0/2] kbuild: speed", "Sat, 3 Feb 2024 10:00:00 +0000", refs2, "Applied to kbuild-next, thanks!\n\n[1/2] kbuild: faster rule\n      commit: 0123456789abcdef\n"));
    e
}

fn index(dir: &std::path::Path) -> ArchiveStore {
    let mut store =
        ArchiveStore::open_for_writing(&dir.join("archive.sqlite")).expect("test fixture");
    let outcome =
        update(&mut store, &[dir], &IndexOptions::default(), &mut Silent).expect("test fixture");
    assert_eq!(
        (outcome.messages, outcome.patches, outcome.series),
        (10, 5, 3)
    );
    store
}

#[test]
fn series_are_grouped_and_their_versions_linked() {
    let dir = tempfile::tempdir().expect("test fixture");
    epoch(dir.path());
    let store = index(dir.path());
    let p1a = store
        .by_message_id("p1a@x")
        .expect("test fixture")
        .remove(0);
    let mails: Vec<String> = store
        .series_mails(p1a.series.expect("test fixture"))
        .expect("test fixture")
        .into_iter()
        .map(|p| p.message_id)
        .collect();
    assert_eq!(mails, ["c1@x", "p1a@x", "p1b@x"]);
    let status = status_of(&store, p1a).expect("test fixture");
    let versions: Vec<(u32, &str)> = status
        .versions
        .iter()
        .map(|v| (v.version, v.root.as_str()))
        .collect();
    assert_eq!(versions, [(1, "c1@x"), (2, "c2@x")]);
    assert_eq!(status.latest().expect("test fixture").total, 2);
    assert_eq!(status.replies, 2, "the review and the applied reply to v2");
    assert_eq!(status.reviews.len(), 1);
    assert_eq!(
        status.reviews[0].reviews[0].value,
        "Rev Iewer <rev@example.org>"
    );
    let applied = status
        .applied
        .expect("test fixture")
        .applied
        .expect("test fixture");
    assert_eq!(applied.tree.as_deref(), Some("kbuild-next"));
    assert_eq!(applied.commits, ["0123456789abcdef"]);
    let lone = status_of(
        &store,
        store.by_message_id("s1@x").expect("test fixture").remove(0),
    )
    .expect("test fixture");
    assert_eq!(
        (lone.versions.len(), lone.replies, lone.applied.is_none()),
        (1, 0, true)
    );
}

/// A queue patch: DEP-3 header, with `extra` header lines, changing `lines` of the Makefile.
fn queue_patch(subject: &str, author: &str, extra: &str, lines: &[&str]) -> Patch {
    let text = format!(
        "From: {author}\nSubject: {subject}\n{extra}\n{}",
        diff("Makefile", &[], lines)
    );
    Patch::parse(text.as_bytes(), &ParseOptions::default())
}

#[test]
fn a_queue_patch_finds_its_postings_by_each_kind_of_evidence() {
    let dir = tempfile::tempdir().expect("test fixture");
    epoch(dir.path());
    let dev = "Dev One <dev@example.org>";
    let with_headers = Matcher::new(index(dir.path()), MatchOptions::default());
    let without = Matcher::new(
        ArchiveStore::open_for_reading(&dir.path().join("archive.sqlite")).expect("test fixture"),
        MatchOptions {
            headers: false,
            ..MatchOptions::default()
        },
    );
    let forwarded = queue_patch(
        "kbuild: faster rule",
        dev,
        "Forwarded: https://lore.kernel.org/linux-kbuild/p1a@x/T/#u",
        &a_v2(),
    );
    let found = with_headers.find(&forwarded).expect("test fixture");
    assert_eq!(
        (found[0].posting.message_id.as_str(), found[0].kind),
        ("p1a@x", MatchKind::Header)
    );
    let found = without.find(&forwarded).expect("test fixture");
    assert_eq!(
        (found[0].posting.message_id.as_str(), found[0].kind),
        ("p2a@x", MatchKind::PatchId)
    );
    assert!(found.iter().all(|m| m.posting.message_id != "s1@x"));

    let mut reworked = A.to_vec();
    reworked[0] = "quiet_cmd_cc_o_c = CC [M] $@";
    let by_subject = without
        .find(&queue_patch("kbuild: faster rule", dev, "", &reworked))
        .expect("test fixture");
    assert_eq!(by_subject[0].kind, MatchKind::Subject);
    assert!(by_subject.iter().any(|m| m.posting.message_id == "p1a@x"));

    let mut edited = A.to_vec();
    edited[6] = "include scripts/Kbuild.include scripts/Makefile.lib";
    let by_lines = without
        .find(&queue_patch(
            "Speed up the build",
            "Someone Else <se@example.org>",
            "",
            &edited,
        ))
        .expect("test fixture");
    assert_eq!(
        (by_lines[0].posting.message_id.as_str(), by_lines[0].kind),
        ("p1a@x", MatchKind::SimilarLines)
    );

    let unrelated = without
        .find(&queue_patch(
            "Something else",
            dev,
            "",
            &["int x = 3;", "return x;"],
        ))
        .expect("test fixture");
    assert!(unrelated.is_empty(), "{unrelated:?}");
}

#[test]
fn indexing_is_incremental_and_notices_rewritten_and_deleted_mails() {
    let dir = tempfile::tempdir().expect("test fixture");
    let e = epoch(dir.path());
    let mut store = index(dir.path());
    let again = update(
        &mut store,
        &[dir.path()],
        &IndexOptions::default(),
        &mut Silent,
    )
    .expect("test fixture");
    assert!(again.up_to_date);
    assert_eq!(again.sources[0].added, 0);

    e.commit_blob(
        "d",
        &mail(
            "s1@x",
            "Other <o@example.org>",
            "[PATCH] xen: fix it",
            "Sun, 1 Jan 2023 10:00:00 +0000",
            "",
            "",
        ),
    );
    let deleted = update(
        &mut store,
        &[dir.path()],
        &IndexOptions::default(),
        &mut Silent,
    )
    .expect("test fixture");
    assert_eq!(
        (
            deleted.sources[0].added,
            deleted.sources[0].removed,
            deleted.messages
        ),
        (0, 1, 9)
    );
    assert!(store
        .by_message_id("s1@x")
        .expect("test fixture")
        .is_empty());

    // The epoch is rewritten: its history now holds its first two mails and a new one.
    let second = support::git(
        &e.path,
        &["rev-list", "--reverse", "refs/heads/master"],
        None,
    )
    .lines()
    .nth(1)
    .expect("test fixture")
    .to_string();
    support::git(&e.path, &["update-ref", "refs/heads/master", &second], None);
    e.add(&mail(
        "n@x",
        "New <n@example.org>",
        "[PATCH] new",
        "Mon, 1 Apr 2024 10:00:00 +0000",
        "",
        &diff("f.c", &["a();"], &["b();"]),
    ));
    let rewritten = update(
        &mut store,
        &[dir.path()],
        &IndexOptions::default(),
        &mut Silent,
    )
    .expect("test fixture");
    assert!(rewritten.sources[0].reread);
    assert_eq!((rewritten.sources[0].added, rewritten.messages), (3, 3));
    assert_eq!(store.by_message_id("n@x").expect("test fixture").len(), 1);
}

/// A series whose cover letter's Message-ID was rewritten by the sender's mail server (its
/// patches reply to an id no mail has), applied by a patchwork bot in the cover's thread.
#[test]
fn patches_replying_to_a_rewritten_cover_id_join_it_and_see_the_bot_apply_them() {
    let dir = tempfile::tempdir().expect("test fixture");
    let e = Epoch::new(&dir.path().join("git/0.git"));
    let dev = "Dev Two <two@example.org>";
    e.add(&mail(
        "AS8PR-cover@outlook.example",
        dev,
        "[PATCH v3 0/2] kbuild: tidy",
        "Sat, 6 Apr 2024 14:23:37 +0000",
        "",
        "Intro\n",
    ));
    let refs = "In-Reply-To: <20240406142337-1-two@example.org>\nReferences: <20240406142337-1-two@example.org>\n";
    for (n, id, lines) in [
        (1, "AS8PR-p1@outlook.example", &A[..]),
        (2, "AS8PR-p2@outlook.example", &B[..]),
    ] {
        e.add(&mail(
            id,
            dev,
            &format!("[PATCH v3 {n}/2] kbuild: tidy part {n}"),
            &format!("Sat, 6 Apr 2024 14:23:3{} +0000", 7 + n),
            refs,
            &diff("Makefile", &[], lines),
        ));
    }
    e.add(&mail(
        "bot@x",
        "patchwork-bot+netdevbpf@kernel.org",
        "Re: [PATCH v3 0/2] kbuild: tidy",
        "Thu, 11 Apr 2024 14:40:27 +0000",
        "In-Reply-To: <AS8PR-cover@outlook.example>\nReferences: <AS8PR-cover@outlook.example>\n",
        "Hello:\n\nThis series was applied to netdev/net-next.git (main)\nby Jakub Kicinski <kuba@kernel.org>:\n\nHere is the summary with links:\n  - [v3,1/2] kbuild: tidy part 1\n    https://git.kernel.org/netdev/net-next/c/bfec4e18f943\n",
    ));
    let mut store =
        ArchiveStore::open_for_writing(&dir.path().join("a.sqlite")).expect("test fixture");
    update(
        &mut store,
        &[dir.path()],
        &IndexOptions { threads: 2 },
        &mut Silent,
    )
    .expect("test fixture");
    let posting = store
        .by_message_id("AS8PR-p2@outlook.example")
        .expect("test fixture")
        .remove(0);
    let cover = store
        .by_message_id("AS8PR-cover@outlook.example")
        .expect("test fixture")
        .remove(0);
    assert!(posting.series.is_some());
    assert_eq!(
        posting.series, cover.series,
        "the patch joins the rewritten cover"
    );
    let status = status_of(&store, posting).expect("test fixture");
    let applied = status
        .applied
        .expect("the bot's notice is the series' applied reply");
    let what = applied.applied.expect("test fixture");
    assert_eq!(what.tree.as_deref(), Some("netdev/net-next.git (main)"));
    assert_eq!(what.by.as_deref(), Some("Jakub Kicinski <kuba@kernel.org>"));
    assert_eq!(what.commits, ["bfec4e18f943"]);
}
