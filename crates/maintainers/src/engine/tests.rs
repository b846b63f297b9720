use crate::{ListKind, Mailmap, Maintainers, Options, Query, RoleKind};

const FIXTURE: &str = "\
Maintainers List
----------------

\tM: Intro Example <intro@example.org>

BLOCK LAYER
M:\tJens Axboe <axboe@kernel.dk>
L:\tlinux-block@vger.kernel.org
S:\tMaintained
F:\tdrivers/block/

XEN BLOCK SUBSYSTEM
M:\tRoger Pau Monne <roger.pau@citrix.com>
R:\tJuergen Gross <jgross@suse.com>
L:\txen-devel@lists.xenproject.org (moderated for non-subscribers)
S:\tSupported
F:\tdrivers/block/xen*
F:\tdrivers/block/xen-blkback/

XEN HYPERVISOR INTERFACE
M:\tJuergen Gross <jgross@suse.com>
M:\tStefano Stabellini <sstabellini@kernel.org>
L:\txen-devel@lists.xenproject.org (moderated for non-subscribers)
S:\tSupported
F:\tdrivers/block/xen*
F:\tdrivers/xen/
X:\tdrivers/xen/old/
K:\t\\bxenbus_
K:\tgrant_table|\\bgnttab

XEN OLD DRIVERS
M:\tOld Timer <old@example.org>
L:\told-list@example.org (subscribers-only)
S:\tOdd Fixes
F:\tdrivers/xen/old/

TEGRA ARCHITECTURE SUPPORT
M:\tThierry Reding <thierry.reding@gmail.com>
L:\tlinux-tegra@vger.kernel.org
S:\tMaintained
N:\t[^a-z]tegra

ORPHANED THING
L:\tlinux-kernel@vger.kernel.org
S:\tOrphan
F:\tdrivers/orphan.c

THE REST
M:\tLinus Torvalds <torvalds@linux-foundation.org>
L:\tlinux-kernel@vger.kernel.org
S:\tBuried alive in reporters
F:\t*
F:\t*/
";

fn maintainers() -> Maintainers {
    let (maintainers, problems) = Maintainers::parse(FIXTURE);
    assert!(problems.is_empty(), "{problems:?}");
    maintainers
}

fn lines(paths: &[&str]) -> Vec<String> {
    maintainers().for_files(paths, None).lines()
}

#[test]
fn the_rest_takes_what_nobody_maintains() {
    assert_eq!(
        lines(&["Makefile"]),
        ["linux-kernel@vger.kernel.org (open list)"]
    );
    assert_eq!(
        lines(&["fs/ext4/inode.c"]),
        ["linux-kernel@vger.kernel.org (open list)"]
    );
    let answer = maintainers().for_files(&["Makefile"], None);
    assert_eq!(answer.sections[0].name, "THE REST");
    assert_eq!(answer.sections[0].line, 48);
    assert_eq!(answer.git_fallback, ["Makefile"]);
}

#[test]
fn specific_sections_first() {
    // XEN BLOCK's drivers/block/xen-blkback/ is deeper than BLOCK LAYER's drivers/block/;
    // XEN HYPERVISOR's drivers/block/xen* does not reach into a subdirectory.
    assert_eq!(
        lines(&["drivers/block/xen-blkback/blkback.c"]),
        [
            "Roger Pau Monne <roger.pau@citrix.com> (supporter:XEN BLOCK SUBSYSTEM)",
            "Juergen Gross <jgross@suse.com> (reviewer:XEN BLOCK SUBSYSTEM)",
            "Jens Axboe <axboe@kernel.dk> (maintainer:BLOCK LAYER)",
            "xen-devel@lists.xenproject.org (moderated list:XEN BLOCK SUBSYSTEM)",
            "linux-block@vger.kernel.org (open list:BLOCK LAYER)",
            "linux-kernel@vger.kernel.org (open list)",
        ]
    );
}

#[test]
fn people_and_lists_once() {
    let answer = maintainers().for_files(&["drivers/block/xen-blkfront.c"], None);
    assert_eq!(
        answer.lines(),
        [
            "Roger Pau Monne <roger.pau@citrix.com> (supporter:XEN BLOCK SUBSYSTEM)",
            "Juergen Gross <jgross@suse.com> (reviewer:XEN BLOCK SUBSYSTEM)",
            "Stefano Stabellini <sstabellini@kernel.org> (supporter:XEN HYPERVISOR INTERFACE)",
            "Jens Axboe <axboe@kernel.dk> (maintainer:BLOCK LAYER)",
            "xen-devel@lists.xenproject.org (moderated list:XEN BLOCK SUBSYSTEM)",
            "linux-block@vger.kernel.org (open list:BLOCK LAYER)",
            "linux-kernel@vger.kernel.org (open list)",
        ]
    );
    let juergen = &answer.people[1];
    assert_eq!(juergen.also.len(), 1);
    assert_eq!(juergen.also[0].kind, RoleKind::Supporter);
    assert_eq!(
        juergen.also[0].section.as_deref(),
        Some("XEN HYPERVISOR INTERFACE")
    );
    assert!(answer.git_fallback.is_empty());
}

#[test]
fn equally_deep_sections_in_file_order() {
    // drivers/block/xen* matches both Xen sections at the same depth.
    let answer = maintainers().for_files(&["drivers/block/xen-blkfront.c"], None);
    let names: Vec<&str> = answer.sections.iter().map(|s| s.name.as_str()).collect();
    let order = [
        "XEN BLOCK SUBSYSTEM",
        "XEN HYPERVISOR INTERFACE",
        "BLOCK LAYER",
        "THE REST",
    ];
    assert_eq!(names, order);
    let lines: Vec<usize> = answer.sections.iter().map(|s| s.line).collect();
    assert_eq!(lines, [12, 20, 6, 48]);
}

