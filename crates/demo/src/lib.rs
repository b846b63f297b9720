//! The built-in demo: a small openSUSE-style `series.conf` queue whose patches use every
//! header form kdelta reads (format-patch mail, SUSE tags, DEP-3, Android and
//! stable-backport conventions, a `diff -Nurp` quilt patch), a small upstream git repository
//! with releases and a MAINTAINERS file to judge it against ([`history`]), and an annotations
//! file with a feature, owners, a current and a stale annotation. The analysis gives each
//! patch the status a kernel maintainer would: upstream, replacement-likely, in-progress,
//! needs-work, downstream-only, obsolete, each with its evidence. Deterministic: the same
//! bytes and commit ids every time.
//!
//! [`write_shared_demo`] adds two more distributions' queues (Debian-style and Fedora-style)
//! judged against the same upstream, carrying some of the same changes ([`shared`]).
//!
//! ```no_run
//! let demo = kdelta_demo::write_demo(std::path::Path::new("kdelta-demo"))?;
//! println!("kdelta report {} --upstream {}", demo.queue.display(), demo.upstream.display());
//! # Ok::<(), kdelta_demo::DemoError>(())
//! ```

pub mod annotations;
mod error;
pub mod history;
pub mod shared;

pub use error::DemoError;
pub use shared::{write_shared_demo, Distribution, SharedDemo};
use std::path::{Path, PathBuf};

/// Where the queue is written, under the demo directory.
pub const QUEUE_DIR: &str = "queue";

/// Where the upstream repository (bare) is written, under the demo directory.
pub const UPSTREAM_DIR: &str = "upstream.git";

/// Where the annotations are written, under the demo directory.
pub const ANNOTATIONS: &str = "annotations.toml";

/// The commit id placeholders of the queue's headers, replaced by the demo upstream's ids.
const BLKFRONT_FIX_ID: &str = "0123456789abcdef0123456789abcdef01234567";
const EVENTS_FIX_ID: &str = "fedcba9876543210fedcba9876543210fedcba98";

/// The files of the demo queue, as (path, content).
pub const QUEUE: &[(&str, &str)] = &[
    ("series.conf", SERIES_CONF),
    (
        "patches.suse/xen-blkfront-fix-leak.patch",
        GIT_COMMIT_BACKPORT,
    ),
    ("patches.kernel.org/stable-fix.patch", STABLE),
    ("patches.xen/xen3-fixup-blktap.diff", QUILT_NURP),
    ("patches.xen/xen-balloon-sysfs.patch", SUSE_NEVER),
    (
        "patches.suse/xen-blkfront-allow-discard.patch",
        SUSE_NOT_YET,
    ),
    ("patches.debian/fix-build-warning.patch", DEP3),
    ("patches.android/android-vendor-hook.patch", ANDROID),
];

/// The files of the demo upstream at its last release, as (path, content): the files the
/// queue's patches change (none of the classic Xen blktap driver), and the balloon driver's
/// sysfs interface; [`history`] adds MAINTAINERS and the releases before.
pub const UPSTREAM: &[(&str, &str)] = &[
    ("README", TREE_README),
    ("drivers/block/xen-blkfront.c", TREE_BLKFRONT),
    ("drivers/xen/balloon.c", TREE_BALLOON),
    ("drivers/xen/events/events_base.c", TREE_EVENTS_BASE),
    ("drivers/xen/xen-balloon.c", TREE_BALLOON_SYSFS),
    ("drivers/xen/xenbus/xenbus_probe.c", TREE_XENBUS_PROBE),
    ("kernel/sched/core.c", TREE_SCHED_CORE),
];

const SERIES_CONF: &str = "\
# Demo kernel-source series.conf
########################################################
# Upstream backports
########################################################
\tpatches.suse/xen-blkfront-fix-leak.patch
\tpatches.kernel.org/stable-fix.patch

########################################################
# Xen
########################################################
+xen\tpatches.xen/xen3-fixup-blktap.diff
+xen\tpatches.xen/xen-balloon-sysfs.patch

