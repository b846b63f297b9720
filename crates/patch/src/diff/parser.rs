//! The line-by-line state machine behind [`super::parse_diffs`].

use super::path::{closing_quote, file_name, is_epoch_timestamp, strip_components, unquote_c};
use super::{parse_hunk_header, trim_cr, ChangeKind, FileDiff, Hunk, HunkLine, LineKind};
use crate::Problem;
use bstr::BString;

/// What the parser expects next.
enum State {
    /// Between files: headers, hunks or free text.
    Between,
    /// A `---` line was seen; a `+++` line should follow.
    AfterMinus { old: BString, epoch: bool },
    /// Inside a hunk with this many old and new lines still to come.
    InHunk { old_left: u32, new_left: u32 },
    /// Inside a `GIT binary patch` block.
    Binary,
}

/// Builds [`FileDiff`]s from lines fed one by one.
pub(super) struct Parser {
    strip: usize,
    state: State,
    files: Vec<FileDiff>,
    current: Option<FileDiff>,
    problems: Vec<Problem>,
}

impl Parser {
    pub(super) fn new(strip: usize) -> Parser {
        Parser {
            strip,
            state: State::Between,
            files: Vec::new(),
            current: None,
            problems: Vec::new(),
        }
    }

    /// Feed one line (without `\n`) found at 1-based line `n`.
    pub(super) fn feed(&mut self, line: &[u8], n: usize) {
        match std::mem::replace(&mut self.state, State::Between) {
            State::InHunk { old_left, new_left } => self.hunk_line(line, n, old_left, new_left),
            State::AfterMinus { old, epoch } => self.after_minus(line, n, old, epoch),
            State::Binary => self.binary_line(line, n),
            State::Between => self.between(line, n),
        }
    }

    /// Close the last file and return everything found.
    pub(super) fn finish(mut self) -> (Vec<FileDiff>, Vec<Problem>) {
        match std::mem::replace(&mut self.state, State::Between) {
            State::InHunk { old_left, new_left } => {
                self.cut_short();
                let line = self
                    .current
                    .as_ref()
                    .and_then(|f| f.hunks.last())
                    .map_or(0, |h| h.line);
                self.problems.push(Problem::new(
                    line,
                    format!(
                        "patch ends inside a hunk: {old_left} old and {new_left} new lines missing"
                    ),
                ));
            }
            State::AfterMinus { .. } => {}
            State::Binary | State::Between => {}
        }
        self.close_file();
        (self.files, self.problems)
    }

    fn hunk_line(&mut self, line: &[u8], n: usize, mut old_left: u32, mut new_left: u32) {
        let (kind, text) = match line.first() {
            Some(b' ') => (LineKind::Context, &line[1..]),
            Some(b'-') => (LineKind::Removed, &line[1..]),
            Some(b'+') => (LineKind::Added, &line[1..]),
            Some(b'\\') => {
                self.mark_no_newline();
                self.state = State::InHunk { old_left, new_left };
                return;
            }
            None => (LineKind::Context, line),
            // GNU patch takes a tab-led line as context whose leading space was eaten.
            Some(b'\t') if old_left > 0 && new_left > 0 => (LineKind::Context, line),
            Some(b'\r') if line.len() == 1 => (LineKind::Context, &line[..0]),
            Some(_) => {
                self.problems.push(Problem::new(
                    n,
                    format!("hunk ends early: {old_left} old and {new_left} new lines missing"),
                ));
                self.cut_short();
                return self.between(line, n);
            }
        };
        let fits = match kind {
            LineKind::Context => old_left > 0 && new_left > 0,
            LineKind::Removed => old_left > 0,
            LineKind::Added => new_left > 0,
        };
        if !fits {
            self.problems.push(Problem::new(
                n,
                "hunk has more lines than its header counts",
            ));
            self.cut_short();
            return self.between(line, n);
        }
        match kind {
            LineKind::Context => (old_left, new_left) = (old_left - 1, new_left - 1),
            LineKind::Removed => old_left -= 1,
            LineKind::Added => new_left -= 1,
        }
        self.push_line(kind, text);
        if !super::hunk_done(old_left, new_left) {
            self.state = State::InHunk { old_left, new_left };
        }
    }

