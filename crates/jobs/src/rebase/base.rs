//! The release a queue applies to now, when `--base` does not say: the upstream version
//! its packaging names (a `.dsc`'s `Version:` without the Debian revision, an RPM spec's
//! `Version:`), then the upstream repository's tag that names that version
//! (`v6.1.170`, `RELEASE-4.17.5`): the tag ending in the version after a character that
//! is neither a digit nor a dot.

use kdelta_queue::{QueueFiles, QueueSpec};
use std::path::Path;

/// The upstream version the queue `spec` is packaged for, when its packaging says.
pub fn queue_version(spec: &str) -> Option<String> {
    if let Some(dsc) = spec.strip_suffix(".dsc").map(|_| Path::new(spec)) {
        let text = std::fs::read(dsc).ok()?;
        let version = kdelta_queue::dsc::Dsc::parse(&text).version?;
        return Some(debian_upstream(&version).to_string());
    }
    let files = QueueFiles::open(&QueueSpec::parse(spec).ok()?).ok()??;
    if files.layout().kind != kdelta_queue::LayoutKind::RpmSpec {
        return None;
    }
    let (_, text) = files.series().ok()??;
    spec_version(&String::from_utf8_lossy(&text))
}

/// `6.1.170` of `6.1.170-3` or `1:6.1.170-3`.
fn debian_upstream(version: &str) -> &str {
    let version = version.split_once(':').map_or(version, |(_, v)| v);
    version.rsplit_once('-').map_or(version, |(v, _)| v)
}

/// The value of a spec's `Version:` tag, when it is plain (no macro).
fn spec_version(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("Version:"))
        .map(str::trim)
        .find(|v| !v.is_empty())
        .filter(|v| !v.contains('%'))
        .map(str::to_string)
}

/// The tag of `repo` that names `version`, when exactly one does.
pub fn release_tag(repo: &Path, version: &str) -> Option<String> {
    let repo = gix::open(repo).ok()?;
    let refs = repo.references().ok()?;
    let tags: Vec<String> = refs
        .tags()
        .ok()?
        .filter_map(Result::ok)
        .map(|r| r.name().shorten().to_string())
        .filter(|name| names_version(name, version))
        .collect();
    match tags.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Whether tag `name` ends in `version`, after the start or a character that is neither a
/// digit nor a dot (`v6.1.170`, not `v16.1.170` nor `v6.1.1700`).
fn names_version(name: &str, version: &str) -> bool {
    name.strip_suffix(version).is_some_and(|head| {
        head.chars()
            .last()
            .is_none_or(|c| !c.is_ascii_digit() && c != '.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_packaging() {
        assert_eq!(debian_upstream("6.1.170-3"), "6.1.170");
        assert_eq!(debian_upstream("1:2.3-4+deb12u1"), "2.3");
        assert_eq!(debian_upstream("6.12.107"), "6.12.107");
        assert_eq!(
            spec_version("Name: xen\nVersion: 4.17.5\nRelease: 23\n").as_deref(),
            Some("4.17.5")
        );
        assert_eq!(spec_version("Version: %{upstream_version}\n"), None);
    }

    #[test]
    fn a_tag_names_a_version_after_a_separator() {
        assert!(names_version("v6.1.170", "6.1.170"));
        assert!(names_version("RELEASE-4.17.5", "4.17.5"));
        assert!(names_version("4.17.5", "4.17.5"));
        assert!(!names_version("v16.1.170", "6.1.170"));
        assert!(!names_version("v6.1.1700", "6.1.170"));
        assert!(!names_version("v1.6.1.170", "6.1.170"));
    }
}