########################################################
# SUSE patches, to be upstreamed
########################################################
\tpatches.suse/xen-blkfront-allow-discard.patch

########################################################
# Other distributions' conventions
########################################################
\tpatches.debian/fix-build-warning.patch
\tpatches.android/android-vendor-hook.patch
";

/// A SUSE backport naming its upstream commit (`Git-commit`, `Patch-mainline`), in
/// `git format-patch` form. The fix is in the demo tree: `upstream`.
const GIT_COMMIT_BACKPORT: &str = "\
From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
From: Ada Lovelace <ada@example.org>
Date: Tue, 4 Mar 2014 10:00:00 +0100
Subject: [PATCH v2 1/2] xen-blkfront: free the grant table on
 disconnect
Patch-mainline: v3.14-rc6
Git-commit: 0123456789abcdef0123456789abcdef01234567
References: bnc#123456

The grant table was leaked when the backend disconnected.

Signed-off-by: Ada Lovelace <ada@example.org>
Link: https://lore.kernel.org/r/20140304100000.1234-1-ada@example.org
---
 drivers/block/xen-blkfront.c | 2 ++
 1 file changed, 2 insertions(+)

diff --git a/drivers/block/xen-blkfront.c b/drivers/block/xen-blkfront.c
index 1111111..2222222 100644
--- a/drivers/block/xen-blkfront.c
+++ b/drivers/block/xen-blkfront.c
@@ -16,6 +16,8 @@ static void blkif_free(struct blkfront_info *info)
 \tstruct grant *persistent_gnt;
 \tstruct grant *n;
 
+\tif (info->grants)
+\t\tkfree(info->grants);
 \t/* Prevent new requests being issued until we fix things up. */
 \tspin_lock_irq(&info->io_lock);
 \tinfo->connected = BLKIF_STATE_DISCONNECTED;
";

/// A stable-queue backport (`commit <sha> upstream.`, `Fixes:`, `Cc: stable`). The fix is in
/// the demo tree: `upstream`.
const STABLE: &str = "\
From: Greg Example <greg@example.org>
Subject: [PATCH 4.19 12/50] xen/events: avoid a NULL dereference

commit fedcba9876543210fedcba9876543210fedcba98 upstream.

An event channel could be used before it was bound.

