#!/usr/bin/env bash
# Whole-process benchmark of `kdelta rebase`, side by side in one hyperfine run with the
# floor (reading the target tree's files once: `find T -type f | xargs cat`) and with the
# tool a maintainer would otherwise use (GNU patch applying every patch in order to a fresh
# copy of the tree, as `quilt push` does one by one; the copy is made by --prepare, not timed):
#   - first run: the tree index is built (the cache is emptied before each run);
#   - second run: the tree index is read back, every patch judged and pushed again.
# Target (issue 16, docs/PERFORMANCE.md): a first run <= 3x the floor.
#
# usage: benches/rebase.sh QUEUE TREE_DIR [RUNS]
#   QUEUE      a quilt patch directory with its `series` (e.g. debian/patches of
#              linux_6.1.170-3.debian.tar.xz: apt-get source --download-only linux=6.1.170-3),
#              or any queue SPEC (e.g. KERNEL_SOURCE_REPO@openSUSE-13.1: its 515 patches);
#              the GNU patch baseline needs a quilt directory and is left out otherwise
#   TREE_DIR   the extracted target release (e.g. linux-6.1.176 from linux_6.1.176.orig.tar.xz)
# Skips cleanly when an input is absent. Needs hyperfine and patch (apt-get install hyperfine patch).
set -euo pipefail
queue=${1:-} tree=${2:-} runs=${3:-3}
source "$(dirname "$0")/common.sh"
skip_unless_present "${queue%@*}" "$tree"
setup
command -v patch >/dev/null || { echo "install patch first (apt-get install patch)" >&2; exit 2; }
[[ -d $queue ]] && queue=$(cd "$queue" && pwd)
run() { echo "$kdelta rebase $queue --onto $tree --index $tmp/$1/idx.sqlite --quiet --json > /dev/null"; }
baseline=()
if [[ -f $queue/series ]]; then
    echo "$(grep -cv '^[[:space:]]*\(#\|$\)' "$queue/series") series entries; tree: $(du -sh "$tree" | cut -f1)"
    # GNU patch on every patch of the series in order (quilt stops at the first that does
    # not apply, and refuses to go past a forced one until it is refreshed): `patch -f`
    # applies what applies of each, as kdelta pushes every patch.
    grep -v '^[[:space:]]*\(#\|$\)' "$queue/series" | awk '{print $1}' > "$tmp/names"
    patch_run="cd $tmp/copy && while read -r p; do patch -p1 -f -s --no-backup-if-mismatch -r - < $queue/\$p > /dev/null 2>&1 || true; done < $tmp/names"
    baseline=(-n "patch -f, every patch in order (fresh copy of the tree)" --prepare "rm -rf $tmp/copy && cp -a $tree $tmp/copy" "$patch_run")
else
    "$kdelta" queue "$queue" --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)), "patches")' || true
fi
"$kdelta" rebase "$queue" --onto "$tree" --index "$tmp/warm/idx.sqlite" --quiet --json >/dev/null 2>&1 || true
hyperfine -i --warmup 1 --runs "$runs" \
    -n "read the tree once (find | xargs cat)" --prepare true "find $tree -type f -print0 | xargs -0 cat > /dev/null" \
    -n "kdelta rebase, first run (index built)" --prepare "rm -rf $tmp/cold" "$(run cold)" \
    -n "kdelta rebase, second run (index cached)" --prepare "rm -f $tmp/warm/kdelta-trees/*.facts" "$(run warm)" \
    "${baseline[@]}"
echo "phases of a second run:"
KDELTA_TIMING=1 /usr/bin/time -f "peak RSS %M KB, %e s" "$kdelta" rebase "$queue" --onto "$tree" \
    --index "$tmp/warm/idx.sqlite" --quiet --json 2>&1 >/dev/null | tail -15 || true
