//! Preamble tags and `PatchN:`/`SourceN:` declarations (also `%patchlist`, `%sourcelist`).

use super::parser::{is_digits_or_empty, Parser, Section};
use super::RpmFile;
use crate::series::is_safe_relative_path;

impl Parser<'_> {
    /// A preamble line: `Tag: value`.
    pub(super) fn tag(&mut self, line: usize, trimmed: &str) {
        let Some((tag, value)) = split_tag(trimmed) else {
            return;
        };
        let lower = tag.to_ascii_lowercase();
        if let Some(number) = lower
            .strip_prefix("patch")
            .filter(|n| is_digits_or_empty(n))
        {
            self.declare(line, true, Some(number), value);
        } else if let Some(number) = lower
            .strip_prefix("source")
            .filter(|n| is_digits_or_empty(n))
        {
            self.declare(line, false, Some(number), value);
        } else if self.section == Section::Preamble
            && matches!(lower.as_str(), "name" | "version" | "release" | "epoch")
        {
            let value = self.expand(value, line);
            self.macros
                .insert(lower.to_ascii_uppercase(), value.clone());
            self.macros.insert(lower.clone(), value.clone());
            let field = match lower.as_str() {
                "name" => &mut self.spec.name,
                "version" => &mut self.spec.version,
                "release" => &mut self.spec.release,
                _ => return,
            };
            field.get_or_insert(value);
        }
    }

    /// Declare a patch (or source) numbered `number` (`Some("")` or `None`: automatic).
    pub(super) fn declare(&mut self, line: usize, patch: bool, number: Option<&str>, value: &str) {
        let next = if patch {
            self.next_patch
        } else {
            self.next_source
        };
        let number = match number.filter(|n| !n.is_empty()) {
            None => next,
            Some(digits) => match digits.parse::<u32>() {
                Ok(number) => number,
                Err(_) => return self.problem(line, format!("number {digits} is too large")),
            },
        };
        let next = number.saturating_add(1);
        if patch {
            self.next_patch = next;
        } else {
            self.next_source = next;
        }
        let value = self.expand(value.trim(), line);
        let name = value.rsplit('/').next().unwrap_or(&value).to_string();
        let kind = if patch { "Patch" } else { "Source" };
        if name.is_empty() || !is_safe_relative_path(&name) || name == "." {
            return self.problem(line, format!("{kind}{number} has no usable file name"));
        }
        if patch {
            self.check_name(line, &name);
        }
        let conditional = self.depth > 0;
        if !conditional && !self.declared.insert((patch, number)) {
            self.problem(line, format!("{kind}{number} is declared more than once"));
        }
        let macro_name = format!("{}{number}", kind.to_ascii_uppercase());
        self.macros.insert(macro_name, name.clone());
        let file = RpmFile {
            number,
            name,
            value,
            line,
            conditional,
        };
        if patch {
            self.spec.patches.push(file);
        } else {
            self.spec.sources.push(file);
        }
    }

    /// Report a patch name with an unexpanded macro or replacement characters in it.
    fn check_name(&mut self, line: usize, name: &str) {
        if name.contains('%') {
            self.problem(line, format!("patch name {name:?} has an unexpanded macro"));
        }
        if name.contains('\u{fffd}') {
            self.problem(line, format!("patch name {name:?} is not valid UTF-8"));
        }
    }
}

/// `Tag: value` (a tag may carry a qualifier: `Requires(post):`).
pub(super) fn split_tag(trimmed: &str) -> Option<(&str, &str)> {
    let end = trimmed
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(trimmed.len());
    let (tag, mut rest) = trimmed.split_at(end);
    if tag.is_empty() || !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    if rest.starts_with('(') {
        rest = &rest[rest.find(')')? + 1..];
    }
    let value = rest.trim_start().strip_prefix(':')?;
    Some((tag, value.trim()))
}
