#!/usr/bin/env bash
# Whole-process benchmark of `kdelta archive index` against public-inbox's own indexer on
# the same public-inbox v2 epoch, same run, same machine. Figures go to docs/PERFORMANCE.md.
#
# usage: benches/archive.sh EPOCH [RUNS]
#
# - full:  `kdelta archive index EPOCH` into a fresh index (RUNS runs), vs
#          `public-inbox-index` on an inbox holding a mirror of EPOCH (one run; the inbox is
#          built untimed: `git clone --mirror`, `public-inbox-init -V2`), at indexlevel
#          basic (SQLite over/msgmap only, its fastest) and, with PI_FULL=1, full (Xapian,
#          public-inbox's default; about 13 minutes for 32k messages on 2 cores)
# - no-op: each again with nothing new
# - sizes: the kdelta index; the inbox minus its git/ directory
# Peak RSS of kdelta's full run from /usr/bin/time. Needs hyperfine and public-inbox
# (apt-get install hyperfine public-inbox); skips cleanly when EPOCH or public-inbox is absent.
set -euo pipefail
epoch=${1:-}
runs=${2:-3}
if [[ -z $epoch || ! -d $epoch ]]; then
    echo "skip: no public-inbox epoch given or found (${epoch:-none})"
    exit 0
fi
for tool in public-inbox-init public-inbox-index; do
    command -v "$tool" >/dev/null || { echo "skip: $tool not found (apt-get install public-inbox)"; exit 0; }
done
source "$(dirname "$0")/common.sh"
setup
epoch=$(cd "$epoch" && pwd)
idx=$tmp/archive.sqlite
inbox=$tmp/inbox
export PI_CONFIG=$tmp/pi-config
messages=$(git -C "$epoch" rev-list --count HEAD)
echo "epoch: $epoch, $messages messages, $(nproc) cores, public-inbox $(dpkg-query -W -f '${Version}' public-inbox 2>/dev/null || echo '?')"

cat > "$tmp/inbox.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
rm -rf "$inbox" "$PI_CONFIG"
mkdir -p "$inbox/git"
git clone -q --mirror "$epoch" "$inbox/git/0.git"
PI_CONFIG="$PI_CONFIG" public-inbox-init -V2 -L "\$1" bench "$inbox" http://example.invalid/bench bench@example.invalid
SH
chmod +x "$tmp/inbox.sh"

levels=(basic)
[[ ${PI_FULL:-0} == 1 ]] && levels+=(full)
commands=(-n kdelta --prepare "rm -f $idx $idx-wal $idx-shm" "$kdelta archive index $epoch --index $idx --quiet")
hyperfine --runs "$runs" --export-json "$tmp/kdelta.json" "${commands[@]}"
for level in "${levels[@]}"; do
    hyperfine --runs 1 --export-json "$tmp/pi-$level.json" \
        -n "public-inbox-index -L $level" --prepare "$tmp/inbox.sh $level" \
        "PI_CONFIG=$PI_CONFIG public-inbox-index $inbox"
done
/usr/bin/time -f '%M' -o "$tmp/rss" "$kdelta" archive index "$epoch" --index "$tmp/rss.sqlite" --quiet
hyperfine --runs 5 --export-json "$tmp/noop.json" \
    -n "kdelta no-op" "$kdelta archive index $epoch --index $idx --quiet" \
    -n "public-inbox-index no-op" "PI_CONFIG=$PI_CONFIG public-inbox-index $inbox"
index_mib=$(du -sm "$idx" | cut -f1)
inbox_mib=$(( $(du -sm "$inbox" | cut -f1) - $(du -sm "$inbox/git" | cut -f1) ))
python3 - "$tmp" "$messages" "$index_mib" "$inbox_mib" "$(cat "$tmp/rss")" "${levels[@]}" <<'PY'
import json, sys
tmp, messages, index_mib, inbox_mib, rss = sys.argv[1:6]
levels = sys.argv[6:]
k = json.load(open(f"{tmp}/kdelta.json"))["results"][0]["median"]
print(f"kdelta archive index: {k:.2f} s (median), {int(messages) / k:.0f} messages/s, peak RSS {int(rss) // 1024} MiB, index {index_mib} MiB")
for level in levels:
    p = json.load(open(f"{tmp}/pi-{level}.json"))["results"][0]["median"]
    print(f"public-inbox-index -L {level}: {p:.2f} s, {int(messages) / p:.0f} messages/s: kdelta is {p / k:.1f}x faster")
print(f"public-inbox inbox without git/ ({levels[-1]}): {inbox_mib} MiB")
n = {x["command"]: x["median"] for x in json.load(open(f"{tmp}/noop.json"))["results"]}
print(f"no-op: kdelta {n['kdelta no-op']:.3f} s, public-inbox-index {n['public-inbox-index no-op']:.3f} s")
PY
