//! The verdict when upstream has moved on, on small trees written here: files moved and
//! split, code evolved, earlier patches of the queue, release claims, code gone for good.

use crate::analyze::analyze_queue;
use crate::model::{HunkFate, Hypothesis, Status, Verdict};
use crate::tree::TargetTree;
use crate::{AnalysisOptions, Analyzer};
use kdelta_upstream::tree::TreeSource;
use std::path::Path;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A module loader, before it was split (the patches' view of it).
const MODULE_C: &str = "\
#include <linux/module.h>

static int module_sig_check(struct load_info *info, int flags)
{
\tint err = -ENODATA;
\tconst unsigned long markerlen = sizeof(MODULE_SIG_STRING) - 1;
\tconst void *mod = info->hdr;

\tif (flags == 0 && info->len > markerlen) {
\t\terr = mod_verify_sig(mod, info);
\t}
\treturn err;
}

static int load_module(struct load_info *info, const char __user *uargs, int flags)
{
\tstruct module *mod;
\tlong err = 0;

\terr = module_sig_check(info, flags);
\tif (err)
\t\tgoto free_copy;
\tmod = layout_and_allocate(info, flags);
\tif (IS_ERR(mod)) {
\t\terr = PTR_ERR(mod);
\t\tgoto free_copy;
\t}
\treturn do_init_module(mod);
free_copy:
\tfree_copy(info, flags);
\treturn err;
}
";

fn write(root: &Path, path: &str, text: &str) -> TestResult {
    let full = root.join(path);
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(full, text)?;
    Ok(())
}

/// The upstream tree: release 6.12 (its Makefile says so), `kernel/module.c` split into
/// `kernel/module/main.c` and `kernel/module/signing.c`, a driver gone for good.
fn upstream(root: &Path, signing_has_fix: bool) -> TestResult {
    write(
        root,
        "Makefile",
        "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION =\n",
    )?;
    let (sig, main) = MODULE_C
        .split_once("static int load_module")
        .ok_or("fixture")?;
    let sig = if signing_has_fix {
        sig.replace(
            "if (flags == 0 && info->len",
            "if (!(flags & MODULE_INIT_IGNORE_MODVERSIONS) && info->len",
        )
    } else {
        sig.to_string()
    };
    write(
        root,
        "kernel/module/signing.c",
        &format!("/* Module signature checker */\n{sig}"),
    )?;
    write(
        root,
        "kernel/module/main.c",
        &format!("#include \"internal.h\"\n\nstatic int load_module{main}"),
    )?;
    write(
        root,
        "drivers/misc/other.c",
        "int other_driver(void)\n{\n\treturn 0;\n}\n",
    )?;
    Ok(())
}

fn analyse(
    root: &Path,
    patches: &[(&str, String)],
) -> Result<Vec<Verdict>, Box<dyn std::error::Error>> {
    let queue = crate::testing::queue(patches);
    let tree = TargetTree::open(&TreeSource::Dir(root.into()), None)?;
    let mut analyzer = Analyzer {
        history: None,
        tree: Some(tree),
        options: AnalysisOptions::default(),
        archive: None,
    };
    Ok(analyze_queue(&queue, &mut analyzer, &mut |_, _| {})?)
}

/// The signature-check fix, against the old `kernel/module.c`.
fn sig_fix(headers: &str) -> String {
    format!(
        "From: A <a@example.org>\nSubject: module: check the signature only when asked\n{headers}\n--- a/kernel/module.c\n+++ b/kernel/module.c\n@@ -7,7 +7,7 @@ static int module_sig_check(struct load_info *info, int flags)\n \tconst unsigned long markerlen = sizeof(MODULE_SIG_STRING) - 1;\n \tconst void *mod = info->hdr;\n \n-\tif (flags == 0 && info->len > markerlen) {{\n+\tif (!(flags & MODULE_INIT_IGNORE_MODVERSIONS) && info->len > markerlen) {{\n \t\terr = mod_verify_sig(mod, info);\n \t}}\n \treturn err;\n"
    )
}

#[test]
fn a_split_file_is_judged_where_its_code_went() -> TestResult {
    // The fix is upstream, in the file the function moved to.
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), true)?;
    let v = analyse(tmp.path(), &[("sig.patch", sig_fix(""))])?;
    assert_eq!(v[0].status, Status::Upstream, "{:#?}", v[0]);
    assert_eq!(v[0].hunks[0].fate, HunkFate::Present);
    assert!(
        v[0].hunks[0]
            .at
            .as_deref()
            .is_some_and(|a| a.starts_with("kernel/module/signing.c:")),
        "{:?}",
        v[0].hunks
    );

    // Not upstream: it still applies, to the new file. Never obsolete.
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), false)?;
    let v = analyse(tmp.path(), &[("sig.patch", sig_fix(""))])?;
    assert_eq!(v[0].status, Status::NeedsWork, "{:#?}", v[0]);
    assert_eq!(v[0].hunks[0].fate, HunkFate::Applies);
    assert!(
        v[0].evidence
            .iter()
            .any(|e| e.detail.contains("kernel/module/signing.c")),
        "{:#?}",
        v[0].evidence
    );
    Ok(())
}

