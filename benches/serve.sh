#!/usr/bin/env bash
# Whole-process load benchmark of `kdelta serve` (docs/PERFORMANCE.md, "The shared service"):
#  1. a distribution of 1,000 patches (and a second carrying every other one), generated;
#  2. on SQLite, and on PostgreSQL (a throwaway cluster, .ci/postgres), wrk with CONNECTIONS
#     concurrent clients for SECONDS over the pages, then over the API: p50/p99 and errors
#     (clients accept gzip, as browsers do);
#  3. beside it, in the same run, the static report.html of `kdelta report` served by
#     python3's http.server, the way a team publishes its report without the service;
#  4. 10 concurrent writers noting one patch: accepted writes, 409s, events;
#  5. the time from a refresh request to the new snapshot, beside `kdelta report` of the
#     same queue (the analysis alone).
#
# usage: benches/serve.sh [SECONDS] [CONNECTIONS]
# Needs wrk and hyperfine (apt-get install wrk hyperfine), python3; PostgreSQL is installed
# by .ci/postgres when missing (skip it with KDELTA_BENCH_NO_POSTGRES=1).
set -euo pipefail
secs=${1:-60} conns=${2:-50}
source "$(dirname "$0")/common.sh"
setup
command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)" >&2; exit 2; }
data=$tmp/data
python3 "$here/benches/serve/generate.py" "$data" 1000
cat >"$data/kdelta-serve.toml" <<TOML
poll_seconds = 3600
[[distribution]]
name = "big"
title = "Bench Linux"
queue = "big"
tree = "tree"
[[distribution]]
name = "other"
title = "Other Linux"
queue = "other"
tree = "tree"
TOML
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# A wrk script that walks `paths` round-robin.
wrk_script() {
    local file=$1; shift
    { echo "local paths = {"; printf '  "%s",\n' "$@"; echo "}"
      echo 'local i = 0'
      echo 'wrk.headers["Accept-Encoding"] = "gzip"'
      [[ -n ${WRK_TOKEN:-} ]] && echo "wrk.headers[\"Authorization\"] = \"Bearer $WRK_TOKEN\""
      echo 'request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end'
    } >"$file"
}
pages=(/ /distributions/big /distributions/big/history /common-delta /people)
for i in 1 17 123 456 789 999; do
    pages+=("/distributions/big/patches/$(sed -n "${i}p" "$data/big/series")")
done
api=(/api/v1/distributions /api/v1/distributions/big /api/v1/common-delta /api/v1/people /api/v1/events
     "/api/v1/distributions/big/patches/$(sed -n 5p "$data/big/series")/decision")
wrk_script "$tmp/pages.lua" "${pages[@]}"
wrk_script "$tmp/api.lua" "${api[@]}"

load() { # NAME URL SCRIPT
    echo "-- $1"
    wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$3" "$2" \
        | grep -E '^\s+(50|99)%|Requests/sec|Non-2xx|Socket errors|requests in'
}

run_backend() { # NAME DB_URL
    local name=$1 db=$2 p
    p=$(port)
    echo "== $name"
    "$kdelta" serve user add bench --role admin --distribution '*' --db "$db" >/dev/null
    token=$("$kdelta" serve token create --user bench --db "$db")
    "$kdelta" serve --config "$data/kdelta-serve.toml" --db "$db" --listen "127.0.0.1:$p" 2>"$tmp/$name.log" &
    server=$!
    until curl -sf "http://127.0.0.1:$p/api/v1/distributions" | grep -q '"patches":1000'; do sleep 0.5; done
    until curl -sf "http://127.0.0.1:$p/api/v1/distributions" | grep -q '"patches":500'; do sleep 0.5; done
    # Warm: every page rendered once (as after the first visitor), then measured.
    for path in "${pages[@]}" "${api[@]}"; do
        curl -sf -H 'Accept-Encoding: gzip' "http://127.0.0.1:$p$path" >/dev/null
    done
    load "pages, $name" "http://127.0.0.1:$p" "$tmp/pages.lua"
    load "API, $name" "http://127.0.0.1:$p" "$tmp/api.lua"
    # Signed in (an API token): nothing is kept whole for a signed-in reader.
    WRK_TOKEN=$token wrk_script "$tmp/signed.lua" "${pages[@]}"
    load "pages signed in, $name" "http://127.0.0.1:$p" "$tmp/signed.lua"
    writers "http://127.0.0.1:$p" "$token"
    refresh "http://127.0.0.1:$p" "$token"
    kill -TERM "$server"; wait "$server" || true
}

