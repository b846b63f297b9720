#!/usr/bin/env bash
# Install kdelta's Debian package on a clean root and use it there: a minimal Debian
# (debootstrap --variant=minbase) in a chroot, the .deb installed by apt with its
# dependencies, then `kdelta --version`, a manual page, a bash completion and the demo.
#
# usage: scripts/check-deb.sh DEB [ROOT]
#   DEB   the package scripts/package.sh wrote (target/debian/kdelta_*.deb)
#   ROOT  where to build the clean root (default: a new temporary directory, removed after)
# Needs root, debootstrap (apt-get install debootstrap) and a Debian mirror
# (MIRROR, default http://deb.debian.org/debian; SUITE, default bookworm).
set -euo pipefail
deb=${1:?usage: scripts/check-deb.sh DEB [ROOT]}
root=${2:-}
[[ -f $deb ]] || { echo "$deb: no such package" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 2; }
if [[ -z $root ]]; then
    root=$(mktemp -d)
    trap 'umount "$root/proc" 2>/dev/null || true; rm -rf "$root"' EXIT
fi
[[ -x $root/bin/sh ]] || debootstrap --variant=minbase "${SUITE:-bookworm}" "$root" \
    "${MIRROR:-http://deb.debian.org/debian}" >/dev/null
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/kdelta.deb"
mount -t proc proc "$root/proc"
chroot "$root" sh -euc '
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends /tmp/kdelta.deb man-db bash-completion >/dev/null
    echo "== $(command -v kdelta): $(kdelta --version)"
    echo "== manual pages: $(ls /usr/share/man/man1 | grep -c "^kdelta")"
    man -P cat kdelta-rebase | sed -n 3,5p
    bash -c ". /usr/share/bash-completion/bash_completion
        . /usr/share/bash-completion/completions/kdelta
        COMP_WORDS=(kdelta reb); COMP_CWORD=1; _kdelta kdelta reb kdelta
        echo \"== bash completes kdelta reb to: \${COMPREPLY[*]}\""
    ls /usr/share/zsh/vendor-completions/_kdelta /usr/share/fish/vendor_completions.d/kdelta.fish
    cd /root && kdelta demo >/tmp/demo.log 2>&1 && echo "== demo: $(tail -1 /tmp/demo.log)"
'
umount "$root/proc"
