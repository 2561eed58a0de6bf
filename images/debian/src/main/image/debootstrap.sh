#!/bin/sh
# Usage: sh debootstrap.sh SUITE TARGET
# A minbase Debian SUITE into TARGET, from the mirror this machine's apt uses (the first Debian URI in
# /etc/apt/sources.list or /etc/apt/sources.list.d/*.list, *.sources), else debootstrap's own default.
# TARGET appears only when debootstrap succeeded: a killed run leaves TARGET.partial, removed next time.
set -eu
suite=$1
target=$2
mirror=$(sed -n -e 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' \
    -e 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -v -e security -e updates | grep '/debian/*$' | head -n 1 || true)
rm -rf "$target.partial"
if [ -n "$mirror" ]; then
    echo "debootstrap: mirror $mirror (from this machine's apt configuration)"
    debootstrap --variant=minbase "$suite" "$target.partial" "$mirror"
else
    echo "debootstrap: no Debian mirror in this machine's apt configuration; debootstrap's default"
    debootstrap --variant=minbase "$suite" "$target.partial"
fi
rm -rf "$target.partial"/var/cache/apt/archives/*.deb "$target.partial"/var/lib/apt/lists/*
mv "$target.partial" "$target"
