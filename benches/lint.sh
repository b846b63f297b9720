#!/usr/bin/env bash
# Whole-process benchmark of `kdelta lint` on a SUSE kernel-source queue, side by side in one
# hyperfine run with SUSE's own header checker (`scripts/python/check-patchhdr`, from a
# kernel-source branch that has it) on the same patch files, and with reading those files
# once (`cat`, the floor).
#
# usage: benches/lint.sh QUEUE_DIR CHECKER_DIR [RUNS]
#   QUEUE_DIR    a kernel-source checkout (series.conf and patches.*/), e.g.
#                `git archive openSUSE-13.1 series.conf $(git ls-tree --name-only openSUSE-13.1 | grep '^patches\.') | tar -x -C DIR`
#   CHECKER_DIR  kernel-source's scripts/python (suse_git/header.py, check-patchhdr) from a
#                branch that has it: `git archive BRANCH scripts/python | tar -x -C DIR`
# Skips cleanly when an input is absent. Needs hyperfine and python3.
set -euo pipefail
queue=${1:-} checker=${2:-} runs=${3:-5}
source "$(dirname "$0")/common.sh"
skip_unless_present "$queue/series.conf" "$checker/check-patchhdr"
setup
queue=$(cd "$queue" && pwd) checker=$(cd "$checker" && pwd)
# The patches series.conf names (the last word of each entry line; guards before it).
grep -v '^[[:space:]]*\(#\|$\)' "$queue/series.conf" | awk '{print $NF}' > "$tmp/names"
echo "$(wc -l < "$tmp/names") patches, $(cd "$queue" && xargs cat < "$tmp/names" | wc -c) bytes"
hyperfine -i --warmup 1 --runs "$runs" \
    -n "read the patch files once (cat)" "cd $queue && xargs cat < $tmp/names > /dev/null" \
    -n "SUSE check-patchhdr (python3)" "cd $queue && PYTHONPATH=$checker python3 $checker/check-patchhdr \$(cat $tmp/names) > /dev/null 2>&1" \
    -n "kdelta lint (headers, all rules)" "$kdelta lint $queue --format json --fail-on never > /dev/null"
