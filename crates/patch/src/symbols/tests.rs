//! Tests of symbol extraction on small hand-written diffs.

use super::*;
use crate::diff::parse_diffs;

fn files(text: &str) -> Vec<FileDiff> {
    let (files, problems) = parse_diffs(text.as_bytes(), 1, 1);
    assert!(problems.is_empty(), "{problems:?}");
    files
}

/// A one-hunk diff of `path` with `section` after the `@@` and `body` lines
/// (each already carrying its ` `/`+`/`-` marker).
fn diff(path: &str, section: &str, body: &[&str]) -> String {
    let old = body.iter().filter(|l| !l.starts_with('+')).count();
    let new = body.iter().filter(|l| !l.starts_with('-')).count();
    let mut text = format!("--- a/{path}\n+++ b/{path}\n@@ -1,{old} +1,{new} @@ {section}\n");
    for line in body {
        text.push_str(line);
        text.push('\n');
    }
    text
}

fn names(text: &str) -> Vec<(SymbolKind, String)> {
    introduced(&files(text))
        .into_iter()
        .map(|s| (s.kind, s.name))
        .collect()
}

fn of_kind(text: &str, kind: SymbolKind) -> Vec<String> {
    names(text)
        .into_iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, n)| n)
        .collect()
}

fn touched(text: &str) -> Vec<String> {
    touched_functions(&files(text))
        .into_iter()
        .map(|t| t.name)
        .collect()
}

#[test]
fn function_definition_and_call() {
    let text = diff(
        "drivers/xen/blkback/blkback.c",
        "",
        &[
            " #include <linux/kthread.h>",
            "+static int blkif_reqs_alloc(struct blkif_st *blkif,",
            "+\t\t\t    unsigned int nr)",
            "+{",
            "+\treturn xen_blkif_get_free(blkif, nr);",
            "+}",
            "+int __init blkif_init_early(void) {",
            "+\tblkif_reqs_alloc(NULL, 4);",
            "+\tfoo_bar(1);",
            "+\treturn 0;",
            "+}",
            "+int blkif_decl(void);",
            " ",
        ],
    );
    let got = names(&text);
    let functions: Vec<&str> = got
        .iter()
        .filter(|(k, _)| *k == SymbolKind::Function)
        .map(|(_, n)| n.as_str())
        .collect();
    assert_eq!(functions, ["blkif_reqs_alloc", "blkif_init_early"]);
    let identifiers = of_kind(&text, SymbolKind::Identifier);
    assert!(
        identifiers.contains(&"xen_blkif_get_free".to_string()),
        "{got:?}"
    );
    assert!(identifiers.contains(&"blkif_st".to_string()), "{got:?}");
    assert!(identifiers.contains(&"foo_bar".to_string()), "{got:?}");
    assert!(identifiers.contains(&"blkif_decl".to_string()), "{got:?}");
    // Defined names are reported as functions only; stop words and short names never.
    for name in [
        "blkif_reqs_alloc",
        "__init",
        "NULL",
        "blkif",
        "unsigned",
        "kthread",
    ] {
        assert!(!identifiers.contains(&name.to_string()), "{name}: {got:?}");
    }
}

#[test]
fn symbol_lines_point_into_the_patch() {
    let text = format!(
        "Subject: x\n\n{}",
        diff(
            "a.c",
            "",
            &[" int a;", "+int b_var;", "+#define NEW_MACRO 1"]
        )
    );
    let (parsed, _) = parse_diffs(text.as_bytes(), 1, 1);
    let symbols = introduced(&parsed);
    let lines: Vec<(String, usize)> = symbols.iter().map(|s| (s.name.clone(), s.line)).collect();
    assert_eq!(
        lines,
        [("b_var".to_string(), 7), ("NEW_MACRO".to_string(), 8)]
    );
    assert!(symbols.iter().all(|s| s.path == "a.c"));
}

