//! `report.csv`: one row per patch, in queue order, for spreadsheets and scripts.

use crate::escape;
use crate::model::{PatchReport, Report};

/// The columns, in order.
pub const COLUMNS: [&str; 18] = [
    "position",
    "name",
    "subject",
    "status",
    "machine_status",
    "override",
    "confidence",
    "commit",
    "commit_url",
    "release",
    "feature",
    "owner",
    "annotation",
    "stale",
    "notes",
    "links",
    "evidence",
    "files",
];

/// The report as CSV with a header row; fields quoted as RFC 4180 says.
pub fn render(report: &Report) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for patch in &report.patches {
        let row: Vec<String> = fields(patch).iter().map(|f| escape::csv(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

fn fields(p: &PatchReport) -> [String; 18] {
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    [
        p.position.to_string(),
        p.name.clone(),
        text(&p.subject),
        p.status.to_string(),
        p.machine_status.to_string(),
        p.status_override
            .as_ref()
            .map(|o| {
                format!(
                    "{}{}: {}",
                    o.status,
                    if o.applied { "" } else { " (stale)" },
                    o.reason
                )
            })
            .unwrap_or_default(),
        format!("{:.2}", p.confidence),
        text(&p.commit),
        text(&p.commit_url),
        text(&p.release),
        text(&p.feature),
        text(&p.owner),
        serde_plain(&p.annotation),
        text(&p.stale),
        p.notes.join(" | "),
        p.links.join(" "),
        p.evidence
            .first()
            .map(|e| e.detail.clone())
            .unwrap_or_default(),
        p.diffstat.len().to_string(),
    ]
}

/// A unit enum's serde name (`current`, `stale`).
fn serde_plain(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
