//! `Patch::parse` must not panic on any input. What it reports stays inside the input:
//! problems and hunks name lines the text has, hunks come in text order, a file's
//! `added`/`removed` count its hunks' lines, no hunk holds more lines of a side than its
//! header gives, and a file cut short is the only kind whose hunks may hold fewer. A patch
//! read without problems, written back as git writes it (`diff::git_text`, the renderer behind
//! queue patch-ids), reads back as the same hunks, file by file. (Paths are not compared: one
//! ending in a blank is read back without it, a known quirk left in fuzz/README.md.)
#![no_main]

use kdelta_patch::diff::{git_text, LineKind};
use kdelta_patch::FileDiff;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let patch = kdelta_patch::Patch::parse(data, &Default::default());
    let lines = data.split(|&b| b == b'\n').count();
    for problem in &patch.problems {
        assert!(problem.line <= lines, "{problem:?} beyond {lines} lines");
    }
    let mut last = 0;
    for file in &patch.files {
        let (mut added, mut removed) = (0, 0);
        for hunk in &file.hunks {
            assert!(
                hunk.line > last && hunk.line <= lines,
                "hunk at {}",
                hunk.line
            );
            last = hunk.line;
            let count = |kind| hunk.lines.iter().filter(|l| l.kind == kind).count();
            let (plus, minus, context) = (
                count(LineKind::Added),
                count(LineKind::Removed),
                count(LineKind::Context),
            );
            assert!(minus + context <= hunk.old_lines as usize, "{hunk:?}");
            assert!(plus + context <= hunk.new_lines as usize, "{hunk:?}");
            let whole = minus + context == hunk.old_lines as usize
                && plus + context == hunk.new_lines as usize;
            assert!(
                whole || file.truncated,
                "a short hunk in a file not cut short: {hunk:?}"
            );
            added += plus;
            removed += minus;
        }
        assert_eq!((file.added, file.removed), (added, removed));
    }
    let again = kdelta_patch::Patch::parse(data, &Default::default());
    assert_eq!(patch, again);

    if patch.problems.is_empty() {
        let written = git_text(&patch.files);
        let back = kdelta_patch::Patch::parse(&written, &Default::default());
        assert_eq!(changes(&patch.files), changes(&back.files), "{written:?}");
    }
});

/// What a diff changes: per text file with a path and hunks, each hunk's ranges and lines. (A
/// file without hunks is a header only, whose odd forms git_text does not keep.)
type Changes = Vec<Vec<(u32, u32, u32, u32, Vec<kdelta_patch::diff::HunkLine>)>>;

fn changes(files: &[FileDiff]) -> Changes {
    files
        .iter()
        .filter(|f| !f.binary && !f.hunks.is_empty())
        .filter_map(|f| {
            let hunks = f.hunks.iter();
            let hunks = hunks.map(|h| {
                (
                    h.old_start,
                    h.old_lines,
                    h.new_start,
                    h.new_lines,
                    h.lines.clone(),
                )
            });
            f.path()?;
            Some(hunks.collect())
        })
        .collect()
}