#[test]
fn define_is_a_macro() {
    let text = diff(
        "include/xen/blkif.h",
        "",
        &[
            "+#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11",
            "+#  define XEN_ALIGN(x) ((x) + 1)",
            "+#include <xen/interface/io/ring_defs.h>",
        ],
    );
    assert_eq!(
        of_kind(&text, SymbolKind::Macro),
        ["BLKIF_MAX_SEGMENTS_PER_REQUEST", "XEN_ALIGN"]
    );
    // Include paths give nothing.
    assert!(!names(&text).iter().any(|(_, n)| n == "ring_defs"));
}

#[test]
fn kconfig_definitions_and_references() {
    let text = diff(
        "drivers/xen/Kconfig",
        "menu \"Xen\"",
        &[
            " config XEN",
            "+config XEN_BLKDEV_BACKEND",
            "+\ttristate \"Block-device backend driver\"",
            "+\tdepends on XEN_BACKEND && BLOCK # needs XEN_PRIVILEGED_GUEST",
            "+\tdefault XEN_BACKEND",
            "+\thelp",
            "+\t  The block-device backend driver allows the kernel to export its",
            "+\t  block devices to other guests via a high-performance shared-memory",
            "+\t  interface. Select XEN_HELP_WORD if unsure.",
            "+",
            "+menuconfig XEN_NETDEV_FRONTEND",
            "+\tselect XEN_XENBUS_FRONTEND",
        ],
    );
    assert_eq!(
        of_kind(&text, SymbolKind::KconfigSymbol),
        ["XEN_BLKDEV_BACKEND", "XEN_NETDEV_FRONTEND"]
    );
    assert_eq!(
        of_kind(&text, SymbolKind::KconfigRef),
        ["XEN_BACKEND", "BLOCK", "XEN_XENBUS_FRONTEND"]
    );
}

#[test]
fn config_references_in_c_and_makefiles() {
    let text = [
        diff(
            "drivers/xen/Makefile",
            "",
            &["+obj-$(CONFIG_XEN_BLKDEV_TAP) += blktap/ # CONFIG_XEN_IN_COMMENT"],
        ),
        diff(
            "drivers/xen/core.c",
            "",
            &[
                "+#if defined(CONFIG_XEN_PCIDEV_FRONTEND_MODULE)",
                "+\tif (IS_ENABLED(CONFIG_XEN_SCRUB_PAGES)) /* CONFIG_NOT_THIS */",
                "+#endif",
                "+\tp = \"CONFIG_IN_STRING\";",
            ],
        ),
        diff("Documentation/xen.txt", "", &["+CONFIG_XEN_DOCS=y"]),
    ]
    .concat();
    assert_eq!(
        of_kind(&text, SymbolKind::KconfigRef),
        ["XEN_BLKDEV_TAP", "XEN_PCIDEV_FRONTEND", "XEN_SCRUB_PAGES"]
    );
}

#[test]
fn module_and_boot_parameters() {
    let text = diff(
        "drivers/xen/netback/netback.c",
        "",
        &[
            "+static unsigned int netbk_copy_skb_mode;",
            "+module_param_named(copy_skb, netbk_copy_skb_mode, uint, 0);",
            "+MODULE_PARM_DESC(copy_skb, \"Copy data received from netfront\");",
            "+module_param(log_level, int, 0644);",
            "+static int __init parse_unplug(char *arg) { return 0; }",
            "+early_param(\"xen_emul_unplug\", parse_unplug);",
            "+__setup(\"xencons=\", xencons_setup);",
        ],
    );
    assert_eq!(
        of_kind(&text, SymbolKind::ModuleParam),
        ["copy_skb", "log_level", "xen_emul_unplug", "xencons"]
    );
    let identifiers = of_kind(&text, SymbolKind::Identifier);
    assert!(identifiers.contains(&"netbk_copy_skb_mode".to_string()));
    assert!(!identifiers.contains(&"log_level".to_string()));
    assert!(!identifiers.contains(&"module_param_named".to_string()));
}

