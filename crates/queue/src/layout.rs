//! Which kind of queue a tree holds, and the ordered list of patch files it names.

use crate::series::{Series, SeriesEntry};
use crate::tree::{join, Tree};
use crate::QueueError;
use serde::Serialize;

/// The queue layouts kdelta reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LayoutKind {
    /// openSUSE/SLE kernel-source (or Qubes) `series.conf`.
    SeriesConf,
    /// A quilt `series` file.
    Quilt,
    /// A Debian source tree's `debian/patches/series`.
    Debian,
    /// An RPM spec's `PatchN:` lines.
    RpmSpec,
    /// A folder of `*.patch`/`*.diff` files, in name order.
    Folder,
    /// An mbox or a single patch file.
    Mbox,
    /// Commits of a git range.
    GitRange,
}

/// Where the series lives and how its names map to files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The kind.
    pub kind: LayoutKind,
    /// The series/spec file (tree path), if any.
    pub series: Option<String>,
    /// The directories patch names are looked up in, in order.
    pub bases: Vec<String>,
}

/// The series read from a layout: entries, their file paths, and problems.
pub struct Listing {
    /// Entries in application order.
    pub entries: Vec<SeriesEntry>,
    /// Patches commented out in the series.
    pub disabled: Vec<String>,
    /// Problems with the series file itself (line-located).
    pub problems: Vec<crate::series::SeriesProblem>,
}

/// Find the queue layout at the root of `tree`: the first of its [`candidates`].
pub fn detect(tree: &dyn Tree) -> Result<Layout, QueueError> {
    candidates(tree)?
        .into_iter()
        .next()
        .ok_or_else(|| QueueError::NotAQueue {
            path: tree.describe().into(),
        })
}

/// Every queue layout at the root of `tree`, in order of preference: `series.conf`,
/// `debian/patches/series`, a quilt `series`, RPM specs (those naming the most patches
/// first), a folder of patches.
pub fn candidates(tree: &dyn Tree) -> Result<Vec<Layout>, QueueError> {
    let make = |kind, series: &str, bases: &[&str]| Layout {
        kind,
        series: Some(series.to_string()),
        bases: bases.iter().map(|b| b.to_string()).collect(),
    };
    let mut out = Vec::new();
    if tree.is_file("series.conf")? {
        out.push(make(LayoutKind::SeriesConf, "series.conf", &[""]));
    }
    if tree.is_file("debian/patches/series")? {
        out.push(make(
            LayoutKind::Debian,
            "debian/patches/series",
            &["debian/patches"],
        ));
    }
    for (series, base) in [("series", ""), ("patches/series", "patches")] {
        if tree.is_file(series)? {
            out.push(make(LayoutKind::Quilt, series, &[base]));
            break;
        }
    }
    out.extend(find_specs(tree)?.iter().map(|spec| rpm_layout(spec)));
    let files = tree.files_under("")?;
    if files.iter().any(|f| is_patch_name(f)) {
        out.push(Layout {
            kind: LayoutKind::Folder,
            series: None,
            bases: vec![String::new()],
        });
    }
    Ok(out)
}

/// The layout of an RPM spec at tree path `spec`: patches in `SOURCES/`, beside the spec, or at the root.
pub fn rpm_layout(spec: &str) -> Layout {
    let dir = spec.rfind('/').map_or("", |p| &spec[..p]);
    let parent = dir.rfind('/').map_or("", |p| &dir[..p]);
    let mut bases = vec![join(parent, "SOURCES"), dir.to_string(), String::new()];
    bases.dedup();
    Layout {
        kind: LayoutKind::RpmSpec,
        series: Some(spec.to_string()),
        bases,
    }
}

/// The layout for a series or spec file named explicitly (`series.conf`, `series*`,
/// `*.spec`, `*.spec.in`); patch names are looked up beside it.
pub fn for_file(path: &str) -> Option<Layout> {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    if name.ends_with(".spec") || name.ends_with(".spec.in") {
        return Some(rpm_layout(path));
    }
    let kind = match name {
        "series.conf" => LayoutKind::SeriesConf,
        n if n.starts_with("series") => LayoutKind::Quilt,
        _ => return None,
    };
    Some(Layout {
        kind,
        series: Some(path.to_string()),
        bases: vec![dir.to_string()],
    })
}

fn find_specs(tree: &dyn Tree) -> Result<Vec<String>, QueueError> {
    let mut specs: Vec<(usize, String)> = Vec::new();
    for f in tree.files_under("")? {
        if (f.ends_with(".spec") || f.ends_with(".spec.in"))
            && (!f.contains('/') || f.starts_with("SPECS/"))
        {
            let text = tree.read(&f)?.unwrap_or_default();
            specs.push((patch_lines(&text), f));
        }
    }
    // The spec naming the most patches first; by path among equals.
    specs.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(specs.into_iter().map(|(_, f)| f).collect())
}

/// How many `PatchN:` tag lines a spec has.
fn patch_lines(text: &[u8]) -> usize {
    let is_tag = |line: &[u8]| {
        let line = line.trim_ascii_start();
        let Some(rest) = line
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case(b"patch"))
            .map(|_| &line[5..])
        else {
            return false;
        };
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        rest.get(digits) == Some(&b':')
    };
    text.split(|&b| b == b'\n').filter(|l| is_tag(l)).count()
}

