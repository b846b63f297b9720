//! Findings as a SARIF 2.1.0 log, which forges (GitHub code scanning, GitLab) show inline:
//! one run, the rules that fired, one result per finding, located by the file's path
//! relative to the repository (`base` + the name the series gives) and its line.

use crate::finding::Finding;
use serde_json::{json, Value};

/// The SARIF log of `findings`, made by kdelta `version`; `base` is the queue's directory
/// relative to the repository root (`debian/patches/`, or empty).
pub fn render(findings: &[Finding], version: &str, base: &str) -> Value {
    let mut rules: Vec<&str> = findings.iter().map(|f| f.rule.0).collect();
    rules.sort_unstable();
    rules.dedup();
    let results: Vec<Value> = findings.iter().map(|f| result(f, base)).collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kdelta",
                "version": version,
                "rules": rules.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
            }},
            "results": results,
        }],
    })
}

fn result(f: &Finding, base: &str) -> Value {
    let mut location = json!({"artifactLocation": {"uri": uri(base, &f.file)}});
    if f.line > 0 {
        location["region"] = json!({"startLine": f.line});
    }
    let mut out = json!({
        "ruleId": f.rule.0,
        "level": f.severity.as_str(),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": location}],
    });
    if let Some(fix) = &f.fix {
        out["properties"] = json!({"fix": fix.to_string()});
    }
    out
}

/// A relative URI: `base` and `file` joined, percent-encoded where a URI needs it.
fn uri(base: &str, file: &str) -> String {
    let joined = if base.is_empty() || base.ends_with('/') {
        format!("{base}{file}")
    } else {
        format!("{base}/{file}")
    };
    kdelta_patch::refs::percent_encode(&joined, "/+,=@")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{RuleId, Severity};

    #[test]
    fn a_finding_is_a_located_result_and_its_rule_is_listed_once() {
        let f = |line| {
            Finding::new(
                RuleId("dep3/last-update-date"),
                Severity::Error,
                "fix a b.patch",
                line,
                "`Last-Update: soon` is not a date (YYYY-MM-DD)",
            )
        };
        let log = render(&[f(4), f(0)], "0.1.0 (abc)", "debian/patches");
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().map(Vec::len),
            Some(1)
        );
        let first = &run["results"][0];
        assert_eq!(first["level"], "error");
        let at = &first["locations"][0]["physicalLocation"];
        assert_eq!(
            at["artifactLocation"]["uri"],
            "debian/patches/fix%20a%20b.patch"
        );
        assert_eq!(at["region"]["startLine"], 4);
        assert!(run["results"][1]["locations"][0]["physicalLocation"]
            .get("region")
            .is_none());
    }
}
