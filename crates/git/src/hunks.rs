//! Unified-diff hunks of two texts, laid out as git's xdiff emits them.
//!
//! The line diff is gitoxide's imara-diff Myers with git's indent-heuristic slider
//! post-processing (git's defaults are Myers and `diff.indentHeuristic=true`). The
//! layout is git's `xdl_emit_diff()`: 3 lines of context, changes less than
//! 2 × 3 + 1 lines apart share a hunk, and the hunk header carries the function name
//! found by git's default `def_ff()` rule (a line starting with a letter, `_` or `$`,
//! cut at 80 bytes and right-trimmed), searched backwards from the line before the hunk
//! down to the previous hunk's start, and otherwise kept from the previous hunk.

use crate::wrap::is_space;
use gix::diff::blob::{Algorithm, Diff, Hunk, InternedInput};

/// Lines of context around changes.
const CONTEXT: u32 = 3;
/// git's buffer size for a hunk header's function name.
const FUNC_LEN: usize = 80;

/// Line-diff state reused across files.
#[derive(Default)]
pub(crate) struct TextDiffer {
    diff: Diff,
    hunks: Vec<Hunk>,
    func: Vec<u8>,
}

/// git's `def_ff()`: the function-name part of `line`, if it looks like one.
fn def_ff(line: &[u8]) -> Option<&[u8]> {
    let first = *line.first()?;
    if !(first.is_ascii_alphabetic() || first == b'_' || first == b'$') {
        return None;
    }
    let line = &line[..line.len().min(FUNC_LEN)];
    let end = line
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(0, |p| p + 1);
    Some(&line[..end])
}

fn push_range(out: &mut Vec<u8>, start: u32, count: u32) {
    // git prints the line before an empty range, and omits a count of 1.
    let first = if count == 0 { start } else { start + 1 };
    out.extend_from_slice(first.to_string().as_bytes());
    if count != 1 {
        out.push(b',');
        out.extend_from_slice(count.to_string().as_bytes());
    }
}

fn push_line(out: &mut Vec<u8>, prefix: u8, line: &[u8]) {
    out.push(prefix);
    out.extend_from_slice(line);
    if line.last() != Some(&b'\n') {
        out.extend_from_slice(b"\n\\ No newline at end of file\n");
    }
}

impl TextDiffer {
    /// Append the hunks turning `old` into `new` to `out`; returns whether there were
    /// any. `before_first` is written just before the first hunk (the `---`/`+++`
    /// lines, which git writes only when there is a hunk).
    pub fn write_hunks(
        &mut self,
        out: &mut Vec<u8>,
        old: &[u8],
        new: &[u8],
        before_first: &[u8],
    ) -> bool {
        let input = InternedInput::new(old, new);
        self.diff.compute_with(
            Algorithm::Myers,
            &input.before,
            &input.after,
            input.interner.num_tokens(),
        );
        self.diff.postprocess_lines(&input);
        self.hunks.clear();
        self.hunks.extend(self.diff.hunks());
        if self.hunks.is_empty() {
            return false;
        }
        out.extend_from_slice(before_first);
        let old_line = |i: u32| input.interner[input.before[i as usize]];
        let new_line = |i: u32| input.interner[input.after[i as usize]];
        let (n1, n2) = (input.before.len() as u32, input.after.len() as u32);
        self.func.clear();
        let mut func_prev: i64 = -1;
        let mut first = 0;
        while first < self.hunks.len() {
            // xdl_get_hunk(): extend the group while the gap is at most 2 * CONTEXT.
            let mut last = first;
            while last + 1 < self.hunks.len()
                && self.hunks[last + 1].before.start - self.hunks[last].before.end <= 2 * CONTEXT
            {
                last += 1;
            }
            let (head, tail) = (&self.hunks[first], &self.hunks[last]);
            let s1 = head.before.start.saturating_sub(CONTEXT);
            let s2 = head.after.start.saturating_sub(CONTEXT);
            let lctx = CONTEXT.min(n1 - tail.before.end).min(n2 - tail.after.end);
            let e1 = tail.before.end + lctx;
            let e2 = tail.after.end + lctx;

            // get_func_line(): scan from the line before the hunk down to the last scan start.
            let start = i64::from(s1) - 1;
            let mut l = start;
            while l > func_prev && l >= 0 {
                if let Some(f) = def_ff(old_line(l as u32)) {
                    self.func.clear();
                    self.func.extend_from_slice(f);
                    break;
                }
                l -= 1;
            }
            func_prev = start;

            out.extend_from_slice(b"@@ -");
            push_range(out, s1, e1 - s1);
            out.extend_from_slice(b" +");
            push_range(out, s2, e2 - s2);
            out.extend_from_slice(b" @@");
            if !self.func.is_empty() {
                out.push(b' ');
                out.extend_from_slice(&self.func);
            }
            out.push(b'\n');

            let mut ctx = s2;
            for hunk in &self.hunks[first..=last] {
                for i in ctx..hunk.after.start {
                    push_line(out, b' ', new_line(i));
                }
                for i in hunk.before.clone() {
                    push_line(out, b'-', old_line(i));
                }
                for i in hunk.after.clone() {
                    push_line(out, b'+', new_line(i));
                }
                ctx = hunk.after.end;
            }
            for i in ctx..e2 {
                push_line(out, b' ', new_line(i));
            }
            first = last + 1;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hunks(old: &str, new: &str) -> String {
        let mut out = Vec::new();
        TextDiffer::default().write_hunks(&mut out, old.as_bytes(), new.as_bytes(), b"");
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn simple_change_with_function_name() {
        let old = "int f(void)\n{\n\ta;\n\tb;\n\tc;\n\td;\n\te;\n}\n";
        let new = "int f(void)\n{\n\ta;\n\tb;\n\tc;\n\tX;\n\te;\n}\n";
        assert_eq!(
            hunks(old, new),
            "@@ -3,6 +3,6 @@ int f(void)\n \ta;\n \tb;\n \tc;\n-\td;\n+\tX;\n \te;\n }\n"
        );
    }

    #[test]
    fn additions_and_missing_newlines() {
        assert_eq!(
            hunks("", "a\nb"),
            "@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file\n"
        );
        assert_eq!(
            hunks("a", "a\n"),
            "@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n"
        );
    }
}
