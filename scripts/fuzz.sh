#!/usr/bin/env bash
# Fuzz every cargo-fuzz target in fuzz/ for SECONDS each (default 600).
#
# usage: scripts/fuzz.sh [SECONDS]
#
# Builds all targets, then runs each one with its corpus in fuzz/corpus/TARGET (git-ignored;
# kept between runs) plus the committed seeds in fuzz/seeds/TARGET. An input that panics,
# runs out of memory or takes longer than 10 seconds is a failure: libFuzzer writes it to
# fuzz/artifacts/TARGET/ and the script goes on with the next target.
# Exits 0 when no target failed, 1 when one did, 2 on a usage or setup error.
#
# cargo-fuzz needs nightly-only compiler flags (-Zsanitizer=address). By default the stable
# toolchain is used with RUSTC_BOOTSTRAP=1; set FUZZ_TOOLCHAIN=nightly to use
# `cargo +nightly` instead. cargo-fuzz is installed with `cargo install` when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -gt 1 || ${1:-} == -h || ${1:-} == --help ]]; then
    echo "usage: $0 [SECONDS]" >&2
    exit 2
fi
seconds=${1:-600}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [[ $seconds -eq 0 ]]; then
    echo "$0: SECONDS must be a positive number, not '$seconds'" >&2
    exit 2
fi

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked || { echo "$0: cannot install cargo-fuzz" >&2; exit 2; }
fi
if [[ -n ${FUZZ_TOOLCHAIN:-} ]]; then
    cargo=(cargo "+$FUZZ_TOOLCHAIN")
else
    cargo=(env RUSTC_BOOTSTRAP=1 cargo)
fi

"${cargo[@]}" fuzz build || { echo "$0: the fuzz targets do not build" >&2; exit 2; }
mapfile -t targets < <("${cargo[@]}" fuzz list)
if [[ ${#targets[@]} -eq 0 ]]; then
    echo "$0: no fuzz targets found" >&2
    exit 2
fi

failed=()
for target in "${targets[@]}"; do
    corpus=(fuzz/corpus/"$target")
    mkdir -p "${corpus[0]}"
    if [[ -d fuzz/seeds/$target ]]; then
        corpus+=(fuzz/seeds/"$target")
    fi
    echo "== $target: ${seconds}s"
    if ! "${cargo[@]}" fuzz run "$target" "${corpus[@]}" -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1; then
        failed+=("$target")
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzzing found failures in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzzing: ${#targets[@]} targets, ${seconds}s each, no failure"
