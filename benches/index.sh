#!/usr/bin/env bash
# Whole-process benchmark of `kdelta index` against git's own patch-id pipeline, same run,
# same machine. Figures go to docs/PERFORMANCE.md.
#
# usage: benches/index.sh REPO [REF] [RUNS]
#
# - full:  `kdelta index REPO --ref REF` into a fresh index, vs
#          `git log -p --no-merges --no-renames --format='commit %H' REF | git patch-id --stable`
# - no-op: `kdelta index` again with nothing new
# - +100:  index REF~100, then time the update to REF
# Peak RSS of the full run from /usr/bin/time. Needs hyperfine (apt-get install hyperfine).
# Skips cleanly when REPO is absent.
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
idx=$tmp/idx.sqlite
commits=$(git -C "$repo" rev-list --no-merges --count "$ref")
echo "repository: $repo, $ref: $commits non-merge commits, $(nproc) cores"

hyperfine --runs "$runs" --warmup 1 --export-json "$tmp/full.json" \
    --prepare "rm -f $idx $idx-wal $idx-shm" \
    -n git "git -C $repo log -p --no-merges --no-renames --format='commit %H' $ref | git patch-id --stable > /dev/null" \
    -n git-renames "git -C $repo log -p --no-merges --format='commit %H' $ref | git patch-id --stable > /dev/null" \
    -n kdelta "$kdelta index $repo --ref $ref --index $idx --quiet"
python3 - "$tmp/full.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
g, k = r["git"]["median"], r["kdelta"]["median"]
print(f"full index: git {g:.2f} s, kdelta {k:.2f} s (medians), kdelta is {g / k:.2f}x git")
gr = r["git-renames"]["median"]
print(f"the issue's git command (rename detection on): {gr:.2f} s, kdelta is {gr / k:.2f}x")
PY
rm -f "$idx" "$idx"-*
/usr/bin/time -f "full index peak RSS: %M KB" "$kdelta" index "$repo" --ref "$ref" --index "$idx" --quiet
hyperfine --runs 5 -n no-op "$kdelta index $repo --ref $ref --index $idx --quiet"
ls -l "$idx" | awk -v n="$commits" '{printf "index size: %d bytes, %.0f bytes per commit\n", $5, $5 / n}'

rm -f "$idx" "$idx"-*
"$kdelta" index "$repo" --ref "$ref~100" --index "$idx" --quiet
cp "$idx" "$tmp/base.sqlite"
hyperfine --runs "$runs" --prepare "cp $tmp/base.sqlite $idx; rm -f $idx-wal $idx-shm" \
    -n update-100 "$kdelta index $repo --ref $ref --index $idx --quiet"
