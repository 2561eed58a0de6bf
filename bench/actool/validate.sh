#!/usr/bin/env bash
# Item 10 of issue 15: every ACI jetpack writes from a real rootfs tarball must be one that appc's actool accepts.
# Builds a corpus of rootfs tarballs with the real writers (GNU tar in each --format, bsdtar, busybox tar, Python's
# tarfile), on a tree with long UTF-8 names, a sparse file, hard links, ACLs, old and far-future times, big ids
# and duplicates; runs `jetpack makeaci` on each, imports the ACI into a private store and exports it -flat; then
# runs `actool validate` on every ACI written. Not part of CI (actool is not installable there).
#
#   bench/actool/validate.sh [ACTOOL]        ACTOOL defaults to /work/tools/actool
#
# Needs root (owners, ACLs), bsdtar (libarchive-tools), busybox, python3, setfacl. Prints one line per ACI and
# exits non-zero if actool refused any.
set -euo pipefail
cd "$(dirname "$0")/../.."
actool=${1:-/work/tools/actool}
# the CLI of this checkout (package, never install: ~/.m2 stays as it is)
mvn -B -o -q -pl jetpack-cli -am package -DskipTests -Dinvoker.skip=true
jar=$(ls jetpack-cli/target/jetpack-cli-*-all.jar | head -1)
work=$(mktemp -d /tmp/jetpack-actool.XXXXXX)
trap 'rm -rf "$work"' EXIT
export JETPACK_STORE="$work/store"
jetpack() { java -jar "$jar" "$@"; }

src="$work/src"
mkdir -p "$src/etc" "$src/usr/bin"
echo box > "$src/etc/hostname"
long=$(python3 -c 'print("a" + "\u00fc" * 60)')
deep=$(python3 -c 'print("\u00fc" * 30 + "/" + "\u65e5" * 30)')
mkdir -p "$src/$deep"
echo deep > "$src/$deep/$(python3 -c 'print("\u00e9" * 40)')"
echo long > "$src/$long"
ln "$src/$long" "$src/hardlink"
ln -s "dir//./file/" "$src/odd-link"
ln -s "$(python3 -c 'print("\u00fc" * 70)')" "$src/long-target"
truncate -s 4M "$src/sparse.img"
printf 'middle' | dd of="$src/sparse.img" bs=1 seek=1048576 conv=notrunc 2>/dev/null
echo old > "$src/old"; touch -m -d 1960-06-01T00:00:00Z "$src/old"
echo future > "$src/future"; touch -m -d 2300-01-01T00:00:00Z "$src/future"
echo ids > "$src/big-ids"; chown 4294967294:4000000000 "$src/big-ids"
cp /bin/true "$src/usr/bin/ping"; setfacl -m u:1234:rx "$src/usr/bin/ping"
setfacl -d -m g:55:rwx "$src/etc"

# the far-future time and the big ids do not fit ustar and v7: those get a copy without them
small="$work/small"
mkdir -p "$small" && cp -a "$src/etc" "$src/usr" "$src/odd-link" "$src/sparse.img" "$small/"

corpus="$work/corpus"
mkdir -p "$corpus"
for format in gnu oldgnu posix; do
    tar --format=$format --sparse --acls --xattrs --numeric-owner -cf "$corpus/gnu-$format.tar" -C "$src" .
done
for format in ustar v7; do
    tar --format=$format --numeric-owner -cf "$corpus/gnu-$format.tar" -C "$small" . 2>/dev/null || true
done
for version in 0.0 0.1 1.0; do
    tar --format=posix --sparse --sparse-version=$version -cf "$corpus/gnu-sparse-$version.tar" -C "$src" .
done
bsdtar --acls --xattrs --numeric-owner -cf "$corpus/bsdtar.tar" -C "$src" .
busybox tar -cf "$corpus/busybox.tar" -C "$small" .
for format in GNU_FORMAT PAX_FORMAT; do
    python3 -c "import os, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.$format) as t:
    os.chdir(sys.argv[2]); t.add('.')" "$corpus/python-$format.tar" "$src"
done
cp "$corpus/gnu-posix.tar" "$corpus/duplicates.tar"
echo second > "$src/etc/hostname"
tar -rf "$corpus/duplicates.tar" -C "$src" ./etc ./etc/hostname
tar -cf "$corpus/absolute.tar" -P "$src/etc" 2>/dev/null
gzip -k "$corpus/gnu-v7.tar"

manifest="$work/manifest.json"
printf '{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/actool-corpus","labels":[{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]}' > "$manifest"

failed=0
for tarball in "$corpus"/*; do
    base=$(basename "$tarball")
    name=${base//./-}
    aci="$work/$name.aci"
    if ! jetpack makeaci "$tarball" "$manifest" "$aci" >/dev/null 2>"$work/err"; then
        echo "MAKEACI FAILED  $base: $(cat "$work/err")"; failed=1; continue
    fi
    id=$(jetpack import "$aci" 2>/dev/null | tail -1)
    jetpack export -flat "$id" "$work/$name.flat.aci" >/dev/null 2>&1
    for written in "$aci" "$work/$name.flat.aci"; do
        if out=$("$actool" validate "$written" 2>&1); then
            echo "ok      $(basename "$written")"
        else
            echo "REFUSED $(basename "$written"): $out"; failed=1
        fi
    done
done
exit $failed
