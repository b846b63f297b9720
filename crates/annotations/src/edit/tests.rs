use super::*;

const FILE: &str = "kdelta-annotations.toml";

fn fingerprint(digit: char) -> Fingerprint {
    let hex: String = std::iter::repeat_n(digit, 40).collect();
    Fingerprint::parse(&format!("patch-id:{hex}")).expect("valid")
}

fn by_ada() -> PatchEdit {
    PatchEdit {
        fingerprint: Some(fingerprint('1')),
        by: "ada".into(),
        on: "2026-11-26".into(),
        ..Default::default()
    }
}

fn set(text: &str) -> Option<Change<String>> {
    Some(Change::Set(text.to_string()))
}

fn edited(text: &str, patch: &str, edit: &PatchEdit) -> String {
    let out = edit_patch(text, FILE, patch, edit).expect("the edit applies");
    Annotations::parse(&out, FILE).expect("the result parses");
    out
}

fn patch_of(text: &str, patch: &str) -> PatchAnnotation {
    let mut annotations = Annotations::parse(text, FILE).expect("parses");
    annotations
        .patches
        .remove(patch)
        .expect("the patch is annotated")
}

const TEAM_FILE: &str = r#"# Team annotations.

[features.ring]   # the ring work
note = "Rings"

# Owned by the storage team.
[patches."a.patch"]
owner = "Jan"
history = [
    { on = "2026-01-01", by = "jan", change = "owner: Jan" },
]

[patches."b.patch"]
feature = "ring"
status = "obsolete"   # gone upstream
reason = "code removed in v6.1"

# end of file
"#;

#[test]
fn an_edit_on_an_empty_file_starts_a_new_one() {
    let edit = PatchEdit {
        feature: set("ring"),
        owner: set("Jan Beulich <jbeulich@suse.com>"),
        status: Some(Change::Set(Status::NeedsWork)),
        reason: set("nobody posted it"),
        add_links: vec!["https://bugzilla.suse.com/show_bug.cgi?id=1".into()],
        ..by_ada()
    };
    let expected = r#"# Human decisions about the delta. `kdelta annotate` edits this file and keeps comments.

[patches."patches.xen/x.patch"]
feature = "ring"
owner = "Jan Beulich <jbeulich@suse.com>"
status = "needs-work"
reason = "nobody posted it"
links = ["https://bugzilla.suse.com/show_bug.cgi?id=1"]
fingerprint = "patch-id:1111111111111111111111111111111111111111"
history = [
    { on = "2026-11-26", by = "ada", change = "status: needs-work (reason: nobody posted it); owner: Jan Beulich <jbeulich@suse.com>; feature: ring; link added: https://bugzilla.suse.com/show_bug.cgi?id=1" },
]
"#;
    assert_eq!(edited("", "patches.xen/x.patch", &edit), expected);
    assert_eq!(edited("\n  \n", "patches.xen/x.patch", &edit), expected);
}

#[test]
fn a_file_of_comments_only_keeps_them_first() {
    let out = edited(
        "# ours\n\n\n",
        "a",
        &PatchEdit {
            owner: set("me"),
            ..by_ada()
        },
    );
    assert!(
        out.starts_with("# ours\n\n[patches.a]\nowner = \"me\"\n"),
        "{out}"
    );
}

#[test]
fn an_edit_keeps_comments_and_untouched_entries_as_they_are() {
    let edit = PatchEdit {
        status: Some(Change::Set(Status::InProgress)),
        reason: set("posted v2"),
        add_notes: vec!["ask about v3".into()],
        ..by_ada()
    };
    let expected = r#"# Team annotations.

[features.ring]   # the ring work
note = "Rings"

# Owned by the storage team.
[patches."a.patch"]
owner = "Jan"
status = "in-progress"
reason = "posted v2"
notes = ["ask about v3"]
fingerprint = "patch-id:1111111111111111111111111111111111111111"
history = [
    { on = "2026-01-01", by = "jan", change = "owner: Jan" },
    { on = "2026-11-26", by = "ada", change = "status: in-progress (reason: posted v2); note added" },
]

[patches."b.patch"]
feature = "ring"
status = "obsolete"   # gone upstream
reason = "code removed in v6.1"

# end of file
"#;
    assert_eq!(edited(TEAM_FILE, "a.patch", &edit), expected);
}

