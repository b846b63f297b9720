//! A finding: which rule, how serious, where, what, and the mechanical fix if there is one.

use serde::Serialize;

/// A rule's identifier, `convention/what` (`dep3/last-update-date`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RuleId(pub &'static str);

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// How serious a finding is; `--fail-on` compares against it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing (SARIF `note`).
    Note,
    /// Against the convention's advice (SARIF `warning`).
    Warning,
    /// Against the convention's rules (SARIF `error`).
    Error,
}

impl Severity {
    /// The word for it (`error`), as SARIF spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A mechanical fix: the header line to set (`Field: value`), replacing the field where the
/// patch has it, else added to the header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The field to set.
    pub field: String,
    /// Its new value.
    pub value: String,
}

/// One finding in one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule broken.
    pub rule: RuleId,
    /// How serious.
    pub severity: Severity,
    /// The file: the patch as the series names it, or the series itself.
    pub file: String,
    /// The 1-based line, 0 for the whole file.
    pub line: usize,
    /// What is wrong, in plain words (patch text in it is the patch's own: escape it).
    pub message: String,
    /// The mechanical fix, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl Finding {
    /// A finding without a fix.
    pub fn new(
        rule: RuleId,
        severity: Severity,
        file: &str,
        line: usize,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            rule,
            severity,
            file: file.to_string(),
            line,
            message: message.into(),
            fix: None,
        }
    }
}
