# Shared by the whole-process benchmarks: source it after reading the arguments.
#
#   skip_unless_present PATH...  exit 0 with "skip: …" when an input is empty or absent
#   setup                        $here, $kdelta (built when missing; KDELTA overrides),
#                                hyperfine checked, $tmp made and removed on exit

skip_unless_present() {
    local input
    for input in "$@"; do
        if [[ -z $input || ! -e $input ]]; then
            echo "skip: input ${input:-none} not found"
            exit 0
        fi
    done
}

setup() {
    here=$(cd "$(dirname "${BASH_SOURCE[1]}")/.." && pwd)
    kdelta=${KDELTA:-$here/target/release/kdelta}
    [[ -x $kdelta ]] || (cd "$here" && cargo build --release -p kdelta)
    command -v hyperfine >/dev/null || { echo "install hyperfine first (apt-get install hyperfine)" >&2; exit 2; }
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
}
