//! Tests of the RPM spec reader.

use super::declare::split_tag;
use super::macros::{Expander, EXPANSION_BUDGET};
use super::prep::{mentions_patches_macro, patch_references, Options};
use super::resolve::MAX_STEPS;
use super::*;
use std::collections::HashMap;

/// An XCP-ng/Fedora-like kernel spec with `%autosetup -p1` (written for these tests).
const AUTOSETUP: &[u8] = br#"%global package_speccommit 0123456789abcdef
%global base_version 4.19.19
%define uname %{base_version}
%{!?_release: %global _release 8.0.40}

Summary: The Linux kernel built for the test suite
Name: kernel
License: GPLv2
Version: %{base_version}
Release: %{?_release}%{?dist}
ExclusiveArch: x86_64
URL: https://example.invalid/linux
Source0: https://example.invalid/linux-%{version}.tar.gz
Source1: kernel-x86_64.config
Source2: macros.kernel

Patch0: 0001-xen-netback-fix-the-thing.patch
Patch1: 0002-xen-blkback-be-careful.patch
Patch2: 0003-x86-xen-do-not-crash.patch
Patch3: 0004-mm-avoid-a-leak.patch
Patch4: 0005-net-fix-%{name}-warning.patch
Patch5: https://example.invalid/patches/0006-fs-from-a-url.patch
Patch6: %{_sourcedir}/0007-scsi-from-sourcedir.patch
Patch7: 0008-block-add-a-knob.patch
%if 0%{?with_debug}
Patch8: 0009-debug-only.patch
%endif
patch10: 0011-lowercase-tag.patch
Patch9: 0010-declared-after-ten.patch

%description
The kernel %patch3 is mentioned here but this is no %prep.

%prep
%autosetup -p1 -n linux-%{version}
cp %{SOURCE1} .config

%build
make %{?_smp_mflags}

%changelog
* Mon Jan 01 2024 Someone <someone@example.invalid> - 4.19.19-8.0.40
- %patch0 in a changelog is nothing
"#;

/// A spec applying its patches with explicit `%patch` lines (written for these tests).
const EXPLICIT: &[u8] = br#"Name: xen
Version: 4.17.3
Release: 1%{?dist}
Source0: xen-%{version}.tar.gz
Patch0: xen-first.patch
Patch1: xen-second.patch
Patch2: xen-third.patch
Patch3: xen-never-applied.patch
Patch4: xen-fourth.patch
Patch: xen-auto-five.patch
Patch: xen-auto-six.patch

%prep
%setup -q
%patch0 -p1
%patch -P 1 -P 2 -p1
# %patch3 -p1
%ifarch x86_64
%patch 4 -R -p2
%endif
%patch -P5 -p0
patch -p1 < %{PATCH6}
%patch -P 42 -p1
"#;

fn names(spec: &RpmSpec) -> Vec<&str> {
    spec.series
        .entries
        .iter()
        .map(|e| e.path.as_str())
        .collect()
}

#[test]
fn autosetup_applies_everything_in_number_order() {
    let spec = parse(AUTOSETUP);
    assert!(
        spec.series.problems.is_empty(),
        "{:?}",
        spec.series.problems
    );
    assert_eq!(spec.style, ApplyStyle::AutoSetup);
    assert_eq!(spec.name.as_deref(), Some("kernel"));
    assert_eq!(spec.version.as_deref(), Some("4.19.19"));
    assert_eq!(spec.release.as_deref(), Some("8.0.40"));
    assert_eq!(spec.sources.len(), 3);
    assert_eq!(spec.sources[0].name, "linux-4.19.19.tar.gz");
    assert_eq!(
        spec.sources[0].value,
        "https://example.invalid/linux-4.19.19.tar.gz"
    );
    assert_eq!(
        names(&spec),
        [
            "0001-xen-netback-fix-the-thing.patch",
            "0002-xen-blkback-be-careful.patch",
            "0003-x86-xen-do-not-crash.patch",
            "0004-mm-avoid-a-leak.patch",
            "0005-net-fix-kernel-warning.patch",
            "0006-fs-from-a-url.patch",
            "0007-scsi-from-sourcedir.patch",
            "0008-block-add-a-knob.patch",
            "0009-debug-only.patch",
            "0010-declared-after-ten.patch",
            "0011-lowercase-tag.patch",
        ]
    );
    assert!(spec
        .series
        .entries
        .iter()
        .all(|e| e.strip == 1 && !e.reverse));
    let conditional: Vec<_> = spec.entries.iter().map(|e| e.conditional).collect();
    assert_eq!(conditional.iter().filter(|c| **c).count(), 1);
    assert!(spec.entries[8].conditional);
    assert_eq!(spec.series.entries[0].line, 17);
    assert_eq!(spec.entries[0].applied_at, Some(35));
    assert_eq!(spec.entries[10].number, Some(10));
    assert_eq!(spec.entries.len(), 11);
    assert_eq!(spec.applications().count(), 11);
}

