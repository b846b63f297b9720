#!/usr/bin/env bash
# The accuracy figures of docs/ACCURACY.md, on real data (../shared/DATA.md):
#  1. XCP-ng's Xen queue against xen-project/xen: `kdelta eval` (headers hidden), with and
#     without subject lookups, over a range of thresholds;
#  2. Debian linux 6.1.176-1 against the 6.12.107 orig tarball (--tree only): no patch that
#     Debian still carries in 6.12.107-1 may be called upstream; what is called upstream;
#  3. openSUSE-13.1 patches.xen against the same Linux 6.12 tree: statuses and evidence.
#
# usage: scripts/accuracy.sh XEN_REPO XCPNG_XEN_REPO DEBIAN_DIR KERNEL_SOURCE_REPO
#   DEBIAN_DIR holds linux_6.1.176-1.dsc, linux_6.12.107-1.dsc and their tarballs.
# Each part skips (with a message) when its inputs are absent.
set -euo pipefail
xen=${1:-} xcpng=${2:-} debian=${3:-} ks=${4:-}
here=$(cd "$(dirname "$0")/.." && pwd)
kdelta=${KDELTA:-$here/target/release/kdelta}
[[ -x $kdelta ]] || (cd "$here" && cargo build --release -p kdelta)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
idx=$tmp/xen.sqlite

if [[ -d $xen && -d $xcpng ]]; then
    echo "== 1. XCP-ng xen queue against xen-project/xen, headers hidden"
    "$kdelta" index "$xen" --index "$idx" --release-pattern 'RELEASE-*' --quiet
    "$kdelta" eval "$xcpng@HEAD" --upstream "$xen" --index "$idx" --no-update --quiet
    echo "-- content only (no subject lookups), by threshold"
    for t in 0.3 0.4 0.5 0.6 0.7 0.8; do
        printf 'threshold %s: ' "$t"
        "$kdelta" eval "$xcpng@HEAD" --upstream "$xen" --index "$idx" --no-update --quiet \
            --content-only --threshold "$t" | grep '^precision'
    done
    "$kdelta" analyze "$xcpng@HEAD" --upstream "$xen" --index "$idx" --no-update --quiet \
        --json >"$tmp/xcpng.json"
    python3 - "$tmp/xcpng.json" <<'PY'
import json, sys, collections
d = json.load(open(sys.argv[1]))
print("statuses of all", len(d), "patches:", dict(collections.Counter(v["status"] for v in d)))
PY
else
    echo "skip 1: need XEN_REPO and XCPNG_XEN_REPO"
fi

if [[ -f $debian/linux_6.1.176-1.dsc && -f $debian/linux_6.12.107.orig.tar.xz ]]; then
    echo "== 2. Debian linux 6.1.176-1 against the 6.12.107 tree (--tree only)"
    "$kdelta" analyze "$debian/linux_6.1.176-1.dsc" --tree "$debian/linux_6.12.107.orig.tar.xz" \
        --quiet --json >"$tmp/deb61.json" 2>/dev/null || true
    "$kdelta" queue "$debian/linux_6.12.107-1.dsc" --json >"$tmp/deb612.json" 2>/dev/null || true
    python3 - "$tmp/deb61.json" "$tmp/deb612.json" <<'PY'
import json, sys, collections
verdicts = json.load(open(sys.argv[1]))
carried = json.load(open(sys.argv[2]))
names = {p["name"] for p in carried}
subjects = {(p.get("subject") or "").lower() for p in carried}
still = [v for v in verdicts if v["name"] in names or (v.get("subject") or "").lower() in subjects]
print("statuses:", dict(collections.Counter(v["status"] for v in verdicts)))
print(f"still carried in 6.12.107-1: {len(still)};", dict(collections.Counter(v["status"] for v in still)))
bad = [v["name"] for v in still if v["status"] == "upstream"]
print("carried but called upstream:", bad or "none")
print("called upstream, and why:")
for v in verdicts:
    if v["status"] == "upstream":
        print(f"  {v['name']}: {v['evidence'][0]['detail']}")
sys.exit(1 if bad else 0)
PY
else
    echo "skip 2: need DEBIAN_DIR with linux_6.1.176-1.dsc and linux_6.12.107.orig.tar.xz"
fi

if [[ -d $ks && -f $debian/linux_6.12.107.orig.tar.xz ]]; then
    echo "== 3. openSUSE-13.1 patches.xen against the Linux 6.12.107 tree"
    "$kdelta" analyze "$ks@openSUSE-13.1" --include 'patches.xen/*' \
        --tree "$debian/linux_6.12.107.orig.tar.xz" --quiet --json >"$tmp/suse.json" || true
    python3 - "$tmp/suse.json" <<'PY'
import json, sys, collections
verdicts = json.load(open(sys.argv[1]))
print("statuses:", dict(collections.Counter(v["status"] for v in verdicts)))
for v in verdicts:
    why = v["evidence"][0]["detail"] if v["evidence"] else ""
    print(f"  {v['name']:<50} {v['status']:<18} {why[:110]}")
PY
else
    echo "skip 3: need KERNEL_SOURCE_REPO and the 6.12.107 tarball in DEBIAN_DIR"
fi
