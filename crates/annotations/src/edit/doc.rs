//! Changing a `toml_edit` document while keeping what a reviewer sees: comments, the order of
//! keys and entries, the layout of arrays. Values replaced keep their decoration (a trailing
//! `# comment`), new keys go where the canonical order puts them, appended array elements
//! copy the layout of the last one.

use crate::model::HistoryEntry;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Key, Table, TableLike, Value};

/// The table of entry `name` in group `group` (`patches`, `features`), created when absent:
/// the group as an implicit table (no `[patches]` header of its own), the entry as a normal
/// `[group."name"]` table placed after the group's last one (or in the group's inline table
/// when the file writes it inline).
pub(crate) fn entry<'d>(
    doc: &'d mut DocumentMut,
    group: &str,
    name: &str,
) -> &'d mut dyn TableLike {
    let group = doc.as_table_mut().entry(group).or_insert_with(|| {
        let mut table = Table::new();
        table.set_implicit(true);
        Item::Table(table)
    });
    let new_entry = match group {
        Item::Value(Value::InlineTable(_)) => Item::Value(Value::InlineTable(InlineTable::new())),
        _ => Item::Table(Table::new()),
    };
    let entry = as_table_like(group).entry(name).or_insert(new_entry);
    as_table_like(entry)
}

/// `item` as a table; an item of another type (never, in a validated file) becomes one.
fn as_table_like(item: &mut Item) -> &mut dyn TableLike {
    match item {
        Item::Table(table) => table,
        Item::Value(Value::InlineTable(table)) => table,
        other => {
            *other = Item::Table(Table::new());
            as_table_like(other)
        }
    }
}

/// The keys of one entry's table, written in a canonical order.
pub(crate) struct Fields<'a> {
    table: &'a mut dyn TableLike,
    order: &'static [&'static str],
}

impl<'a> Fields<'a> {
    /// Edit `table`, whose keys belong in `order`.
    pub(crate) fn new(table: &'a mut dyn TableLike, order: &'static [&'static str]) -> Fields<'a> {
        Fields { table, order }
    }

    /// Set `key` to `value`: in place (keeping a trailing comment) when present, else at its
    /// place in the canonical order.
    pub(crate) fn set(&mut self, key: &str, mut value: Value) {
        match self.table.get_mut(key) {
            Some(Item::Value(old)) => {
                *value.decor_mut() = old.decor().clone();
                *old = value;
            }
            // A `[….key]` sub-table: its key's formatting is a header's, write a fresh one.
            Some(_) => {
                self.table.remove(key);
                self.insert_ordered(key, Item::Value(value));
            }
            None => self.insert_ordered(key, Item::Value(value)),
        }
    }

    /// Set `key` to a string.
    pub(crate) fn set_str(&mut self, key: &str, value: &str) {
        self.set(key, Value::from(value));
    }

    /// Remove `key` (and the comments above it).
    pub(crate) fn remove(&mut self, key: &str) {
        self.table.remove(key);
    }

    /// Append `values` to the string array `key`, creating it when absent.
    pub(crate) fn append_strings(&mut self, key: &str, values: &[String]) {
        if values.is_empty() {
            return;
        }
        match self.table.get_mut(key).and_then(Item::as_array_mut) {
            Some(array) => {
                for value in values {
                    push_like_last(array, Value::from(value.as_str()));
                }
            }
            None => self.set(
                key,
                Value::Array(values.iter().map(String::as_str).collect()),
            ),
        }
    }

    /// Append `entry` to `history`: an element of its array (one per line when new) or a
    /// `[[…history]]` table when the file writes it so.
    pub(crate) fn append_history(&mut self, entry: &HistoryEntry) {
        let pairs = [
            ("on", &entry.on),
            ("by", &entry.by),
            ("change", &entry.change),
        ];
        match self.table.get_mut("history") {
            Some(Item::ArrayOfTables(tables)) => {
                let mut table = Table::new();
                for (key, value) in pairs {
                    table.insert(key, toml_edit::value(value.as_str()));
                }
                tables.push(table);
            }
            Some(Item::Value(Value::Array(array))) if !array.is_empty() => {
                push_like_last(array, inline(pairs));
            }
            _ => self.set("history", one_per_line(inline(pairs))),
        }
    }

    /// Insert a new `key` before the keys the canonical order puts after it (those are moved
    /// after it with their comments and formatting).
    fn insert_ordered(&mut self, key: &str, item: Item) {
        let order = self.order;
        let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
        let later: Vec<String> = self
            .table
            .iter()
            .map(|(k, _)| k)
            .filter(|k| rank(k) > rank(key))
            .map(str::to_string)
            .collect();
        let mut moved: Vec<(Key, Item)> = Vec::new();
        for name in &later {
            let formatted = self.table.key(name).cloned();
            if let (Some(formatted), Some(item)) = (formatted, self.table.remove(name)) {
                moved.push((formatted, item));
            }
        }
        self.table.insert(key, item);
        for (formatted, item) in moved {
            self.table.entry_format(&formatted).or_insert(item);
        }
    }
}

/// An inline table `{ k = "v", … }`.
fn inline<const N: usize>(pairs: [(&str, &String); N]) -> Value {
    let mut table = InlineTable::new();
    for (key, value) in pairs {
        table.insert(key, Value::from(value.as_str()));
    }
    Value::InlineTable(table)
}

/// An array holding `value` on a line of its own, as the history is written.
fn one_per_line(value: Value) -> Value {
    let mut array = Array::new();
    array.push_formatted(value.decorated("\n    ", ""));
    array.set_trailing_comma(true);
    array.set_trailing("\n");
    Value::Array(array)
}

/// Push `value` laid out like the array's last element when the array has a layout to copy
/// (several elements, or one on its own line); else with toml_edit's default spacing.
fn push_like_last(array: &mut Array, mut value: Value) {
    let copy = array.iter().last().filter(|last| {
        let own_line = last
            .decor()
            .prefix()
            .and_then(|p| p.as_str())
            .is_some_and(|p| p.contains('\n'));
        own_line || array.len() >= 2
    });
    if let Some(last) = copy {
        *value.decor_mut() = last.decor().clone();
    }
    array.push_formatted(value);
}
