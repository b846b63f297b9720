#!/usr/bin/env bash
# Stable patch-ids of every non-merge commit reachable from HEAD of REPO: git's own
# pipeline against kdelta-git's (crates/git/examples/index_bench.rs), same run, same
# machine. Prints both wall times, their ratio, peak RSS, and whether the id lists agree.
#
#   scripts/bench-patch-ids.sh REPO [REV]
#
# Environment: THREADS (workers of index_bench; default: available cores), RUNS (timed
# runs per command, default 3). Uses hyperfine (--warmup 1) when installed, otherwise
# /usr/bin/time. Exits 0 with a message when REPO does not exist; exits 1 when the id
# lists differ.
set -euo pipefail

repo=${1:-}
rev=${2:-HEAD}
if [[ -z "$repo" || ! -d "$repo" ]]; then
    echo "bench-patch-ids: repository '${repo}' not found; skipping"
    exit 0
fi
repo=$(cd "$repo" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
threads=${THREADS:-$(nproc 2>/dev/null || echo 2)}
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LC_ALL=C

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building index_bench (release)..."
(cd "$root" && cargo build --quiet --release -p kdelta-git --example index_bench)
bench=$root/target/release/examples/index_bench

# The two commands, as scripts (simplest to quote for both timers).
printf '%s\n' "git -C '$repo' log -p --no-merges --no-renames --format='commit %H' '$rev' | git patch-id --stable > '$work/git.txt'" > "$work/git.sh"
printf '%s\n' "'$bench' '$repo' --rev '$rev' --threads $threads --out '$work/ours.txt' > '$work/ours.log'" > "$work/ours.sh"

# One run of each under /usr/bin/time: the id lists and the peak RSS.
# (For git, the larger of `git log` and `git patch-id`.)
timed() { # name: runs $work/name.sh
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -v -o "$work/$1.time" bash "$work/$1.sh"
    else
        local start end
        start=$(date +%s.%N)
        bash "$work/$1.sh"
        end=$(date +%s.%N)
        echo "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:$(echo "$end - $start" | bc)" > "$work/$1.time"
    fi
}
field() { # file pattern -> value after the last ': '
    grep -F "$2" "$1" 2>/dev/null | sed 's/.*: //' | tail -n1
}
seconds() { # h:mm:ss.ss or m:ss.ss -> seconds
    echo "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f", s }'
}

echo "running git log -p | git patch-id --stable ..."
timed git
echo "running index_bench --threads $threads ..."
timed ours

git_wall=$(seconds "$(field "$work/git.time" "Elapsed (wall clock)")")
our_wall=$(seconds "$(field "$work/ours.time" "Elapsed (wall clock)")")
git_rss=$(field "$work/git.time" "Maximum resident set size")
our_rss=$(field "$work/ours.time" "Maximum resident set size")

if command -v hyperfine > /dev/null; then
    echo "timing with hyperfine (--warmup 1 --runs $runs)..."
    hyperfine --warmup 1 --runs "$runs" --export-csv "$work/hyperfine.csv" \
        -n git "bash $work/git.sh" -n kdelta "bash $work/ours.sh"
    git_wall=$(awk -F, '$1 == "git" { printf "%.3f", $2 }' "$work/hyperfine.csv")
    our_wall=$(awk -F, '$1 == "kdelta" { printf "%.3f", $2 }' "$work/hyperfine.csv")
    timing="hyperfine mean of $runs"
else
    timing="one run, /usr/bin/time"
fi

sort "$work/git.txt" > "$work/git.sorted"
sort "$work/ours.txt" > "$work/ours.sorted"
mismatches=$(comm -3 "$work/git.sorted" "$work/ours.sorted" | wc -l)

echo
echo "repository:        $repo ($rev)"
echo "commits (ours):    $(grep '^commit_count' "$work/ours.log" | cut -d' ' -f2)"
echo "patch-ids:         git $(wc -l < "$work/git.txt"), ours $(wc -l < "$work/ours.txt")"
echo "wall seconds:      git ${git_wall}, ours ${our_wall} (${timing}; ours on $threads threads)"
echo "ratio ours/git:    $(awk -v a="$our_wall" -v b="$git_wall" 'BEGIN { printf "%.3f", a / b }')"
echo "peak RSS (KiB):    git ${git_rss:-?}, ours ${our_rss:-?}"
echo "id mismatches:     $mismatches"
[[ "$mismatches" -eq 0 ]]