    /// The current file's last hunk has fewer lines than its header counts.
    fn cut_short(&mut self) {
        if let Some(file) = self.current.as_mut() {
            file.truncated = true;
        }
    }

    fn push_line(&mut self, kind: LineKind, text: &[u8]) {
        let Some(file) = self.current.as_mut() else {
            return;
        };
        match kind {
            LineKind::Added => file.added += 1,
            LineKind::Removed => file.removed += 1,
            LineKind::Context => {}
        }
        if let Some(hunk) = file.hunks.last_mut() {
            hunk.lines.push(HunkLine {
                kind,
                text: BString::from(text),
                no_newline: false,
            });
        }
    }

    fn mark_no_newline(&mut self) {
        let last = self
            .current
            .as_mut()
            .and_then(|f| f.hunks.last_mut())
            .and_then(|h| h.lines.last_mut());
        if let Some(line) = last {
            line.no_newline = true;
        }
    }

    fn after_minus(&mut self, line: &[u8], n: usize, old: BString, epoch: bool) {
        let Some(value) = line.strip_prefix(b"+++ ") else {
            return self.between(line, n);
        };
        let new_epoch = is_epoch_timestamp(trim_cr(value));
        let new = file_name(value);
        let reuse = self
            .current
            .as_ref()
            .is_some_and(|f| f.git && f.hunks.is_empty() && !f.binary);
        if !reuse {
            self.close_file();
            self.current = Some(FileDiff::new(n - 1));
        }
        let old_path = self.side_path(&old, n - 1);
        let new_path = self.side_path(&new, n);
        if let Some(file) = self.current.as_mut() {
            file.old_path = if epoch { None } else { old_path };
            file.new_path = if new_epoch { None } else { new_path };
            if file.change == ChangeKind::Modified {
                file.change = change_from_paths(file);
            }
        }
    }

    /// A `---`/`+++` path: `None` for `/dev/null`, else stripped by `-pN`.
    fn side_path(&mut self, name: &[u8], n: usize) -> Option<BString> {
        if name == b"/dev/null" {
            return None;
        }
        Some(self.strip_path(name, n))
    }

    fn strip_path(&mut self, name: &[u8], n: usize) -> BString {
        match strip_components(name, self.strip) {
            Some(stripped) if !stripped.is_empty() => BString::from(stripped),
            _ => {
                let shown = String::from_utf8_lossy(name);
                let message = format!(
                    "path {shown:?} has fewer than {} leading components to strip",
                    self.strip
                );
                self.problems.push(Problem::new(n, message));
                BString::from(name)
            }
        }
    }

    fn binary_line(&mut self, line: &[u8], n: usize) {
        let line_t = trim_cr(line);
        let in_block = line_t.is_empty()
            || line_t.starts_with(b"literal ")
            || line_t.starts_with(b"delta ")
            || is_base85_line(line_t);
        if in_block {
            self.state = State::Binary;
        } else {
            self.between(line, n);
        }
    }

    fn between(&mut self, line: &[u8], n: usize) {
        let line_t = trim_cr(line);
        if let Some(rest) = line_t.strip_prefix(b"diff --git ") {
            self.close_file();
            let mut file = FileDiff::new(n);
            file.git = true;
            self.paths_from_git_line(&mut file, rest, n);
            self.current = Some(file);
        } else if let Some(rest) = line.strip_prefix(b"--- ") {
            self.state = State::AfterMinus {
                old: file_name(rest),
                epoch: is_epoch_timestamp(trim_cr(rest)),
            };
        } else if line_t.starts_with(b"@@ ") {
            self.hunk_header(line_t, n);
        } else if line_t.starts_with(b"\\") {
            self.mark_no_newline();
        } else if self
            .current
            .as_ref()
            .is_some_and(|f| f.git && f.hunks.is_empty())
        {
            self.git_extended_header(line_t, n);
        } else if let Some(rest) = line_t.strip_prefix(b"Binary files ") {
            self.plain_binary(rest, n);
        }
    }

