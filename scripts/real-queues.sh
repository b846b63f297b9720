#!/usr/bin/env bash
# Read the real distribution queues listed in docs/DATA.md with `kdelta queue` and print,
# for each, the number of patches, of upstream references found in headers, and of
# problems, plus wall time and peak memory. Skips (with a message) what is not on disk.
#
#   DATA=/work/data MIRROR=/work/.mirror scripts/real-queues.sh
#
# Get the data first: Debian sources with `apt-get source --download-only linux=6.1.176-1`
# (and linux=6.12.107-1) in $DATA/debian, git mirrors with the search tool's fetch.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
K=${KDELTA:-$here/target/release/kdelta}
DATA=${DATA:-/work/data}
MIRROR=${MIRROR:-/work/.mirror}
[ -x "$K" ] || { echo "build first: cargo build --release -p kdelta" >&2; exit 2; }

summary() {
  python3 -c '
import json, sys
rows = json.load(sys.stdin)
refs = sum(len(r["refs"]) for r in rows)
commits = sum(1 for r in rows for x in r["refs"] if x.get("commit"))
with_ref = sum(1 for r in rows if any(x.get("commit") or x.get("release") for x in r["refs"]))
problems = sum(len(r["problems"]) for r in rows)
bad = sum(1 for r in rows if r["problems"])
size = sum(r["size"] for r in rows)
print(f"patches={len(rows)} bytes={size} refs={refs} refs_with_commit={commits} patches_with_upstream_ref={with_ref} problems={problems} patches_with_problems={bad}")
'
}

run() {
  local label=$1 spec=$2
  shift 2
  local out err
  out=$(mktemp) err=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$err.time" "$K" queue "$spec" "$@" --json >"$out" 2>"$err"
  local code=$?
  read -r wall rss < <(tail -1 "$err.time")
  printf '%-28s exit=%s wall=%ss maxrss=%sKB warnings=%s ' "$label" "$code" "$wall" "$rss" "$(grep -c '^warning' "$err")"
  summary <"$out"
  if grep -q panicked "$err"; then echo "PANIC in $label" >&2; cat "$err" >&2; fi
  rm -f "$out" "$err" "$err.time"
}

maybe() {
  local label=$1 path=$2 spec=$3
  shift 3
  if [ -e "$path" ]; then run "$label" "$spec" "$@"; else echo "$label: skipped ($path absent)"; fi
}

maybe "debian linux 6.1.176-1" "$DATA/debian/linux_6.1.176-1.dsc" "$DATA/debian/linux_6.1.176-1.dsc"
maybe "debian linux 6.12.107-1" "$DATA/debian/linux_6.12.107-1.dsc" "$DATA/debian/linux_6.12.107-1.dsc"
ks=$MIRROR/matwey+kernel-source/repo
maybe "openSUSE-13.1 (all)" "$ks" "$ks@openSUSE-13.1"
maybe "openSUSE-13.1 patches.xen" "$ks" "$ks@openSUSE-13.1" --include 'patches.xen/*'
xk=$MIRROR/xcp-ng-rpms+kernel/repo
maybe "xcp-ng kernel (spec)" "$xk" "$xk@HEAD"
qk=$MIRROR/QubesOS+qubes-linux-kernel/repo
maybe "qubes kernel.spec.in (HEAD)" "$qk" "$qk@HEAD:kernel.spec.in"
maybe "qubes series.conf (2016)" "$qk" "$qk@HEAD@{2016-01-01}"
xx=$MIRROR/xcp-ng-rpms+xen/repo
maybe "xcp-ng xen (spec)" "$xx" "$xx@HEAD"
