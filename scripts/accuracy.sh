#!/usr/bin/env bash
# The figures of docs/ACCURACY.md, on real data (docs/DATA.md):
#  1. XCP-ng's Xen queue against xen-project/xen: `kdelta eval` with history (headers
#     hidden), then the whole queue's statuses and the header claims that did not check out;
#  2. droppable recall and still-carried patches called droppable (`kdelta eval --tree
#     --later`), headers hidden and kept, for Debian 6.1.176-1, 6.12.8-1 and 6.12.38-1
#     (later: 6.12.107-1), openSUSE 13.1, 42.1 and 15.0 (later: master), XCP-ng's kernel and
#     Qubes' stable-4.4 … stable-6.6 (later: stable-6.12), all against the Linux 6.12.107 tree;
#  3. the hand-labelled classic-Xen set (SLE11-SP4 patches.xen, docs/labels/).
#
# usage: scripts/accuracy.sh XEN_REPO XCPNG_XEN_REPO DEBIAN_DIR KERNEL_SOURCE_REPO \
#            [XCPNG_KERNEL_REPO] [SLE_KERNEL_SOURCE_REPO] [QUBES_KERNEL_REPO]
#   DEBIAN_DIR holds linux_{6.1.176-1,6.12.8-1,6.12.38-1,6.12.107-1}.dsc and their tarballs
#   (apt-get source --download-only linux=VERSION); the 6.12.107 orig tarball is the tree.
#   KERNEL_SOURCE_REPO is matwey/kernel-source, SLE_KERNEL_SOURCE_REPO fk0815/kernel-source,
#   QUBES_KERNEL_REPO QubesOS/qubes-linux-kernel.
# Each part skips (with a message) when its inputs are absent.
set -euo pipefail
xen=${1:-} xcpng=${2:-} debian=${3:-} ks=${4:-} xk=${5:-} sle=${6:-} qubes=${7:-}
here=$(cd "$(dirname "$0")/.." && pwd)
kdelta=${KDELTA:-$here/target/release/kdelta}
[[ -x $kdelta ]] || (cd "$here" && cargo build --release -p kdelta)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree=$debian/linux_6.12.107.orig.tar.xz
later=$debian/linux_6.12.107-1.dsc

if [[ -d $xen && -d $xcpng ]]; then
    echo "== 1. XCP-ng xen queue against xen-project/xen"
    idx=$tmp/xen.sqlite
    "$kdelta" index "$xen" --index "$idx" --release-pattern 'RELEASE-*' --quiet
    "$kdelta" eval "$xcpng@HEAD" --upstream "$xen" --index "$idx" --no-update --quiet
    "$kdelta" analyze "$xcpng@HEAD" --upstream "$xen" --index "$idx" --no-update --quiet \
        --json >"$tmp/xcpng.json" || true
    python3 - "$tmp/xcpng.json" <<'PY'
import json, sys, collections
d = json.load(open(sys.argv[1]))
print("statuses of all", len(d), "patches:", dict(collections.Counter(v["status"] for v in d)))
bad = [(v["name"], c) for v in d for c in v["claims"] if c["check"] == "contradicted"]
print("header claims that did not check out:", len(bad))
for name, c in bad:
    print(f"  {name}: {c['header']}: {c['detail']}")
PY
else
    echo "skip 1: need XEN_REPO and XCPNG_XEN_REPO"
fi

if [[ -f $tree && -f $later ]]; then
    echo "== 2. droppable recall and still-carried patches called droppable, against $tree"
    sets=()
    for v in 6.1.176-1 6.12.8-1 6.12.38-1; do
        [[ -f $debian/linux_$v.dsc ]] && sets+=("debian-$v|$debian/linux_$v.dsc|$later")
    done
    if [[ -d $ks ]]; then
        for b in openSUSE-13.1 openSUSE-42.1 openSUSE-15.0; do
            sets+=("$b|$ks@$b|$ks@master")
        done
    fi
    [[ -d $xk ]] && sets+=("xcp-ng-kernel|$xk@HEAD|")
    if [[ -d $qubes ]]; then
        for b in 4.4 4.9 4.19 5.4 5.10 5.15 6.1 6.6; do
            sets+=("qubes-$b|$qubes@stable-$b|$qubes@stable-6.12")
        done
    fi
    for set in "${sets[@]}"; do
        IFS='|' read -r name spec next <<<"$set"
        for headers in "" --headers; do
            args=("$spec" --tree "$tree" --quiet --json)
            [[ -n $next ]] && args+=(--later "$next")
            [[ -n $headers ]] && args+=("$headers")
            "$kdelta" eval "${args[@]}" >"$tmp/eval.json" 2>/dev/null || true
            python3 - "$tmp/eval.json" "$name" "${headers:-hidden}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rec, drop = d["recorded"], d["dropped"]
print(f"{sys.argv[2]:<22} headers {sys.argv[3].lstrip('-'):<8} droppable recall {d['droppable_recall']:.3f} "
      f"({d['droppable_found']}/{d['droppable']}; recorded {rec[1]}/{rec[0]}, dropped later {drop[1]}/{drop[0]}); "
      f"still carried, called droppable {d['carried_called_droppable']}/{d['carried']}")
for c in d["cases"]:
    if c["label"] == "carried" and c["status"] in ("upstream", "replacement-likely", "obsolete"):
        print(f"    called {c['status']}: {c['name']}: {c['why'][:150]}")
PY
        done
    done
else
    echo "skip 2: need DEBIAN_DIR with linux_6.12.107-1.dsc and linux_6.12.107.orig.tar.xz"
fi

if [[ -d $sle && -f $tree ]]; then
    echo "== 3. SLE11-SP4 patches.xen, labelled by hand (docs/labels/sle11-sp4-xen.tsv)"
    for headers in "" --headers; do
        "$kdelta" eval "$sle@SLE11-SP4" --include 'patches.xen/*' --tree "$tree" \
            --labels "$here/docs/labels/sle11-sp4-xen.tsv" $headers --quiet |
            grep -E 'headers|labelled|carried'
    done
else
    echo "skip 3: need SLE_KERNEL_SOURCE_REPO (fk0815/kernel-source) and the tree"
fi
