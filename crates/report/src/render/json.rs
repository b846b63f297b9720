//! `report.json`: the serialised [`Report`] model (schema in docs/REPORT.md).

use crate::model::Report;
use crate::ReportError;

/// The report as pretty-printed JSON, with a final newline.
pub fn render(report: &Report) -> Result<String, ReportError> {
    let mut text = serde_json::to_string_pretty(report).map_err(ReportError::Json)?;
    text.push('\n');
    Ok(text)
}
