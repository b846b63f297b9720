//! `report.json`: the serialised [`Report`] model (schema in docs/REPORT.md).

use crate::model::Report;
use crate::ReportError;

/// The report as pretty-printed JSON, with a final newline.
pub fn render(report: &Report) -> Result<String, ReportError> {
    let mut text = serde_json::to_string_pretty(report).map_err(ReportError::Json)?;
    text.push('\n');
    Ok(text)
}

/// The report a [`render`]ed text holds (a server stores reports as JSON and reads them back).
pub fn parse(text: &str) -> Result<Report, ReportError> {
    serde_json::from_str(text).map_err(ReportError::Json)
}

#[cfg(test)]
mod tests {
    use crate::sample::{empty_report, hostile_report, sample_report};

    #[test]
    fn a_report_reads_back_as_it_was_written() {
        for report in [sample_report(), hostile_report(), empty_report()] {
            let text = super::render(&report).expect("render");
            assert_eq!(super::parse(&text).expect("parse"), report);
        }
    }
}
