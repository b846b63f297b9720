#!/usr/bin/env bash
# Run docs/CI.md's recipe on a fixture repository: the commands between `kdelta-ci-begin`
# and `kdelta-ci-end` of the GitHub Actions and the GitLab CI recipes (which must be the same
# commands), in a fresh git repository with a small Debian queue, with kdelta on PATH.
#   - with a header error: the commands fail at the last step, after writing kdelta.sarif
#     (SARIF 2.1.0, findings on debian/patches/… files) and the report;
#   - without: they pass.
# usage: scripts/check-ci-recipe.sh [KDELTA]   (default: target/debug/kdelta, else release)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kdelta=${1:-}
if [[ -z $kdelta ]]; then
    for k in "$here/target/debug/kdelta" "$here/target/release/kdelta"; do
        [[ -x $k ]] && kdelta=$k && break
    done
fi
[[ -x $kdelta ]] || { echo "no kdelta binary: build it (cargo build -p kdelta) or name it" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
ln -s "$(cd "$(dirname "$kdelta")" && pwd)/$(basename "$kdelta")" "$tmp/bin/kdelta"

# The recipe's commands, as each forge's file has them.
python3 - "$here/docs/CI.md" "$tmp/github.sh" "$tmp/gitlab.sh" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"#\s*kdelta-ci-begin\n(.*?)\n\s*#\s*kdelta-ci-end", text, re.S)
if len(blocks) != 2:
    sys.exit(f"docs/CI.md: expected 2 recipes between the markers, found {len(blocks)}")
for block, out in zip(blocks, sys.argv[2:]):
    lines = [re.sub(r"^\s*(- )?", "", l) for l in block.splitlines() if l.strip()]
    open(out, "w").write("set -e\n" + "\n".join(lines) + "\n")
PY
if ! diff -u "$tmp/github.sh" "$tmp/gitlab.sh"; then
    echo "docs/CI.md: the GitHub and GitLab recipes run different commands" >&2
    exit 1
fi

fixture() { # $1: the Last-Update value
    local repo=$1/repo
    mkdir -p "$repo/debian/patches"
    printf 'Source: linux\n' >"$repo/debian/control"
    printf 'Description: frob: start gently\nOrigin: vendor\nForwarded: no\nLast-Update: %s\n---\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n' \
        "$2" >"$repo/debian/patches/frob-start-gently.patch"
    printf 'frob-start-gently.patch\n' >"$repo/debian/patches/series"
    git -C "$repo" init -q
    git -C "$repo" -c user.name=CI -c user.email=ci@example.org add -A
    git -C "$repo" -c user.name=CI -c user.email=ci@example.org commit -qm fixture
    echo "$repo"
}

run() { # $1: repo; the recipe's exit code
    (cd "$1" && PATH="$tmp/bin:$PATH" bash "$tmp/github.sh" >"$1/../log" 2>&1) && return 0 || return $?
}

mkdir -p "$tmp/bad" "$tmp/good"
bad=$(fixture "$tmp/bad" "07/12/2026")
if run "$bad"; then
    echo "the recipe passed on a queue with a header error" >&2
    cat "$tmp/bad/log" >&2
    exit 1
fi
grep -q "frob-start-gently.patch:4: error: .*\[dep3/last-update-date\]" "$tmp/bad/log" || {
    echo "the job's log lacks the finding" >&2; cat "$tmp/bad/log" >&2; exit 1; }
python3 - "$bad/kdelta.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0", log["version"]
results = log["runs"][0]["results"]
rules = [r["ruleId"] for r in results]
assert "dep3/last-update-date" in rules, rules
result = results[rules.index("dep3/last-update-date")]
assert result["level"] == "error", result["level"]
uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
assert uri == "debian/patches/frob-start-gently.patch", uri
PY
[[ -s $bad/kdelta-report/report.html ]] || { echo "no report written" >&2; exit 1; }

good=$(fixture "$tmp/good" "2026-12-07")
run "$good" || { echo "the recipe failed on a clean queue" >&2; cat "$tmp/good/log" >&2; exit 1; }
[[ -s $good/kdelta-report/report.html ]] || { echo "no report written" >&2; exit 1; }
echo "docs/CI.md's recipe: fails on a header error (SARIF and report written), passes on a clean queue"