Fixes: 1234567890ab (\"xen/events: add a fifo ABI\")
Cc: stable@vger.kernel.org # 4.19+
Signed-off-by: Greg Example <greg@example.org>

---
 drivers/xen/events/events_base.c |    3 +++
 1 file changed, 3 insertions(+)

--- a/drivers/xen/events/events_base.c
+++ b/drivers/xen/events/events_base.c
@@ -18,6 +18,9 @@ static void xen_irq_lateeoi(unsigned int irq)
 {
 \tstruct irq_info *info = info_for_irq(irq);
 
+\tif (!info)
+\t\treturn;
+
 \tlateeoi(info);
 }
 
";

/// A classic Xen (2.6.18-xen) patch in `diff -Nurp` quilt form. The demo tree has no classic
/// blktap driver: `obsolete`.
const QUILT_NURP: &str = "\
Subject: xen3 blktap: VM_RESERVED is gone since 3.7
From: Jan Example <jan@example.org>
Patch-mainline: n/a

The classic Xen blktap driver (from \"patches.kernel.org/patch-2.6.18-xen\")
still set VM_RESERVED on its ring mapping.

diff -Nurp 13.1.orig/drivers/xen/blktap/blktap.c 13.1/drivers/xen/blktap/blktap.c
--- 13.1.orig/drivers/xen/blktap/blktap.c\t2013-10-01 12:00:00.000000000 +0200
+++ 13.1/drivers/xen/blktap/blktap.c\t2013-10-02 12:00:00.000000000 +0200
@@ -480,8 +480,8 @@ static int blktap_mmap(struct file *filp, struct vm_area_struct *vma)
 \tvma->vm_private_data = map;
 \tvma->vm_ops = &blktap_vm_ops;
 
-\tvma->vm_flags |= VM_RESERVED;
+\tvma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
 
 \tinfo->vma = vma;
 \tinfo->ring_ok = 1;
 \treturn 0;
";

/// A classic Xen patch marked `Patch-mainline: Never`. Upstream grew its own sysfs interface
/// for the balloon (`drivers/xen/xen-balloon.c` in the demo tree) with the names this patch
/// introduces: `replacement-likely`.
const SUSE_NEVER: &str = "\
From: Grace Hopper <grace@example.org>
Subject: xen: balloon: expose the target in sysfs
Patch-mainline: Never, SUSE-specific interface
References: fate#100001

Classic Xen kernels exposed the balloon target in /proc; this keeps a
sysfs view for the SUSE tools.

--- a/drivers/xen/balloon.c
+++ b/drivers/xen/balloon.c
@@ -4,6 +4,7 @@
  */
 
 #include <linux/kernel.h>
+#include <linux/sysdev.h>
 #include <linux/module.h>
 #include <linux/mm.h>
 #include <xen/balloon.h>
@@ -18,6 +19,36 @@ void balloon_set_new_target(unsigned long target)
 }
 EXPORT_SYMBOL_GPL(balloon_set_new_target);
 
+#define BALLOON_CLASS_NAME \"xen_memory\"
+
+static struct sys_device balloon_sysdev;
+
+static ssize_t show_target_kb(struct sys_device *dev, struct sysdev_attribute *attr,
+\t\t\t      char *buf)
+{
+\treturn sprintf(buf, \"%lu\\n\", balloon_stats.target_pages << (PAGE_SHIFT - 10));
+}
+
+static SYSDEV_ATTR(target_kb, 0444, show_target_kb, NULL);
+
+static struct sysdev_class balloon_sysdev_class = {
+\t.name = BALLOON_CLASS_NAME,
+};
+
+static int register_balloon(struct sys_device *sysdev)
+{
+\tint error = sysdev_class_register(&balloon_sysdev_class);
+
+\tif (error)
+\t\treturn error;
+\tsysdev->id = 0;
+\tsysdev->cls = &balloon_sysdev_class;
+\terror = sysdev_register(sysdev);
+\tif (!error)
+\t\terror = sysdev_create_file(sysdev, &attr_target_kb);
+\treturn error;
+}
+
 static int __init balloon_init(void)
 {
 \tif (!xen_domain())
@@ -26,6 +57,7 @@ static int __init balloon_init(void)
 \tpr_info(\"Initialising balloon driver\\n\");
 \tballoon_stats.current_pages = get_num_physpages();
 \tballoon_stats.target_pages = balloon_stats.current_pages;
+\tregister_balloon(&balloon_sysdev);
 \treturn 0;
 }
 subsys_initcall(balloon_init);
";

/// A SUSE patch not upstream yet (`Patch-mainline: Not yet`). It still applies to the demo tree
/// and upstream has nothing like it: `needs-work`.
const SUSE_NOT_YET: &str = "\
From: Charles Babbage <charles@example.org>
Date: Wed, 5 Mar 2014 09:00:00 +0100
Subject: xen-blkfront: let the administrator turn discard off
Patch-mainline: Not yet, to be submitted after more testing
References: bnc#234567

Some backends advertise discard but handle it slowly; with
xen_blkfront.allow_discard=0 the frontend leaves it off.

Signed-off-by: Charles Babbage <charles@example.org>
---
 drivers/block/xen-blkfront.c | 6 ++++++
 1 file changed, 6 insertions(+)

--- a/drivers/block/xen-blkfront.c
+++ b/drivers/block/xen-blkfront.c
@@ -11,6 +11,10 @@ static unsigned int xen_blkif_max_queues = 4;
 module_param_named(max_queues, xen_blkif_max_queues, uint, 0444);
 MODULE_PARM_DESC(max_queues, \"Maximum number of hardware queues per virtual disk\");
 
+static bool allow_discard = true;
+module_param(allow_discard, bool, 0644);
+MODULE_PARM_DESC(allow_discard, \"Use discard when the backend offers it (default: yes)\");
+
 static void blkif_free(struct blkfront_info *info)
 {
 \tstruct grant *persistent_gnt;
@@ -31,6 +35,8 @@ static void blkif_free(struct blkfront_info *info)
 
 static void blkfront_setup_discard(struct blkfront_info *info)
 {
+\tif (!allow_discard)
+\t\treturn;
 \tinfo->feature_discard = 1;
 \tinfo->discard_granularity =
 \t\txenbus_read_unsigned(info->xbdev->otherend, \"discard-granularity\", 0);
";

/// A Debian DEP-3 patch forwarded upstream (`Forwarded: <url>`), not merged: the demo tree
/// still lacks it: `in-progress`.
const DEP3: &str = "\
Description: Fix a build warning with newer compilers
 The compiler warns that err may be used uninitialised in
 xenbus_probe_node().
Author: Linus Example <linus@example.org>
Origin: vendor, https://salsa.debian.org/kernel-team/linux
Forwarded: https://lore.kernel.org/lkml/20240102090000.4242-1-linus@example.org/
Bug-Debian: https://bugs.debian.org/999999
Last-Update: 2024-01-02

--- a/drivers/xen/xenbus/xenbus_probe.c
+++ b/drivers/xen/xenbus/xenbus_probe.c
@@ -11,7 +11,7 @@ int xenbus_probe_node(struct xen_bus_type *bus, const char *type,
 \t\t      const char *nodename)
 {
 \tchar devname[XEN_BUS_ID_SIZE];
-\tint err;
+\tint err = -EINVAL;
 \tstruct xenbus_device *xendev;
 \tsize_t stringlen;
 
";

/// An Android vendor hook (`ANDROID:` subject prefix, `Bug:`, `Change-Id:`), never meant for
/// upstream: `downstream-only`.
const ANDROID: &str = "\
From: Alan Turing <alan@example.org>
Date: Mon, 1 Jan 2024 12:00:00 +0000
Subject: [PATCH] ANDROID: sched: add a vendor hook to scheduler_tick()

Bug: 123456789
Change-Id: I0123456789abcdef0123456789abcdef01234567
Signed-off-by: Alan Turing <alan@example.org>
---
diff --git a/kernel/sched/core.c b/kernel/sched/core.c
index 3333333..4444444 100644
--- a/kernel/sched/core.c
+++ b/kernel/sched/core.c
@@ -17,6 +17,7 @@ void scheduler_tick(void)
 
 \trq_lock(rq, &rf);
 \tupdate_rq_clock(rq);
+\ttrace_android_vh_scheduler_tick(rq);
 \tcurr->sched_class->task_tick(rq, curr, 0);
 \trq_unlock(rq, &rf);
 }
";

// The upstream tree: short, simplified stand-ins for the real files, enough for the
// patches' hunks to be found (or not) and for the names they introduce to be searched.

const TREE_README: &str = "\
A few files of an imaginary upstream Linux tree, written by `kdelta demo` so that
`kdelta analyze` has something to judge the demo queue against. The code is
simplified for the demo; it is not the real kernel source.
";

const TREE_BLKFRONT: &str = "\
/*
 * xen-blkfront.c: the Xen virtual block device frontend (simplified for the demo).
 */

#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/xenbus.h>

static unsigned int xen_blkif_max_queues = 4;
module_param_named(max_queues, xen_blkif_max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, \"Maximum number of hardware queues per virtual disk\");

static void blkif_free(struct blkfront_info *info)
{
\tstruct grant *persistent_gnt;
\tstruct grant *n;

\tif (info->grants)
\t\tkfree(info->grants);
\t/* Prevent new requests being issued until we fix things up. */
\tspin_lock_irq(&info->io_lock);
\tinfo->connected = BLKIF_STATE_DISCONNECTED;
\tspin_unlock_irq(&info->io_lock);

\tlist_for_each_entry_safe(persistent_gnt, n, &info->grants_list, node) {
\t\tlist_del(&persistent_gnt->node);
\t\tkfree(persistent_gnt);
\t}
}

static void blkfront_setup_discard(struct blkfront_info *info)
{
\tinfo->feature_discard = 1;
\tinfo->discard_granularity =
\t\txenbus_read_unsigned(info->xbdev->otherend, \"discard-granularity\", 0);
\tinfo->discard_alignment =
\t\txenbus_read_unsigned(info->xbdev->otherend, \"discard-alignment\", 0);
}

MODULE_DESCRIPTION(\"Xen virtual block device frontend\");
MODULE_LICENSE(\"GPL\");
";

const TREE_BALLOON: &str = "\
/*
 * balloon.c: the Xen balloon driver, returning memory to Xen and claiming it
 * back (simplified for the demo).
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <xen/balloon.h>

struct balloon_stats balloon_stats;
EXPORT_SYMBOL_GPL(balloon_stats);

void balloon_set_new_target(unsigned long target)
{
\tballoon_stats.target_pages = target;
\tschedule_delayed_work(&balloon_worker, 0);
}
EXPORT_SYMBOL_GPL(balloon_set_new_target);

static int __init balloon_init(void)
{
\tif (!xen_domain())
\t\treturn -ENODEV;

\tpr_info(\"Initialising balloon driver\\n\");
\tballoon_stats.current_pages = get_num_physpages();
\tballoon_stats.target_pages = balloon_stats.current_pages;
\treturn 0;
}
subsys_initcall(balloon_init);
";

const TREE_EVENTS_BASE: &str = "\
/*
 * events_base.c: Xen event channels (simplified for the demo).
 */

#include <linux/interrupt.h>
#include <linux/irq.h>
#include <xen/events.h>

#include \"events_internal.h\"

static void lateeoi(struct irq_info *info)
{
\tclear_evtchn(info->evtchn);
\tunmask_evtchn(info->evtchn);
}

static void xen_irq_lateeoi(unsigned int irq)
{
\tstruct irq_info *info = info_for_irq(irq);

\tif (!info)
\t\treturn;

\tlateeoi(info);
}

int bind_evtchn_to_irq(evtchn_port_t evtchn)
{
\treturn bind_evtchn_to_irq_chip(evtchn, &xen_dynamic_chip);
}
EXPORT_SYMBOL_GPL(bind_evtchn_to_irq);
";

const TREE_BALLOON_SYSFS: &str = "\
/*
 * xen-balloon.c: the balloon driver's sysfs interface (simplified for the demo):
 * /sys/devices/system/xen_memory/xen_memory0/target_kb.
 */

#include <linux/device.h>
#include <linux/module.h>
#include <xen/balloon.h>

#define PAGES2KB(pages) ((pages) << (PAGE_SHIFT - 10))

#define BALLOON_CLASS_NAME \"xen_memory\"

static struct device balloon_dev;

static ssize_t show_target_kb(struct device *dev, struct device_attribute *attr,
\t\t\t      char *buf)
{
\treturn sprintf(buf, \"%lu\\n\", PAGES2KB(balloon_stats.target_pages));
}

static ssize_t store_target_kb(struct device *dev, struct device_attribute *attr,
\t\t\t       const char *buf, size_t count)
{
\tunsigned long long kb;

\tif (kstrtoull(buf, 0, &kb))
\t\treturn -EINVAL;
\tballoon_set_new_target(kb >> (PAGE_SHIFT - 10));
\treturn count;
}

static DEVICE_ATTR(target_kb, 0644, show_target_kb, store_target_kb);

static struct bus_type balloon_subsys = {
\t.name = BALLOON_CLASS_NAME,
\t.dev_name = BALLOON_CLASS_NAME,
};

static int register_balloon(struct device *dev)
{
\tint error = subsys_system_register(&balloon_subsys, NULL);

\tif (error)
\t\treturn error;
\tdev->id = 0;
\tdev->bus = &balloon_subsys;
\terror = device_register(dev);
\tif (!error)
\t\terror = device_create_file(dev, &dev_attr_target_kb);
\treturn error;
}

void xen_balloon_init(void)
{
\tregister_balloon(&balloon_dev);
}
EXPORT_SYMBOL_GPL(xen_balloon_init);
";

const TREE_XENBUS_PROBE: &str = "\
/*
 * xenbus_probe.c: talks to the Xen store to set up the frontend and backend
 * devices (simplified for the demo).
 */

#include <linux/kernel.h>
#include <linux/slab.h>
#include <xen/xenbus.h>

int xenbus_probe_node(struct xen_bus_type *bus, const char *type,
\t\t      const char *nodename)
{
\tchar devname[XEN_BUS_ID_SIZE];
\tint err;
\tstruct xenbus_device *xendev;
\tsize_t stringlen;

\tstringlen = strlen(nodename) + 1 + strlen(type) + 1;
\tif (stringlen > XENSTORE_REL_PATH_MAX)
\t\tgoto out;
\txendev = kzalloc(sizeof(*xendev) + stringlen, GFP_KERNEL);
\tif (!xendev)
\t\treturn -ENOMEM;

\terr = bus->get_bus_id(devname, xendev->nodename);
\tif (!err)
\t\terr = device_register(&xendev->dev);
out:
\treturn err;
}
EXPORT_SYMBOL_GPL(xenbus_probe_node);
";

const TREE_SCHED_CORE: &str = "\
/*
 * core.c: the core scheduler code (simplified for the demo).
 */

#include <linux/sched.h>
#include \"sched.h\"

/*
 * This function gets called by the timer code, with HZ frequency.
 */
void scheduler_tick(void)
{
\tint cpu = smp_processor_id();
\tstruct rq *rq = cpu_rq(cpu);
\tstruct task_struct *curr = rq->curr;
\tstruct rq_flags rf;

\trq_lock(rq, &rf);
\tupdate_rq_clock(rq);
\tcurr->sched_class->task_tick(rq, curr, 0);
\trq_unlock(rq, &rf);
}
";

/// What [`write_demo`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Demo {
    /// The queue's directory.
    pub queue: PathBuf,
    /// The upstream repository.
    pub upstream: PathBuf,
    /// The annotations file.
    pub annotations: PathBuf,
}

/// Write the demo under `dir`: the upstream repository in `dir/upstream.git` (replacing the
/// one an earlier demo wrote), the queue in `dir/queue` naming its commits, the annotations.
pub fn write_demo(dir: &Path) -> Result<Demo, DemoError> {
    let upstream = dir.join(UPSTREAM_DIR);
    remove_old_upstream(&upstream)?;
    let ids =
        history::write_upstream(&upstream, UPSTREAM, GIT_COMMIT_BACKPORT, STABLE, QUILT_NURP)?;
    let queue = dir.join(QUEUE_DIR);
    let files: Vec<(&str, String)> = QUEUE
        .iter()
        .map(|(path, text)| {
            let text = text
                .replace(BLKFRONT_FIX_ID, &ids.blkfront_fix.to_string())
                .replace(EVENTS_FIX_ID, &ids.events_fix.to_string());
            (*path, text)
        })
        .collect();
    write_files(&queue, &files).map_err(DemoError::io("writing", &queue))?;
    let annotations = dir.join(ANNOTATIONS);
    annotations::write(&annotations, &files)?;
    Ok(Demo {
        queue,
        upstream,
        annotations,
    })
}

/// Remove `path` if it is a bare repository an earlier demo wrote; refuse anything else.
fn remove_old_upstream(path: &Path) -> Result<(), DemoError> {
    if !path.exists() {
        return Ok(());
    }
    let is_repo = path.join("HEAD").is_file() && path.join("objects").is_dir();
    if !is_repo {
        return Err(DemoError::NotADemoRepository {
            path: path.to_path_buf(),
        });
    }
    std::fs::remove_dir_all(path).map_err(DemoError::io("removing", path))
}

/// Write `files` (path under `dir`, content), each through a temporary file and a rename.
pub(crate) fn write_files(dir: &Path, files: &[(&str, String)]) -> std::io::Result<()> {
    for (path, content) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut tmp = target.clone().into_os_string();
        tmp.push(".kdelta-tmp");
        std::fs::write(&tmp, content)?;
        std::fs::rename(&tmp, &target)?;
    }
    Ok(())
}