#[test]
fn explicit_patch_lines() {
    let spec = parse(EXPLICIT);
    assert_eq!(spec.style, ApplyStyle::Explicit);
    assert_eq!(
        names(&spec),
        [
            "xen-first.patch",
            "xen-second.patch",
            "xen-third.patch",
            "xen-fourth.patch",
            "xen-auto-five.patch",
            "xen-auto-six.patch"
        ]
    );
    let strips: Vec<_> = spec.series.entries.iter().map(|e| e.strip).collect();
    assert_eq!(strips, [1, 1, 1, 2, 0, 1]);
    assert!(spec.series.entries[3].reverse);
    assert!(spec.entries[3].conditional);
    assert!(!spec.entries[2].conditional);
    let messages: Vec<(usize, &str)> = spec
        .series
        .problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (23, "patch 42 is applied but no Patch42 is declared"),
            (
                8,
                "Patch3 (xen-never-applied.patch) is declared but never applied"
            ),
        ]
    );
    assert_eq!(
        spec.patch(5).next().map(|p| p.name.as_str()),
        Some("xen-auto-five.patch")
    );
}

#[test]
fn autosetup_dash_n_then_autopatch_ranges() {
    let text = b"Patch1: a.patch\nPatch2: b.patch\nPatch100: c.patch\n%prep\n%autosetup -N -S git\n%autopatch -M 99\necho between\n%autopatch -p2 -m 100\n";
    let spec = parse(text);
    assert!(
        spec.series.problems.is_empty(),
        "{:?}",
        spec.series.problems
    );
    assert_eq!(spec.style, ApplyStyle::AutoPatch);
    assert_eq!(names(&spec), ["a.patch", "b.patch", "c.patch"]);
    let strips: Vec<_> = spec.series.entries.iter().map(|e| e.strip).collect();
    assert_eq!(strips, [1, 1, 2]);
}

#[test]
fn git_am_loops_are_inferred_and_reported() {
    let text = b"Patch2: b.patch\nPatch1: a.patch\n%prep\n%setup -q\ngit init\nfor p in %{patches}; do git am $p; done\ngit am %{patches}\n";
    let mixed = [&text[..], b"%patch1 -p1\n%patch2 -p1\n"].concat();
    let spec = parse(&mixed);
    assert_eq!(spec.style, ApplyStyle::Explicit);
    assert_eq!(spec.series.problems.len(), 1);
    assert!(spec.series.problems[0].message.contains("ignored"));
    let spec = parse(text);
    assert_eq!(spec.style, ApplyStyle::Inferred);
    assert_eq!(names(&spec), ["a.patch", "b.patch"]);
    assert_eq!(spec.series.problems.len(), 1);
    assert_eq!(spec.series.problems[0].line, 6);
    assert_eq!(spec.entries[0].applied_at, None);
}