#[test]
fn excluded_files_and_subscriber_lists() {
    let old = ["drivers/xen/old/thing.c"];
    assert_eq!(
        lines(&old),
        [
            "Old Timer <old@example.org> (odd fixer:XEN OLD DRIVERS)",
            "linux-kernel@vger.kernel.org (open list)",
        ]
    );
    let options = Options {
        subscriber_lists: true,
        ..Options::default()
    };
    let answer = maintainers().answer(&Query::files(old).with_options(options));
    assert_eq!(answer.lists[0].kind, ListKind::Subscriber);
    assert_eq!(
        answer.lines()[1],
        "old-list@example.org (subscriber list:XEN OLD DRIVERS)"
    );
    // Odd Fixes is not "maintained": git would be asked.
    assert_eq!(answer.git_fallback, old);
}

#[test]
fn name_regex_matches_paths() {
    assert_eq!(
        lines(&["drivers/gpu/host1x/tegra_thing.c"]),
        [
            "Thierry Reding <thierry.reding@gmail.com> (maintainer:TEGRA ARCHITECTURE SUPPORT)",
            "linux-tegra@vger.kernel.org (open list:TEGRA ARCHITECTURE SUPPORT)",
            "linux-kernel@vger.kernel.org (open list)",
        ]
    );
    assert_eq!(lines(&["drivers/integrator.c"]).len(), 1);
}

#[test]
fn orphan_lists_keep_the_section() {
    assert_eq!(
        lines(&["drivers/orphan.c"]),
        ["linux-kernel@vger.kernel.org (open list:ORPHANED THING)"]
    );
}

#[test]
fn keywords_match_patch_content() {
    let patch = "Subject: [PATCH] use gnttab in fs\n\n---\n\
                 --- a/fs/foo.c\n+++ b/fs/foo.c\n@@ -1,2 +1,2 @@\n xenbus_read context\n-old\n+xenbus_write\n";
    let answer = maintainers().for_patch(patch);
    assert_eq!(
        answer.lines(),
        [
            "Juergen Gross <jgross@suse.com> (supporter:XEN HYPERVISOR INTERFACE:Keyword:\\bxenbus_)",
            "Stefano Stabellini <sstabellini@kernel.org> (supporter:XEN HYPERVISOR INTERFACE:Keyword:\\bxenbus_)",
            "linux-kernel@vger.kernel.org (open list)",
            "xen-devel@lists.xenproject.org (moderated list:XEN HYPERVISOR INTERFACE:Keyword:\\bxenbus_)",
        ]
    );
    let keywords = &answer.sections[1].keywords;
    assert_eq!(keywords, &["\\bxenbus_", "grant_table|\\bgnttab"]);
    let without = Options {
        keywords: false,
        ..Options::default()
    };
    let query = Query::patches([patch]).with_options(without);
    assert_eq!(
        maintainers().answer(&query).lines(),
        ["linux-kernel@vger.kernel.org (open list)"]
    );
}

#[test]
fn content_of_files_mode() {
    let answer = maintainers().for_files(&["fs/foo.c"], Some("+\tgnttab_map(x);\n"));
    assert_eq!(answer.people.len(), 2);
}

#[test]
fn mailmap_and_dedupe_by_name() {
    let mailmap = Mailmap::parse("Juergen Gross <jgross@suse.de> <jgross@suse.com>\n");
    let answer = maintainers()
        .with_mailmap(mailmap)
        .for_files(&["drivers/xen/events.c"], None);
    assert_eq!(
        answer.people[0].name_email,
        "Juergen Gross <jgross@suse.de>"
    );
}

#[test]
fn chief_penguin_is_left_out() {
    let answer = maintainers().for_files(&["Kconfig"], None);
    assert!(answer.people.is_empty());
}

#[test]
fn yaml_addresses_are_in_file() {
    let text =
        "maintainers:\n  - Juergen Gross <jgross@suse.com>\n  - New Person <new@example.org>\n";
    let path = "drivers/xen/binding.yaml";
    let query = Query::files([path]).with_file_text(path, text);
    let answer = maintainers().answer(&query);
    let lines = answer.lines();
    assert_eq!(
        lines[0],
        "Juergen Gross <jgross@suse.com> (supporter:XEN HYPERVISOR INTERFACE,in file)"
    );
    assert_eq!(lines[2], "New Person <new@example.org> (in file)");
    assert_eq!(answer.people[2].roles[0].kind, RoleKind::InFile);
}

#[test]
fn pattern_depth_limits_sections() {
    let options = Options {
        pattern_depth: 1,
        ..Options::default()
    };
    let query = Query::files(["drivers/block/xen-blkback/common.h"]).with_options(options);
    let names: Vec<String> = maintainers()
        .answer(&query)
        .sections
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["XEN BLOCK SUBSYSTEM"]);
}

#[test]
fn answers_serialize() {
    let answer = maintainers().for_files(&["drivers/block/xen-blkfront.c"], None);
    let json = serde_json::to_value(&answer).unwrap_or_default();
    assert_eq!(json["people"][0]["roles"][0]["kind"], "supporter");
    assert_eq!(json["lists"][0]["kind"], "moderated");
    assert_eq!(json["sections"][0]["line"], 12);
}

#[test]
fn several_addresses_on_one_line() {
    let text = "A\nM:\tone@example.org, Two <two@example.org>\nS:\tMaintained\nF:\ta/\n";
    let (maintainers, _) = Maintainers::parse(text);
    assert_eq!(
        maintainers.for_files(&["a/b"], None).lines(),
        [
            "one@example.org (maintainer:A)",
            "Two <two@example.org> (maintainer:A)"
        ]
    );
}

#[test]
fn maintainers_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Maintainers>();
}
