#!/usr/bin/env bash
# Whole-process benchmark of `kdelta analyze`: the openSUSE-13.1 queue against the
# xen-project/xen index plus a Linux release tree, and how the time grows with the queue
# (patches.xen only vs the whole queue) and with the history (an index of part of xen.git).
# Figures go to docs/PERFORMANCE.md.
#
# usage: benches/analyze.sh KERNEL_SOURCE_REPO XEN_REPO LINUX_TARBALL [RUNS]
#   KERNEL_SOURCE_REPO  a clone of matwey/kernel-source (branch openSUSE-13.1)
#   XEN_REPO            a clone of xen-project/xen
#   LINUX_TARBALL       e.g. linux_6.12.107.orig.tar.xz (apt-get source --download-only linux=6.12.107-1)
# Skips cleanly when an input is absent. Needs hyperfine (apt-get install hyperfine). The
# whole queue exits with 1 (one patch has a bad Git-commit header), hence hyperfine -i.
set -euo pipefail
ks=${1:-} xen=${2:-} tarball=${3:-} runs=${4:-3}
source "$(dirname "$0")/common.sh"
skip_unless_present "$ks" "$xen" "$tarball"
setup
full=$tmp/full.sqlite part=$tmp/part.sqlite
"$kdelta" index "$xen" --index "$full" --release-pattern 'RELEASE-*' --quiet
"$kdelta" index "$xen" --index "$part" --ref RELEASE-4.6.0 --release-pattern 'RELEASE-*' --quiet
for idx in "$full" "$part"; do
    echo "$(basename "$idx"): $(sqlite3 "$idx" 'select count(*) from commits' 2>/dev/null || echo '?') commits"
done
run() { echo "$kdelta analyze $ks@openSUSE-13.1 $1 --upstream $xen --index $2 --no-update --tree $tarball --quiet --json"; }
hyperfine -i --runs "$runs" \
    -n "patches.xen, full index" "$(run "--include patches.xen/*" "$full") > /dev/null" \
    -n "whole queue, full index" "$(run "" "$full") > /dev/null" \
    -n "whole queue, index to RELEASE-4.6.0" "$(run "" "$part") > /dev/null" \
    -n "whole queue, no tree (index only)" "$kdelta analyze $ks@openSUSE-13.1 --upstream $xen --index $full --no-update --quiet --json > /dev/null"
echo "phases of one whole-queue run:"
KDELTA_TIMING=1 /usr/bin/time -f "peak RSS %M KB, %e s" $(run "" "$full") > /dev/null || true
