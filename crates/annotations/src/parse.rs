//! Reading an annotations file: the TOML is parsed with its spans kept
//! (`toml_edit::Document`), then walked table by table into typed values. Every error names
//! the file, line and column; unknown keys are errors, so a typo is never silently ignored.

use crate::date::is_date;
use crate::error::{AnnotationError, Location, Problem};
use crate::fingerprint::Fingerprint;
use crate::model::{Annotations, FeatureAnnotation, HistoryEntry, PatchAnnotation, Verified};
use kdelta_analysis::Status;
use std::collections::BTreeMap;
use std::ops::Range;
use toml_edit::{Document, Item, TableLike, Value};

/// The keys of the top level.
pub(crate) const ROOT_KEYS: &str = "patches, features";
/// The keys of a `[patches."NAME"]` table, in the order edits write them.
pub(crate) const PATCH_KEYS: [&str; 9] = [
    "feature",
    "owner",
    "status",
    "reason",
    "notes",
    "links",
    "verified",
    "fingerprint",
    "history",
];
/// The keys of a `[features.NAME]` table, in the order edits write them.
pub(crate) const FEATURE_KEYS: [&str; 3] = ["note", "owner", "links"];
const PATCH_EXPECTED: &str =
    "feature, owner, status, reason, notes, links, verified, fingerprint, history";
const FEATURE_EXPECTED: &str = "note, owner, links";
const VERIFIED_EXPECTED: &str = "by, on";
const HISTORY_EXPECTED: &str = "on, by, change";

type Result<T> = std::result::Result<T, AnnotationError>;

/// Parse `text`, an annotations file named `file` in errors.
pub(crate) fn parse(text: &str, file: &str) -> Result<Annotations> {
    let reader = Reader {
        text,
        file,
        newlines: Default::default(),
    };
    let doc = Document::parse(text).map_err(|e| reader.syntax(&e))?;
    let root = doc.as_table();
    let mut annotations = Annotations::default();
    for (name, item) in root.iter() {
        let field = Field::new(root, name, item);
        match name {
            "patches" => annotations.patches = reader.entries(&field, Reader::patch)?,
            "features" => annotations.features = reader.entries(&field, Reader::feature)?,
            _ => return Err(reader.unknown(&field, ROOT_KEYS)),
        }
    }
    Ok(annotations)
}

/// The error for a TOML syntax error in `text`, the file `file`.
pub(crate) fn syntax_error(
    text: &str,
    file: &str,
    error: &toml_edit::TomlError,
) -> AnnotationError {
    Reader {
        text,
        file,
        newlines: Default::default(),
    }
    .syntax(error)
}

/// A key and its item in a table, with the spans errors point at.
struct Field<'a> {
    name: &'a str,
    item: &'a Item,
    /// The key's span, else the item's.
    key_span: Option<Range<usize>>,
    /// The value's span, else the key's.
    value_span: Option<Range<usize>>,
}

impl<'a> Field<'a> {
    fn new(table: &'a dyn TableLike, name: &'a str, item: &'a Item) -> Field<'a> {
        let key = table.key(name).and_then(|k| k.span());
        let value = item.span();
        Field {
            name,
            item,
            key_span: key.clone().or(value.clone()),
            value_span: value.or(key),
        }
    }

    fn wrong_type(&self, expected: &'static str, found: &'static str) -> Problem {
        Problem::WrongType {
            key: self.name.to_string(),
            expected,
            found,
        }
    }
}

/// Reads typed values out of the parsed document of one file.
struct Reader<'a> {
    text: &'a str,
    file: &'a str,
    /// Where each line after the first starts, found once when a line is first asked for
    /// (entries record their lines: counting from the top for each was quadratic).
    newlines: std::cell::OnceCell<Vec<usize>>,
}

