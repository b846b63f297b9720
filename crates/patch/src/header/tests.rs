//! Tests of [`parse_header`] on realistic headers of every kind, and a property
//! test that it never panics and only names lines of its input.

use super::*;
use crate::SubjectPrefix;
use proptest::prelude::*;

const SHA: &str = "0123456789abcdef0123456789abcdef01234567";
const SHA2: &str = "89abcdef0123456789abcdef0123456789abcdef";

/// Parse `text` as a header starting on line 1, insisting on no problems.
fn clean(text: &str) -> Header {
    let (header, problems) = parse_header(text.as_bytes(), 1);
    assert!(problems.is_empty(), "{problems:?}");
    header
}

/// The kinds and lines of a header's refs.
fn kinds(header: &Header) -> Vec<(RefKind, usize)> {
    header.refs.iter().map(|r| (r.kind, r.line)).collect()
}

/// The names of fields or trailers.
fn names(fields: &[Field]) -> Vec<&str> {
    fields.iter().map(|f| f.name.as_str()).collect()
}

/// An optional byte string as text (`None` when absent or not UTF-8).
fn opt(b: &Option<BString>) -> Option<&str> {
    b.as_ref().and_then(|b| b.to_str().ok())
}

fn commit(r: &UpstreamRef) -> Option<&str> {
    r.commit.as_ref().map(|c| c.as_str())
}

fn subject(header: &Header) -> &Subject {
    header.subject.as_ref().expect("a subject")
}

