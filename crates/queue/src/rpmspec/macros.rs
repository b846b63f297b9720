//! Macro expansion, with bounded depth and work.

use super::parser::Parser;
use std::collections::HashMap;

/// At most this much expansion work for one value.
pub(super) const EXPANSION_BUDGET: usize = 64 * 1024;
/// At most this much expansion work for a whole spec.
pub(super) const TOTAL_EXPANSION_BUDGET: usize = 8 * 1024 * 1024;
/// Macros nest at most this deep.
const MAX_DEPTH: usize = 16;

impl Parser<'_> {
    /// Expand macros in `text`, reporting when the work limit cuts it short.
    pub(super) fn expand(&mut self, text: &str, line: usize) -> String {
        let mut expander = Expander {
            macros: &self.macros,
            budget: self.budget.min(EXPANSION_BUDGET),
            cut: false,
        };
        let start = expander.budget;
        let mut out = String::new();
        expander.run(text, 0, &mut out);
        let (cut, used) = (expander.cut, start - expander.budget);
        self.budget -= used;
        if cut {
            self.problem(line, "macro expansion too deep or too large; cut short");
        }
        out
    }
}

/// Whether `name` can name a macro: a letter or `_`, then letters, digits, `_`.
pub(super) fn valid_macro_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Expands macros with bounded depth and work.
pub(super) struct Expander<'m> {
    pub(super) macros: &'m HashMap<String, String>,
    /// Work left: bytes written plus bytes of macro bodies expanded.
    pub(super) budget: usize,
    /// Whether depth or work limits cut the expansion short.
    pub(super) cut: bool,
}

impl Expander<'_> {
    /// Expand `text` into `out`.
    pub(super) fn run(&mut self, text: &str, depth: usize, out: &mut String) {
        let mut rest = text;
        while !rest.is_empty() {
            if self.budget == 0 {
                self.cut = true;
                return;
            }
            let at = rest.find('%').unwrap_or(rest.len());
            self.emit(&rest[..at], out);
            rest = &rest[at..];
            if rest.is_empty() {
                break;
            }
            let used = self.macro_at(rest, depth, out);
            rest = &rest[used..];
        }
    }

    /// Write `text`, as far as the budget allows.
    fn emit(&mut self, text: &str, out: &mut String) {
        let mut end = text.len().min(self.budget);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end < text.len() {
            self.cut = true;
        }
        out.push_str(&text[..end]);
        self.budget -= end;
    }

    /// Charge `cost` to the budget; false (and cut) when it is spent.
    fn charge(&mut self, cost: usize) -> bool {
        if cost > self.budget {
            self.budget = 0;
            self.cut = true;
            return false;
        }
        self.budget -= cost;
        true
    }

    /// Expand the macro reference at the start of `text` (which starts with `%`);
    /// returns how many bytes it spans.
    fn macro_at(&mut self, text: &str, depth: usize, out: &mut String) -> usize {
        let bytes = text.as_bytes();
        match bytes.get(1) {
            Some(b'%') => {
                self.emit("%", out);
                2
            }
            Some(b'{') => match matching(text, 1, b'{', b'}') {
                Some(end) => {
                    self.braced(&text[2..end], &text[..=end], depth, out);
                    end + 1
                }
                None => {
                    self.emit(text, out);
                    text.len()
                }
            },
            Some(b'(') | Some(b'[') => {
                let close = if bytes[1] == b'(' { b')' } else { b']' };
                let end = matching(text, 1, bytes[1], close).map_or(text.len(), |e| e + 1);
                self.emit(&text[..end], out);
                end
            }
            _ => self.bare(text, depth, out),
        }
    }

    /// `%name`, `%?name`, `%!?name`: a macro reference without braces.
    fn bare(&mut self, text: &str, depth: usize, out: &mut String) -> usize {
        let flags = text[1..]
            .bytes()
            .take_while(|b| matches!(b, b'?' | b'!'))
            .count();
        let name_start = 1 + flags;
        let name_len = text[name_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let end = name_start + name_len;
        let name = &text[name_start..end];
        if name.is_empty() || !valid_macro_name(name) {
            self.emit(&text[..1], out);
            return 1;
        }
        let flag_text = &text[1..name_start];
        if flag_text.contains('?') {
            if flag_text.contains('!') != self.macros.contains_key(name) {
                self.value_of(name, &text[..end], depth, out);
            }
        } else if self.macros.contains_key(name) {
            self.value_of(name, &text[..end], depth, out);
        } else {
            self.emit(&text[..end], out);
        }
        end
    }

    /// The inside of `%{…}`; `whole` is the reference as written.
    fn braced(&mut self, body: &str, whole: &str, depth: usize, out: &mut String) {
        let flags = body
            .bytes()
            .take_while(|b| matches!(b, b'?' | b'!'))
            .count();
        let (flag_text, body) = body.split_at(flags);
        let (name, arg) = match body.split_once(':') {
            Some((name, arg)) => (name, Some(arg)),
            None => (body, None),
        };
        if flag_text.contains('?') {
            let wanted = flag_text.contains('!') != self.macros.contains_key(name);
            match (wanted, arg) {
                (true, Some(arg)) => self.nested(arg, whole, depth, out),
                (true, None) if !flag_text.contains('!') => self.value_of(name, whole, depth, out),
                _ => {}
            }
            return;
        }
        if self.macros.contains_key(name) {
            return self.value_of(name, whole, depth, out);
        }
        match (name, arg) {
            (
                "basename" | "dirname" | "expand" | "quote" | "shrink" | "lower" | "upper",
                Some(arg),
            ) => {
                let mut inner = String::new();
                self.nested(arg, whole, depth, &mut inner);
                let result = builtin(name, &inner);
                self.emit(&result, out);
            }
            _ => self.emit(whole, out),
        }
    }

    /// Expand `text` one level deeper, or write `whole` as is when too deep.
    fn nested(&mut self, text: &str, whole: &str, depth: usize, out: &mut String) {
        if depth >= MAX_DEPTH {
            self.cut = true;
            return self.emit(whole, out);
        }
        if self.charge(text.len()) {
            self.run(text, depth + 1, out);
        }
    }

    /// Expand the value of the defined macro `name`.
    fn value_of(&mut self, name: &str, whole: &str, depth: usize, out: &mut String) {
        let macros = self.macros;
        if let Some(value) = macros.get(name) {
            self.nested(value, whole, depth, out);
        }
    }
}

/// The result of a built-in macro function on its (expanded) argument.
fn builtin(name: &str, arg: &str) -> String {
    match name {
        "basename" => arg.rsplit('/').next().unwrap_or(arg).to_string(),
        "dirname" => match arg.rfind('/') {
            Some(0) => "/".to_string(),
            Some(at) => arg[..at].to_string(),
            None => ".".to_string(),
        },
        "shrink" => arg.split_whitespace().collect::<Vec<_>>().join(" "),
        "lower" => arg.to_lowercase(),
        "upper" => arg.to_uppercase(),
        _ => arg.to_string(),
    }
}

/// The index of the byte closing the bracket opened at `open_at`, counting nesting.
fn matching(text: &str, open_at: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    for (at, &byte) in text.as_bytes().iter().enumerate().skip(open_at) {
        if byte == open {
            depth += 1;
        } else if byte == close {
            depth -= 1;
            if depth == 0 {
                return Some(at);
            }
        }
    }
    None
}