#[test]
fn sysfs_attributes() {
    let text = diff(
        "drivers/xen/xenbus/xenbus_probe.c",
        "",
        &[
            "+static DEVICE_ATTR_RO(nodename);",
            "+static DEVICE_ATTR(physical_device, S_IRUGO, show_physical, NULL);",
            "+static struct kobj_attribute hyp_uuid_attr = __ATTR(uuid, 0444, uuid_show, NULL);",
            "+static struct kobj_attribute balloon_target_attr;",
            "+\t__ATTR_NULL,",
        ],
    );
    assert_eq!(
        of_kind(&text, SymbolKind::Sysfs),
        ["nodename", "physical_device", "uuid", "balloon_target"]
    );
}

#[test]
fn xenstore_key_literal_but_not_format_string() {
    let text = diff(
        "drivers/xen/blkfront/blkfront.c",
        "",
        &[
            "+\terr = xenbus_printf(xbt, dev->nodename, \"feature-persistent\", \"%u\", 1);",
            "+\tprintk(KERN_INFO \"blkfront: %s: barriers enabled\\n\", name);",
            "+\txenbus_gather(XBT_NIL, dev->otherend, \"ring-ref\", NULL, \"mode\", NULL);",
            "+\tMODULE_ALIAS(\"xen:vbd\");",
            "+\tpr_info(\"blkfront:\" \"x\");",
        ],
    );
    assert_eq!(
        of_kind(&text, SymbolKind::StringLiteral),
        ["feature-persistent", "ring-ref", "xen:vbd"]
    );
    // Literal contents never become identifiers.
    assert!(!names(&text)
        .iter()
        .any(|(_, n)| n == "blkfront" || n == "barriers"));
}

#[test]
fn names_on_the_old_side_are_not_introduced() {
    let text = diff(
        "drivers/xen/netfront.c",
        "static int network_open(struct net_device *dev)",
        &[
            " \tnetif_start_queue(dev);",
            "-\tnp->rx_min_target = 8;",
            "+\tnp->rx_min_target = RX_DFL_MIN_TARGET;",
            "+\tnetif_start_queue(dev);",
            "+\tnetwork_open_count++;",
            "+\txenbus_switch_state(dev, \"feature-rx-copy\");",
            " \tp = \"feature-rx-copy\";",
        ],
    );
    assert_eq!(
        names(&text),
        [
            (SymbolKind::Identifier, "RX_DFL_MIN_TARGET".to_string()),
            (SymbolKind::Identifier, "network_open_count".to_string()),
            (SymbolKind::Identifier, "xenbus_switch_state".to_string()),
        ]
    );
}

#[test]
fn comments_give_nothing() {
    let text = diff(
        "drivers/xen/evtchn.c",
        "",
        &[
            "+/* evtchn_bind_virq_locked() must be called with",
            "+ * evtchn_lock_held and \"feature-in-comment\" */",
            "+\tx = 1; // trailing_comment_word",
            "+\tint real_name_1; /* inline_comment */ int real_name_2;",
            " /* context_comment_opens",
            "+ added_inside_comment",
            "  */",
        ],
    );
    assert_eq!(
        names(&text),
        [
            (SymbolKind::Identifier, "real_name_1".to_string()),
            (SymbolKind::Identifier, "real_name_2".to_string()),
        ]
    );
}

#[test]
fn hunk_starting_inside_a_comment() {
    let star = diff(
        "drivers/xen/blkback/blkback.c",
        "",
        &[
            "  * This will increase the chances of being able to write whole tracks.",
            "+ * 128 is required to make blkif_max_ring_page_order = 2 a useful default.",
            "  */",
            "+static unsigned int blkif_reqs_default;",
        ],
    );
    assert_eq!(
        of_kind(&star, SymbolKind::Identifier),
        ["blkif_reqs_default"]
    );
    let bare = diff(
        "drivers/xen/core.c",
        "",
        &[
            "+   the comment_without_stars goes on",
            "+   and ends_here */ int after_comment_1;",
        ],
    );
    assert_eq!(of_kind(&bare, SymbolKind::Identifier), ["after_comment_1"]);
}

#[test]
fn non_c_files_give_nothing() {
    let text = [
        diff(
            "Documentation/xen/blkback.txt",
            "",
            &["+feature_persistent \"ring-ref\""],
        ),
        diff("kernel-xen.spec", "", &["+%define xen_flavour_name 1"]),
    ]
    .concat();
    assert!(names(&text).is_empty());
}