#[test]
fn a_change_whose_variables_were_renamed_since_is_present_renamed() -> TestResult {
    // Upstream took the fix, then renamed `info` to `ldinfo` and `markerlen` to `mlen`.
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), true)?;
    let path = tmp.path().join("kernel/module/signing.c");
    let text = std::fs::read_to_string(&path)?
        .replace("info", "ldinfo")
        .replace("markerlen", "mlen");
    std::fs::write(&path, text)?;
    let v = analyse(tmp.path(), &[("sig.patch", sig_fix(""))])?;
    let hunk = &v[0].hunks[0];
    assert_eq!(hunk.fate, HunkFate::PresentRenamed, "{:#?}", v[0]);
    assert_eq!(hunk.renamed, ["markerlen→mlen", "info→ldinfo"]);
    assert!(
        hunk.at
            .as_deref()
            .is_some_and(|a| a.starts_with("kernel/module/signing.c:")),
        "{hunk:?}"
    );
    assert_eq!(v[0].status, Status::Upstream, "{:#?}", v[0]);
    assert!(
        v[0].evidence
            .iter()
            .any(|e| e.detail.contains("renamed markerlen→mlen info→ldinfo")),
        "{:#?}",
        v[0].evidence
    );
    Ok(())
}

#[test]
fn a_release_claim_at_or_below_the_tree_weighs_and_one_above_does_not() -> TestResult {
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), true)?;
    // Upstream changed the code around the fix since: the hunk no longer matches, the
    // claim and the lines decide.
    let changed = |headers: &str| {
        sig_fix(headers).replace(
            "\tconst void *mod = info->hdr;\n",
            "\tconst void *mod = info->hdr_old;\n",
        )
    };
    let claimed = changed(
        "Patch-mainline: v3.14-rc1\nGit-commit: 0123456789abcdef0123456789abcdef01234567\n",
    );
    // A change upstream does not have, claimed only for a later release.
    let later = "Subject: module: free later\nPatch-mainline: v6.14\n\n--- a/kernel/module.c\n+++ b/kernel/module.c\n@@ -30,5 +30,5 @@ static int load_module(struct load_info *info, const char __user *uargs, int flags)\n \treturn do_init_module(mod);\n free_copy:\n-\tfree_copy(info, flags);\n+\tfree_copy_later(info, flags);\n \treturn err;\n }\n".to_string();
    let v = analyse(
        tmp.path(),
        &[("claimed.patch", claimed), ("later.patch", later)],
    )?;
    assert_eq!(v[0].status, Status::Upstream, "{:#?}", v[0]);
    assert_eq!(
        v[0].commit.as_deref(),
        Some("0123456789abcdef0123456789abcdef01234567")
    );
    assert!(
        v[0].evidence
            .iter()
            .any(|e| e.detail.contains("at or below 6.12") && e.weight > 0.0),
        "{:#?}",
        v[0].evidence
    );
    assert_eq!(v[1].status, Status::NeedsWork, "{:#?}", v[1]);
    assert!(
        v[1].evidence
            .iter()
            .any(|e| e.detail.contains("after 6.12")),
        "{:#?}",
        v[1].evidence
    );
    Ok(())
}

