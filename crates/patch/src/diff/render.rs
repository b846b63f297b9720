//! Parsed file diffs written back as git writes them (`diff --git`, mode lines, `---`/`+++`,
//! hunks), so that a queue patch in any diff dialect — quilt's `Index:` diffs, `diff -Nurp`
//! with timestamps, odd path prefixes — gets the patch-id git would give the same change
//! made as a commit. A rename or copy that carries git's `similarity index` keeps it and its
//! `rename from`/`rename to` lines: its id is then the one git gives the commit's diff with
//! renames detected (`git show`, `git format-patch`), which the upstream index keeps too.

use super::{ChangeKind, FileDiff, LineKind};
use crate::quote::push_quoted_path as push_quoted;

/// The git-style text of `files`; binary files are left out (their content is unknown).
pub fn git_text(files: &[FileDiff]) -> Vec<u8> {
    let mut out = Vec::new();
    for file in files.iter().filter(|f| !f.binary) {
        push_file(&mut out, file);
    }
    out
}

fn push_file(out: &mut Vec<u8>, file: &FileDiff) {
    let old = file.old_path.as_ref().or(file.new_path.as_ref());
    let new = file.new_path.as_ref().or(file.old_path.as_ref());
    let (Some(old), Some(new)) = (old, new) else {
        return;
    };
    out.extend_from_slice(b"diff --git ");
    push_quoted(out, b"a/", old);
    out.push(b' ');
    push_quoted(out, b"b/", new);
    out.push(b'\n');
    push_modes(out, file);
    push_rename(out, file, old, new);
    if file.hunks.is_empty() {
        return;
    }
    let old_label = file
        .old_path
        .as_ref()
        .filter(|_| file.change != ChangeKind::Added);
    let new_label = file
        .new_path
        .as_ref()
        .filter(|_| file.change != ChangeKind::Deleted);
    push_label(out, b"--- ", b"a/", old_label.map(|p| p.as_slice()));
    push_label(out, b"+++ ", b"b/", new_label.map(|p| p.as_slice()));
    for hunk in &file.hunks {
        out.extend_from_slice(
            format!(
                "@@ -{},{} +{},{} @@\n",
                hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines
            )
            .as_bytes(),
        );
        push_lines(out, hunk);
    }
}

/// A hunk's lines as a unified diff has them (`\ No newline at end of file` marks
/// included), after its `@@` line.
pub(crate) fn push_lines(out: &mut Vec<u8>, hunk: &super::Hunk) {
    for line in &hunk.lines {
        out.push(match line.kind {
            LineKind::Context => b' ',
            LineKind::Added => b'+',
            LineKind::Removed => b'-',
        });
        out.extend_from_slice(&line.text);
        out.push(b'\n');
        if line.no_newline {
            out.extend_from_slice(b"\\ No newline at end of file\n");
        }
    }
}

/// The extended header lines git writes for a creation, a deletion or a mode change.
fn push_modes(out: &mut Vec<u8>, file: &FileDiff) {
    match file.change {
        ChangeKind::Added => {
            let mode = file.new_mode.unwrap_or(0o100644);
            out.extend_from_slice(format!("new file mode {mode:06o}\n").as_bytes());
        }
        ChangeKind::Deleted => {
            let mode = file.old_mode.unwrap_or(0o100644);
            out.extend_from_slice(format!("deleted file mode {mode:06o}\n").as_bytes());
        }
        _ => {
            if let (Some(old), Some(new)) = (file.old_mode, file.new_mode) {
                if old != new {
                    out.extend_from_slice(
                        format!("old mode {old:06o}\nnew mode {new:06o}\n").as_bytes(),
                    );
                }
            }
        }
    }
}

