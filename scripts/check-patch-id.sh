#!/usr/bin/env bash
# Compare `kdelta patch-id` with `git patch-id --stable` on a repository's history.
#
# usage: scripts/check-patch-id.sh REPO [REV-RANGE]
#
# Runs `git -C REPO log -p --no-merges --format='commit %H' REV-RANGE` once, feeds the
# same stream to `git patch-id --stable` and to `kdelta patch-id` (the binary named by
# $KDELTA, default target/release/kdelta) and compares the two outputs byte for byte.
# Exits 0 when they are identical (or when REPO is absent: the check is skipped),
# 1 when they differ, 2 on a usage or setup error.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || $1 == -h || $1 == --help ]]; then
    echo "usage: $0 REPO [REV-RANGE]" >&2
    exit 2
fi
repo=$1
range=${2:-HEAD}

if [[ ! -d $repo ]] || ! git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
    echo "skip: $repo is not a git repository"
    exit 0
fi

kdelta=${KDELTA:-target/release/kdelta}
if [[ ! -x $kdelta && $kdelta != /* ]]; then
    # Not found from here: try relative to the workspace this script belongs to.
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    [[ -x $root/$kdelta ]] && kdelta=$root/$kdelta
fi
if [[ ! -x $kdelta ]]; then
    echo "error: kdelta binary not found at $kdelta (build it, or set KDELTA)" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-patch-id.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

export LC_ALL=C

echo "generating: git -C $repo log -p --no-merges --format='commit %H' $range"
# Both tools read this one stream, so the user's diff settings cannot make them differ.
git -C "$repo" log -p --no-merges --no-color --format='commit %H' "$range" >"$tmp/stream"
echo "stream: $(wc -c <"$tmp/stream") bytes"

start=$(date +%s.%N)
git patch-id --stable <"$tmp/stream" >"$tmp/git"
mid=$(date +%s.%N)
"$kdelta" patch-id <"$tmp/stream" >"$tmp/kdelta"
end=$(date +%s.%N)
awk -v a="$start" -v b="$mid" -v c="$end" \
    'BEGIN { printf "time: git patch-id %.2fs, kdelta patch-id %.2fs\n", b - a, c - b }'

compared=$(wc -l <"$tmp/git")
if cmp -s "$tmp/git" "$tmp/kdelta"; then
    echo "OK: $compared commits compared, 0 mismatches"
    exit 0
fi

# Commits whose line is missing, extra or different on either side.
sort "$tmp/git" >"$tmp/git.sorted"
sort "$tmp/kdelta" >"$tmp/kdelta.sorted"
mismatches=$(comm -3 "$tmp/git.sorted" "$tmp/kdelta.sorted" | awk '{ print $2 }' | sort -u | wc -l)
echo "MISMATCH: $compared commits compared (kdelta printed $(wc -l <"$tmp/kdelta") lines), $mismatches mismatches"
echo "first differences (< git, > kdelta):"
diff "$tmp/git" "$tmp/kdelta" | head -n 20 || true
exit 1
