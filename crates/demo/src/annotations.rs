//! The demo's annotations file, written through the same editing code as `kdelta annotate`:
//! a feature with its note and owner, a patch in it, a status set by hand with its reason
//! and verification, an annotation written for an older version of its patch (stale) and one
//! for a patch no longer in the queue (gone).

use kdelta_analysis::Status;
use kdelta_annotations::{
    edit_feature, edit_patch, save_atomically, Change, FeatureEdit, Fingerprint, PatchEdit,
    Verified,
};
use kdelta_patch::{ParseOptions, Patch};
use std::path::Path;

use crate::DemoError;

const BY: &str = "Demo Maintainer";
const ON: &str = "2014-06-02";

/// Write the annotations for the queue `files` (path in the queue, text) to `path`.
pub fn write(path: &Path, files: &[(&str, String)]) -> Result<(), DemoError> {
    let source = path.display().to_string();
    let fingerprint = |name: &str| -> Result<Fingerprint, DemoError> {
        Ok(Fingerprint::of(&parse(text_of(files, name)?)))
    };
    let mut text = edit_feature(
        "",
        &source,
        "xen-blkfront-discard",
        &FeatureEdit {
            note: Some(Change::Set(
                "Let the administrator turn discard off per virtual disk.".into(),
            )),
            owner: Some(Change::Set("Ada Lovelace <ada@example.org>".into())),
            add_links: vec!["https://lore.kernel.org/xen-devel/".into()],
        },
    )?;
    let discard = "patches.suse/xen-blkfront-allow-discard.patch";
    text = edit_patch(
        &text,
        &source,
        discard,
        &PatchEdit {
            feature: Some(Change::Set("xen-blkfront-discard".into())),
            add_notes: vec!["Send after the next merge window, with test results.".into()],
            fingerprint: Some(fingerprint(discard)?),
            ..edit()
        },
    )?;
    let balloon = "patches.xen/xen-balloon-sysfs.patch";
    text = edit_patch(
        &text,
        &source,
        balloon,
        &PatchEdit {
            owner: Some(Change::Set("Grace Hopper <grace@example.org>".into())),
            status: Some(Change::Set(Status::DownstreamOnly)),
            reason: Some(Change::Set(
                "our tools read the SUSE names; upstream's xen_memory interface differs".into(),
            )),
            verified: Some(Verified {
                by: BY.into(),
                on: ON.into(),
            }),
            fingerprint: Some(fingerprint(balloon)?),
            ..edit()
        },
    )?;
    let blktap = "patches.xen/xen3-fixup-blktap.diff";
    let blktap_text = text_of(files, blktap)?;
    // Written for the patch before it was refreshed: the flags it set then.
    let older = blktap_text.replace("VM_DONTEXPAND | VM_DONTDUMP", "VM_IO");
    text = edit_patch(
        &text,
        &source,
        blktap,
        &PatchEdit {
            owner: Some(Change::Set("Jan Example <jan@example.org>".into())),
            add_notes: vec!["Drop together with the classic blktap driver.".into()],
            status: Some(Change::Set(Status::NeedsWork)),
            reason: Some(Change::Set("blktap2 users still need it".into())),
            fingerprint: Some(Fingerprint::of(&parse(&older))),
            ..edit()
        },
    )?;
    text = edit_patch(
        &text,
        &source,
        "patches.suse/xen-netfront-old-fix.patch",
        &PatchEdit {
            owner: Some(Change::Set("Jan Example <jan@example.org>".into())),
            add_notes: vec!["Upstream since 3.12; removed from the queue.".into()],
            fingerprint: Some(Fingerprint::of(&parse(GONE_PATCH))),
            ..edit()
        },
    )?;
    save_atomically(path, &text)?;
    Ok(())
}

/// The text of the queue's patch `name`.
fn text_of<'a>(files: &'a [(&str, String)], name: &str) -> Result<&'a str, DemoError> {
    files
        .iter()
        .find(|(p, _)| *p == name)
        .map(|(_, text)| text.as_str())
        .ok_or_else(|| DemoError::Data(format!("demo queue lacks {name}")))
}

/// An edit by the demo maintainer that changes nothing yet.
fn edit() -> PatchEdit {
    PatchEdit {
        owner: None,
        feature: None,
        status: None,
        reason: None,
        add_notes: Vec::new(),
        add_links: Vec::new(),
        verified: None,
        fingerprint: None,
        by: BY.into(),
        on: ON.into(),
    }
}

fn parse(text: &str) -> Patch {
    Patch::parse(text.as_bytes(), &ParseOptions::default())
}

/// The patch the gone annotation was written for.
const GONE_PATCH: &str = "\
Subject: xen-netfront: fix a leak
--- a/drivers/net/xen-netfront.c
+++ b/drivers/net/xen-netfront.c
@@ -1 +1,2 @@
 x
+y
";
