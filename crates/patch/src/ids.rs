//! Typed identifiers: upstream commit ids (full or abbreviated) and git patch-ids.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A git object id written in hex, full (40 or 64 digits) or abbreviated (at least 7).
///
/// Always stored in lower case; header references often abbreviate commits
/// (`Fixes: 1234567890ab`), so an abbreviated id is a valid `CommitId`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CommitId(String);

impl CommitId {
    /// The shortest abbreviation accepted as a commit reference.
    pub const MIN_LEN: usize = 7;

    /// Parse a hex commit id; `None` unless it is 7..=64 hex digits.
    pub fn parse(text: &str) -> Option<CommitId> {
        let ok = (Self::MIN_LEN..=64).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_hexdigit());
        ok.then(|| CommitId(text.to_ascii_lowercase()))
    }

    /// Parse from bytes (see [`CommitId::parse`]).
    pub fn parse_bytes(text: &[u8]) -> Option<CommitId> {
        std::str::from_utf8(text).ok().and_then(Self::parse)
    }

    /// The hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this id is a full object id rather than an abbreviation.
    pub fn is_full(&self) -> bool {
        self.0.len() == 40 || self.0.len() == 64
    }

    /// Whether `other` names the same object, allowing either side to be abbreviated.
    pub fn matches(&self, other: &CommitId) -> bool {
        self.0.starts_with(&other.0) || other.0.starts_with(&self.0)
    }
}

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A git patch-id: the SHA-1 that `git patch-id --stable` computes over a diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PatchId(pub [u8; 20]);

impl PatchId {
    /// The all-zero id, which git prints for a commit with an empty diff.
    pub const ZERO: PatchId = PatchId([0; 20]);

    /// The 40-digit lower-case hex form.
    pub fn to_hex(&self) -> String {
        let mut s = String::with_capacity(40);
        for b in self.0 {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 15)]));
        }
        s
    }

    /// Parse 40 hex digits.
    pub fn from_hex(text: &str) -> Option<PatchId> {
        let bytes = text.as_bytes();
        if bytes.len() != 40 {
            return None;
        }
        let mut out = [0u8; 20];
        for (i, pair) in bytes.chunks(2).enumerate() {
            let hi = hex_val(pair[0])?;
            let lo = hex_val(pair[1])?;
            out[i] = (hi << 4) | lo;
        }
        Some(PatchId(out))
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for PatchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for PatchId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for PatchId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PatchId::from_hex(&s).ok_or_else(|| serde::de::Error::custom("not a 40-digit hex patch-id"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_id_accepts_abbreviations_and_lowercases() {
        let id = CommitId::parse("ABCDEF1").expect("valid");
        assert_eq!(id.as_str(), "abcdef1");
        assert!(!id.is_full());
        assert!(CommitId::parse("abcdef").is_none());
        assert!(CommitId::parse("abcdefg").is_none());
    }

    #[test]
    fn commit_ids_match_by_prefix() {
        let full = CommitId::parse("0123456789abcdef0123456789abcdef01234567").expect("valid");
        let short = CommitId::parse("0123456789ab").expect("valid");
        assert!(full.is_full());
        assert!(full.matches(&short) && short.matches(&full));
    }

    #[test]
    fn patch_id_hex_round_trips() {
        let id = PatchId([0xab; 20]);
        assert_eq!(PatchId::from_hex(&id.to_hex()), Some(id));
        assert_eq!(PatchId::ZERO.to_hex(), "0".repeat(40));
    }
}
