#!/usr/bin/env bash
# What `lei` finds for a queue patch against what `kdelta archive lookup` finds, patch by
# patch, on the same archive: kdelta's index of it, and a public-inbox inbox of it indexed
# at level full (Xapian, which `lei p2q` queries need). Both without the patch's header
# links. A found mail is right when the labels list it for the patch.
#
# usage: benches/archive-lei.sh INBOX INDEX QUEUE LABELS LABEL_QUEUE [SAMPLE]
#
# - INBOX: a public-inbox inbox (`public-inbox-init -V2 -L full`, then `public-inbox-index`)
# - INDEX: `kdelta archive index` of the same epoch(s)
# - QUEUE: the directory the labels' patch paths are relative to (a quilt `patches/`)
# - LABELS, LABEL_QUEUE: as for `kdelta eval --posting-labels`
# - SAMPLE: how many labelled patches (default 12, spread over the set)
#
# Per patch it prints: kdelta's best posting (right, wrong or none) and its time; lei's
# query from `lei p2q` (git's `index` lines: blob ids before and after), what `lei q` finds
# with it (right, other) and its time; then `lei q s:"SUMMARY"`, the subject's summary (after
# its "subsystem: " prefixes) as a phrase.
# Replies are left out of lei's answers (kdelta answers with postings only).
# Needs lei (apt-get install lei); skips cleanly when it or an input is absent.
set -euo pipefail
inbox=${1:-} index=${2:-} queue=${3:-} labels=${4:-} label_queue=${5:-} sample=${6:-12}
command -v lei >/dev/null || { echo "skip: lei not found (apt-get install lei)"; exit 0; }
source "$(dirname "$0")/common.sh"
skip_unless_present "$inbox" "$index" "$queue" "$labels"
setup
export HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
export XDG_RUNTIME_DIR=$tmp/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
trap 'lei daemon-kill >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

mapfile -t patches < <(awk -F'\t' -v q="$label_queue" 'NR > 1 && $1 == q { print $2 }' "$labels" | sort -u)
total=${#patches[@]}
[[ $total -gt 0 ]] || { echo "skip: no labels for $label_queue"; exit 0; }
step=$(( total > sample ? total / sample : 1 ))

ids() { # the labelled message-ids of patch $1, one per line
    awk -F'\t' -v q="$label_queue" -v p="$1" 'NR > 1 && $1 == q && $2 == p { print $3 }' "$labels"
}
now() { date +%s.%N; }
verdict() { # right|wrong|none for message-id $1 against the labels of patch $2
    [[ -z $1 ]] && { echo none; return; }
    ids "$2" | grep -qxF -- "$1" && echo right || echo wrong
}
lei_q() { # message-ids of the postings (replies left out) `lei q` finds for query $1
    lei q --only "$inbox" -f ldjson -o /dev/stdout "$1" 2>/dev/null |
        python3 -c 'import json,re,sys
for l in sys.stdin:
    l=l.strip().rstrip(",")
    if l and l not in "[]" and not l.startswith("#"):
        m=json.loads(l)
        if m and not re.match(r"(re|aw|fwd?)\s*:", m.get("s",""), re.I):
            print(m.get("m","").strip("<>"))'
}
count() { # "right/other" of the ids on stdin against the labels of patch $1
    local right=0 other=0 id
    while read -r id; do
        [[ -z $id ]] && continue
        if ids "$1" | grep -qxF -- "$id"; then right=$((right + 1)); else other=$((other + 1)); fi
    done
    echo "$right/$other"
}

printf '%s\n' "| patch | kdelta | s | lei p2q query | found right/other | s | lei q subject right/other | s |"
printf '%s\n' "|---|---|---|---|---|---|---|---|"
for ((i = 0; i < total; i += step)); do
    p=${patches[$i]}
    file=$queue/$p
    [[ -f $file ]] || continue
    t0=$(now)
    found=$("$kdelta" archive lookup --index "$index" --patch "$file" --no-headers --json 2>/dev/null |
        python3 -c 'import json,sys
text=sys.stdin.read()
d=json.loads(text) if text.strip() else []
print(d[0]["status"]["posting"]["message_id"] if d else "")' 2>/dev/null || true)
    t1=$(now)
    query=$(lei p2q "$file" 2>/dev/null || true)
    if [[ -n $query ]]; then
        lei_found=$(lei_q "$query" | count "$p")
    else
        lei_found="no query"
    fi
    t2=$(now)
    # the summary after the "subsystem: " prefixes (lei's phrase search misses more with them)
    subject=$(sed -n 's/^Subject: *\(\[[^]]*\] *\)*//p' "$file" | head -1 | tr -d '"' | sed 's/^.*: //')
    subject_found=$(lei_q "s:\"$subject\"" | count "$p")
    t3=$(now)
    printf '| %s | %s | %.2f | %s | %s | %.2f | %s | %.2f |\n' "$(basename "$p")" \
        "$(verdict "$found" "$p")" "$(echo "$t1 - $t0" | bc)" "${query:0:40}" "$lei_found" \
        "$(echo "$t2 - $t1" | bc)" "$subject_found" "$(echo "$t3 - $t2" | bc)"
done
