//! `report.csv`: one row per patch, in queue order, for spreadsheets and scripts.

use crate::escape;
use crate::model::{PatchReport, Report};

/// The columns, in order.
pub const COLUMNS: [&str; 22] = [
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
    "send_to",
    "active_upstream",
    "posted",
    "posted_url",
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

fn fields(p: &PatchReport) -> [String; 22] {
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
        p.send_to.join(" | "),
        p.active_upstream.join(" | "),
        crate::render::posted(p).unwrap_or_default(),
        text(&p.posted_url),
    ]
}

/// A unit enum's serde name (`current`, `stale`).
fn serde_plain(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{render, COLUMNS};
    use crate::sample::hostile_report;

    /// The records of `text` as RFC 4180 has them: each ends in CRLF, fields are separated by
    /// commas, and a quoted field may hold commas, line breaks and doubled quotes.
    fn parse(text: &str) -> Vec<Vec<String>> {
        let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
        let (mut quoted, mut was_quoted) = (false, false);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    c => field.push(c),
                }
                continue;
            }
            match c {
                '"' if field.is_empty() && !was_quoted => (quoted, was_quoted) = (true, true),
                ',' => {
                    record.push(std::mem::take(&mut field));
                    was_quoted = false;
                }
                '\r' if chars.next() == Some('\n') => {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                    was_quoted = false;
                }
                c => {
                    assert!(!was_quoted, "{c:?} after a quoted field");
                    assert!(!"\"\r\n".contains(c), "a bare {c:?}");
                    field.push(c);
                }
            }
        }
        assert!(!quoted, "an unclosed quote");
        assert!(field.is_empty() && record.is_empty(), "no CRLF at the end");
        records
    }

    #[test]
    fn hostile_text_stays_in_its_cell_and_runs_no_formula() {
        let report = hostile_report();
        let records = parse(&render(&report));
        assert_eq!(records[0], COLUMNS);
        let rows = &records[1..];
        assert_eq!(rows.len(), report.patches.len());
        for (row, patch) in rows.iter().zip(&report.patches) {
            assert_eq!(row.len(), COLUMNS.len());
            for cell in row {
                assert!(!cell.starts_with(['=', '+', '-', '@']), "a formula: {cell}");
            }
            // Quoted as it must be: the text comes back whole, behind the formula guard.
            let name = row[1].strip_prefix('\'').unwrap_or(&row[1]);
            assert_eq!(name, patch.name);
            let subject = row[2].strip_prefix('\'').unwrap_or(&row[2]);
            assert_eq!(Some(subject), patch.subject.as_deref());
        }
    }
}
