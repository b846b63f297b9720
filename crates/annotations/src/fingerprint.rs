//! The fingerprint of the patch content an annotation was written for: `patch-id:<hex>` (git's
//! stable patch-id of the diff) or, for a patch without a diff, `text:<hex>` (SHA-1 of its
//! subject and description). When it no longer matches the patch, the annotation is stale.

use kdelta_patch::Patch;
use serde::Serialize;
use sha1::{Digest, Sha1};
use std::fmt;

/// A patch fingerprint, `KIND:HEX` (`patch-id:0123…`, `text:89ab…`), hex in lower case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Fingerprint(String);

/// A text that is not a fingerprint's `KIND:HEX` shape.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a fingerprint: expected KIND:HEX with KIND in lower case and 40 or 64 hex \
     digits, e.g. patch-id:0123456789abcdef0123456789abcdef01234567"
)]
pub struct BadFingerprint(pub String);

impl Fingerprint {
    /// The fingerprint of `patch`: `patch-id:` and its stable patch-id when it has a diff,
    /// else `text:` and the SHA-1 of its raw subject, two newlines and its description.
    pub fn of(patch: &Patch) -> Fingerprint {
        match patch.patch_id() {
            Some(id) => Fingerprint(format!("patch-id:{id}")),
            None => Fingerprint(format!("text:{}", text_hash(patch))),
        }
    }

    /// Parse `KIND:HEX`: KIND is lower-case ASCII letters, digits and `-`, starting with a
    /// letter; HEX is 40 or 64 hex digits (upper case is accepted and lowered).
    pub fn parse(text: &str) -> Result<Fingerprint, BadFingerprint> {
        let bad = || BadFingerprint(text.to_string());
        let (kind, hex) = text.split_once(':').ok_or_else(bad)?;
        if !is_kind(kind) || !is_hex(hex) {
            return Err(bad());
        }
        Ok(Fingerprint(format!("{kind}:{}", hex.to_ascii_lowercase())))
    }

    /// The whole `KIND:HEX` text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The kind, before the colon (`patch-id`, `text`).
    pub fn kind(&self) -> &str {
        self.0.split_once(':').map_or("", |(kind, _)| kind)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Fingerprint {
    type Err = BadFingerprint;

    fn from_str(text: &str) -> Result<Fingerprint, BadFingerprint> {
        Fingerprint::parse(text)
    }
}

fn is_kind(kind: &str) -> bool {
    kind.starts_with(|c: char| c.is_ascii_lowercase())
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_hex(hex: &str) -> bool {
    matches!(hex.len(), 40 | 64) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// SHA-1 over the raw subject, `\n\n` and the description, in lower-case hex.
fn text_hash(patch: &Patch) -> String {
    let mut hasher = Sha1::new();
    if let Some(subject) = &patch.header.subject {
        hasher.update(subject.raw.as_bytes());
    }
    hasher.update(b"\n\n");
    hasher.update(patch.header.description.as_slice());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_patch::ParseOptions;

    const DIFF: &[u8] =
        b"Subject: [PATCH] xen: fix it\n\nWhy.\n---\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n";

    #[test]
    fn a_patch_with_a_diff_is_fingerprinted_by_its_patch_id() {
        let patch = Patch::parse(DIFF, &ParseOptions::default());
        let id = patch.patch_id().expect("the patch has a diff");
        assert_eq!(Fingerprint::of(&patch).as_str(), format!("patch-id:{id}"));
        assert_eq!(Fingerprint::of(&patch).kind(), "patch-id");
    }

    #[test]
    fn a_patch_without_a_diff_is_fingerprinted_by_its_text() {
        let text = b"Subject: [PATCH] doc: explain\n\nOnly words here.\n";
        let patch = Patch::parse(text, &ParseOptions::default());
        let fingerprint = Fingerprint::of(&patch);
        assert_eq!(fingerprint.kind(), "text");
        assert_eq!(
            Fingerprint::parse(fingerprint.as_str()),
            Ok(fingerprint.clone())
        );
        let other = Patch::parse(
            b"Subject: [PATCH] doc: explain\n\nOther words.\n",
            &ParseOptions::default(),
        );
        assert_ne!(Fingerprint::of(&other), fingerprint);
    }

    #[test]
    fn parse_checks_the_kind_and_hex_shape() {
        let hex = "0123456789ABCDEF0123456789abcdef01234567";
        let parsed = Fingerprint::parse(&format!("patch-id:{hex}")).expect("valid");
        assert_eq!(
            parsed.as_str(),
            format!("patch-id:{}", hex.to_ascii_lowercase())
        );
        for bad in [
            "",
            "patch-id",
            "patch-id:",
            "patch-id:0123",
            &format!("Patch-id:{hex}"),
            &format!("-x:{hex}"),
            &format!("patch-id:{}g", &hex[1..]),
            &format!("patch-id {hex}"),
        ] {
            assert_eq!(
                Fingerprint::parse(bad),
                Err(BadFingerprint(bad.to_string())),
                "{bad}"
            );
        }
    }
}