#[test]
fn an_evolved_backport_is_upstream_in_an_evolved_form() -> TestResult {
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), true)?;
    // Two hunks: the signature fix (present) and a change to load_module that upstream
    // made too, after further changes around it.
    write(
        tmp.path(),
        "kernel/module/main.c",
        &std::fs::read_to_string(tmp.path().join("kernel/module/main.c"))?
            .replace("\tif (IS_ERR(mod)) {\n\t\terr = PTR_ERR(mod);", "\tif (IS_ERR(mod)) {\n\t\tpr_debug(\"layout failed\\n\");\n\t\terr = PTR_ERR(mod);\n\t\tmodule_layout_failed(info);")
            .replace("\tmod = layout_and_allocate(info, flags);", "\tmod = layout_and_allocate(info, flags | MODULE_LAYOUT_FIXED);"),
    )?;
    let patch = format!(
        "{}--- a/kernel/module.c\n+++ b/kernel/module.c\n@@ -21,8 +21,9 @@ static int load_module(struct load_info *info, const char __user *uargs, int flags)\n \tif (err)\n \t\tgoto free_copy;\n \tmod = layout_and_allocate(info, flags);\n \tif (IS_ERR(mod)) {{\n \t\terr = PTR_ERR(mod);\n+\t\tmodule_layout_failed(info);\n \t\tgoto free_copy;\n \t}}\n \treturn do_init_module(mod);\n",
        sig_fix("")
    );
    let v = analyse(tmp.path(), &[("backport.patch", patch)])?;
    assert_eq!(v[0].status, Status::Upstream, "{:#?}", v[0]);
    assert_eq!(v[0].hypothesis, Hypothesis::UpstreamEvolved, "{:#?}", v[0]);
    assert_eq!(v[0].hunks[0].fate, HunkFate::Present);
    assert_eq!(
        v[0].hunks[1].fate,
        HunkFate::PresentChanged,
        "{:?}",
        v[0].hunks
    );
    Ok(())
}

#[test]
fn a_patch_on_a_file_the_queue_creates_goes_with_that_patch() -> TestResult {
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), false)?;
    let create = "Subject: add the frobnicator\nPatch-mainline: Never, distribution specific\n\n--- /dev/null\n+++ b/drivers/misc/frob.c\n@@ -0,0 +1,4 @@\n+int frob_start(void)\n+{\n+\treturn frobnicate_everything(42);\n+}\n".to_string();
    let fix = "Subject: frob: start gently\n\n--- a/drivers/misc/frob.c\n+++ b/drivers/misc/frob.c\n@@ -1,4 +1,4 @@\n int frob_start(void)\n {\n-\treturn frobnicate_everything(42);\n+\treturn frobnicate_everything(1);\n }\n".to_string();
    let v = analyse(
        tmp.path(),
        &[("frob.patch", create), ("frob-fix.patch", fix)],
    )?;
    assert_eq!(v[0].status, Status::DownstreamOnly, "{:#?}", v[0]);
    assert_eq!(v[1].status, Status::NeedsWork, "{:#?}", v[1]);
    assert_eq!(v[1].hunks[0].fate, HunkFate::AppliesOnQueue);
    assert!(
        v[1].evidence[0].detail.contains("frob.patch: needed"),
        "{:#?}",
        v[1].evidence
    );
    Ok(())
}

#[test]
fn a_patch_on_a_file_the_queue_renames_applies_on_the_queue() -> TestResult {
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), false)?;
    write(
        tmp.path(),
        "drivers/misc/frob.h",
        "struct frob_device {\n\tint frobnication_level;\n\tint frobnication_speed;\n};\n",
    )?;
    let rename = "Subject: frob: move the header\n\ndiff --git a/drivers/misc/frob.h b/include/linux/frob.h\nsimilarity index 100%\nrename from drivers/misc/frob.h\nrename to include/linux/frob.h\n".to_string();
    let grow = "Subject: frob: a frobnication depth\n\n--- a/include/linux/frob.h\n+++ b/include/linux/frob.h\n@@ -1,4 +1,5 @@\n struct frob_device {\n \tint frobnication_level;\n \tint frobnication_speed;\n+\tint frobnication_depth;\n };\n".to_string();
    let v = analyse(tmp.path(), &[("move.patch", rename), ("grow.patch", grow)])?;
    assert_eq!(
        v[1].hunks[0].fate,
        HunkFate::AppliesOnQueue,
        "{:#?}",
        v[1].hunks
    );
    assert_eq!(v[1].hunks[0].at.as_deref(), Some("include/linux/frob.h:1"));
    Ok(())
}