#[test]
fn structs_enums_unions() {
    let text = diff(
        "include/xen/evtchn.h",
        "",
        &[
            "+struct evtchn_bind_state {",
            "+\tint port_nr;",
            "+};",
            "+typedef enum xen_irq_kind",
            "+{",
            "+\tIRQT_UNBOUND,",
            "+} xen_irq_kind_t;",
            "+struct not_a_definition *ptr_var;",
        ],
    );
    assert_eq!(
        of_kind(&text, SymbolKind::Struct),
        ["evtchn_bind_state", "xen_irq_kind"]
    );
}

#[test]
fn assembly_entry_points_skip_registers_and_hash_comments() {
    let text = diff(
        "arch/x86/kernel/entry_64-xen.S",
        "",
        &[
            "+ENTRY(hypercall_page_entry)",
            "+\tmovq %r11_x, %rsp\t# save_in_comment",
            "+#ifdef CONFIG_XEN_ASM",
            "+\tcall xen_evtchn_do_upcall",
        ],
    );
    assert_eq!(
        names(&text),
        [
            (SymbolKind::Function, "hypercall_page_entry".to_string()),
            (SymbolKind::KconfigRef, "XEN_ASM".to_string()),
            (SymbolKind::Identifier, "xen_evtchn_do_upcall".to_string()),
        ]
    );
}

#[test]
fn duplicates_keep_the_first() {
    let text = [
        diff("a.c", "", &["+\tfoo_counter++;", "+\tfoo_counter--;"]),
        diff("b.c", "", &["+\tfoo_counter = 0;"]),
    ]
    .concat();
    let symbols = introduced(&files(&text));
    assert_eq!(symbols.len(), 1);
    assert_eq!((symbols[0].path.as_str(), symbols[0].line), ("a.c", 4));
}

#[test]
fn touched_from_sections() {
    let text = [
        diff(
            "drivers/xen/blkback/blkback.c",
            "static int blkif_schedule(void *arg)",
            &[" \tint x;", "-\tx = 1;", "+\tx = 2;"],
        ),
        diff(
            "drivers/xen/blkback/common.h",
            "struct foo {",
            &[" \tint a;", "+\tint b;"],
        ),
        diff(
            "drivers/xen/blkback/vbd.c",
            "#include <linux/x.h>",
            &["+int y;"],
        ),
        diff("drivers/xen/blkback/xenbus.c", "out:", &["+\tgoto out;"]),
        diff(
            "drivers/xen/blkback/xenbus.c",
            "static DEVICE_ATTR(mode, S_IRUGO, show_mode, NULL);",
            &["+int z;"],
        ),
        diff(
            "drivers/xen/blkback/xenbus.c",
            "EXPORT_SYMBOL(foo);",
            &["+int z;"],
        ),
        diff(
            "drivers/xen/blkback/xenbus.c",
            "static int __init blkback_init(void)",
            &["+\tint z;"],
        ),
        diff("drivers/xen/Kconfig", "config XEN(void)", &["+\tbool"]),
    ]
    .concat();
    assert_eq!(touched(&text), ["blkif_schedule", "blkback_init"]);
    assert_eq!(
        section_function(b"static irqreturn_t *evtchn_interrupt(int irq,").as_deref(),
        Some("evtchn_interrupt")
    );
    assert_eq!(section_function(b"static int foo(void);"), None);
}

#[test]
fn touched_from_definitions_in_the_hunk() {
    let text = diff(
        "drivers/xen/evtchn.c",
        "static int old_section(void)",
        &[
            " \treturn 0;",
            " }",
            " ",
            "+static int brand_new(void) { return 1; }",
            " static long evtchn_ioctl(struct file *file,",
            " \t\t\t unsigned int cmd, unsigned long arg)",
            " {",
            "-\tint rc;",
            "+\tlong rc;",
            " }",
            " ",
            "-static void removed_helper(void)",
            "-{",
            "-}",
            " static void untouched_after(void)",
            " {",
        ],
    );
    assert_eq!(touched(&text), ["evtchn_ioctl", "removed_helper"]);
}

