#!/usr/bin/env bash
# Whole-process benchmark of judging a queue against a release tree, side by side in one
# hyperfine run with the floor: reading the tree's files once (`find T -type f | xargs
# cat`), or for a tarball decompressing it (`xz -dc`).
#   - first run: the tree index is built (the cache is emptied before each run);
#   - second run, index cached: the tree index is read back, every patch judged again
#     (what a run of another queue against the same tree costs);
#   - second run, index and facts cached: the same queue again (nothing changed).
# Targets (docs/PERFORMANCE.md): first run <= 2x the floor, second run <= 0.5x.
#
# usage: benches/tree.sh KERNEL_SOURCE_REPO TREE_DIR [TARBALL] [RUNS]
#   KERNEL_SOURCE_REPO  a clone of matwey/kernel-source (branch openSUSE-13.1)
#   TREE_DIR            an extracted Linux release tree (e.g. linux-6.12.107 from
#                       linux_6.12.107.orig.tar.xz: apt-get source --download-only linux=6.12.107-1)
#   TARBALL             that tree's tarball (optional)
# Skips cleanly when an input is absent. Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
ks=${1:-} tree=${2:-} tarball=${3:-} runs=${4:-5}
source "$(dirname "$0")/common.sh"
skip_unless_present "$ks" "$tree"
setup
queue="$ks@openSUSE-13.1"
"$kdelta" queue "$queue" --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)), "patches")' || true
# The whole queue exits with 1 (one patch has a bad Git-commit header), hence -i.
run() { echo "$kdelta analyze $queue --tree $1 --index $tmp/$2/idx.sqlite --quiet --json > /dev/null"; }
# against SOURCE FLOOR_NAME FLOOR_COMMAND FIRST_NAME TAG: the three runs beside the floor,
# in one hyperfine run; the index of TAG-warm is built first, TAG-cold anew each time.
against() {
    "$kdelta" analyze "$queue" --tree "$1" --index "$tmp/$5-warm/idx.sqlite" --quiet --json >/dev/null 2>&1 || true
    hyperfine -i --warmup 1 --runs "$runs" \
        -n "$2" --prepare true "$3" \
        -n "$4" --prepare "rm -rf $tmp/$5-cold" "$(run "$1" "$5-cold")" \
        -n "kdelta, second run (index cached)" --prepare "rm -f $tmp/$5-warm/kdelta-trees/*.facts" "$(run "$1" "$5-warm")" \
        -n "kdelta, second run (index and facts cached)" --prepare true "$(run "$1" "$5-warm")"
}
against "$tree" "read the tree once (find | xargs cat)" "find $tree -type f -print0 | xargs -0 cat > /dev/null" \
    "kdelta, first run (index built)" dir
# On a shared machine the floor drifts between hyperfine's batches: also alternate the floor,
# a first run and a second run (index cached, facts recomputed) in pairs, and give the
# median of each pair's ratio.
paired() {
    local i a b c d
    for ((i = 0; i < runs; i++)); do
        a=$(date +%s.%N); find "$tree" -type f -print0 | xargs -0 cat >/dev/null; b=$(date +%s.%N)
        rm -rf "$tmp/pair"; eval "$(run "$tree" pair)" 2>/dev/null || true; c=$(date +%s.%N)
        rm -f "$tmp"/pair/kdelta-trees/*.facts; eval "$(run "$tree" pair)" 2>/dev/null || true; d=$(date +%s.%N)
        echo "$a $b $c $d"
    done | python3 -c '
import statistics, sys
rows = [[float(x) for x in line.split()] for line in sys.stdin]
first = [(c - b) / (b - a) for a, b, c, d in rows]
second = [(d - c) / (b - a) for a, b, c, d in rows]
print("paired, %d times: first run %.2fx the floor (median; %.2f-%.2f), second run (index cached) %.2fx (%.2f-%.2f)"
      % (len(rows), statistics.median(first), min(first), max(first),
         statistics.median(second), min(second), max(second)))'
}
paired
echo "phases of a first and a second run:"
rm -rf "$tmp/cold"
phases() { KDELTA_TIMING=1 /usr/bin/time -f "peak RSS %M KB, %e s" "$kdelta" analyze "$queue" --tree "$1" --index "$tmp/$2/idx.sqlite" --quiet --json 2>&1 >/dev/null | grep -v '^error' || true; }
phases "$tree" cold
rm -f "$tmp"/cold/kdelta-trees/*.facts
phases "$tree" cold
phases "$tree" cold
du -sh "$tmp/cold/kdelta-trees" || true
if [[ -n $tarball && -f $tarball ]]; then
    against "$tarball" "decompress the tarball once (xz -dc)" "xz -dc $tarball > /dev/null" \
        "kdelta, first run (index and store built)" tar
    du -sh "$tmp/tar-warm/kdelta-trees" || true
fi