#[test]
fn an_added_stock_line_matching_elsewhere_with_fuzz_still_applies_at_its_spot() -> TestResult {
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), false)?;
    // `#endif` after a `return 0; }` exists further down; at the hunk's own spot the
    // context is there as it was: the hunk applies, it is not present.
    write(
        tmp.path(),
        "drivers/misc/guard.c",
        "static int guard_first_function(void)\n{\n\treturn 0;\n}\n\nstatic int guard_second_function(int level)\n{\n\treturn level + guard_offset_value;\n}\n\n#ifdef CONFIG_GUARD_EXTRA\nstatic int guard_extra_function(void)\n{\n\treturn 0;\n}\n#endif\n\nstatic int guard_last_function(void)\n{\n\treturn guard_final_value;\n}\n",
    )?;
    let patch = "Subject: guard: hide the second function\n\n--- a/drivers/misc/guard.c\n+++ b/drivers/misc/guard.c\n@@ -1,6 +1,7 @@\n static int guard_first_function(void)\n {\n \treturn 0;\n }\n+#endif\n \n static int guard_second_function(int level)\n".to_string();
    let v = analyse(tmp.path(), &[("guard.patch", patch)])?;
    assert_eq!(v[0].hunks[0].fate, HunkFate::Applies, "{:#?}", v[0].hunks);
    assert_ne!(v[0].status, Status::Upstream);
    Ok(())
}

#[test]
fn code_gone_everywhere_is_obsolete_but_a_moved_anchor_is_not() -> TestResult {
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), false)?;
    let gone = "Subject: oldnet: reset\n\n--- a/drivers/net/oldnet.c\n+++ b/drivers/net/oldnet.c\n@@ -10,5 +10,5 @@ static void oldnet_reset(struct oldnet_priv *priv)\n \toldnet_stop_queue(priv->dev);\n \toldnet_write_register(priv, OLDNET_CTRL, 0);\n-\toldnet_wait_for_idle(priv, 100);\n+\toldnet_wait_for_idle(priv, 1000);\n \toldnet_start_queue(priv->dev);\n }\n".to_string();
    // Inserts lines into a function that still exists, at a place that changed.
    let insertion = "Subject: other: warn\n\n--- a/drivers/misc/other.c\n+++ b/drivers/misc/other.c\n@@ -1,3 +1,4 @@\n int other_driver(void)\n {\n+\tpr_warn(\"other driver is experimental and may eat data\\n\");\n \treturn setup_other_hardware(0);\n".to_string();
    let v = analyse(
        tmp.path(),
        &[("gone.patch", gone), ("insert.patch", insertion)],
    )?;
    assert_eq!(v[0].status, Status::Obsolete, "{:#?}", v[0]);
    assert_eq!(v[0].hunks[0].fate, HunkFate::Gone);
    assert_eq!(v[1].status, Status::NeedsWork, "{:#?}", v[1]);
    assert_eq!(v[1].hunks[0].fate, HunkFate::Conflicts);
    Ok(())
}

#[test]
fn a_name_put_in_code_that_is_gone_is_gone_with_it_not_missing() -> TestResult {
    use crate::model::EvidenceKind;
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), false)?;
    let helper = |file: &str, function: &str, context: [&str; 2]| {
        format!(
            "Subject: add a helper\n\n--- a/{file}\n+++ b/{file}\n@@ -10,4 +10,9 @@ static void {function}(struct priv *priv)\n \t{}\n \t{}\n }}\n \n+static int oldnet_reset_hard(struct oldnet_priv *priv)\n+{{\n+\treturn oldnet_write_register(priv, OLDNET_CTRL, OLDNET_HARD_RESET);\n+}}\n+\n",
            context[0], context[1]
        )
    };
    let gone = helper(
        "drivers/net/oldnet.c",
        "oldnet_reset",
        [
            "oldnet_stop_queue(priv->dev);",
            "oldnet_start_queue(priv->dev);",
        ],
    );
    let kept = helper(
        "drivers/misc/other.c",
        "other_driver",
        ["setup_other_hardware(1);", "return 0;"],
    );
    let v = analyse(tmp.path(), &[("gone.patch", gone), ("kept.patch", kept)])?;
    let missing = |v: &Verdict| {
        v.evidence
            .iter()
            .any(|e| e.kind == EvidenceKind::SymbolsMissing)
    };
    assert_eq!(v[0].hunks[0].fate, HunkFate::Gone, "{:#?}", v[0]);
    assert!(!missing(&v[0]), "{:#?}", v[0].evidence);
    assert_eq!(v[0].status, Status::Obsolete, "{:#?}", v[0]);
    assert_ne!(v[1].hunks[0].fate, HunkFate::Gone, "{:#?}", v[1]);
    assert!(missing(&v[1]), "{:#?}", v[1].evidence);
    Ok(())
}

