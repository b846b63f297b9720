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
for input in "$ks" "$tree"; do
    if [[ -z $input || ! -e $input ]]; then
        echo "skip: input ${input:-none} not found"
        exit 0
    fi
done
here=$(cd "$(dirname "$0")/.." && pwd)
kdelta=${KDELTA:-$here/target/release/kdelta}
[[ -x $kdelta ]] || (cd "$here" && cargo build --release -p kdelta)
command -v hyperfine >/dev/null || { echo "install hyperfine first (apt-get install hyperfine)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
queue="$ks@openSUSE-13.1"
"$kdelta" queue "$queue" --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)), "patches")' || true
# The whole queue exits with 1 (one patch has a bad Git-commit header), hence -i.
run() { echo "$kdelta analyze $queue --tree $1 --index $tmp/$2/idx.sqlite --quiet --json > /dev/null"; }
"$kdelta" analyze "$queue" --tree "$tree" --index "$tmp/warm/idx.sqlite" --quiet --json >/dev/null 2>&1 || true
hyperfine -i --warmup 1 --runs "$runs" \
    -n "read the tree once (find | xargs cat)" --prepare true "find $tree -type f -print0 | xargs -0 cat > /dev/null" \
    -n "kdelta, first run (index built)" --prepare "rm -rf $tmp/cold" "$(run "$tree" cold)" \
    -n "kdelta, second run (index cached)" --prepare "rm -f $tmp/warm/kdelta-trees/*.facts" "$(run "$tree" warm)" \
    -n "kdelta, second run (index and facts cached)" --prepare true "$(run "$tree" warm)"
echo "phases of a first and a second run:"
rm -rf "$tmp/cold"
phases() { KDELTA_TIMING=1 /usr/bin/time -f "peak RSS %M KB, %e s" "$kdelta" analyze "$queue" --tree "$1" --index "$tmp/$2/idx.sqlite" --quiet --json 2>&1 >/dev/null | grep -v '^error' || true; }
phases "$tree" cold
rm -f "$tmp"/cold/kdelta-trees/*.facts
phases "$tree" cold
phases "$tree" cold
du -sh "$tmp/cold/kdelta-trees" || true
if [[ -n $tarball && -f $tarball ]]; then
    "$kdelta" analyze "$queue" --tree "$tarball" --index "$tmp/twarm/idx.sqlite" --quiet --json >/dev/null 2>&1 || true
    hyperfine -i --warmup 1 --runs "$runs" \
        -n "decompress the tarball once (xz -dc)" --prepare true "xz -dc $tarball > /dev/null" \
        -n "kdelta, first run (index and store built)" --prepare "rm -rf $tmp/tcold" "$(run "$tarball" tcold)" \
        -n "kdelta, second run (index cached)" --prepare "rm -f $tmp/twarm/kdelta-trees/*.facts" "$(run "$tarball" twarm)" \
        -n "kdelta, second run (index and facts cached)" --prepare true "$(run "$tarball" twarm)"
    du -sh "$tmp/twarm/kdelta-trees" || true
fi