#[test]
fn word_lists_are_sorted() {
    for list in [words::KEYWORDS, words::STOPLIST] {
        assert!(list.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()));
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn line_kind() -> impl Strategy<Value = char> {
        prop_oneof![Just(' '), Just('+'), Just('-')]
    }

    /// Lines built from C-ish fragments so that names, literals and comments occur.
    fn line_text() -> impl Strategy<Value = String> {
        let fragment = prop_oneof![
            "[a-zA-Z_][a-zA-Z0-9_]{0,12}",
            Just("CONFIG_".to_string()),
            Just("config ".to_string()),
            Just("#define ".to_string()),
            Just("module_param(".to_string()),
            Just("DEVICE_ATTR(".to_string()),
            Just("__setup(\"".to_string()),
            Just("struct ".to_string()),
            "[ \t\"'(){};,*/#=%-]",
            "\"[a-z0-9_/.:-]{0,10}\"",
        ];
        prop::collection::vec(fragment, 0..12).prop_map(|f| f.concat())
    }

    fn path() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            Just("a/x.c"),
            Just("a/x.S"),
            Just("a/Kconfig"),
            Just("a/Makefile"),
            Just("a/x.txt")
        ]
    }

    fn render(path: &str, section: &str, lines: &[(char, String)]) -> String {
        let body: Vec<String> = lines.iter().map(|(k, t)| format!("{k}{t}")).collect();
        let body: Vec<&str> = body.iter().map(String::as_str).collect();
        diff(path, section, &body)
    }

    fn old_words(lines: &[(char, String)], section: &str) -> HashSet<String> {
        let old = lines
            .iter()
            .filter(|(k, _)| *k != '+')
            .map(|(_, t)| t.as_str());
        old.chain([section])
            .flat_map(|t| t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }

    proptest! {
        #[test]
        fn introduced_never_names_old_side_words(
            path in path(),
            section in line_text(),
            lines in prop::collection::vec((line_kind(), line_text()), 1..20),
        ) {
            let section = section.trim().to_string();
            let text = render(path, &section, &lines);
            let (parsed, _) = parse_diffs(text.as_bytes(), 1, 1);
            let symbols = introduced(&parsed);
            let _ = touched_functions(&parsed);
            let words = old_words(&lines, &section);
            let old_text: Vec<&str> = lines
                .iter()
                .filter(|(k, _)| *k != '+')
                .map(|(_, t)| t.as_str())
                .chain([section.as_str()])
                .collect();
            let last = text.lines().count();
            for s in &symbols {
                prop_assert!(!words.contains(&s.name), "{:?} in old words", s);
                let quoted = format!("\"{}\"", s.name);
                prop_assert!(!old_text.iter().any(|t| t.contains(&quoted)), "{:?} quoted on old side", s);
                if matches!(s.kind, SymbolKind::KconfigSymbol | SymbolKind::KconfigRef) {
                    prop_assert!(!words.contains(&format!("CONFIG_{}", s.name)), "{:?}", s);
                }
                prop_assert!((4..=last).contains(&s.line), "{:?} outside the hunk", s);
            }
        }

        #[test]
        fn never_panics_on_arbitrary_bytes(text in prop::collection::vec(any::<u8>(), 0..2000)) {
            let mut input = b"--- a/f.c\n+++ b/f.c\n@@ -1,40 +1,40 @@ int f(void)\n".to_vec();
            input.extend(text);
            let (parsed, _) = parse_diffs(&input, 1, 1);
            let _ = introduced(&parsed);
            let _ = touched_functions(&parsed);
        }
    }
}

#[test]
fn a_bare_header_in_a_section_names_its_function() {
    assert_eq!(
        super::section_function(
            b" __iomap_write_end(struct inode *inode, loff_t pos, unsigned len,"
        )
        .as_deref(),
        Some("__iomap_write_end")
    );
    assert_eq!(super::section_function(b"MODULE_LICENSE(\"GPL\")"), None);
    assert_eq!(super::section_function(b"if (x) {"), None);
}
