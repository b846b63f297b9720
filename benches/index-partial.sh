#!/usr/bin/env bash
# Whole-process benchmark of `kdelta index` on a partial clone (some blobs missing, as in
# openSUSE kernel-source's mirror, which lacks blobs of 4 MiB and more), against git's own
# patch-id pipeline on the commits git can diff. Same run, same machine.
#
# usage: benches/index-partial.sh REPO [REF] [RUNS]
#
# git cannot diff a commit whose blobs are missing (it would fetch them from the promisor
# remote; here there is none), so its pipeline gets the list of the commits whose blobs are
# all there, which a first kdelta run tells (kdelta stores the others without patch-id and
# exits 1):
#   git log -p --no-walk=unsorted --stdin --no-renames --format='commit %H' < COMPLETE
#     | git patch-id --stable
# kdelta indexes all of REF's non-merge commits, the incomplete ones included.
set -euo pipefail
repo=${1:-}
ref=${2:-HEAD}
runs=${3:-3}
if [[ -z $repo || ! -d $repo ]]; then
    echo "skip: no repository given or found (${repo:-none})"
    exit 0
fi
source "$(dirname "$0")/common.sh"
setup
command -v sqlite3 >/dev/null || { echo "install sqlite3 first (apt-get install sqlite3)" >&2; exit 2; }
idx=$tmp/idx.sqlite
"$kdelta" index "$repo" --ref "$ref" --index "$idx" --quiet || [[ $? == 1 ]]
sqlite3 "$idx" "SELECT lower(hex(oid)) FROM commits WHERE id NOT IN (SELECT commit_id FROM incomplete)" > "$tmp/complete"
all=$(sqlite3 "$idx" "SELECT COUNT(*) FROM commits")
complete=$(wc -l < "$tmp/complete")
echo "repository: $repo, $ref: $all non-merge commits, $((all - complete)) with missing blobs, $(nproc) cores"
export GIT_NO_LAZY_FETCH=1
hyperfine --runs "$runs" --warmup 1 --export-json "$tmp/full.json" \
    --prepare "rm -f $idx $idx-wal $idx-shm" \
    -n git "git -C $repo log -p --no-walk=unsorted --stdin --no-renames --format='commit %H' < $tmp/complete | git patch-id --stable > /dev/null" \
    -n kdelta "$kdelta index $repo --ref $ref --index $idx --quiet || [ \$? = 1 ]"
python3 - "$tmp/full.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
g, k = r["git"]["median"], r["kdelta"]["median"]
print(f"full index: git {g:.2f} s (the complete commits), kdelta {k:.2f} s (all commits), medians; kdelta is {g / k:.2f}x git")
PY
rm -f "$idx" "$idx-wal" "$idx-shm"
/usr/bin/time -v "$kdelta" index "$repo" --ref "$ref" --index "$idx" --quiet 2> "$tmp/time" || [[ $? == 1 ]]
grep -E "Maximum resident" "$tmp/time"
echo "index size: $(stat -c %s "$idx") bytes, $(( $(stat -c %s "$idx") / all )) bytes per commit"
