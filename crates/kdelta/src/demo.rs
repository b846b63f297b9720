//! The built-in demo queue: a small openSUSE-style `series.conf` queue whose patches use
//! every header form kdelta reads (format-patch mail, SUSE tags, DEP-3, Android and
//! stable-backport conventions, a `diff -Nurp` quilt patch). Deterministic: the same
//! bytes every time.

use std::path::Path;

/// The files of the demo queue, as (path, content).
pub const FILES: &[(&str, &str)] = &[
    ("series.conf", SERIES_CONF),
    (
        "patches.suse/xen-blkfront-fix-leak.patch",
        GIT_COMMIT_BACKPORT,
    ),
    ("patches.xen/xen-balloon-sysfs.patch", SUSE_NEVER),
    ("patches.debian/fix-build-warning.patch", DEP3),
    ("patches.android/android-vendor-hook.patch", ANDROID),
    ("patches.kernel.org/stable-fix.patch", STABLE),
    ("patches.xen/xen3-auto-blktap.diff", QUILT_NURP),
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
+xen\tpatches.xen/xen3-auto-blktap.diff
+xen\tpatches.xen/xen-balloon-sysfs.patch

########################################################
# Other distributions' conventions
########################################################
\tpatches.debian/fix-build-warning.patch
\tpatches.android/android-vendor-hook.patch
";

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
@@ -10,6 +10,8 @@ static void blkif_free(struct blkfront_info *info)
 \tstruct grant *persistent_gnt;
 \tstruct grant *n;
 
+\tif (info->grants)
+\t\tkfree(info->grants);
 \t/* Prevent new requests being issued until we fix things up. */
 \tspin_lock_irq(&info->io_lock);
 \tinfo->connected = BLKIF_STATE_DISCONNECTED;
";

const SUSE_NEVER: &str = "\
From: Grace Hopper <grace@example.org>
Subject: xen: balloon: expose the target in sysfs
Patch-mainline: Never, SUSE-specific interface
References: fate#100001

Classic Xen kernels exposed the balloon target in /proc; this keeps a
sysfs view for the SUSE tools.

--- a/drivers/xen/balloon.c
+++ b/drivers/xen/balloon.c
@@ -1,3 +1,5 @@
 #include <linux/kernel.h>
+#include <linux/sysdev.h>
+#define BALLOON_CLASS_NAME \"xen_memory\"
 #include <linux/module.h>
 
";

const DEP3: &str = "\
Description: Fix a build warning with newer compilers
 The compiler warns about a variable that may be used uninitialised.
Author: Linus Example <linus@example.org>
Origin: upstream, https://git.kernel.org/linus/abcdef0123456789abcdef0123456789abcdef01
Forwarded: not-needed
Bug-Debian: https://bugs.debian.org/999999
Last-Update: 2024-01-02

--- a/kernel/example.c
+++ b/kernel/example.c
@@ -5,7 +5,7 @@
 int example(void)
 {
-\tint x;
+\tint x = 0;
 
 \treturn x;
 }
 
";

const ANDROID: &str = "\
From: Alan Turing <alan@example.org>
Date: Mon, 1 Jan 2024 12:00:00 +0000
Subject: [PATCH] ANDROID: FROMLIST: sched: add a vendor hook

Bug: 123456789
Link: https://lore.kernel.org/lkml/20240101120000.1-1-alan@example.org/
Change-Id: I0123456789abcdef0123456789abcdef01234567
Signed-off-by: Alan Turing <alan@example.org>
---
diff --git a/kernel/sched/core.c b/kernel/sched/core.c
index 3333333..4444444 100644
--- a/kernel/sched/core.c
+++ b/kernel/sched/core.c
@@ -100,3 +100,4 @@ void scheduler_tick(void)
 {
 \tupdate_rq_clock(rq);
+\ttrace_android_vh_scheduler_tick(rq);
 }
";

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
@@ -20,4 +20,7 @@ static void xen_irq_lateeoi(unsigned int irq)
 {
 \tstruct irq_info *info = info_for_irq(irq);
 
+\tif (!info)
+\t\treturn;
+
 \tlateeoi(info);
";

const QUILT_NURP: &str = "\
Subject: xen3 blktap driver (from the classic Xen tree)
From: xen-devel@lists.xensource.com
Patch-mainline: n/a

Automatically created from \"patches.kernel.org/patch-2.6.18-xen\".

diff -Nurp 13.1.orig/drivers/xen/blktap/Makefile 13.1/drivers/xen/blktap/Makefile
--- 13.1.orig/drivers/xen/blktap/Makefile\t1970-01-01 01:00:00.000000000 +0100
+++ 13.1/drivers/xen/blktap/Makefile\t2013-10-02 12:00:00.000000000 +0200
@@ -0,0 +1,3 @@
+LINUXINCLUDE += -I../xen/include/public/io
+
+obj-$(CONFIG_XEN_BLKDEV_TAP) := blktap.o
diff -Nurp 13.1.orig/drivers/xen/Makefile 13.1/drivers/xen/Makefile
--- 13.1.orig/drivers/xen/Makefile\t2013-10-01 12:00:00.000000000 +0200
+++ 13.1/drivers/xen/Makefile\t2013-10-02 12:00:00.000000000 +0200
@@ -1,2 +1,3 @@
 obj-y += grant-table.o
+obj-$(CONFIG_XEN_BLKDEV_TAP) += blktap/
 obj-y += events/
";

/// Write the demo queue under `dir`, each file written to a temporary name then renamed.
pub fn write_demo(dir: &Path) -> std::io::Result<()> {
    for (path, content) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = target.with_extension("kdelta-tmp");
        std::fs::write(&tmp, content)?;
        std::fs::rename(&tmp, &target)?;
    }
    Ok(())
}
