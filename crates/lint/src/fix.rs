//! Applying a finding's fix to the patch text: each field set replaces the header line that
//! has it (with its continuation lines), or is added at the end of the header's first
//! paragraph. Pure: text in, text out; the front end writes the file (atomically).

use crate::finding::{Fix, SetField};
use kdelta_patch::diff::find_diff_start;
use kdelta_patch::mail::{is_blank, is_continuation, split_field};
use kdelta_patch::Patch;
use thiserror::Error;

/// Why a fix could not be applied.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FixError {
    /// The header line the patch was read with is not there any more.
    #[error("line {line} no longer holds `{field}:` (the file changed since it was read)")]
    Moved {
        /// The field.
        field: String,
        /// Its line when read.
        line: usize,
    },
    /// A value that would break the header.
    #[error("`{field}:` would get a value spanning lines")]
    Multiline {
        /// The field.
        field: String,
    },
}

/// One edit of the line list: replace `remove` lines at `at` by `lines`.
struct Edit {
    at: usize,
    remove: usize,
    lines: Vec<Vec<u8>>,
}

/// `text` (as `patch` was parsed from) with `fixes` applied.
pub fn apply(text: &[u8], patch: &Patch, fixes: &[&Fix]) -> Result<Vec<u8>, FixError> {
    let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let crlf = lines.first().is_some_and(|l| l.ends_with(b"\r"));
    let (end, fields) = header_end(&lines, text);
    let mut edits: Vec<Edit> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for set in fixes.iter().flat_map(|f| &f.set) {
        let key = set.field.to_ascii_lowercase();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        edits.push(edit(&lines, patch, set, end, crlf)?);
    }
    // Fields added before free text (a patch without a header) end with a blank line, so the
    // text stays the description rather than continuing the field.
    let added_on_top = !fields && edits.iter().any(|e| e.at == end && e.remove == 0);
    if added_on_top && lines.get(end).is_some_and(|l| !is_blank(l)) {
        edits.push(Edit {
            at: end,
            remove: 0,
            lines: vec![if crlf { b"\r".to_vec() } else { Vec::new() }],
        });
    }
    // From the bottom up, so that the lines above an edit stay where they were; inserts at
    // one place keep their order.
    edits.sort_by_key(|e| e.at);
    for e in edits.into_iter().rev() {
        lines.splice(e.at..e.at + e.remove, e.lines);
    }
    Ok(lines.join(&b'\n'))
}

/// The edit that sets one field: over its line when the patch has it, else at `end`.
fn edit(
    lines: &[Vec<u8>],
    patch: &Patch,
    set: &SetField,
    end: usize,
    crlf: bool,
) -> Result<Edit, FixError> {
    if set.value.contains(['\n', '\r']) || set.field.contains(['\n', '\r', ':']) {
        return Err(FixError::Multiline {
            field: set.field.clone(),
        });
    }
    let Some(field) = patch.header.field(&set.field) else {
        let mut line = format!("{}: {}", set.field, set.value).into_bytes();
        if crlf {
            line.push(b'\r');
        }
        return Ok(Edit {
            at: end,
            remove: 0,
            lines: vec![line],
        });
    };
    let at = field.line.saturating_sub(1);
    let holds = lines
        .get(at)
        .is_some_and(|l| field_name(l).is_some_and(|n| n.eq_ignore_ascii_case(&set.field)));
    if !holds {
        return Err(FixError::Moved {
            field: set.field.clone(),
            line: field.line,
        });
    }
    let continued = lines[at + 1..]
        .iter()
        .take_while(|l| is_continuation(l))
        .count();
    let mut line = format!("{}: {}", field.name, set.value).into_bytes();
    if crlf {
        line.push(b'\r');
    }
    Ok(Edit {
        at,
        remove: 1 + continued,
        lines: vec![line],
    })
}

/// Where the header's first paragraph of fields ends: after blank lines at the top, an mbox
/// `From ` line, then fields and their continuation lines (as the header parser reads them);
/// never past the start of the diff; and whether there were fields.
fn header_end(lines: &[Vec<u8>], text: &[u8]) -> (usize, bool) {
    let diff = find_diff_start(text).map_or(lines.len(), |d| d.line);
    let mut i = lines.iter().take_while(|l| is_blank(l)).count();
    if lines.get(i).is_some_and(|l| l.starts_with(b"From ")) {
        i += 1;
    }
    let start = i;
    while i < diff {
        let l = &lines[i];
        let continuation = i > start && is_continuation(l);
        if split_field(l).is_none() && !continuation {
            break;
        }
        i += 1;
    }
    (i, i > start)
}