/// The lines git writes after the mode lines for a rename or copy it detected: the
/// similarity, then where from and where to (`git patch-id` hashes all three).
fn push_rename(out: &mut Vec<u8>, file: &FileDiff, old: &[u8], new: &[u8]) {
    let word: &[u8] = match file.change {
        ChangeKind::Renamed => b"rename",
        ChangeKind::Copied => b"copy",
        _ => return,
    };
    let Some(similarity) = file.similarity else {
        return;
    };
    out.extend_from_slice(format!("similarity index {similarity}%\n").as_bytes());
    for (side, path) in [(&b" from "[..], old), (b" to ", new)] {
        out.extend_from_slice(word);
        out.extend_from_slice(side);
        push_quoted(out, b"", path);
        out.push(b'\n');
    }
}

fn push_label(out: &mut Vec<u8>, marker: &[u8], prefix: &[u8], path: Option<&[u8]>) {
    out.extend_from_slice(marker);
    match path {
        Some(path) => push_quoted(out, prefix, path),
        None => out.extend_from_slice(b"/dev/null"),
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use crate::patchid::stable_patch_id;
    use crate::{ParseOptions, Patch};

    const GIT: &str = "From 1234 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] x\n\n---\n\
diff --git a/drivers/xen/a.c b/drivers/xen/a.c\nindex 1111111..2222222 100644\n\
--- a/drivers/xen/a.c\n+++ b/drivers/xen/a.c\n@@ -1,3 +1,3 @@ int f(void)\n one\n-two\n+TWO\n three\n\
diff --git a/drivers/xen/new.h b/drivers/xen/new.h\nnew file mode 100644\nindex 0000000..3333333\n\
--- /dev/null\n+++ b/drivers/xen/new.h\n@@ -0,0 +1 @@\n+#define NEW 1\n";

    const QUILT: &str = "Subject: x\n\nIndex: linux-2.6/drivers/xen/a.c\n===================\n\
--- linux-2.6.orig/drivers/xen/a.c\t2013-01-01 00:00:00.000000000 +0100\n\
+++ linux-2.6/drivers/xen/a.c\t2013-01-01 00:00:00.000000000 +0100\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n\
--- /dev/null\t1970-01-01 00:00:00.000000000 +0000\n+++ linux-2.6/drivers/xen/new.h\t2013-01-01 00:00:00.000000000 +0100\n\
@@ -0,0 +1 @@\n+#define NEW 1\n";

    #[test]
    fn a_quilt_diff_gets_the_patch_id_of_the_same_change_in_git_form() {
        let git = Patch::parse(GIT.as_bytes(), &ParseOptions::default());
        let want = stable_patch_id(GIT.as_bytes());
        assert!(want.is_some());
        assert_eq!(git.patch_id(), want);
        let quilt = Patch::parse(QUILT.as_bytes(), &ParseOptions::default());
        assert_eq!(quilt.patch_id(), want);
    }

    /// `git format-patch` of a commit that renames one file with an edit, renames another
    /// as it is (no hunks) and changes a third's mode on the way.
    const RENAMES: &str = "From 1234 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] move\n\n---\n\
diff --git a/tools/libs/ctrl/xc_resume.c b/tools/libs/guest/xg_resume.c\nsimilarity index 99%\n\
rename from tools/libs/ctrl/xc_resume.c\nrename to tools/libs/guest/xg_resume.c\nindex 1111111..2222222 100644\n\
--- a/tools/libs/ctrl/xc_resume.c\n+++ b/tools/libs/guest/xg_resume.c\n@@ -1,3 +1,3 @@\n one\n-#include \"xc_private.h\"\n+#include \"xg_private.h\"\n three\n\
diff --git a/a b/b\nsimilarity index 100%\nrename from a\nrename to b\n\
diff --git a/run.sh b/bin/run\nold mode 100644\nnew mode 100755\nsimilarity index 100%\n\
rename from run.sh\nrename to bin/run\n";

    #[test]
    fn a_rename_keeps_git_s_rename_lines_and_so_its_patch_id() {
        let patch = Patch::parse(RENAMES.as_bytes(), &ParseOptions::default());
        let want = stable_patch_id(RENAMES.as_bytes());
        assert!(want.is_some());
        assert_eq!(patch.patch_id(), want);
    }
}
