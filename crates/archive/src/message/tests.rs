use super::*;

const PATCH: &[u8] = b"From: =?UTF-8?Q?J=C3=B6rg?= Doe <JD@Example.org>
Date: Mon, 29 Apr 2019 12:15:31 +0900 (JST)
Subject: [PATCH v2 2/3] kbuild: make it
 faster
Message-ID: <p2@example.org>
In-Reply-To: <cover@example.org>
References: <cover@example.org>
List-Id: <linux-kbuild.vger.kernel.org>

The long story.

Signed-off-by: J\xc3\xb6rg Doe <jd@example.org>
---
 Makefile | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/Makefile b/Makefile
index 1111111..2222222 100644
--- a/Makefile
+++ b/Makefile
@@ -1,3 +1,3 @@
 a
-slow build rule
+fast build rule
 c
--
2.40.0
";

#[test]
fn a_patch_mail_gives_its_facts() {
    let m = parse_message(PATCH, "x");
    assert_eq!(m.message_id, "p2@example.org");
    assert_eq!(m.in_reply_to.as_deref(), Some("cover@example.org"));
    assert_eq!(m.references, ["cover@example.org"]);
    assert_eq!(m.list.as_deref(), Some("linux-kbuild.vger.kernel.org"));
    assert_eq!(m.date, Some(1_556_507_731));
    assert_eq!(m.author, "Jörg Doe <JD@Example.org>");
    assert_eq!(m.email, "jd@example.org");
    assert_eq!(m.kind, Kind::Patch);
    assert_eq!(
        (m.subject.version, m.subject.number),
        (Some(2), Some((2, 3)))
    );
    assert_eq!(m.subject.title, "kbuild: make it faster");
    assert_eq!((m.added, m.removed), (1, 1));
    assert_eq!(m.files, [BString::from("Makefile")]);
    assert_eq!(m.features.len(), 2);
    assert_eq!(m.prose.trailers[0].name, "Signed-off-by");
    let diff = &PATCH[PATCH.find(b"diff --git").expect("test fixture")..];
    assert_eq!(m.patch_id, stable_patch_id(diff));
}

#[test]
fn cover_letters_replies_and_others_are_told_apart() {
    let cover = parse_message(
        b"Subject: [PATCH 0/3] series\nMessage-ID: <c@x>\n\nIntro\n\nchange-id: 20240101-s-1\n",
        "x",
    );
    assert_eq!(cover.kind, Kind::Cover);
    assert_eq!(cover.prose.change_id.as_deref(), Some("20240101-s-1"));
    let reply = parse_message(
        b"Subject: Re: [PATCH 0/3] series\nIn-Reply-To: <c@x>\n\nMerged into lsm/dev, thanks.\n",
        "r",
    );
    assert_eq!(reply.kind, Kind::Reply);
    assert_eq!(reply.message_id, "r@kdelta.invalid");
    assert_eq!(
        reply.prose.applied.expect("test fixture").tree.as_deref(),
        Some("lsm/dev")
    );
    let pull = parse_message(b"Subject: [GIT PULL] things\n\nPlease pull\n", "g");
    assert_eq!(pull.kind, Kind::Other);
}

#[test]
fn a_reply_quoting_a_diff_has_no_patch_id() {
    let m = parse_message(b"Subject: Re: [PATCH] x\n\n> --- a/f\n> +++ b/f\n> @@ -1 +1 @@\n> -a\n> +b\n\nLooks fine.\nReviewed-by: R <r@x>\n", "q");
    assert_eq!((m.kind, m.patch_id), (Kind::Reply, None));
    assert!(m.prose.trailers[0].is_review());
}

#[test]
fn a_quoted_printable_patch_has_the_patch_id_of_its_decoded_diff() {
    let qp = b"Subject: [PATCH] f: x\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nx\n---\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-if (a =3D=3D b)\n+if (a !=3D b)\n";
    let plain = b"Subject: [PATCH] f: x\n\nx\n---\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-if (a == b)\n+if (a != b)\n";
    let (a, b) = (parse_message(qp, "a"), parse_message(plain, "b"));
    assert!(a.patch_id.is_some());
    assert_eq!(a.patch_id, b.patch_id);
    assert_eq!(a.features, b.features);
}

#[test]
fn garbage_never_panics() {
    for input in [
        &b""[..],
        b"\n\n",
        b"Subject",
        b"\xff\xfe\x00",
        b"Content-Type: multipart/x; boundary=\n\n--\n--\n",
    ] {
        let m = parse_message(input, "g");
        assert_eq!(m.kind, Kind::Other);
    }
}
