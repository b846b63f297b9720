//! The files of the shared demo's Debian-style and Fedora-style queues. A patch shared with
//! another distribution is that distribution's diff under this distribution's own header.

use crate::{DemoError, DEP3, SUSE_NEVER, SUSE_NOT_YET};

/// The Debian-style queue's files, as (path, content).
pub fn debian_files() -> Result<Vec<(&'static str, String)>, DemoError> {
    Ok(vec![
        ("debian/patches/series", DEBIAN_SERIES.to_string()),
        (
            "debian/patches/bugfix/all/fix-build-warning.patch",
            DEP3.to_string(),
        ),
        (
            "debian/patches/bugfix/all/xenbus-free-the-device-when-its-id-fails.patch",
            XENBUS_LEAK.to_string(),
        ),
        (
            "debian/patches/features/all/xen-blkfront-allow-discard.patch",
            DISCARD_DEBIAN.to_string() + diff_of(SUSE_NOT_YET)?,
        ),
        (
            "debian/patches/features/x86/xen/xen-balloon-sysfs.patch",
            BALLOON_DEBIAN.to_string() + diff_of(SUSE_NEVER)?,
        ),
    ])
}

/// The Fedora-style queue's files, as (path, content).
pub fn fedora_files() -> Result<Vec<(&'static str, String)>, DemoError> {
    Ok(vec![
        ("kernel.spec", FEDORA_SPEC.to_string()),
        (
            "0001-xen-blkfront-let-the-administrator-turn-discard-off.patch",
            DISCARD_FEDORA.to_string() + diff_of(SUSE_NOT_YET)?,
        ),
        (
            "0002-xenbus-fix-a-build-warning-with-newer-compilers.patch",
            BUILD_WARNING_FEDORA.to_string() + diff_of(DEP3)?,
        ),
        (
            "0003-xen-balloon-log-the-initial-target.patch",
            BALLOON_LOG.to_string(),
        ),
    ])
}

/// The diff of a patch `text`: from its first `--- a/` line on.
fn diff_of(text: &str) -> Result<&str, DemoError> {
    text.find("\n--- a/")
        .map(|at| &text[at + 1..])
        .ok_or_else(|| DemoError::Data("demo patch without a diff".into()))
}

const DEBIAN_SERIES: &str = "\
# Demo Debian: the kernel's patches, applied in this order by quilt.

# Bug fixes
bugfix/all/fix-build-warning.patch
bugfix/all/xenbus-free-the-device-when-its-id-fails.patch

# Features, some from other distributions' kernels
features/all/xen-blkfront-allow-discard.patch
features/x86/xen/xen-balloon-sysfs.patch
";

/// Demo Linux's `Patch-mainline: Not yet` patch, taken by Debian with a DEP-3 header.
const DISCARD_DEBIAN: &str = "\
Description: xen-blkfront: let the administrator turn discard off
 Some backends advertise discard but handle it slowly; with
 xen_blkfront.allow_discard=0 the frontend leaves it off.
Author: Charles Babbage <charles@example.org>
Origin: vendor, https://example.org/kernel-source/patches.suse/xen-blkfront-allow-discard.patch
Bug-Debian: https://bugs.debian.org/888888
Forwarded: no
Last-Update: 2014-03-20

";

/// Demo Linux's `Patch-mainline: Never` balloon patch, taken by Debian for the same tools.
const BALLOON_DEBIAN: &str = "\
Description: xen: balloon: expose the target in sysfs
 Classic Xen kernels exposed the balloon target in /proc; this keeps a
 sysfs view for the tools that still read it.
Author: Grace Hopper <grace@example.org>
Origin: vendor, https://example.org/kernel-source/patches.xen/xen-balloon-sysfs.patch
Forwarded: not-needed
Last-Update: 2014-06-10

";

/// Demo Debian's own fix, posted upstream and not merged, in the form the Debian kernel
/// team writes (a mail with DEP-3 fields).
const XENBUS_LEAK: &str = "\
From: Ben Example <ben@example.org>
Date: Sun, 6 Apr 2014 18:00:00 +0100
Subject: xenbus: free the device when its id cannot be read
Bug-Debian: https://bugs.debian.org/777777
Forwarded: https://lore.kernel.org/xen-devel/20140406180000.5555-1-ben@example.org/

xenbus_probe_node() leaked the device it allocated when the bus could
not give it an id.

Signed-off-by: Ben Example <ben@example.org>
---
 drivers/xen/xenbus/xenbus_probe.c | 7 +++++--
 1 file changed, 5 insertions(+), 2 deletions(-)

