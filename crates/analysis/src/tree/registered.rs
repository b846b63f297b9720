//! Files a patch creates and registers. A patch that adds `board.dts` usually also names it
//! where the build lists its files (`dtb-y += board.dtb`, `obj-y += board.o`). When that
//! hunk still applies to the target, the list is as the patch found it and still lacks the
//! file: upstream does not have the file under any name the build knows, and its lines
//! found in a sibling (another board's device tree, a driver it was copied from) do not
//! make it upstream. (Where the list has changed around the hunk, upstream may have taken
//! the file and folded it into another since: its lines elsewhere still count.)

use super::{file_name, path_of, text_files, TargetTree};
use kdelta_patch::diff::LineKind;
use kdelta_patch::{ChangeKind, FileDiff, Patch};

/// A name shorter than this is too common to tell a file by.
const MIN_STEM: usize = 5;

/// A file the patch creates and the target lacks, with the hunks (file path, index from 0)
/// that add a line naming it to a file the target has without that name.
pub(super) struct Registered {
    pub(super) created: String,
    pub(super) by: Vec<(String, usize)>,
}

/// The files `patch` creates that the target lacks, and where the patch names them.
pub(super) fn registrations(tree: &TargetTree, patch: &Patch) -> Vec<Registered> {
    text_files(patch)
        .filter(|f| f.change == ChangeKind::Added)
        .map(path_of)
        .filter(|p| tree.index().path_id(p).is_none())
        .filter_map(|created| {
            let stem = stem(&created)?;
            let by: Vec<(String, usize)> = text_files(patch)
                .filter(|f| f.change == ChangeKind::Modified)
                // The patch's own lines first: the target's file only where one names it.
                .map(|f| (path_of(f), naming(f, stem).collect::<Vec<_>>()))
                .filter(|(path, hunks)| {
                    !hunks.is_empty()
                        && tree.file(path).is_some_and(|bytes| {
                            memchr::memmem::find(&bytes, stem.as_bytes()).is_none()
                        })
                })
                .flat_map(|(path, hunks)| hunks.into_iter().map(move |i| (path.clone(), i)))
                .collect();
            (!by.is_empty()).then(|| Registered {
                created: created.clone(),
                by,
            })
        })
        .collect()
}

/// The file name without its extension, when distinctive enough.
fn stem(path: &str) -> Option<&str> {
    let name = file_name(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    (stem.len() >= MIN_STEM).then_some(stem)
}

/// The hunks of `file` that add a line naming `stem`.
fn naming<'f>(file: &'f FileDiff, stem: &'f str) -> impl Iterator<Item = usize> + 'f {
    file.hunks.iter().enumerate().filter_map(move |(i, h)| {
        h.lines
            .iter()
            .filter(|l| l.kind == LineKind::Added)
            .any(|l| memchr::memmem::find(&l.text, stem.as_bytes()).is_some())
            .then_some(i)
    })
}