    fn hunk_header(&mut self, line: &[u8], n: usize) {
        let Some((old_start, old_lines, new_start, new_lines, section)) = parse_hunk_header(line)
        else {
            self.problems.push(Problem::new(n, "malformed hunk header"));
            return;
        };
        let Some(file) = self.current.as_mut() else {
            self.problems.push(Problem::new(
                n,
                "hunk without a file header (no ---/+++ lines before it)",
            ));
            return;
        };
        file.hunks.push(Hunk {
            old_start,
            old_lines,
            new_start,
            new_lines,
            section: BString::from(section),
            lines: Vec::new(),
            line: n,
        });
        if !super::hunk_done(old_lines, new_lines) {
            self.state = State::InHunk {
                old_left: old_lines,
                new_left: new_lines,
            };
        }
    }

    /// `a/x b/x`: take the paths when the two halves agree; renames fix them up later.
    fn paths_from_git_line(&mut self, file: &mut FileDiff, rest: &[u8], n: usize) {
        if let Some((old, new)) = split_git_paths(rest) {
            file.old_path = Some(self.strip_path(&old, n));
            file.new_path = Some(self.strip_path(&new, n));
        }
    }

    fn git_extended_header(&mut self, line: &[u8], n: usize) {
        let Some(file) = self.current.as_mut() else {
            return;
        };
        if let Some(v) = line.strip_prefix(b"new file mode ") {
            file.change = ChangeKind::Added;
            file.new_mode = parse_mode(v);
            file.old_path = None;
        } else if let Some(v) = line.strip_prefix(b"deleted file mode ") {
            file.change = ChangeKind::Deleted;
            file.old_mode = parse_mode(v);
            file.new_path = None;
        } else if let Some(v) = line.strip_prefix(b"old mode ") {
            file.old_mode = parse_mode(v);
        } else if let Some(v) = line.strip_prefix(b"new mode ") {
            file.new_mode = parse_mode(v);
        } else if let Some(v) = line.strip_prefix(b"similarity index ") {
            file.similarity = parse_percent(v);
        } else if let Some(v) = line.strip_prefix(b"index ") {
            parse_index(file, v);
        } else if line.starts_with(b"Binary files ") {
            file.binary = true;
        } else if line == b"GIT binary patch" {
            file.binary = true;
            self.state = State::Binary;
        } else {
            self.rename_or_copy(line, n);
        }
    }

    fn rename_or_copy(&mut self, line: &[u8], n: usize) {
        let fields: [(&[u8], ChangeKind, bool); 6] = [
            (b"rename from ", ChangeKind::Renamed, false),
            (b"rename to ", ChangeKind::Renamed, true),
            (b"rename old ", ChangeKind::Renamed, false),
            (b"rename new ", ChangeKind::Renamed, true),
            (b"copy from ", ChangeKind::Copied, false),
            (b"copy to ", ChangeKind::Copied, true),
        ];
        for (prefix, kind, is_new) in fields {
            if let Some(v) = line.strip_prefix(prefix) {
                // Rename paths carry no a/ b/ prefix: they are repository paths.
                let path = Some(unquote_c(v));
                if let Some(file) = self.current.as_mut() {
                    file.change = kind;
                    if is_new {
                        file.new_path = path;
                    } else {
                        file.old_path = path;
                    }
                }
                return;
            }
        }
        let _ = n;
    }

    /// `Binary files a/x and b/x differ` from a plain `diff -r`.
    fn plain_binary(&mut self, rest: &[u8], n: usize) {
        let Some(body) = rest.strip_suffix(b" differ") else {
            return;
        };
        let Some(at) = find(body, b" and ") else {
            return;
        };
        self.close_file();
        let mut file = FileDiff::new(n);
        file.binary = true;
        let old = unquote_c(&body[..at]);
        let new = unquote_c(&body[at + 5..]);
        file.old_path = self.side_path(&old, n);
        file.new_path = self.side_path(&new, n);
        file.change = change_from_paths(&file);
        self.files.push(file);
    }