--- a/drivers/xen/xenbus/xenbus_probe.c
+++ b/drivers/xen/xenbus/xenbus_probe.c
@@ -23,8 +23,11 @@ int xenbus_probe_node(struct xen_bus_type *bus, const char *type,
 \t\treturn -ENOMEM;
 
 \terr = bus->get_bus_id(devname, xendev->nodename);
-\tif (!err)
-\t\terr = device_register(&xendev->dev);
+\tif (err) {
+\t\tkfree(xendev);
+\t\treturn err;
+\t}
+\terr = device_register(&xendev->dev);
 out:
 \treturn err;
 }
";

/// Demo Linux's discard patch as Fedora took it, a `git format-patch` mail.
const DISCARD_FEDORA: &str = "\
From: Charles Babbage <charles@example.org>
Date: Wed, 5 Mar 2014 09:00:00 +0100
Subject: [PATCH 1/3] xen-blkfront: let the administrator turn discard off

Some backends advertise discard but handle it slowly; with
xen_blkfront.allow_discard=0 the frontend leaves it off.

Signed-off-by: Charles Babbage <charles@example.org>
Signed-off-by: Fedora Kernel Example <kernel@example.org>
---
 drivers/block/xen-blkfront.c | 6 ++++++
 1 file changed, 6 insertions(+)

";

/// Demo Linux's (and Demo Debian's) build warning fix as Fedora took it from the list.
const BUILD_WARNING_FEDORA: &str = "\
From: Linus Example <linus@example.org>
Date: Tue, 2 Jan 2024 09:00:00 +0000
Subject: [PATCH 2/3] xenbus: fix a build warning with newer compilers

The compiler warns that err may be used uninitialised in
xenbus_probe_node().

Link: https://lore.kernel.org/lkml/20240102090000.4242-1-linus@example.org/
Signed-off-by: Linus Example <linus@example.org>
Signed-off-by: Fedora Kernel Example <kernel@example.org>
---
 drivers/xen/xenbus/xenbus_probe.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

";

/// Demo Fedora's own patch, never meant for upstream.
const BALLOON_LOG: &str = "\
From: Fedora Kernel Example <kernel@example.org>
Date: Mon, 7 Apr 2014 08:00:00 +0000
Subject: [PATCH 3/3] xen/balloon: log the initial target

Fedora's cloud images report the guest's memory from the boot log.

Signed-off-by: Fedora Kernel Example <kernel@example.org>
---
 drivers/xen/balloon.c | 2 ++
 1 file changed, 2 insertions(+)

--- a/drivers/xen/balloon.c
+++ b/drivers/xen/balloon.c
@@ -26,6 +26,8 @@ static int __init balloon_init(void)
 \tpr_info(\"Initialising balloon driver\\n\");
 \tballoon_stats.current_pages = get_num_physpages();
 \tballoon_stats.target_pages = balloon_stats.current_pages;
+\tpr_info(\"Initial balloon target: %lu kB\\n\",
+\t\tballoon_stats.target_pages << (PAGE_SHIFT - 10));
 \treturn 0;
 }
 subsys_initcall(balloon_init);
";

const FEDORA_SPEC: &str = "\
# Demo Fedora's kernel.spec, cut down to what kdelta reads: the patches, and %prep
# applying them in number order.
%define base_version 3.14

Name: kernel
Summary: The Linux kernel of the demo
License: GPL-2.0-only
Version: %{base_version}.0
Release: 200%{?dist}
URL: https://www.kernel.org/
Source0: linux-%{base_version}.tar.xz

# Taken from other distributions
Patch1: 0001-xen-blkfront-let-the-administrator-turn-discard-off.patch
Patch2: 0002-xenbus-fix-a-build-warning-with-newer-compilers.patch
# Fedora's own
Patch3: 0003-xen-balloon-log-the-initial-target.patch

%description
The Linux kernel, as the demo's Fedora-style distribution builds it.

%prep
%autosetup -p1 -n linux-%{base_version}

%changelog
* Mon Apr 07 2014 Fedora Kernel Example <kernel@example.org> - 3.14.0-200
- Take the discard switch from Demo Linux and the build warning fix from the list
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_patch_keeps_its_diff_and_changes_its_header() {
        let diff = diff_of(SUSE_NOT_YET).expect("diff");
        assert!(diff.starts_with("--- a/drivers/block/xen-blkfront.c\n"));
        assert!(SUSE_NOT_YET.ends_with(diff));
        assert!(diff_of("no diff here\n").is_err());
    }

    #[test]
    fn every_patch_the_series_and_the_spec_name_is_written() {
        let debian = debian_files().expect("debian");
        for name in DEBIAN_SERIES
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let path = format!("debian/patches/{name}");
            assert!(debian.iter().any(|(p, _)| *p == path), "{path}");
        }
        let fedora = fedora_files().expect("fedora");
        for line in FEDORA_SPEC.lines().filter(|l| l.starts_with("Patch")) {
            let (_, name) = line.split_once(": ").expect("Patch line");
            assert!(fedora.iter().any(|(p, _)| *p == name), "{name}");
        }
    }
}