#[test]
fn a_replaced_value_keeps_its_comment_and_a_new_patch_goes_last() {
    let edit = PatchEdit {
        status: Some(Change::Set(Status::Upstream)),
        ..by_ada()
    };
    let out = edited(TEAM_FILE, "b.patch", &edit);
    assert!(
        out.contains("status = \"upstream\"   # gone upstream\n"),
        "{out}"
    );
    let out = edited(
        TEAM_FILE,
        "c.patch",
        &PatchEdit {
            owner: set("Ann"),
            ..by_ada()
        },
    );
    let expected_end =
        "reason = \"code removed in v6.1\"\n\n[patches.\"c.patch\"]\nowner = \"Ann\"\n";
    assert!(out.contains(expected_end), "{out}");
    assert!(out.ends_with("]\n\n# end of file\n"), "{out}");
}

#[test]
fn clearing_removes_the_key_and_says_so() {
    let edit = PatchEdit {
        status: Some(Change::Clear),
        reason: Some(Change::Clear),
        feature: Some(Change::Clear),
        fingerprint: None,
        ..by_ada()
    };
    let expected = r#"[patches."b.patch"]
history = [
    { on = "2026-11-26", by = "ada", change = "status cleared; feature cleared; reason cleared" },
]

# end of file
"#;
    let out = edited(TEAM_FILE, "b.patch", &edit);
    assert!(out.ends_with(expected), "{out}");
    let patch = patch_of(&out, "b.patch");
    assert_eq!(
        (patch.status, patch.reason, patch.feature),
        (None, None, None)
    );
}

#[test]
fn notes_and_links_are_not_duplicated() {
    let edit = PatchEdit {
        add_notes: vec!["first".into(), "first".into(), " ".into()],
        add_links: vec!["https://x".into()],
        ..by_ada()
    };
    let once = edited("", "a", &edit);
    assert_eq!(patch_of(&once, "a").notes, ["first"]);
    assert_eq!(
        edited(&once, "a", &edit),
        once,
        "nothing new: the text is unchanged"
    );
    let more = PatchEdit {
        add_notes: vec!["first".into(), "second".into()],
        add_links: vec!["https://x".into(), "https://y".into(), "https://z".into()],
        ..by_ada()
    };
    let twice = edited(&once, "a", &more);
    let patch = patch_of(&twice, "a");
    assert_eq!(patch.notes, ["first", "second"]);
    assert_eq!(patch.links, ["https://x", "https://y", "https://z"]);
    assert!(
        twice.contains("notes = [\"first\", \"second\"]\n"),
        "{twice}"
    );
    assert_eq!(
        patch.history[1].change,
        "note added; links added: https://y, https://z"
    );
}

#[test]
fn history_is_appended_in_the_files_own_form() {
    let first = edited(
        "",
        "a",
        &PatchEdit {
            owner: set("Ann"),
            ..by_ada()
        },
    );
    let second = edited(
        &first,
        "a",
        &PatchEdit {
            owner: set("Bob"),
            ..by_ada()
        },
    );
    let changes: Vec<String> = patch_of(&second, "a")
        .history
        .into_iter()
        .map(|h| h.change)
        .collect();
    assert_eq!(changes, ["owner: Ann", "owner: Bob"]);

    let tables = "[patches.a]\nowner = \"Ann\"\n\n[[patches.a.history]]\non = \"2026-01-01\"\nby = \"x\"\nchange = \"owner: Ann\"\n";
    let out = edited(
        tables,
        "a",
        &PatchEdit {
            owner: set("Bob"),
            ..by_ada()
        },
    );
    let expected =
        "[[patches.a.history]]\non = \"2026-11-26\"\nby = \"ada\"\nchange = \"owner: Bob\"\n";
    assert!(out.ends_with(expected), "{out}");
}