/// The name of a `Name: value` line, as the header parser splits it.
fn field_name(line: &[u8]) -> Option<&str> {
    std::str::from_utf8(split_field(line)?.0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str, pairs: &[(&str, &str)]) -> Result<String, FixError> {
        let patch = Patch::parse(text.as_bytes(), &kdelta_patch::ParseOptions::default());
        let fix = Fix::set(pairs.iter().map(|(f, v)| (*f, v.to_string())));
        apply(text.as_bytes(), &patch, &[&fix]).map(|b| String::from_utf8(b).expect("utf-8"))
    }

    const DIFF: &str = "---\n f.c | 2 +-\n\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n";

    #[test]
    fn a_field_the_header_has_is_replaced_with_its_continuation_lines() {
        let text = format!("From: A <a@b>\nSubject: fix f\nPatch-mainline: No,\n  not yet\nReferences: bsc#1\n\nBody.\n{DIFF}");
        let out = fixed(&text, &[("Patch-mainline", "v6.12")]).expect("fixed");
        assert_eq!(
            out,
            format!("From: A <a@b>\nSubject: fix f\nPatch-mainline: v6.12\nReferences: bsc#1\n\nBody.\n{DIFF}")
        );
    }

    #[test]
    fn a_missing_field_is_added_at_the_end_of_the_first_paragraph_in_order() {
        let text = format!(
            "From 0123 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: [PATCH] fix\n f more\n\nBody.\nPatch-mainline: No, later\n{DIFF}"
        );
        let out =
            fixed(&text, &[("Patch-mainline", "v6.12"), ("Git-commit", "abc")]).expect("fixed");
        assert_eq!(
            out,
            format!("From 0123 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: [PATCH] fix\n f more\nGit-commit: abc\n\nBody.\nPatch-mainline: v6.12\n{DIFF}")
        );
    }

    #[test]
    fn fields_added_before_free_text_are_followed_by_a_blank_line() {
        let text = format!("Make the debug build faster.\n\n{DIFF}");
        let out = fixed(&text, &[("Applied-Upstream", "v1.1, commit:abc")]).expect("fixed");
        assert_eq!(
            out,
            format!("Applied-Upstream: v1.1, commit:abc\n\nMake the debug build faster.\n\n{DIFF}")
        );
    }

    #[test]
    fn the_header_ends_where_the_parser_ends_it() {
        // A line of blanks ends the header: the indented text after it stays.
        let text = format!(
            "From: A <a@b>\nPatch-mainline: Not yet, review\n \n    Why it matters.\n\n{DIFF}"
        );
        let out = fixed(&text, &[("Patch-mainline", "v6.12")]).expect("fixed");
        assert_eq!(
            out,
            format!("From: A <a@b>\nPatch-mainline: v6.12\n \n    Why it matters.\n\n{DIFF}")
        );
        // A quilt patch without a header: the field goes above `Index:`, not into the diff.
        let quilt = "Index: pkg/a.c\n===================================================================\n--- pkg.orig/a.c\n+++ pkg/a.c\n@@ -1 +1 @@\n-a\n+b\n";
        let out = fixed(quilt, &[("Applied-Upstream", "v1.1")]).expect("fixed");
        assert_eq!(out, format!("Applied-Upstream: v1.1\n\n{quilt}"));
        // An mbox after a blank line keeps its `From ` line first.
        let mbox =
            format!("\nFrom 0123 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: x\n\n{DIFF}");
        let out = fixed(&mbox, &[("Git-commit", "abc")]).expect("fixed");
        assert_eq!(
            out,
            format!("\nFrom 0123 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: x\nGit-commit: abc\n\n{DIFF}")
        );
    }

    #[test]
    fn a_changed_file_or_a_value_spanning_lines_is_refused() {
        let text = format!("From: A <a@b>\nSubject: fix\nGit-commit: 0123abc\n\n{DIFF}");
        let patch = Patch::parse(text.as_bytes(), &kdelta_patch::ParseOptions::default());
        let changed = text.replace("Git-commit: 0123abc\n", "\n");
        let fix = Fix::set([("Git-commit", "0123abcdef".to_string())]);
        assert_eq!(
            apply(changed.as_bytes(), &patch, &[&fix]),
            Err(FixError::Moved {
                field: "Git-commit".into(),
                line: 3
            })
        );
        assert!(matches!(
            fixed(&text, &[("Git-commit", "a\nb")]),
            Err(FixError::Multiline { .. })
        ));
    }
}