#[test]
fn format_patch_mail_with_folded_encoded_subject() {
    let text = format!(
        "From {SHA} Mon Sep 17 00:00:00 2001
From: =?UTF-8?q?J=C3=B6rg=20R=C3=B6del?= <jroedel@suse.de>
Date: Tue, 2 Apr 2019 10:00:00 +0200
Subject: [PATCH v2 3/7] =?UTF-8?q?iommu/amd:=20fix=20the=20r=C3=A9sum=C3=A9?=
 =?UTF-8?q?=20handling?=
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

The résumé handling was broken
since the rework.

Fixes: 0123456789ab (\"iommu/amd: add résumé\")
Cc: stable@vger.kernel.org # 4.19+
Link: https://lore.kernel.org/r/20190402100000.1234-1-joro@8bytes.org
Signed-off-by: Jörg Rödel <jroedel@suse.de>
---
 drivers/iommu/amd_iommu.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

"
    );
    let h = clean(&text);
    assert_eq!(h.mail_commit.as_ref().map(|c| c.as_str()), Some(SHA));
    assert_eq!(opt(&h.author), Some("Jörg Rödel <jroedel@suse.de>"));
    assert_eq!(opt(&h.date), Some("Tue, 2 Apr 2019 10:00:00 +0200"));
    let s = subject(&h);
    assert_eq!(s.title, "iommu/amd: fix the résumé handling");
    assert_eq!((s.version, s.number), (Some(2), Some((3, 7))));
    assert_eq!(
        h.description,
        "The résumé handling was broken\nsince the rework."
    );
    assert_eq!(
        names(&h.fields),
        [
            "From",
            "Date",
            "Subject",
            "MIME-Version",
            "Content-Type",
            "Content-Transfer-Encoding"
        ]
    );
    assert_eq!(h.fields[2].line, 4);
    assert_eq!(names(&h.trailers), ["Fixes", "Cc", "Link", "Signed-off-by"]);
    assert_eq!(
        kinds(&h),
        [
            (RefKind::MailFrom, 1),
            (RefKind::Fixes, 13),
            (RefKind::CcStable, 14),
            (RefKind::Link, 15)
        ]
    );
    assert_eq!(commit(&h.refs[1]), Some("0123456789ab"));
    assert_eq!(h.refs[2].release.as_deref(), Some("v4.19"));
    assert!(h.refs[3]
        .url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://lore.kernel.org/r/")));
    assert_eq!(h.mainline, None);
}

#[test]
fn suse_patch_not_for_mainline() {
    let h = clean(
        "From: Jan Beulich <jbeulich@suse.com>
Subject: xen: make the balloon driver cope with huge pages
Patch-mainline: n/a
References: bsc#1012345, fate#316613

Free text explaining why this
is SUSE only.

Signed-off-by: Jan Beulich <jbeulich@suse.com>
",
    );
    assert_eq!(opt(&h.author), Some("Jan Beulich <jbeulich@suse.com>"));
    assert_eq!(
        subject(&h).title,
        "xen: make the balloon driver cope with huge pages"
    );
    assert_eq!(h.mainline, Some(Mainline::NotApplicable));
    assert_eq!(
        kinds(&h),
        [(RefKind::PatchMainline, 3), (RefKind::References, 4)]
    );
    assert_eq!(h.refs[1].text, "bsc#1012345, fate#316613");
    assert_eq!(
        h.description,
        "Free text explaining why this\nis SUSE only."
    );
    assert_eq!(names(&h.trailers), ["Signed-off-by"]);
    assert_eq!(h.field("patch-mainline").map(|f| f.line), Some(3));
}

#[test]
fn suse_upstream_backport_with_two_commits() {
    let text = format!(
        "From: Juergen Gross <jgross@suse.com>
Date: Thu, 6 Feb 2020 12:00:00 +0100
Subject: x86/xen: fix booting 32-bit pv guest
Git-commit: {SHA}
Git-commit: {SHA2} (partial)
Patch-mainline: v5.6-rc1
Git-repo: git://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git
References: bsc#1161798

Commit 1457d8cf7664fc (\"x86/xen: fix boot\") broke booting 32-bit pv
guests.

Signed-off-by: Juergen Gross <jgross@suse.com>
Reviewed-by: Boris Ostrovsky <boris.ostrovsky@oracle.com>
Acked-by: Juergen Gross <jgross@suse.com>
"
    );
    let h = clean(&text);
    let commits: Vec<_> = h
        .refs_of(RefKind::GitCommit)
        .map(|r| (commit(r), r.partial, r.line))
        .collect();
    assert_eq!(commits, [(Some(SHA), false, 4), (Some(SHA2), true, 5)]);
    assert_eq!(h.mainline, Some(Mainline::Release("v5.6-rc1".into())));
    assert_eq!(
        h.refs_of(RefKind::PatchMainline)
            .next()
            .and_then(|r| r.release.as_deref()),
        Some("v5.6-rc1")
    );
    let repo = h
        .refs_of(RefKind::GitRepo)
        .next()
        .and_then(|r| r.url.as_deref());
    assert_eq!(
        repo,
        Some("git://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git")
    );
    assert_eq!(opt(&h.date), Some("Thu, 6 Feb 2020 12:00:00 +0100"));
    assert_eq!(h.trailers.len(), 3);
    assert!(h.description.starts_with(b"Commit 1457d8cf7664fc"));
    assert_eq!(h.fields_named("git-commit").count(), 2);
}

#[test]
fn old_suse_patch_with_fields_after_free_text() {
    let h = clean(
        "This patch makes the thing work on SLES.

From: Olaf Hering <olh@suse.de>
Subject: fix the thing
patch-mainline: never, SLES only
References: bnc#123456

More text.
",
    );
    assert_eq!(subject(&h).title, "fix the thing");
    assert_eq!(opt(&h.author), Some("Olaf Hering <olh@suse.de>"));
    assert_eq!(h.mainline, Some(Mainline::Never("SLES only".into())));
    assert_eq!(
        h.description,
        "This patch makes the thing work on SLES.\n\nMore text."
    );
    assert_eq!(
        names(&h.fields),
        ["From", "Subject", "patch-mainline", "References"]
    );
}

#[test]
fn suse_fields_mixed_with_text_without_blank_line() {
    let h = clean("Subject: fix foo\nPatch-mainline: Queued in tip\nThis fixes foo.\nGit-commit: abcdef1234\n");
    assert_eq!(h.mainline, Some(Mainline::Queued("tip".into())));
    assert_eq!(h.description, "This fixes foo.");
    assert_eq!(
        kinds(&h),
        [(RefKind::PatchMainline, 2), (RefKind::GitCommit, 4)]
    );
}

#[test]
fn dep3_header_with_long_description() {
    let text = format!(
        "Description: Fix FTBFS with gcc-13
 The build failed because of a new warning.
 .
 Second paragraph.
Author: Ben Hutchings <benh@debian.org>
Origin: upstream, https://git.kernel.org/linus/{SHA}
Forwarded: not-needed
Bug-Debian: https://bugs.debian.org/1034567
Applied-Upstream: 6.3, commit:{SHA}
Last-Update: 2023-05-01
---
This patch header follows DEP-3: http://dep.debian.net/deps/dep3/
"
    );
    let h = clean(&text);
    assert_eq!(subject(&h).title, "Fix FTBFS with gcc-13");
    assert_eq!(
        h.description,
        "The build failed because of a new warning.\n\nSecond paragraph."
    );
    assert_eq!(opt(&h.author), Some("Ben Hutchings <benh@debian.org>"));
    assert_eq!(h.date, None);
    assert_eq!(
        h.field("last-update").map(|f| f.value.clone()),
        Some("2023-05-01".into())
    );
    assert_eq!(
        kinds(&h),
        [
            (RefKind::Origin, 6),
            (RefKind::Forwarded, 7),
            (RefKind::Bug, 8),
            (RefKind::AppliedUpstream, 9)
        ]
    );
    assert_eq!(
        (h.refs[0].text.as_str(), commit(&h.refs[0])),
        ("upstream", Some(SHA))
    );
    assert_eq!(
        (h.refs[1].text.as_str(), h.refs[1].url.as_deref()),
        ("not-needed", None)
    );
    assert_eq!(
        h.refs[2].url.as_deref(),
        Some("https://bugs.debian.org/1034567")
    );
    assert_eq!(
        (h.refs[3].release.as_deref(), commit(&h.refs[3])),
        (Some("v6.3"), Some(SHA))
    );
}

#[test]
fn dep3_description_starting_on_the_next_line() {
    let h = clean("Description:\n Short one\n Long text.\nSubject:\nForwarded: no\n");
    assert_eq!(subject(&h).title, "Short one");
    assert_eq!(h.description, "Long text.");
    assert_eq!(h.refs_of(RefKind::Forwarded).count(), 1);
}

#[test]
fn dep3_fields_after_free_text() {
    let h = clean(
        "Fix the frobnicator on arm64

The frobnicator was broken.

Origin: vendor, Debian
Forwarded: https://lore.kernel.org/r/abc@example.org
Bug-Ubuntu: https://bugs.launchpad.net/bugs/123
",
    );
    assert_eq!(subject(&h).title, "Fix the frobnicator on arm64");
    assert_eq!(
        h.description,
        "Fix the frobnicator on arm64\n\nThe frobnicator was broken."
    );
    assert_eq!(names(&h.fields), ["Origin", "Forwarded", "Bug-Ubuntu"]);
    assert_eq!(
        kinds(&h),
        [
            (RefKind::Origin, 5),
            (RefKind::Forwarded, 6),
            (RefKind::Bug, 7)
        ]
    );
    assert_eq!(
        h.refs[1].url.as_deref(),
        Some("https://lore.kernel.org/r/abc@example.org")
    );
}

#[test]
fn stable_backport_with_in_body_from() {
    let text = format!(
        "From {SHA2} Mon Sep 17 00:00:00 2001
From: Greg Kroah-Hartman <gregkh@linuxfoundation.org>
Date: Mon, 3 Jun 2019 08:00:00 +0200
Subject: [PATCH 4.19 012/123] net: fix the leak

From: Eric Dumazet <edumazet@google.com>

commit {SHA} upstream.

The leak was found by syzbot.

Fixes: abcdef012345 (\"net: add leak\")
Signed-off-by: Eric Dumazet <edumazet@google.com>
Signed-off-by: Greg Kroah-Hartman <gregkh@linuxfoundation.org>
"
    );
    let h = clean(&text);
    assert_eq!(opt(&h.author), Some("Eric Dumazet <edumazet@google.com>"));
    let s = subject(&h);
    assert_eq!(
        (s.number, s.tags.as_slice(), s.title.as_str()),
        (
            Some((12, 123)),
            &["PATCH 4.19 012/123".to_string()][..],
            "net: fix the leak"
        )
    );
    let up: Vec<_> = h
        .refs_of(RefKind::UpstreamCommit)
        .map(|r| (commit(r), r.line))
        .collect();
    assert_eq!(up, [(Some(SHA), 8)]);
    assert_eq!(
        h.description,
        format!("commit {SHA} upstream.\n\nThe leak was found by syzbot.")
    );
    assert_eq!(
        names(&h.trailers),
        ["Fixes", "Signed-off-by", "Signed-off-by"]
    );
}

#[test]
fn sasha_style_upstream_commit_line() {
    let h = clean(&format!(
        "Subject: [PATCH AUTOSEL 5.4 05/20] x\n\n[ Upstream commit {SHA} ]\n\nText.\n"
    ));
    assert_eq!(kinds(&h), [(RefKind::UpstreamCommit, 3)]);
    assert_eq!(subject(&h).number, Some((5, 20)));
}

#[test]
fn android_subject_with_change_id() {
    let text = format!(
        "From {SHA} Mon Sep 17 00:00:00 2001
From: Todd Kjos <tkjos@google.com>
Date: Fri, 1 Nov 2019 10:00:00 -0700
Subject: [PATCH] BACKPORT: FROMLIST: binder: fix the race

The race lost the reference.

Bug: 146449535
Link: https://lore.kernel.org/lkml/20191101170000.1-tkjos@google.com/
Change-Id: I0123456789abcdef0123456789abcdef01234567
Signed-off-by: Todd Kjos <tkjos@google.com>
"
    );
    let h = clean(&text);
    let s = subject(&h);
    assert_eq!(
        s.prefixes,
        [SubjectPrefix::Backport, SubjectPrefix::FromList]
    );
    assert_eq!(s.title, "binder: fix the race");
    let change = h
        .refs_of(RefKind::ChangeId)
        .next()
        .map(|r| (r.text.as_str(), r.line));
    assert_eq!(
        change,
        Some(("I0123456789abcdef0123456789abcdef01234567", 10))
    );
    assert_eq!(
        h.refs_of(RefKind::Bug).next().map(|r| r.text.as_str()),
        Some("146449535")
    );
    assert_eq!(h.description, "The race lost the reference.");
}

#[test]
fn ubuntu_sauce_with_cherry_pick_and_buglink() {
    let text = format!(
        "From: Seth Forshee <seth.forshee@canonical.com>
Date: Wed, 30 Oct 2019 09:00:00 -0500
Subject: UBUNTU: SAUCE: shiftfs: fix the refcount

BugLink: https://bugs.launchpad.net/bugs/1849371

The refcount was leaked on error.

Signed-off-by: Seth Forshee <seth.forshee@canonical.com>
(cherry picked from commit {SHA} git://git.launchpad.net/~ubuntu-kernel/ubuntu/+source/linux/+git/focal)
Acked-by: Stefan Bader <stefan.bader@canonical.com>
"
    );
    let h = clean(&text);
    assert_eq!(subject(&h).prefixes, [SubjectPrefix::UbuntuSauce]);
    assert_eq!(kinds(&h), [(RefKind::Bug, 5), (RefKind::CherryPicked, 10)]);
    assert_eq!(
        h.refs[0].url.as_deref(),
        Some("https://bugs.launchpad.net/bugs/1849371")
    );
    assert_eq!(commit(&h.refs[1]), Some(SHA));
    assert!(h.refs[1]
        .url
        .as_deref()
        .is_some_and(|u| u.starts_with("git://git.launchpad.net/")));
    assert_eq!(names(&h.trailers), ["BugLink", "Signed-off-by", "Acked-by"]);
    assert!(h
        .description
        .starts_with(b"The refcount was leaked on error.\n\n(cherry picked"));
}

#[test]
fn free_quilt_text() {
    let h = clean("x86/mm: fix the build with gcc 4.1\n\nSome more text.\n  indented code\n");
    assert_eq!(subject(&h).title, "x86/mm: fix the build with gcc 4.1");
    assert_eq!(
        h.description,
        "x86/mm: fix the build with gcc 4.1\n\nSome more text.\n  indented code"
    );
    assert!(h.fields.is_empty() && h.refs.is_empty());
    let h = clean("sched: a subject that looks like a field\n");
    assert_eq!(
        subject(&h).title,
        "sched: a subject that looks like a field"
    );
    assert!(h.fields.is_empty());
}

#[test]
fn oops_lines_are_not_fields() {
    let h = clean("BUG: KASAN: use-after-free in foo\n\nFix it.\n\nBUG: unable to handle page fault\nFrom: A <a@b>\n");
    assert_eq!(subject(&h).title, "BUG: KASAN: use-after-free in foo");
    assert_eq!(names(&h.fields), ["From"]);
    assert!(h.refs.is_empty());
    assert!(h.description.ends_with(b"BUG: unable to handle page fault"));
}

#[test]
fn git_log_style_header() {
    let text = format!(
        "commit {SHA}\nAuthor: A U Thor <a@example.org>\nDate:   Mon Jan 1 00:00:00 2018 +0000\n\n    mm: fix it\n\n    Signed-off-by: A U Thor <a@example.org>\n"
    );
    let h = clean(&text);
    assert_eq!(subject(&h).title, "mm: fix it");
    assert_eq!(opt(&h.author), Some("A U Thor <a@example.org>"));
    assert_eq!(kinds(&h), [(RefKind::UpstreamCommit, 1)]);
    assert_eq!(names(&h.trailers), ["Signed-off-by"]);
}

#[test]
fn line_numbers_follow_first_line_and_crlf() {
    let (h, problems) = parse_header(b"Subject: x\r\nGit-commit: not-hex\r\n\r\nbody\r\n", 10);
    assert_eq!(
        h.fields.iter().map(|f| f.line).collect::<Vec<_>>(),
        [10, 11]
    );
    assert_eq!(subject(&h).raw, "x");
    assert_eq!(h.description, "body");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 11);
}

#[test]
fn malformed_values_are_problems() {
    let (h, problems) = parse_header(
        b"From: =?UTF-8?q?bad=ZZ?= <a@b>\nPatch-mainline:\nSubject: s\n\nFixes: the bug\n",
        1,
    );
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [1, 2, 5], "{problems:?}");
    assert_eq!(opt(&h.author), Some("=?UTF-8?q?bad=ZZ?= <a@b>"));
    assert_eq!(h.mainline, Some(Mainline::Other(String::new())));
}

#[test]
fn non_utf8_and_empty_input() {
    let (h, problems) = parse_header(b"Subject: caf\xe9 \xff\n\nbody \xfe\n", 1);
    assert!(problems.is_empty());
    assert_eq!(subject(&h).title, "caf\u{fffd} \u{fffd}");
    assert_eq!(h.description, &b"body \xfe"[..]);
    let (h, problems) = parse_header(b"", 1);
    assert_eq!((h, problems), (Header::default(), Vec::new()));
}

#[test]
fn classic_mbox_from_line_is_skipped() {
    let h = clean(
        "From jbeulich@suse.com Tue Jan  1 00:00:00 2019\nFrom: J <j@s>\nSubject: s\n\nbody\n",
    );
    assert_eq!((h.mail_commit.clone(), h.refs.len()), (None, 0));
    assert_eq!(opt(&h.author), Some("J <j@s>"));
}

#[test]
fn suse_origin_url_in_from_leaves_the_author_to_author() {
    let h = clean(
        "From: http://xenbits.xen.org/hg/XCP/linux-2.6.32.pq.hg/file/.../blkback_multi_page_ring\n\
         Author: someone@citrix.com\nSubject: blkback: allow multi-page rings\n\nbody\n",
    );
    assert_eq!(opt(&h.author), Some("someone@citrix.com"));
    let h = clean("From: http://example.org/origin\nSubject: s\n\nbody\n");
    assert_eq!(
        opt(&h.author),
        Some("http://example.org/origin"),
        "nothing better"
    );
}

/// Header-like lines to build random headers from.
const FRAGMENTS: [&str; 18] = [
    "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001",
    "From: =?UTF-8?q?J=C3=B6rg?= <j@x>",
    "Subject: [PATCH v2 1/2] UBUNTU: SAUCE: x",
    " =?UTF-8?b?w7Y=?=",
    "Description: d",
    " .",
    "Git-commit: abcdef1 (partial)",
    "Patch-mainline: Submitted <https://lore.kernel.org/r/x>",
    "Origin: upstream, https://git.kernel.org/linus/abcdef1",
    "",
    "---",
    "    Signed-off-by: x",
    "Cc: stable@vger.kernel.org # 4.19+",
    "(cherry picked from commit abcdef1 https://x/commit/?id=abcdef1)",
    "commit 0123456789abcdef0123456789abcdef01234567 upstream.",
    "=?",
    "\u{e9}\t\r",
    "[",
];

/// Check that every line a header or its problems name lies in the input.
fn check_lines(text: &[u8], first_line: usize) {
    let (h, problems) = parse_header(text, first_line);
    let end = first_line + text.lines().count();
    let within = |l: usize| (first_line..end).contains(&l);
    assert!(h.fields.iter().chain(&h.trailers).all(|f| within(f.line)));
    assert!(h.refs.iter().all(|r| within(r.line)));
    assert!(problems.iter().all(|p| p.line == 0 || within(p.line)));
}

proptest! {
    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000), first in 1usize..1000) {
        check_lines(&bytes, first);
    }

    #[test]
    fn never_panics_on_header_like_text(picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..40)) {
        let text: Vec<&str> = picks.iter().filter_map(|&i| FRAGMENTS.get(i).copied()).collect();
        check_lines(text.join("\n").as_bytes(), 1);
    }
}

