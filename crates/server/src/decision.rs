//! The decisions people record about a patch on the site, one document per patch: the
//! annotation model (owner, feature, notes, links, a status set by hand with its reason) and
//! a claim on its upstreaming with where that stands.

use kdelta_analysis::Status;
use serde::{Deserialize, Serialize};

/// Where a claim on a patch's upstreaming stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimState {
    /// Someone is upstreaming it.
    Claimed,
    /// It is posted (the link says where).
    Posted,
    /// Upstream merged it.
    Merged,
    /// Given up.
    Abandoned,
}

/// A claim on a patch's upstreaming.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Who.
    pub by: String,
    /// Where it stands.
    pub state: ClaimState,
    /// The posting, the merge.
    pub link: Option<String>,
    /// When it was last changed.
    pub at: i64,
}

/// A note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// What it says.
    pub text: String,
    /// Who wrote it.
    pub by: String,
    /// When.
    pub at: i64,
}

/// A status set by hand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Override {
    /// The status.
    pub status: Status,
    /// Why.
    pub reason: String,
    /// Who set it.
    pub by: String,
    /// When.
    pub at: i64,
}

/// Every decision about one patch.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The claim on its upstreaming.
    #[serde(default)]
    pub claim: Option<Claim>,
    /// Who owns it.
    #[serde(default)]
    pub owner: Option<String>,
    /// The feature it provides.
    #[serde(default)]
    pub feature: Option<String>,
    /// Notes, oldest first.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Links: postings, bugs.
    #[serde(default)]
    pub links: Vec<String>,
    /// Its status set by hand.
    #[serde(default)]
    pub status: Option<Override>,
}

/// The longest text a note, reason or link may have.
pub const MAX_TEXT: usize = 8192;

/// `text` trimmed, when it is not empty nor too long.
pub fn text(field: &str, text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("{field} is empty"));
    }
    if text.len() > MAX_TEXT {
        return Err(format!("{field} is longer than {MAX_TEXT} bytes"));
    }
    Ok(text.to_string())
}

/// `link` when it is a plain http(s) URL.
pub fn link(link: &str) -> Result<String, String> {
    let link = text("link", link)?;
    if !(link.starts_with("https://") || link.starts_with("http://"))
        || link.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(format!("link {link:?} is not an http(s) URL"));
    }
    Ok(link)
}