#[test]
fn apply_patches_macro_and_no_prep() {
    let spec = parse(b"Patch0: x.patch\n%prep\n%apply_patches\n");
    assert_eq!(spec.style, ApplyStyle::Inferred);
    assert_eq!(names(&spec), ["x.patch"]);
    let spec = parse(b"Patch0: x.patch\nPatch1: y.patch\n");
    assert_eq!(spec.style, ApplyStyle::Unknown);
    assert_eq!(names(&spec), ["x.patch", "y.patch"]);
    assert_eq!(spec.series.problems.len(), 1);
    assert_eq!(parse(b"Name: foo\n").style, ApplyStyle::NoPatches);
}

#[test]
fn fedora_kernel_apply_patch_by_name() {
    let text = b"Patch1: linux-kernel-test.patch\nPatch999999: patch-%{name}-redhat.patch\nName: k\n%prep\nApplyOptionalPatch linux-kernel-test.patch\nApplyPatch other.patch -R\n";
    let spec = parse(text);
    assert_eq!(names(&spec), ["linux-kernel-test.patch", "other.patch"]);
    assert_eq!(spec.entries[1].number, None);
    assert!(spec.series.entries[1].reverse);
    let lines: Vec<_> = spec.series.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 6, 2], "{:?}", spec.series.problems);
    assert!(spec.series.problems[0].message.contains("%{name}"));
}

#[test]
fn conditional_branches_are_all_kept() {
    let text = b"%if 0%{?rhel}\nPatch1: rhel.patch\n%else\nPatch1: fedora.patch\n%endif\n%prep\n%autosetup -p1\n";
    let spec = parse(text);
    assert!(
        spec.series.problems.is_empty(),
        "{:?}",
        spec.series.problems
    );
    assert_eq!(names(&spec), ["rhel.patch", "fedora.patch"]);
    assert!(spec.entries.iter().all(|e| e.conditional));
}

#[test]
fn duplicate_numbers_are_reported() {
    let spec = parse(b"Patch1: a\nPatch1: b\nSource1: a\n%if x\nPatch1: c\n%endif\n");
    let lines: Vec<_> = spec.series.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 0], "{:?}", spec.series.problems);
}

#[test]
fn unbalanced_conditionals_are_reported() {
    let spec = parse(b"%endif\n%else\n%if 1\nPatch0: a\n");
    let lines: Vec<_> = spec.series.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [1, 2, 3, 0]);
}

#[test]
fn macro_expansion() {
    let mut macros = HashMap::new();
    for (k, v) in [
        ("name", "kernel"),
        ("ver", "%{name}-1"),
        ("loop", "%{loop}x"),
    ] {
        macros.insert(k.to_string(), v.to_string());
    }
    let expand = |text: &str| {
        let mut e = Expander {
            macros: &macros,
            budget: EXPANSION_BUDGET,
            cut: false,
        };
        let mut out = String::new();
        e.run(text, 0, &mut out);
        (out, e.cut)
    };
    assert_eq!(expand("%{ver}.patch").0, "kernel-1.patch");
    assert_eq!(
        expand("%name-%{?dist}-%{?name:yes}-%{!?nope:no}-%{!?name:x}").0,
        "kernel--yes-no-"
    );
    assert_eq!(
        expand("%%{name} %undefined %{undefined} %(echo) 100%").0,
        "%{name} %undefined %{undefined} %(echo) 100%"
    );
    assert_eq!(expand("%{basename:/a/b/%{name}.patch}").0, "kernel.patch");
    assert_eq!(expand("%{?name}%?name%!?name").0, "kernelkernel");
    let (out, cut) = expand("%{loop}");
    assert!(cut);
    assert!(out.ends_with("x"));
    assert_eq!(expand("%{unclosed").0, "%{unclosed");
}

#[test]
fn exponential_macros_are_bounded() {
    let mut text = String::from("%define m0 xxxxxxxxxxxxxxxx\n");
    for i in 1..40 {
        text.push_str(&format!("%define m{i} %{{m{0}}}%{{m{0}}}\n", i - 1));
    }
    text.push_str("Patch0: %{m39}.patch\n");
    for _ in 0..1000 {
        text.push_str("Source: %{m39}\n");
    }
    let spec = parse(text.as_bytes());
    assert_eq!(spec.patches.len(), 1);
    assert!(spec
        .series
        .problems
        .iter()
        .any(|p| p.message.contains("cut short")));
}