#[test]
fn big_inputs_stay_linear() {
    let mut text = String::from("Subject: s\n\n");
    for i in 0..50_000 {
        text.push_str(&format!(
            "line {i} with upstream commit and =?x?q?y Signed-off-by\n Cc: x\n"
        ));
    }
    text.push_str(&"=?a?q?x".repeat(100_000));
    let start = std::time::Instant::now();
    let (h, _) = parse_header(text.as_bytes(), 1);
    assert!(h.description.len() > 1_000_000);
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn a_huge_field_is_cut_and_said_to_be() {
    let subject = "x".repeat(MAX_FIELD * 50);
    let text = format!("From: A <a@example.org>\nSubject: {subject}\n\nbody\n");
    let (header, problems) = parse_header(text.as_bytes(), 1);
    let kept = header.subject.expect("a subject");
    assert!(kept.raw.len() <= MAX_FIELD, "{}", kept.raw.len());
    assert!(kept.raw.starts_with("xxxx"));
    let problem = problems
        .iter()
        .find(|p| p.message.contains("cut to its first"))
        .expect("said");
    assert_eq!(problem.line, 2);
    assert!(
        problem.message.starts_with("Subject: 204800 bytes long"),
        "{}",
        problem.message
    );
}

#[test]
fn a_huge_first_line_of_free_text_is_cut_as_a_subject() {
    let line = "x".repeat(MAX_FIELD * 50);
    let text = format!("\n{line}\n\nmore\n");
    let (header, problems) = parse_header(text.as_bytes(), 1);
    let kept = header.subject.expect("a subject");
    assert_eq!(kept.raw.len(), MAX_FIELD);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, 2);
    assert_eq!(
        problems[0].message,
        format!("subject: 204800 bytes long, cut to its first {MAX_FIELD}")
    );
}
