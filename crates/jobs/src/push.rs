//! `kdelta push`: send a distribution's report model to a `kdelta serve` that cannot read the
//! queue itself, with — when the queue was analysed here — what clustering knows of each
//! patch, so that the distribution takes part in the common delta.
//!
//! The server's address is the distribution's page (`https://HOST/distributions/NAME`) or its
//! API resource (`…/api/v1/distributions/NAME`); the report goes to
//! `…/api/v1/distributions/NAME/snapshots` with a maintainer's API token.

use crate::JobError;
use kdelta_analysis::compare::PatchFacts;
use kdelta_report::Report;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What is pushed: the report model, and the patches' facts when the queue was read.
#[derive(Debug, Serialize, Deserialize)]
pub struct Pushed {
    /// The report model (the JSON `kdelta report` writes).
    pub report: Report,
    /// What clustering knows of each patch; none for a report pushed alone.
    #[serde(default)]
    pub facts: Option<Vec<PatchFacts>>,
}

/// What the server answered to a push it took.
#[derive(Debug, Deserialize, Serialize, PartialEq)]
pub struct Taken {
    /// The distribution.
    pub distribution: String,
    /// The new snapshot's id.
    pub snapshot: i64,
    /// How many patches it has.
    pub patches: i64,
    /// Whether it takes part in the common delta (facts were sent).
    pub clustered: bool,
}

/// The snapshots resource of the distribution `url` names.
pub fn endpoint(url: &str) -> Result<String, JobError> {
    let bad = || {
        JobError::Input(format!(
            "{url:?} does not name a distribution on a kdelta server: give \
             http(s)://HOST/distributions/NAME"
        ))
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let trimmed = url.trim_end_matches('/');
    let (base, name) = trimmed.rsplit_once("/distributions/").ok_or_else(bad)?;
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !valid || rest.is_empty() || rest.starts_with('/') {
        return Err(bad());
    }
    let base = base.strip_suffix("/api/v1").unwrap_or(base);
    Ok(format!("{base}/api/v1/distributions/{name}/snapshots"))
}

/// Push `pushed` to the distribution `url` names, with the API token `token`.
pub fn push(url: &str, token: &str, pushed: &Pushed) -> Result<Taken, JobError> {
    let endpoint = endpoint(url)?;
    let body = serde_json::to_vec(pushed)
        .map_err(|e| JobError::Input(format!("the report cannot be sent: {e}")))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let failed = |e: ureq::Error| JobError::Input(format!("pushing to {endpoint}: {e}"));
    let mut answer = agent
        .post(&endpoint)
        .header("Authorization", &format!("Bearer {}", token.trim()))
        .header("Content-Type", "application/json")
        .send(&body[..])
        .map_err(failed)?;
    let status = answer.status();
    let text = answer
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_string()
        .map_err(failed)?;
    if !status.is_success() {
        return Err(JobError::Input(format!(
            "{endpoint} refused the push: {status}: {}",
            refusal(&text)
        )));
    }
    serde_json::from_str(&text).map_err(|e| {
        JobError::Input(format!(
            "{endpoint} answered what is not a push's answer: {e}"
        ))
    })
}

/// What a refusal says: its `error`, or its text (cut short).
fn refusal(text: &str) -> String {
    #[derive(Deserialize)]
    struct Refusal {
        error: String,
    }
    match serde_json::from_str::<Refusal>(text) {
        Ok(r) => r.error,
        Err(_) => text.chars().take(200).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::endpoint;

    #[test]
    fn a_distribution_url_names_its_snapshots() {
        let want = "https://k.example.org/api/v1/distributions/debian/snapshots";
        for url in [
            "https://k.example.org/distributions/debian",
            "https://k.example.org/distributions/debian/",
            "https://k.example.org/api/v1/distributions/debian",
        ] {
            assert_eq!(endpoint(url).expect(url), want);
        }
        assert_eq!(
            endpoint("http://127.0.0.1:8080/delta/distributions/x-1.0").expect("prefix"),
            "http://127.0.0.1:8080/delta/api/v1/distributions/x-1.0/snapshots"
        );
        for bad in [
            "k.example.org/distributions/debian",
            "https://k.example.org/",
            "https://k.example.org/distributions/",
            "https://k.example.org/distributions/a b",
            "ftp://k.example.org/distributions/debian",
        ] {
            assert!(endpoint(bad).is_err(), "{bad}");
        }
    }
}
