//! Reading a patch as get_maintainer.pl does: the files it names (`diff --git`, `---`/`+++`,
//! renames, mode changes), its `Fixes:` tags, and the lines its `K:` keywords are matched
//! against.

use crate::perl::{constant, Constant};
use std::sync::LazyLock;

static MODE_CHANGE: Constant =
    LazyLock::new(|| constant(r"^ mode change [0-7]+ => [0-7]+ (\S+)\s*\z"));
static RENAME: Constant = LazyLock::new(|| constant(r"^rename (?:from|to) (\S+)\s*\z"));
static DIFF_GIT: Constant = LazyLock::new(|| constant(r"^diff --git a/(\S+) b/(\S+)\s*\z"));
static FIXES: Constant = LazyLock::new(|| constant(r"^Fixes:\s+([0-9a-fA-F]{6,40})"));
static FILE_HEADER: Constant = LazyLock::new(|| constant(r"^(?:\+\+\+|---)\s+(\S+)"));
static HUNK: Constant = LazyLock::new(|| constant(r"^@@ -\d+,\d+"));

/// A line of a patch, as get_maintainer.pl's patch loop classifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PatchLine<'a> {
    /// Names files (`diff --git`, `---`/`+++`, `rename from/to`, ` mode change`).
    Files(Vec<String>, bool),
    /// `Fixes: <commit>`.
    Fixes(&'a str),
    /// A hunk header.
    Hunk,
    /// Any other line: `K:` patterns are matched against it.
    Text,
}

/// What get_maintainer.pl reads from a patch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatchScan {
    /// The files, sorted and without duplicates (`/dev/null` reads as `dev/null`, as the
    /// script reads it).
    pub files: Vec<String>,
    /// The commits of `Fixes:` tags, in order, without duplicates (the script asks git for
    /// their signers; this crate does not).
    pub fixes: Vec<String>,
}

/// The files and `Fixes:` of `patch`.
pub fn scan(patch: &str) -> PatchScan {
    let mut scan = PatchScan::default();
    for line in lines(patch) {
        match classify(line) {
            PatchLine::Files(files, _) => scan.files.extend(files),
            PatchLine::Fixes(commit) if !scan.fixes.iter().any(|f| f == commit) => {
                scan.fixes.push(commit.to_owned());
            }
            _ => {}
        }
    }
    scan.files.sort();
    scan.files.dedup();
    scan
}

/// The lines of `text`, each with its newline (Perl's `<$patch>`).
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive('\n')
}

/// Classifies one line (with its newline), in the order of the script's `if`/`elsif` chain.
pub(crate) fn classify(line: &str) -> PatchLine<'_> {
    let bare = line.strip_suffix('\n').unwrap_or(line);
    let groups = |re: &Constant| -> Option<Vec<&str>> {
        let found = re.as_ref()?.captures(bare)?;
        Some(found.iter().skip(1).flatten().map(|m| m.as_str()).collect())
    };
    if let Some(g) = groups(&MODE_CHANGE).or_else(|| groups(&RENAME)) {
        return PatchLine::Files(g.iter().map(|f| (*f).to_owned()).collect(), false);
    }
    if let Some(g) = groups(&DIFF_GIT) {
        return PatchLine::Files(g.iter().map(|f| (*f).to_owned()).collect(), false);
    }
    if let Some(g) = groups(&FIXES) {
        return PatchLine::Fixes(g[0]);
    }
    if let Some(g) = groups(&FILE_HEADER) {
        let file = g[0].split_once('/').map_or(g[0], |(_, rest)| rest);
        return PatchLine::Files(vec![file.to_owned()], true);
    }
    if groups(&HUNK).is_some() {
        return PatchLine::Hunk;
    }
    PatchLine::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_compile() {
        for re in [
            &MODE_CHANGE,
            &RENAME,
            &DIFF_GIT,
            &FIXES,
            &FILE_HEADER,
            &HUNK,
        ] {
            assert!(re.is_some());
        }
    }

    #[test]
    fn files_of_git_and_quilt_patches() {
        let patch = "Subject: x\n\
                     Fixes: 0123456789ab (\"y\")\n\
                     ---\n \
                     drivers/xen/a.c | 2 +-\n\
                     diff --git a/drivers/xen/a.c b/drivers/xen/a.c\n\
                     --- a/drivers/xen/a.c\n\
                     +++ b/drivers/xen/a.c\n\
                     @@ -1,2 +1,2 @@\n\
                     --- linux-3.12.orig/include/xen/b.h\t2013-11-04 00:00:00.000000000 +0100\n\
                     +++ /dev/null\n\
                     rename from x/old.c\n \
                     mode change 100644 => 100755 scripts/s.sh\n";
        let scan = scan(patch);
        assert_eq!(
            scan.files,
            [
                "dev/null",
                "drivers/xen/a.c",
                "include/xen/b.h",
                "scripts/s.sh",
                "x/old.c"
            ]
        );
        assert_eq!(scan.fixes, ["0123456789ab"]);
    }

    #[test]
    fn classify_lines() {
        assert_eq!(classify("@@ -10,7 +10,8 @@ f\n"), PatchLine::Hunk);
        assert_eq!(classify("@@ -10 +10 @@\n"), PatchLine::Text);
        assert_eq!(classify("---\n"), PatchLine::Text);
        assert_eq!(classify("-- \n"), PatchLine::Text);
        assert_eq!(
            classify("+++ b/a\n"),
            PatchLine::Files(vec!["a".into()], true)
        );
    }
}
