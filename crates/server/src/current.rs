//! The current report of each distribution — its newest snapshot with the site's decisions
//! applied — parsed once and kept, with its page and JSON once rendered, until a new
//! snapshot or decision changes it. What a request costs is then a few small queries to
//! check that nothing changed.

use crate::error::Failure;
use crate::state::AppState;
use axum::body::Bytes;
use kdelta_db::DistributionId;
use kdelta_report::Report;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// A distribution's current report, and what was rendered of it.
pub struct Current {
    /// What it was made from: the snapshot, the decisions' versions, the failed refresh.
    pub key: String,
    /// The snapshot's id.
    pub snapshot: i64,
    /// When the snapshot was taken.
    pub taken_at: i64,
    /// The report, decisions applied.
    pub report: Report,
    /// The patches' fingerprints in the snapshot (`patch-id:…`), by name.
    pub fingerprints: HashMap<String, String>,
    /// The error of a refresh that failed after the snapshot.
    pub failed: Option<String>,
    /// The distribution page, once rendered.
    pub html: OnceLock<Body>,
    /// The report as JSON, once serialised.
    pub json: OnceLock<Body>,
}

/// A rendered body, and the same gzip-compressed (most browsers accept it, and a report
/// page of a thousand patches is megabytes).
#[derive(Clone)]
pub struct Body {
    /// As rendered.
    pub plain: Bytes,
    /// Compressed with gzip.
    pub gzip: Bytes,
    /// A digest of `plain`, for an ETag.
    pub digest: u64,
}

impl Body {
    /// `plain`, and compressed.
    pub fn new(plain: Vec<u8>) -> Body {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let gzip = encoder
            .write_all(&plain)
            .and_then(|()| encoder.finish())
            .unwrap_or_default();
        let digest = fnv(&plain);
        Body {
            plain: Bytes::from(plain),
            gzip: Bytes::from(gzip),
            digest,
        }
    }

    /// The body for a request with `headers`, and whether it is the compressed one.
    pub fn for_request(&self, headers: &axum::http::HeaderMap) -> (Bytes, bool) {
        if !self.gzip.is_empty() && accepts_gzip(headers) {
            (self.gzip.clone(), true)
        } else {
            (self.plain.clone(), false)
        }
    }

    /// A response for a request with `headers`: `Content-Encoding` set when compressed,
    /// `Vary: Accept-Encoding` always.
    pub fn respond(
        &self,
        headers: &axum::http::HeaderMap,
        mut response: axum::response::Response,
    ) -> axum::response::Response {
        use axum::http::{header, HeaderValue};
        let (bytes, gzip) = self.for_request(headers);
        *response.body_mut() = axum::body::Body::from(bytes);
        let h = response.headers_mut();
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if gzip {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        response
    }
}

/// The kept reports, by distribution.
#[derive(Default)]
pub struct Reports {
    kept: tokio::sync::Mutex<HashMap<DistributionId, Arc<Current>>>,
}

/// The current report of `distribution`, `None` before its first snapshot.
pub async fn current(
    state: &AppState,
    distribution: DistributionId,
) -> Result<Option<Arc<Current>>, Failure> {
    let Some(summary) = state.db.latest_snapshot_summary(distribution).await? else {
        return Ok(None);
    };
    let decisions = state.db.decisions(distribution).await?;
    let failed = state
        .db
        .failed_since_snapshot(distribution)
        .await?
        .and_then(|r| r.error);
    let versions: i64 = decisions.iter().map(|d| d.version).sum();
    let key = format!("{}:{}:{versions}:{failed:?}", summary.id.0, decisions.len());
    // Held while loading: requests that come meanwhile wait for this load instead of each
    // parsing the report again.
    let mut kept = state.reports.kept.lock().await;
    if let Some(current) = kept.get(&distribution) {
        if current.key == key {
            return Ok(Some(current.clone()));
        }
    }
    let Some(snapshot) = state.db.latest_snapshot(distribution).await? else {
        return Ok(None);
    };
    let text = snapshot.report;
    let facts = snapshot.facts;
    let (report, fingerprints) = tokio::task::spawn_blocking(move || {
        let mut report = kdelta_report::render::json::parse(&text)?;
        let fingerprints = crate::overlay::fingerprints(facts.as_deref());
        crate::overlay::apply(&mut report, &decisions, &fingerprints);
        Ok::<_, kdelta_report::ReportError>((report, fingerprints))
    })
    .await
    .map_err(|_| Failure::Internal)?
    .map_err(|e| {
        eprintln!("kdelta serve: a snapshot does not read: {e}");
        Failure::Internal
    })?;
    let current = Arc::new(Current {
        key,
        snapshot: snapshot.summary.id.0,
        taken_at: snapshot.summary.taken_at,
        report,
        fingerprints,
        failed,
        html: OnceLock::new(),
        json: OnceLock::new(),
    });
    kept.insert(distribution, current.clone());
    Ok(Some(current))
}

/// Whether a request with `headers` accepts a gzip-compressed answer.
pub fn accepts_gzip(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(axum::http::header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| e.split(';').next().is_some_and(|e| e.trim() == "gzip"))
}

/// FNV-1a, 64 bits: a stable digest for ETags.
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