/// Whether a file name looks like a patch.
pub fn is_patch_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    [".patch", ".diff", ".mbox", ".mbx"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Read the series of `layout` from `tree`.
pub fn list(tree: &dyn Tree, layout: &Layout) -> Result<Listing, QueueError> {
    let Some(series_path) = &layout.series else {
        return folder_listing(tree, layout);
    };
    let text = tree
        .read(series_path)?
        .ok_or_else(|| QueueError::Spec(format!("{}: missing", tree.display_path(series_path))))?;
    let Series {
        entries,
        disabled,
        problems,
    } = match layout.kind {
        LayoutKind::SeriesConf => crate::seriesconf::parse(&text),
        LayoutKind::RpmSpec => crate::rpmspec::parse_series(&text),
        _ => crate::series::parse(&text),
    };
    Ok(Listing {
        entries,
        disabled,
        problems,
    })
}

fn folder_listing(tree: &dyn Tree, layout: &Layout) -> Result<Listing, QueueError> {
    let base = layout.bases.first().cloned().unwrap_or_default();
    let mut names: Vec<String> = tree
        .files_under(&base)?
        .into_iter()
        .filter(|f| is_patch_name(f))
        .map(|f| {
            f.strip_prefix(&format!("{base}/"))
                .map(str::to_string)
                .unwrap_or(f)
        })
        .collect();
    names.sort_by(|a, b| natural_cmp(a, b));
    let entries = names
        .into_iter()
        .map(|path| SeriesEntry {
            path,
            strip: 1,
            line: 0,
            guards: Vec::new(),
            section: None,
            reverse: false,
        })
        .collect();
    Ok(Listing {
        entries,
        disabled: Vec::new(),
        problems: Vec::new(),
    })
}

pub use kdelta_patch::natural_cmp;

/// Patch files under the layout's directories that the series never names.
pub fn unlisted(
    tree: &dyn Tree,
    layout: &Layout,
    named: &[String],
) -> Result<Vec<String>, QueueError> {
    if layout.series.is_none() {
        return Ok(Vec::new());
    }
    let named: std::collections::HashSet<&str> = named.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for file in candidate_files(tree, layout)? {
        if !named.contains(file.as_str()) && !out.contains(&file) {
            out.push(file);
        }
    }
    Ok(out)
}

fn candidate_files(tree: &dyn Tree, layout: &Layout) -> Result<Vec<String>, QueueError> {
    let files = match layout.kind {
        LayoutKind::SeriesConf => tree
            .files_under("")?
            .into_iter()
            .filter(|f| {
                f.starts_with("patches.") && f.contains('/') || !f.contains('/') && is_patch_name(f)
            })
            .collect(),
        LayoutKind::Debian => tree
            .files_under("debian/patches")?
            .into_iter()
            .filter(|f| !f.rsplit('/').next().unwrap_or("").starts_with("series"))
            .collect(),
        LayoutKind::RpmSpec => {
            let base = layout.bases.first().cloned().unwrap_or_default();
            tree.files_under(&base)?
                .into_iter()
                .filter(|f| is_patch_name(f))
                .collect()
        }
        _ => {
            let base = layout.bases.first().cloned().unwrap_or_default();
            tree.files_under(&base)?
                .into_iter()
                .filter(|f| is_patch_name(f))
                .collect::<Vec<_>>()
        }
    };
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::MemTree;

    #[test]
    fn detects_layouts_in_order() {
        let mut tree = MemTree::new("t");
        tree.insert("x.patch", Vec::new());
        assert_eq!(detect(&tree).map(|l| l.kind).ok(), Some(LayoutKind::Folder));
        tree.insert("SPECS/kernel.spec", Vec::new());
        let rpm = detect(&tree).expect("rpm");
        assert_eq!(rpm.kind, LayoutKind::RpmSpec);
        assert_eq!(rpm.bases, ["SOURCES", "SPECS", ""]);
        tree.insert("debian/patches/series", Vec::new());
        assert_eq!(detect(&tree).map(|l| l.kind).ok(), Some(LayoutKind::Debian));
        tree.insert("series.conf", Vec::new());
        assert_eq!(
            detect(&tree).map(|l| l.kind).ok(),
            Some(LayoutKind::SeriesConf)
        );
        assert!(detect(&MemTree::new("empty")).is_err());
    }

    #[test]
    fn the_spec_naming_the_most_patches_comes_first() {
        let mut tree = MemTree::new("t");
        tree.insert(
            "kernel-devel.spec",
            b"Name: kernel-devel\nSource0: x.tar\n".to_vec(),
        );
        tree.insert(
            "kernel.spec.in",
            b"Name: kernel\nPatch1: a.patch\n  patch2:\tb.patch\nPatch: c.patch\nPatchX: no\n%patch1 -p1\n".to_vec(),
        );
        assert_eq!(
            patch_lines(
                b"Patch1: a.patch\n  patch2:\tb.patch\nPatch: c.patch\nPatchX: no\n%patch1 -p1\n"
            ),
            3
        );
        let order: Vec<Option<String>> = candidates(&tree)
            .expect("candidates")
            .into_iter()
            .map(|l| l.series)
            .collect();
        assert_eq!(
            order,
            [
                Some("kernel.spec.in".to_string()),
                Some("kernel-devel.spec".to_string())
            ]
        );
    }
}