writers() { # BASE TOKEN: 10 concurrent writers noting one patch, 20 writes each
    python3 - "$1" "$2" "$(sed -n 3p "$data/big/series")" <<'PY'
import json, sys, threading, urllib.request, urllib.error
base, token, patch = sys.argv[1:4]
url = f"{base}/api/v1/distributions/big/patches/{patch}"
counts = {}
lock = threading.Lock()
def writer(w):
    for n in range(20):
        seen = json.load(urllib.request.urlopen(f"{url}/decision"))
        body = json.dumps({"version": seen["version"], "text": f"writer {w} note {n}"}).encode()
        req = urllib.request.Request(f"{url}/notes", data=body, method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            status = urllib.request.urlopen(req).status
        except urllib.error.HTTPError as e:
            status = e.code
        with lock:
            counts[status] = counts.get(status, 0) + 1
threads = [threading.Thread(target=writer, args=(w,)) for w in range(10)]
[t.start() for t in threads]; [t.join() for t in threads]
events = json.load(urllib.request.urlopen(f"{base}/api/v1/events?patch={urllib.parse.quote(patch)}&limit=500"))["events"]
final = json.load(urllib.request.urlopen(f"{url}/decision"))
print(f"-- 10 writers x 20 notes: {counts.get(200, 0)} accepted, {counts.get(409, 0)} refused with 409, "
      f"other {sum(v for k, v in counts.items() if k not in (200, 409))}; "
      f"{len(events)} events, version {final['version']}, {len(final['decision']['notes'])} notes")
PY
}

refresh() { # BASE TOKEN: time from a refresh request to the new snapshot
    local before after start end
    before=$(curl -sf "$1/api/v1/distributions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["distributions"][0]["snapshot"]["id"])')
    touch "$data/big/series"
    start=$(date +%s.%N)
    curl -sf -X POST -H "Authorization: Bearer $2" "$1/api/v1/distributions/big/refresh" >/dev/null
    while :; do
        after=$(curl -sf "$1/api/v1/distributions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["distributions"][0]["snapshot"]["id"])')
        [[ $after != "$before" ]] && break
        sleep 0.05
    done
    end=$(date +%s.%N)
    echo "-- refresh request to new snapshot (1,000 patches, cached tree): $(python3 -c "print(f'{$end - $start:.2f}')") s"
}

run_backend sqlite "sqlite://$tmp/bench.sqlite"
if [[ -z ${KDELTA_BENCH_NO_POSTGRES:-} ]]; then
    # Its own directory: the postgres user must reach it, and $tmp is private.
    pg=$(mktemp -d /tmp/kdelta-bench-pg.XXXXXX)
    url=$("$here/.ci/postgres" start "$pg")
    psql "$url/postgres" -qAtc "CREATE DATABASE kdelta_bench" >/dev/null
    run_backend postgres "$url/kdelta_bench"
    "$here/.ci/postgres" stop "$pg"
    rm -rf "$pg"
fi

echo "== beside it: the static report, served by python3 -m http.server"
"$kdelta" report "$data/big" --tree "$data/tree" -o "$tmp/static" --quiet --format html >/dev/null
p=$(port)
(cd "$tmp/static" && exec python3 -m http.server "$p" --bind 127.0.0.1 >/dev/null 2>&1) &
static=$!
until curl -sf "http://127.0.0.1:$p/report.html" >/dev/null; do sleep 0.2; done
wrk_script "$tmp/static.lua" /report.html
load "report.html, python3 http.server" "http://127.0.0.1:$p" "$tmp/static.lua"
kill "$static"
echo "== the analysis alone: kdelta report of the same queue (cached tree)"
hyperfine --runs 3 --warmup 1 "$kdelta report $data/big --tree $data/tree -o $tmp/static --quiet --format json"
