#!/usr/bin/env bash
# Whole-process benchmark of annotations files of 1k, 5k and 20k entries (generated): one
# `kdelta annotate` (read, edit, write back), and `kdelta report` of the demo queue with and
# without the file (the overhead of reading annotations), side by side in one hyperfine run.
# Targets (docs/PERFORMANCE.md): 20k entries, annotate < 0.5 s, report overhead < 1 s.
#
# usage: benches/annotations.sh [RUNS]
# Needs hyperfine (apt-get install hyperfine) and python3 (to write the files).
set -euo pipefail
runs=${1:-5}
source "$(dirname "$0")/common.sh"
setup
"$kdelta" demo -o "$tmp/demo" >/dev/null 2>&1
queue=$tmp/demo/queue
for n in 1000 5000 20000; do
    python3 - "$n" "$tmp/a$n.toml" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for i in range(n):
        f.write(f'[patches."patches.suse/p{i}.patch"]\nowner = "A <a@example.org>"\n'
                f'notes = ["note {i}"]\nfingerprint = "patch-id:{i:040x}"\n\n')
PY
done
annotate() {
    echo "cp $tmp/a$1.toml $tmp/w.toml && $kdelta annotate $queue xen-blkfront-allow-discard.patch --annotations $tmp/w.toml --note hello --by bench"
}
hyperfine --runs "$runs" --warmup 1 \
    -n "annotate, 1k entries" "$(annotate 1000)" \
    -n "annotate, 5k entries" "$(annotate 5000)" \
    -n "annotate, 20k entries" "$(annotate 20000)" \
    -n "copy the 20k file alone (floor)" "cp $tmp/a20000.toml $tmp/w.toml"
hyperfine --runs "$runs" --warmup 1 \
    -n "report, no annotations" "$kdelta report $queue -o $tmp/out --quiet" \
    -n "report, 20k annotations" "$kdelta report $queue --annotations $tmp/a20000.toml -o $tmp/out --quiet"