#[test]
fn options_parse_like_getopt() {
    let opts = Options::parse("-Rp1 -P 3 -P4 -b .orig 7 -x", "Ppb", "R");
    assert!(opts.flag('R'));
    assert_eq!(opts.value('p'), Some("1"));
    assert_eq!(opts.values('P').collect::<Vec<_>>(), ["3", "4"]);
    assert_eq!(opts.positional, ["7"]);
    assert_eq!(opts.bad.len(), 1);
    assert_eq!(Options::parse("-p", "p", "").bad.len(), 1);
}

#[test]
fn references_and_tags() {
    assert_eq!(
        patch_references("patch -p1 < %{PATCH12} %PATCH3 %{P:4} %{PATCHx} %{PATCH5"),
        [12, 3, 4]
    );
    assert_eq!(split_tag("Requires(post): foo"), Some(("Requires", "foo")));
    assert_eq!(split_tag("Patch12 :  a b "), Some(("Patch12", "a b")));
    assert_eq!(split_tag("echo foo"), None);
    assert!(mentions_patches_macro("for p in %patches; do"));
    assert!(!mentions_patches_macro("%patches_dir"));
}

#[test]
fn repeated_applications_are_bounded() {
    let mut text = String::new();
    for _ in 0..400 {
        text.push_str("Patch1: same.patch\n");
    }
    text.push_str("%prep\n");
    for _ in 0..400 {
        text.push_str("%autopatch -p1\n%patch1\n");
    }
    let spec = parse(text.as_bytes());
    assert!(spec.entries.len() < MAX_STEPS);
    assert!(spec
        .series
        .problems
        .iter()
        .any(|p| p.message.starts_with("too many")));
    let spec = parse(b"Patch1: a\nPatch2: b\n%prep\n%autopatch\n%autopatch -m 2\n");
    assert_eq!(spec.entries.len(), 2);
    assert_eq!(spec.series.problems.len(), 1);
    assert_eq!(spec.series.problems[0].line, 5);
}

#[test]
fn garbage_does_not_panic() {
    for text in [
        &b"%"[..],
        b"%{",
        b"%define",
        b"%define x \\",
        b"%global a %{a}\nPatch: %{a}",
        b"Patch99999999999999: x\nSource: /\nPatch: ..\n%prep\n%patch -P\n%patch -p\n%autopatch -m x\n",
        b"\xff\xfe%{\xff}\n%prep\n%patch\xff\n%{P:\n%PATCH\n",
        b"%prep\n%patch -P 1 -P 1\nApplyPatch\n",
    ] {
        let _ = parse(text);
    }
}

#[test]
fn an_include_is_reported_with_its_line_not_ignored() {
    let spec = parse(b"Name: k\nPatch1: a.patch\n%include patches.inc\n%prep\n%autopatch -p1\n");
    let problem = spec
        .series
        .problems
        .iter()
        .find(|p| p.message.contains("%include patches.inc is not followed"))
        .expect("reported");
    assert_eq!(problem.line, 3);
}

#[test]
fn every_cut_short_expansion_is_reported() {
    // A macro that doubles at each level: each use alone runs past the depth limit.
    let mut text = String::from("%define m0 x\n");
    for i in 1..40 {
        text.push_str(&format!("%define m{i} %{{m{}}}%{{m{}}}\n", i - 1, i - 1));
    }
    text.push_str("Patch1: %{m39}.patch\nPatch2: %{m39}.patch\n");
    let spec = parse(text.as_bytes());
    let cut: Vec<usize> = spec
        .series
        .problems
        .iter()
        .filter(|p| p.message.contains("cut short"))
        .map(|p| p.line)
        .collect();
    assert!(cut.len() >= 2, "{:?}", spec.series.problems);
}
