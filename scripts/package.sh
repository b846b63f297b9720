#!/usr/bin/env bash
# Build kdelta's Debian package: the release binary, its manual pages (one per subcommand,
# gzipped) and its bash, zsh and fish completions, packed by cargo-deb with the metadata of
# crates/kdelta/Cargo.toml ([package.metadata.deb]).
#
# usage: scripts/package.sh            prints the path of the .deb it wrote (target/debian/)
# Needs cargo-deb (`cargo install cargo-deb --locked`) and gzip. The version names the
# commit built (`kdelta --version`), from git, or from KDELTA_COMMIT outside a repository.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
command -v cargo-deb >/dev/null || {
    echo "cargo-deb is missing: cargo install cargo-deb --locked" >&2
    exit 2
}
target=${CARGO_TARGET_DIR:-$here/target}
CARGO_INCREMENTAL=0 cargo build --release --locked -p kdelta
kdelta=$target/release/kdelta
assets=$target/release/assets
rm -rf "$assets"
mkdir -p "$assets/man" "$assets/completions"
"$kdelta" manpages "$assets/man" >/dev/null
gzip -9n "$assets"/man/*.1
"$kdelta" completions bash >"$assets/completions/kdelta.bash"
"$kdelta" completions zsh >"$assets/completions/_kdelta"
"$kdelta" completions fish >"$assets/completions/kdelta.fish"
cargo deb -p kdelta --no-build --strip 2>&1 | tail -1