impl Reader<'_> {
    fn error(&self, span: Option<Range<usize>>, problem: Problem) -> AnnotationError {
        let at = span.map_or(
            Location {
                line: 1,
                column: None,
            },
            |s| Location::of_offset(self.text, s.start),
        );
        AnnotationError::Invalid {
            file: self.file.to_string(),
            at,
            problem,
        }
    }

    fn syntax(&self, error: &toml_edit::TomlError) -> AnnotationError {
        self.error(error.span(), Problem::Syntax(error.message().to_string()))
    }

    fn unknown(&self, field: &Field, expected: &'static str) -> AnnotationError {
        let problem = Problem::UnknownKey {
            key: field.name.to_string(),
            expected,
        };
        self.error(field.key_span.clone(), problem)
    }

    /// `[patches]` or `[features]`: a table of named entries, each read by `read`.
    fn entries<T>(
        &self,
        field: &Field,
        read: fn(&Self, &dyn TableLike, &Field) -> Result<T>,
    ) -> Result<BTreeMap<String, T>> {
        let table = self.table(field, "a table of names")?;
        let mut entries = BTreeMap::new();
        for (name, item) in table.iter() {
            let entry = Field::new(table, name, item);
            let entry_table = self.table(&entry, "a table")?;
            entries.insert(name.to_string(), read(self, entry_table, &entry)?);
        }
        Ok(entries)
    }

    fn table<'t>(&self, field: &Field<'t>, expected: &'static str) -> Result<&'t dyn TableLike> {
        field.item.as_table_like().ok_or_else(|| {
            let problem = field.wrong_type(expected, field.item.type_name());
            self.error(field.value_span.clone(), problem)
        })
    }

    fn patch(&self, table: &dyn TableLike, at: &Field) -> Result<PatchAnnotation> {
        let mut patch = PatchAnnotation {
            line: self.line(at),
            ..Default::default()
        };
        let mut status_span = None;
        for (name, item) in table.iter() {
            let field = Field::new(table, name, item);
            match name {
                "status" => {
                    patch.status = Some(self.status(&field)?);
                    status_span = field.key_span.clone();
                }
                "reason" => patch.reason = Some(self.string(&field)?),
                "feature" => patch.feature = Some(self.string(&field)?),
                "owner" => patch.owner = Some(self.string(&field)?),
                "notes" => patch.notes = self.strings(&field)?,
                "links" => patch.links = self.strings(&field)?,
                "verified" => patch.verified = Some(self.verified(&field)?),
                "fingerprint" => patch.fingerprint = Some(self.fingerprint(&field)?),
                "history" => patch.history = self.history(&field)?,
                _ => return Err(self.unknown(&field, PATCH_EXPECTED)),
            }
        }
        if patch.status.is_some() && !has_reason(&patch) {
            return Err(self.error(status_span, Problem::StatusWithoutReason));
        }
        Ok(patch)
    }

    fn feature(&self, table: &dyn TableLike, at: &Field) -> Result<FeatureAnnotation> {
        let mut feature = FeatureAnnotation {
            line: self.line(at),
            ..Default::default()
        };
        for (name, item) in table.iter() {
            let field = Field::new(table, name, item);
            match name {
                "note" => feature.note = Some(self.string(&field)?),
                "owner" => feature.owner = Some(self.string(&field)?),
                "links" => feature.links = self.strings(&field)?,
                _ => return Err(self.unknown(&field, FEATURE_EXPECTED)),
            }
        }
        Ok(feature)
    }

    /// The line of an entry: of its key (in its table header, for a `[table]`).
    fn line(&self, at: &Field) -> usize {
        let newlines = self.newlines.get_or_init(|| {
            self.text
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect()
        });
        at.key_span
            .as_ref()
            .map_or(1, |s| newlines.partition_point(|&n| n < s.start) + 1)
    }

    fn value<'t>(&self, field: &Field<'t>, expected: &'static str) -> Result<&'t Value> {
        field.item.as_value().ok_or_else(|| {
            let problem = field.wrong_type(expected, field.item.type_name());
            self.error(field.value_span.clone(), problem)
        })
    }

    fn string(&self, field: &Field) -> Result<String> {
        let value = self.value(field, "a string")?;
        self.str_of(field, value, "a string").map(str::to_string)
    }

    fn str_of<'v>(
        &self,
        field: &Field,
        value: &'v Value,
        expected: &'static str,
    ) -> Result<&'v str> {
        value.as_str().ok_or_else(|| {
            let problem = field.wrong_type(expected, value.type_name());
            self.error(value.span().or(field.value_span.clone()), problem)
        })
    }

    fn strings(&self, field: &Field) -> Result<Vec<String>> {
        const EXPECTED: &str = "an array of strings";
        let value = self.value(field, EXPECTED)?;
        let array = value.as_array().ok_or_else(|| {
            let problem = field.wrong_type(EXPECTED, value.type_name());
            self.error(field.value_span.clone(), problem)
        })?;
        array
            .iter()
            .map(|v| self.str_of(field, v, EXPECTED).map(str::to_string))
            .collect()
    }

    fn status(&self, field: &Field) -> Result<Status> {
        let text = self.string(field)?;
        text.parse::<Status>()
            .map_err(|e| self.error(field.value_span.clone(), e.into()))
    }

    fn fingerprint(&self, field: &Field) -> Result<Fingerprint> {
        let text = self.string(field)?;
        Fingerprint::parse(&text).map_err(|e| self.error(field.value_span.clone(), e.into()))
    }

    /// A `YYYY-MM-DD` string, or a TOML local date (`on = 2026-11-25`) written back as one.
    fn date(&self, field: &Field) -> Result<String> {
        const EXPECTED: &str = "a date \"YYYY-MM-DD\"";
        let value = self.value(field, EXPECTED)?;
        let text = match value {
            Value::String(s) => s.value().clone(),
            Value::Datetime(d) => local_date(d.value()).ok_or_else(|| {
                let problem = Problem::BadDate(d.value().to_string());
                self.error(field.value_span.clone(), problem)
            })?,
            other => {
                let problem = field.wrong_type(EXPECTED, other.type_name());
                return Err(self.error(field.value_span.clone(), problem));
            }
        };
        if !is_date(&text) {
            return Err(self.error(field.value_span.clone(), Problem::BadDate(text)));
        }
        Ok(text)
    }

    fn verified(&self, field: &Field) -> Result<Verified> {
        let table = self.table(field, "a table { by, on }")?;
        let span = field.value_span.clone();
        let keys = [("by", Kind::Text), ("on", Kind::Date)];
        let [by, on] = self.record(table, span, "verified", keys, VERIFIED_EXPECTED)?;
        Ok(Verified { by, on })
    }

    /// `history = [{ on, by, change }, …]` or `[[patches."NAME".history]]` tables.
    fn history(&self, field: &Field) -> Result<Vec<HistoryEntry>> {
        let entries = match field.item {
            Item::ArrayOfTables(tables) => tables
                .iter()
                .map(|t| (t as &dyn TableLike, t.span()))
                .collect(),
            _ => self.inline_tables(field, "an array of tables { on, by, change }")?,
        };
        entries
            .into_iter()
            .map(|(table, span)| self.history_entry(table, span))
            .collect()
    }

    /// An array of inline tables, each with its span.
    fn inline_tables<'t>(&self, field: &Field<'t>, expected: &'static str) -> Result<Spanned<'t>> {
        let value = self.value(field, expected)?;
        let array = value.as_array().ok_or_else(|| {
            let problem = field.wrong_type(expected, value.type_name());
            self.error(field.value_span.clone(), problem)
        })?;
        array
            .iter()
            .map(|v| match v.as_inline_table() {
                Some(table) => Ok((table as &dyn TableLike, v.span())),
                None => Err(self.error(v.span(), field.wrong_type(expected, v.type_name()))),
            })
            .collect()
    }

    fn history_entry(
        &self,
        table: &dyn TableLike,
        span: Option<Range<usize>>,
    ) -> Result<HistoryEntry> {
        let keys = [
            ("on", Kind::Date),
            ("by", Kind::Text),
            ("change", Kind::Text),
        ];
        let [on, by, change] =
            self.record(table, span, "a history entry", keys, HISTORY_EXPECTED)?;
        Ok(HistoryEntry { on, by, change })
    }

    /// A small table whose keys are all required, each a string or a date.
    fn record<const N: usize>(
        &self,
        table: &dyn TableLike,
        span: Option<Range<usize>>,
        what: &'static str,
        keys: [(&'static str, Kind); N],
        expected: &'static str,
    ) -> Result<[String; N]> {
        let mut values: [Option<String>; N] = std::array::from_fn(|_| None);
        for (name, item) in table.iter() {
            let field = Field::new(table, name, item);
            let i = keys
                .iter()
                .position(|(key, _)| *key == name)
                .ok_or_else(|| self.unknown(&field, expected))?;
            values[i] = Some(match keys[i].1 {
                Kind::Text => self.string(&field)?,
                Kind::Date => self.date(&field)?,
            });
        }
        let mut out: [String; N] = std::array::from_fn(|_| String::new());
        for (i, value) in values.into_iter().enumerate() {
            let missing = || {
                let problem = Problem::Missing {
                    table: what,
                    key: keys[i].0,
                };
                self.error(span.clone(), problem)
            };
            out[i] = value.ok_or_else(missing)?;
        }
        Ok(out)
    }
}

/// Tables and where they are.
type Spanned<'t> = Vec<(&'t dyn TableLike, Option<Range<usize>>)>;

/// What a key of a small table holds.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Date,
}

/// Whether a patch annotation has a non-blank reason.
pub(crate) fn has_reason(patch: &PatchAnnotation) -> bool {
    patch
        .reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty())
}

/// The `YYYY-MM-DD` of a TOML local date (no time, no offset).
fn local_date(datetime: &toml_edit::Datetime) -> Option<String> {
    match (datetime.date, datetime.time, datetime.offset) {
        (Some(d), None, None) => Some(format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