#[test]
fn a_changed_fingerprint_alone_is_recorded() {
    let first = edited(
        "",
        "a",
        &PatchEdit {
            owner: set("Ann"),
            ..by_ada()
        },
    );
    let edit = PatchEdit {
        fingerprint: Some(fingerprint('2')),
        ..by_ada()
    };
    let patch = patch_of(&edited(&first, "a", &edit), "a");
    assert_eq!(patch.fingerprint, Some(fingerprint('2')));
    assert_eq!(patch.history[1].change, "fingerprint updated");
    let bare = edited("[patches.a]\nowner = \"Ann\"\n", "a", &by_ada());
    assert_eq!(
        patch_of(&bare, "a").history[0].change,
        "fingerprint recorded"
    );
}

#[test]
fn verification_is_written_inline() {
    let edit = PatchEdit {
        verified: Some(Verified {
            by: "Ada Lovelace".into(),
            on: "2026-11-25".into(),
        }),
        ..by_ada()
    };
    let out = edited(
        "[patches.a.verified]\nby = \"x\"\non = \"2020-01-01\"\n",
        "a",
        &edit,
    );
    assert!(
        out.contains("verified = { by = \"Ada Lovelace\", on = \"2026-11-25\" }"),
        "{out}"
    );
    assert_eq!(
        patch_of(&out, "a").history[0].change,
        "verified by Ada Lovelace on 2026-11-25"
    );
}

#[test]
fn verifying_a_changed_patch_again_the_same_day_is_recorded() {
    let verified = Some(Verified {
        by: "ada".into(),
        on: "2026-11-26".into(),
    });
    let first = edited(
        "",
        "a",
        &PatchEdit {
            verified: verified.clone(),
            ..by_ada()
        },
    );
    let again = PatchEdit {
        verified: verified.clone(),
        fingerprint: Some(fingerprint('2')),
        ..by_ada()
    };
    let patch = patch_of(&edited(&first, "a", &again), "a");
    assert_eq!(
        patch.history[1].change,
        "verified by ada on 2026-11-26; fingerprint updated"
    );
    // The same verification of the same content changes nothing.
    let same = PatchEdit {
        verified,
        ..by_ada()
    };
    assert_eq!(edited(&first, "a", &same), first);
}

#[test]
fn an_inline_entry_is_edited_inline() {
    let text = "[patches]\na = { owner = \"Ann\" } # short\n";
    let out = edited(
        text,
        "a",
        &PatchEdit {
            feature: set("ring"),
            ..by_ada()
        },
    );
    assert!(
        out.starts_with("[patches]\na = { feature = \"ring\", owner = \"Ann\""),
        "{out}"
    );
    assert_eq!(patch_of(&out, "a").feature.as_deref(), Some("ring"));
}

#[test]
fn a_status_needs_a_reason_in_the_edit_or_the_file() {
    let edit = PatchEdit {
        status: Some(Change::Set(Status::NeedsWork)),
        ..by_ada()
    };
    let error = edit_patch("", FILE, "patches.xen/x", &edit).expect_err("no reason");
    assert_eq!(
        error.to_string(),
        "kdelta-annotations.toml: [patches.\"patches.xen/x\"]: a status override needs a reason"
    );
    let out = edited(TEAM_FILE, "b.patch", &edit);
    assert_eq!(patch_of(&out, "b.patch").status, Some(Status::NeedsWork));
    let clear_reason = PatchEdit {
        reason: Some(Change::Clear),
        ..by_ada()
    };
    let error = edit_patch(TEAM_FILE, FILE, "b.patch", &clear_reason).expect_err("status stays");
    assert_eq!(error.problem(), Some(&Problem::StatusWithoutReason));
}

#[test]
fn edits_without_author_or_date_or_name_are_refused() {
    let no_author = PatchEdit {
        by: " ".into(),
        ..by_ada()
    };
    let error = edit_patch("", FILE, "a", &no_author).expect_err("no author");
    assert_eq!(error.problem(), Some(&Problem::NoAuthor));
    let bad_date = PatchEdit {
        on: "26.11.2026".into(),
        ..by_ada()
    };
    let error = edit_patch("", FILE, "a", &bad_date).expect_err("bad date");
    assert_eq!(
        error.problem(),
        Some(&Problem::BadDate("26.11.2026".into()))
    );
    let error = edit_patch("", FILE, "", &by_ada()).expect_err("no name");
    assert_eq!(error.problem(), Some(&Problem::EmptyName));
}

