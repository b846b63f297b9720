#!/usr/bin/env bash
# Check every patch-id stored in a kdelta index against `git patch-id --stable`.
#
# usage: scripts/check-index.sh REPO INDEX [REV...]
#
# Streams `git log -p --no-merges --no-renames --format='commit %H' REV...` (default: HEAD and
# every tag, what `kdelta index` indexes by default) through `git patch-id --stable` and
# compares the (commit, patch-id) pairs with the index's, commit by commit. Rename detection
# is off on both sides: git's own cherry-pick/rebase patch-ids use it so.
# Exits 0 when every commit matches, 1 on a mismatch, 2 on a usage error; skips (exit 0)
# when REPO is absent.
set -euo pipefail
if [[ $# -lt 2 ]]; then
    echo "usage: $0 REPO INDEX [REV...]" >&2
    exit 2
fi
repo=$1 index=$2
shift 2
if ! git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
    echo "skip: $repo is not a git repository"
    exit 0
fi
[[ -f $index ]] || { echo "$0: no index at $index" >&2; exit 2; }
revs=("$@")
[[ ${#revs[@]} -gt 0 ]] || revs=(HEAD --tags)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$repo" log -p --no-merges --no-renames --no-color --format='commit %H' "${revs[@]}" |
    git patch-id --stable | awk '{print $2, $1}' | sort >"$tmp/git"
python3 - "$index" >"$tmp/ours" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
for oid, pid in db.execute("SELECT oid, patch_id FROM commits"):
    if pid is not None:
        print(oid.hex(), pid.hex())
PY
sort -o "$tmp/ours" "$tmp/ours"
git_n=$(wc -l <"$tmp/git") ours_n=$(wc -l <"$tmp/ours")
if cmp -s "$tmp/git" "$tmp/ours"; then
    echo "OK: $ours_n commits with a diff, every patch-id equal to git's"
    exit 0
fi
echo "MISMATCH: git has $git_n commits with a diff, the index $ours_n; differing lines:"
diff "$tmp/git" "$tmp/ours" | head -20
exit 1