#[test]
fn a_moved_file_whose_code_changed_conflicts_where_it_went_and_is_not_obsolete() -> TestResult {
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), false)?;
    write(
        tmp.path(),
        "drivers/misc/otherbus/core.c",
        "#include <linux/module.h>\n#include <linux/otherbus.h>\n\n#include \"internal.h\"\n\nstatic DEFINE_MUTEX(otherbus_lock);\n",
    )?;
    let patch = "Subject: otherbus: quiet on Xen\n\n--- a/drivers/misc/otherbus.c\n+++ b/drivers/misc/otherbus.c\n@@ -1,6 +1,10 @@\n #include <linux/module.h>\n #include <linux/otherbus.h>\n \n+#ifdef CONFIG_XEN_OTHERBUS\n+#include <xen/xen.h>\n+#endif\n+\n #include \"otherbus-internal.h\"\n \n static DEFINE_MUTEX(otherbus_read_mutex);\n".to_string();
    let v = analyse(tmp.path(), &[("moved.patch", patch)])?;
    assert_eq!(v[0].hunks[0].fate, HunkFate::Conflicts, "{:#?}", v[0]);
    assert_eq!(
        v[0].hunks[0].at.as_deref(),
        Some("drivers/misc/otherbus/core.c")
    );
    assert_eq!(v[0].status, Status::NeedsWork, "{:#?}", v[0]);
    Ok(())
}

#[test]
fn a_patch_cut_short_inside_a_hunk_is_not_judged() -> TestResult {
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), false)?;
    let cut = "Subject: other: cut\n\n--- a/drivers/misc/other.c\n+++ b/drivers/misc/other.c\n@@ -1,4 +1,5 @@\n int other_driver(void)\n {\n+\tpr_info(\"starting\\n\");\n".to_string();
    let v = analyse(tmp.path(), &[("cut.patch", cut)])?;
    assert_eq!(v[0].status, Status::Unknown, "{:#?}", v[0]);
    assert!(
        v[0].evidence[0]
            .detail
            .contains("cut short in its diff of drivers/misc/other.c"),
        "{:#?}",
        v[0].evidence
    );
    Ok(())
}

#[test]
fn every_piece_of_evidence_says_what_it_contributed() -> TestResult {
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), true)?;
    let v = analyse(tmp.path(), &[("sig.patch", sig_fix(""))])?;
    let weighed: Vec<_> = v[0]
        .evidence
        .iter()
        .filter(|e| e.hypothesis.is_some())
        .collect();
    assert!(!weighed.is_empty());
    assert!(weighed
        .iter()
        .all(|e| e.weight != 0.0 && e.weight.abs() <= 1.0));
    let best = v[0].scores.first().ok_or("scores")?;
    assert_eq!(best.0, v[0].hypothesis);
    assert!(
        v[0].scores
            .iter()
            .any(|(h, s)| *h == Hypothesis::Needed && *s > 0.0),
        "the prior"
    );
    Ok(())
}

#[test]
fn the_steps_of_opening_and_analysing_are_recorded_not_printed() -> TestResult {
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), true)?;
    let queue = crate::testing::queue(&[("sig.patch", sig_fix(""))]);
    let tree = TargetTree::open(&TreeSource::Dir(tmp.path().into()), None)?;
    let opened: Vec<String> = tree
        .index()
        .timings()
        .steps()
        .iter()
        .map(|s| s.0.clone())
        .collect();
    assert_eq!(opened, ["tree index assembled"]);
    let mut analyzer = Analyzer {
        history: None,
        tree: Some(tree),
        options: AnalysisOptions::default(),
        archive: None,
    };
    analyze_queue(&queue, &mut analyzer, &mut |_, _| {})?;
    let tree = analyzer.tree.as_ref().ok_or("the tree")?;
    let steps: Vec<String> = tree.timings().steps().iter().map(|s| s.0.clone()).collect();
    assert_eq!(
        steps,
        ["the queue's own files followed", "tree facts of 1 patches"]
    );
    Ok(())
}