    fn close_file(&mut self) {
        if let Some(mut file) = self.current.take() {
            if file.change == ChangeKind::Modified {
                file.change = change_from_hunks(&file);
            }
            self.files.push(file);
        }
    }
}

fn change_from_paths(file: &FileDiff) -> ChangeKind {
    match (&file.old_path, &file.new_path) {
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Deleted,
        _ => ChangeKind::Modified,
    }
}

/// `diff -N` without epoch timestamps: one hunk from or to nothing.
fn change_from_hunks(file: &FileDiff) -> ChangeKind {
    match file.hunks.as_slice() {
        [h] if !file.git && h.old_start == 0 && h.old_lines == 0 && h.new_lines > 0 => {
            ChangeKind::Added
        }
        [h] if !file.git && h.new_start == 0 && h.new_lines == 0 && h.old_lines > 0 => {
            ChangeKind::Deleted
        }
        _ => ChangeKind::Modified,
    }
}

/// Split `a/x b/x` (or quoted forms) into the two paths.
fn split_git_paths(rest: &[u8]) -> Option<(BString, BString)> {
    if rest.starts_with(b"\"") {
        let end = closing_quote(rest)?;
        let old = unquote_c(&rest[..=end]);
        let new = unquote_c(rest.get(end + 2..)?);
        return Some((old, new));
    }
    if let Some(space) = rest.iter().position(|&b| b == b' ') {
        if rest[space + 1..].starts_with(b"\"") {
            return Some((BString::from(&rest[..space]), unquote_c(&rest[space + 1..])));
        }
    }
    // Unquoted: both halves have the same length when old and new name agree.
    let len = rest.len();
    if len % 2 == 1 {
        let half = len / 2;
        let (old, new) = (&rest[..half], &rest[half + 1..]);
        if rest[half] == b' ' && strip_first(old) == strip_first(new) {
            return Some((BString::from(old), BString::from(new)));
        }
    }
    None
}

fn strip_first(path: &[u8]) -> &[u8] {
    path.iter()
        .position(|&b| b == b'/')
        .map_or(path, |p| &path[p + 1..])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_mode(text: &[u8]) -> Option<u32> {
    let text = text.split(|&b| b == b' ').next()?;
    if text.is_empty() || text.len() > 7 {
        return None;
    }
    text.iter().try_fold(0u32, |n, &d| {
        (b'0'..=b'7')
            .contains(&d)
            .then(|| n * 8 + u32::from(d - b'0'))
    })
}

fn parse_percent(text: &[u8]) -> Option<u8> {
    let digits = text.strip_suffix(b"%")?;
    if digits.is_empty() || digits.len() > 3 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits
        .iter()
        .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    u8::try_from(value).ok()
}

/// `index abc123..def456 100644`
fn parse_index(file: &mut FileDiff, value: &[u8]) {
    let mut parts = value.splitn(2, |&b| b == b' ');
    let ids = parts.next().unwrap_or_default();
    if let Some(mode) = parts.next().and_then(parse_mode) {
        file.old_mode.get_or_insert(mode);
        file.new_mode.get_or_insert(mode);
    }
    if let Some(dots) = find(ids, b"..") {
        file.index = Some((BString::from(&ids[..dots]), BString::from(&ids[dots + 2..])));
    }
}

/// A line of a git base85 binary hunk: a length character then base85 digits.
fn is_base85_line(line: &[u8]) -> bool {
    let Some((&len, rest)) = line.split_first() else {
        return false;
    };
    len.is_ascii_alphabetic()
        && rest.len() % 5 == 0
        && !rest.is_empty()
        && rest
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b'"' && b != b'\'' && b != b',' && b != b'.')
}