#[test]
fn an_invalid_file_is_not_edited() {
    let error = edit_patch("[patches.a]\nownr = \"x\"\n", FILE, "a", &by_ada()).expect_err("typo");
    assert!(error
        .to_string()
        .starts_with("kdelta-annotations.toml:2:1: unknown key"));
}

#[test]
fn a_feature_edit_changes_only_its_table() {
    let edit = FeatureEdit {
        owner: set("Storage team"),
        add_links: vec!["https://lore.kernel.org/x".into()],
        ..Default::default()
    };
    let out = edit_feature(TEAM_FILE, FILE, "ring", &edit).expect("applies");
    let expected_start = r#"# Team annotations.

[features.ring]   # the ring work
note = "Rings"
owner = "Storage team"
links = ["https://lore.kernel.org/x"]

# Owned by the storage team.
[patches."a.patch"]
"#;
    assert!(out.starts_with(expected_start), "{out}");
    let rest = |t: &str| {
        t.split_once("[patches.\"a.patch\"]\n")
            .map(|(_, r)| r.to_string())
    };
    assert_eq!(rest(&out), rest(TEAM_FILE));
    assert_eq!(
        edit_feature(&out, FILE, "ring", &edit).expect("applies"),
        out
    );

    let new = FeatureEdit {
        note: set("Grant tables"),
        ..Default::default()
    };
    let out = edit_feature(&out, FILE, "grants", &new).expect("applies");
    let expected = "links = [\"https://lore.kernel.org/x\"]\n\n[features.grants]\nnote = \"Grant tables\"\n\n# Owned by";
    assert!(out.contains(expected), "{out}");
    let features = Annotations::parse(&out, FILE).expect("parses").features;
    assert_eq!(features["grants"].note.as_deref(), Some("Grant tables"));
    assert_eq!(features["ring"].owner.as_deref(), Some("Storage team"));
}

#[test]
fn a_crlf_file_stays_crlf() {
    let text = "# team\r\n[patches.\"a.patch\"]\r\nowner = \"Bob\" # who\r\nnotes = [\r\n  \"one\",\r\n]\r\n";
    let edit = PatchEdit {
        add_notes: vec!["two".into()],
        ..by_ada()
    };
    let out = edited(text, "a.patch", &edit);
    assert_eq!(
        out.matches('\n').count(),
        out.matches("\r\n").count(),
        "{out:?}"
    );
    assert!(out.starts_with("# team\r\n[patches.\"a.patch\"]\r\nowner = \"Bob\" # who\r\n"));
    assert_eq!(patch_of(&out, "a.patch").notes, ["one", "two"]);
    let feature = FeatureEdit {
        note: set("Rings"),
        ..Default::default()
    };
    let out = edit_feature(&out, FILE, "ring", &feature).expect("the edit applies");
    assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
    // An LF file stays LF.
    let out = edited(&text.replace("\r\n", "\n"), "a.patch", &edit);
    assert!(!out.contains('\r'));
}

#[test]
fn only_plain_http_links_are_accepted() {
    for bad in [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "https://example.org/a b",
        "https://example.org/\u{1b}[2J",
        "https://",
    ] {
        let edit = PatchEdit {
            add_links: vec!["https://ok.example.org/x".into(), bad.into()],
            ..by_ada()
        };
        let error = edit_patch("", FILE, "a", &edit).expect_err(bad);
        assert!(
            error.to_string().contains("only http:// and https://"),
            "{error}"
        );
        let feature = FeatureEdit {
            add_links: vec![bad.into()],
            ..Default::default()
        };
        assert!(edit_feature("", FILE, "ring", &feature).is_err(), "{bad}");
    }
    let edit = PatchEdit {
        add_links: vec!["https://lore.kernel.org/r/x)**bold**".into()],
        ..by_ada()
    };
    // Accepted as a URL; every report format escapes it.
    edited("", "a", &edit);
}