/// A board's device tree, most of whose lines a sibling board shares.
fn board(name: &str, extra: &str) -> String {
    format!(
        "// SPDX-License-Identifier: GPL-2.0\n/dts-v1/;\n#include \"rk3566-soquartz.dtsi\"\n\n/ {{\n\tmodel = \"{name}\";\n\tcompatible = \"pine64,{name}\", \"rockchip,rk3566\";\n\n\taliases {{\n\t\tmmc1 = &sdmmc0;\n\t\tethernet0 = &gmac1;\n\t}};\n\n\tchosen {{\n\t\tstdout-path = \"serial2:1500000n8\";\n\t}};\n}};\n\n&gmac1 {{\n\tassigned-clocks = <&cru SCLK_GMAC1_RX_TX>;\n\tphy-mode = \"rgmii-id\";\n\tstatus = \"okay\";\n}};\n\n&sdmmc0 {{\n\tbus-width = <4>;\n\tcap-sd-highspeed;\n\tstatus = \"okay\";\n}};\n{extra}"
    )
}

fn new_board(makefile_context: &str) -> String {
    let dts: String = board(
        "soquartz-blade",
        "\n&usb_host0_xhci {\n\tstatus = \"okay\";\n};\n",
    )
    .lines()
    .map(|l| format!("+{l}\n"))
    .collect();
    let n = dts.lines().count();
    format!(
        "Subject: arm64: dts: add the SOQuartz blade board\n\n--- a/arch/arm64/boot/dts/rockchip/Makefile\n+++ b/arch/arm64/boot/dts/rockchip/Makefile\n@@ -1,2 +1,3 @@\n {makefile_context}\n+dtb-$(CONFIG_ARCH_ROCKCHIP) += rk3566-soquartz-blade.dtb\n dtb-$(CONFIG_ARCH_ROCKCHIP) += rk3568-evb1-v10.dtb\n--- /dev/null\n+++ b/arch/arm64/boot/dts/rockchip/rk3566-soquartz-blade.dts\n@@ -0,0 +1,{n} @@\n{dts}"
    )
}

#[test]
fn a_new_board_the_build_does_not_name_is_not_upstream_by_a_siblings_lines() -> TestResult {
    let tmp = tempfile::tempdir()?;
    upstream(tmp.path(), false)?;
    let dir = "arch/arm64/boot/dts/rockchip";
    let cm4 = "dtb-$(CONFIG_ARCH_ROCKCHIP) += rk3566-soquartz-cm4.dtb";
    write(
        tmp.path(),
        &format!("{dir}/Makefile"),
        &format!("{cm4}\ndtb-$(CONFIG_ARCH_ROCKCHIP) += rk3568-evb1-v10.dtb\n"),
    )?;
    write(
        tmp.path(),
        &format!("{dir}/rk3566-soquartz-cm4.dts"),
        &board("soquartz-cm4", ""),
    )?;
    let v = analyse(tmp.path(), &[("blade.patch", new_board(cm4))])?;
    assert_eq!(v[0].status, Status::NeedsWork, "{:#?}", v[0]);
    assert_eq!(v[0].hunks[0].fate, HunkFate::Applies);
    assert_eq!(v[0].hunks[1].fate, HunkFate::NewFile, "{:#?}", v[0].hunks);

    // Where the list changed around the hunk, upstream may have folded the file into
    // another: its lines elsewhere count.
    write(
        tmp.path(),
        &format!("{dir}/Makefile"),
        "dtb-$(CONFIG_ARCH_ROCKCHIP) += rk3566-soquartz-cm4.dtb\n",
    )?;
    let v = analyse(tmp.path(), &[("blade.patch", new_board(cm4))])?;
    assert_ne!(v[0].hunks[0].fate, HunkFate::Applies, "{:#?}", v[0].hunks);
    assert_ne!(v[0].hunks[1].fate, HunkFate::NewFile, "{:#?}", v[0].hunks);

    // Once the build names the board, its lines found elsewhere count again.
    let named = format!("{cm4}\ndtb-$(CONFIG_ARCH_ROCKCHIP) += rk3566-soquartz-blade.dtb");
    write(
        tmp.path(),
        &format!("{dir}/Makefile"),
        &format!("{named}\ndtb-$(CONFIG_ARCH_ROCKCHIP) += rk3568-evb1-v10.dtb\n"),
    )?;
    let v = analyse(tmp.path(), &[("blade.patch", new_board(cm4))])?;
    assert_ne!(v[0].hunks[1].fate, HunkFate::NewFile, "{:#?}", v[0].hunks);
    Ok(())
}
