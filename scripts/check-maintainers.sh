#!/usr/bin/env bash
# Compare kdelta-maintainers with the kernel's own scripts/get_maintainer.pl.
#
# usage: scripts/check-maintainers.sh [TREE [PATCH...]]
#
# TREE is an extracted kernel tree (default /tmp/linux-6.12.107). For a sample of its files
# (every file under drivers/xen, drivers/block/xen*, drivers/net/xen-netback, arch/x86/xen and
# include/xen, a few edge cases, and every 500th file of the sorted listing, or every
# $EVERY-th) it runs, from inside TREE,
#     perl scripts/get_maintainer.pl --no-git --no-git-fallback -f FILE
# and the crate's example (crates/maintainers/examples/get_maintainer.rs) with --tree TREE,
# and compares the outputs line by line. Then the same for each PATCH in the script's patch
# mode (default: a few patches of /tmp/ks13/patches.xen, when present).
#
# get_maintainer.pl orders equally specific sections by Perl's hash order, which is random
# per run; the crate takes them in file order. When the outputs differ, the script is run
# again with PERL_HASH_SEED=1..$SEEDS (default 64): an answer the script gives under some
# seed counts as identical, and is reported with the seed.
#
# Exits 0 when every answer is identical (or when TREE or perl is absent: the check is
# skipped), 1 when some differ, 2 on a setup error.
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi
tree=${1:-/tmp/linux-6.12.107}
shift || true
seeds=${SEEDS:-64}
every=${EVERY:-500}

if [[ ! -f $tree/scripts/get_maintainer.pl || ! -f $tree/MAINTAINERS ]]; then
    echo "skip: no kernel tree at $tree"
    exit 0
fi
if ! command -v perl >/dev/null; then
    echo "skip: perl is not installed"
    exit 0
fi
tree=$(cd "$tree" && pwd)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(cd "$root" && cargo build --release --quiet -p kdelta-maintainers --example get_maintainer)
ours=$root/target/release/examples/get_maintainer
[[ -x $ours ]] || { echo "error: $ours was not built" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-maintainers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# No ~/.get_maintainer.conf may change the script's options.
mkdir "$tmp/home"
export HOME=$tmp/home LC_ALL=C

if [[ $# -eq 0 ]]; then
    for name in xen-blkback-multi-page-ring xen-blkfront-multi-page-ring \
        xen-netback-generalize xen-x86-EFI; do
        [[ -f /tmp/ks13/patches.xen/$name ]] && set -- "$@" "/tmp/ks13/patches.xen/$name"
    done
fi

(
    cd "$tree"
    {
        find drivers/xen arch/x86/xen include/xen drivers/net/xen-netback -type f
        find drivers/block -path 'drivers/block/xen*' -type f
        # Siblings of directories named by F: patterns without a trailing slash (only a
        # resolved directory keeps them out), and a binding whose addresses count.
        for f in include/asm-generic/bitops.h Documentation/userspace-api/media/cec.h.rst.exceptions \
            Documentation/devicetree/bindings/net/qcom,ipa.yaml; do
            [[ -f $f ]] && echo "$f"
        done
        find . -type f ! -path './.git/*' | sed 's|^\./||' | sort | awk -v every="$every" 'NR % every == 0'
    } | sort -u
) >"$tmp/files"

# compare MODE ITEM OUT: writes "same SEED", or "diff" and the diff, to OUT.
compare() {
    local mode=$1 item=$2 out=$3 args seed
    if [[ $mode == file ]]; then args=(-f "$item"); else args=("$item"); fi
    if [[ $mode == file ]]; then
        "$ours" --tree "$tree" "$tree/MAINTAINERS" "$item" >"$out.ours" 2>"$out.err"
    else
        "$ours" --tree "$tree" --patch "$tree/MAINTAINERS" "$item" >"$out.ours" 2>"$out.err"
    fi
    for ((seed = 0; seed <= seeds; seed++)); do
        (cd "$tree" && PERL_HASH_SEED=$seed PERL_PERTURB_KEYS=2 \
            perl scripts/get_maintainer.pl --no-git --no-git-fallback "${args[@]}") \
            >"$out.theirs.$seed" 2>>"$out.err" || true
        if cmp -s "$out.ours" "$out.theirs.$seed"; then
            echo "same $seed" >"$out"
            return
        fi
    done
    { echo diff; diff -u --label get_maintainer.pl --label kdelta-maintainers \
        "$out.theirs.0" "$out.ours" || true; } >"$out"
}

# report KIND LIST: runs compare on each item (two at a time), prints the tally and diffs.
report() {
    local mode=$1 list=$2 n=0 item same=0 reseeded=0 differ=0
    mkdir -p "$tmp/$mode"
    while IFS= read -r item; do
        n=$((n + 1))
        compare "$mode" "$item" "$tmp/$mode/$n" &
        if (( n % 2 == 0 )); then wait; fi
    done <"$list"
    wait
    n=0
    while IFS= read -r item; do
        n=$((n + 1))
        read -r verdict seed <"$tmp/$mode/$n"
        if [[ $verdict == same && $seed == 0 ]]; then
            same=$((same + 1))
        elif [[ $verdict == same ]]; then
            reseeded=$((reseeded + 1))
            echo "  $item: identical with PERL_HASH_SEED=$seed (equally specific sections)"
        else
            differ=$((differ + 1))
            echo "  $item: DIFFERENT"
            tail -n +2 "$tmp/$mode/$n" | sed 's/^/    /'
        fi
    done <"$list"
    echo "$mode: $((same + reseeded))/$n identical ($same at PERL_HASH_SEED=0, $reseeded under another seed), $differ different"
    [[ $differ -eq 0 ]]
}

status=0
echo "files: $(wc -l <"$tmp/files") of $tree"
report file "$tmp/files" || status=1
if [[ $# -gt 0 ]]; then
    printf '%s\n' "$@" >"$tmp/patches"
    report patch "$tmp/patches" || status=1
fi
"$ours" --time "$tree/MAINTAINERS" >/dev/null
exit $status
