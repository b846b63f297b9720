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

/// A mechanical fix: header fields to set, each replacing the field where the patch has it,
/// else added to the header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The fields to set, in order.
    pub set: Vec<SetField>,
}

/// One header field to set: `field: value`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SetField {
    /// The field's name (`Git-commit`).
    pub field: String,
    /// Its new value.
    pub value: String,
}

impl Fix {
    /// A fix setting each `(field, value)` pair.
    pub fn set<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> Fix {
        Fix {
            set: pairs
                .into_iter()
                .map(|(field, value)| SetField {
                    field: field.to_string(),
                    value,
                })
                .collect(),
        }
    }
}

impl std::fmt::Display for Fix {
    /// `Git-commit: 0123…; Patch-mainline: v6.12`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, s) in self.set.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", s.field, s.value)?;
        }
        Ok(())
    }
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

    /// The same finding with `fix`.
    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }
}
