#!/bin/sh
# Stage cache and up-to-date prepare steps, measured side by side (issue #12): writes bench/results/stages.md.
#   bench/stages/run.sh loop     the loop rows: jetpack (Maven plugin), docker build, podman build of one recipe,
#                                cold / one copied file changed / nothing changed
#   bench/stages/run.sh debian   the loop rows for the issue's recipe: Debian minbase, apt-get install nginx-light
#                                (from a repository on 127.0.0.1), one copied file; docker and podman also save
#                                their cold result as a gzip file
#   bench/stages/run.sh images   mvn -o install of images/ twice (the second run in a network namespace with no
#                                network: it must not need one)
# Root, the tools of NOTES §7 (dockerd, podman, runc), debootstrap and the network for the first images/ run.
# Everything goes under $WORK (default /var/tmp/stages-bench): a private Maven repository (a copy of ~/.m2 with
# this checkout installed into it: ~/.m2 itself is never written), private stores, a private dockerd and podman.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
WORK=${WORK:-/var/tmp/stages-bench}
m2=$WORK/m2
results=$repo/bench/results/stages.md
mkdir -p "$WORK"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" >> "$WORK/rows.md"; }

private_repository() {
    if [ ! -d "$m2/dev/jetpack/jetpack-maven-plugin" ]; then
        rm -rf "$m2"
        cp -a --reflink=auto "$HOME/.m2/repository" "$m2"
        rm -rf "$m2/dev/jetpack"
    else
        # What ~/.m2 gained since (a new dependency of this checkout), without touching what is there.
        cp -a -n "$HOME/.m2/repository/." "$m2/"
    fi
    # REUSE_INSTALL=1 keeps what an earlier run installed (for reruns of the same checkout).
    [ -n "${REUSE_INSTALL:-}" ] && [ -d "$m2/dev/jetpack/jetpack-maven-plugin" ] && return
    mvn -B -o -q -f "$repo/pom.xml" -Dmaven.repo.local="$m2" install -DskipTests -Dinvoker.skip=true
}

# A busybox rootfs with a stub package manager: busybox images have none. "apk add P" takes ~2 s (a download
# stands in as sleep) and writes 5 MB of incompressible files under /usr/share/P, the same in every tool.
busybox_rootfs() {
    root=$WORK/busybox-rootfs
    rm -rf "$root"
    mkdir -p "$root/bin" "$root/sbin" "$root/etc" "$root/tmp" "$root/usr/share"
    cp /usr/bin/busybox "$root/bin/busybox"
    for applet in $(/usr/bin/busybox --list); do
        [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
    done
    cat > "$root/sbin/apk" <<'STUB'
#!/bin/sh
# Stub package manager of the benchmark (see bench/stages/run.sh).
set -eu
[ "$1" = add ] || { echo "stub apk: only 'add' is known" >&2; exit 1; }
shift
[ "${1:-}" = --no-cache ] && shift
sleep 2
for package; do
    mkdir -p "/usr/share/$package"
    i=0
    while [ $i -lt 50 ]; do head -c 100000 /dev/urandom > "/usr/share/$package/f$i"; i=$((i + 1)); done
done
STUB
    chmod 0755 "$root/sbin/apk"
    tar -C "$root" -cf "$WORK/busybox-rootfs.tar" .
}

# jetpack_project DIR ARTIFACT CONFIGURATION: a Maven project with packaging aci, a manifest naming bench/ARTIFACT,
# an index.html to copy, and the plugin's CONFIGURATION (XML) as given.
jetpack_project() {
    rm -rf "$1"
    mkdir -p "$1/src/main/image"
    printf '{"acKind":"ImageManifest","acVersion":"0.8.11","name":"bench/%s","labels":[{"name":"os","value":"linux"}]}\n' \
        "$2" > "$1/src/main/image/manifest.json"
    echo "<h1>one</h1>" > "$1/index.html"
    cat > "$1/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>$2</artifactId><version>1.0</version><packaging>aci</packaging>
  <build><plugins><plugin>
    <groupId>dev.jetpack</groupId><artifactId>jetpack-maven-plugin</artifactId><version>0.1.0-SNAPSHOT</version>
    <extensions>true</extensions>
    <configuration>
$3
    </configuration>
  </plugin></plugins></build>
</project>
POM
}

loop_projects() {
    # jetpack: the recipe as a Maven project (packages = PKG_INSTALL, one build step, one copied file)
    p=$WORK/loop-jetpack
    jetpack_project "$p" loop "      <parentImage>$WORK/busybox.aci</parentImage>
      <compression>gzip</compression>
      <packages><package>nginx</package></packages>
      <copyFiles><copyFile>index.html</copyFile></copyFiles>
      <buildSteps><buildStep>mkdir -p /srv &amp;&amp; cp index.html /srv/</buildStep></buildSteps>"
    # docker and podman: the same recipe as a Dockerfile
    d=$WORK/loop-docker
    rm -rf "$d"
    mkdir -p "$d"
    cp "$p/index.html" "$d/index.html"
    printf 'FROM bench-busybox\nRUN apk add --no-cache nginx\nCOPY index.html /srv/index.html\n' > "$d/Dockerfile"
}

busybox_aci() {
    mkdir -p "$WORK/busybox-aci/rootfs"
    printf '{"acKind":"ImageManifest","acVersion":"0.8.11","name":"bench/busybox","labels":[{"name":"os","value":"linux"}]}' \
        > "$WORK/busybox-aci/manifest"
    rm -rf "$WORK/busybox-aci/rootfs"
    cp -a "$WORK/busybox-rootfs" "$WORK/busybox-aci/rootfs"
    tar -C "$WORK/busybox-aci" -cf "$WORK/busybox.aci" manifest rootfs
}

# One timed run of "$@" (the tool's build), as the row's cell, in seconds.
timed() {
    start=$(now)
    "$@" > "$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; exit 1; }
    printf '%.2f' "$(elapsed "$start" "$(now)")"
}

# Maven's log with times, so that the plugin's own time can be read from it (plugin_seconds).
STAMPS="-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"

jetpack_build() {
    mvn -B -o $STAMPS -Dmaven.repo.local="$m2" -Djetpack.store="$WORK/store-loop" -f "$WORK/loop-jetpack/pom.xml" \
        package
}

# The jetpack goals' time in the last log: from the first jetpack goal's header to the end of the build.
plugin_seconds() {
    awk '
        function t(s,  a) { split(s, a, /[:.]/); return a[1] * 3600 + a[2] * 60 + a[3] + a[4] / 1000 }
        /--- jetpack-maven-plugin|--- jetpack:/ { if (!start) start = t($1) }
        /--- / && !/jetpack/ && start && !stop { stop = t($1) }
        /BUILD SUCCESS/ { if (!stop) stop = t($1) }
        END { printf "%.2f", stop - start }' "$WORK/last.log"
}

maven_only() {
    mvn -B -o -Dmaven.repo.local="$m2" -f "$WORK/loop-jetpack/pom.xml" validate
}

loop() {
    [ "${2:-}" = --jetpack-only ] && JETPACK_ONLY=1
    private_repository
    busybox_rootfs
    busybox_aci
    loop_projects
    rm -rf "$WORK/store-loop"
    run_loop jetpack_build "$WORK/loop-jetpack" "$WORK/loop-docker" "$WORK/busybox-rootfs.tar" bench-busybox
    base=$(timed maven_only)
    echo "Maven alone (validate): $base s" >> "$WORK/loads.txt"
}

# "median (min-max)" of the numbers given.
summary() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f (%.2f-%.2f)", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

# Runs of the "nothing changed" phase: a fresh Maven JVM's tenth of a second varies by tens of milliseconds from one
# run to the next on a 2-core machine, so that phase reports the median of NOOP_RUNS rounds (each round runs every
# tool once, so that they meet the same load).
NOOP_RUNS=${NOOP_RUNS:-5}

# run_loop JETPACK-BUILD PROJECT DOCKERFILE-DIR BASE-TAR BASE-NAME: the three rows (cold, one copied file changed,
# nothing changed) phase by phase, each phase running jetpack, docker and podman in turn, so that all three meet
# the same load. With SAVE set, docker's and podman's cold image is also saved as a gzip file (`save | gzip`: what
# it takes to have their result as a file, as jetpack has its ACI), timed on its own.
run_loop() {
    : > "$WORK/rows.md"
    echo "<h1>one</h1>" > "$2/index.html"
    echo "<h1>one</h1>" > "$3/index.html"
    [ -z "${JETPACK_ONLY:-}" ] && start_others "$4" "$5"
    for phase in cold changed same; do
        if [ "$phase" = changed ]; then
            echo "<h1>two</h1>" > "$2/index.html"
            echo "<h1>two</h1>" > "$3/index.html"
        fi
        # Untimed: the dirty pages of the phase before (a cold build writes some 1 GB across the three tools) are
        # written back first, so that no tool's phase pays for another's writes.
        sync
        echo "$phase: load $(load)" >> "$WORK/loads.txt"
        if [ "$phase" = same ]; then
            j=""; jp=""; d=""; p=""
            for round in $(seq "$NOOP_RUNS"); do
                j="$j $(timed $1)"; jp="$jp $(plugin_seconds)"
                cp "$WORK/last.log" "$WORK/jetpack-$phase.log"
                [ -n "${JETPACK_ONLY:-}" ] && continue
                d="$d $(timed docker build --network host -t loop $3)"
                p="$p $(timed $WORK/pod build --network host -t loop $3)"
            done
            j_same=$(summary $j); jp_same=$(summary $jp)
            [ -n "${JETPACK_ONLY:-}" ] && continue
            d_same=$(summary $d); p_same=$(summary $p)
            continue
        fi
        eval "j_$phase=\$(timed $1)"; eval "jp_$phase=\$(plugin_seconds)"
        cp "$WORK/last.log" "$WORK/jetpack-$phase.log"
        [ -n "${JETPACK_ONLY:-}" ] && continue
        eval "d_$phase=\$(timed docker build --network host -t loop $3)"
        eval "p_$phase=\$(timed $WORK/pod build --network host -t loop $3)"
        if [ "$phase" = cold ] && [ -n "${SAVE:-}" ]; then
            d_save=$(timed sh -c "docker save loop | gzip -6 > '$WORK/loop-saved.tar.gz'")
            p_save=$(timed sh -c "'$WORK/pod' save loop | gzip -6 > '$WORK/loop-saved.tar.gz'")
            d_cold="$d_cold (+ save \\| gzip $d_save)"
            p_cold="$p_cold (+ save \\| gzip $p_save)"
        fi
    done
    row "jetpack, whole mvn -o package" "$j_cold" "$j_changed" "$j_same"
    row "jetpack, plugin goals only" "$jp_cold" "$jp_changed" "$jp_same"
    grep -E "Reusing stage|Running from|Laid out" "$WORK/jetpack-changed.log" | sed 's/^/    /' \
        > "$WORK/jetpack-changed-lines.log" || true
    [ -n "${JETPACK_ONLY:-}" ] && return
    row "docker build (20.10, overlay2)" "$d_cold" "$d_changed" "$d_same"
    row "podman build (4.3, vfs)" "$p_cold" "$p_changed" "$p_same"
    stop_others
}

# A private dockerd (NOTES §7) and a private podman store, both with BASE-TAR imported as BASE-NAME.
start_others() {
    D=$WORK/docker
    umount "$D/exec/netns/default" 2>/dev/null || true
    rm -rf "$D"; mkdir -p "$D"
    dockerd --data-root "$D/data" --exec-root "$D/exec" -H "unix://$D/sock" --pidfile "$D/pid" --iptables=false \
        --ip6tables=false --bridge=none --ip-masq=false > "$D/log" 2>&1 &
    for i in $(seq 50); do [ -S "$D/sock" ] && DOCKER_HOST=unix://$D/sock docker info >/dev/null 2>&1 && break; sleep 0.2; done
    export DOCKER_HOST=unix://$D/sock
    docker import "$1" "$2" >/dev/null
    P=/tmp/stages-podman
    rm -rf "$P"; mkdir -p "$P"
    # A script rather than a function, so that `sh -c "pod save ..."` can run it too.
    cat > "$WORK/pod" <<POD
#!/bin/sh
exec podman --root "$P/root" --runroot "$P/run" --tmpdir "$P/tmp" --storage-driver vfs --runtime runc \\
    --cgroup-manager cgroupfs --events-backend none "\$@"
POD
    chmod 755 "$WORK/pod"
    "$WORK/pod" import "$1" "$2" >/dev/null
}

stop_others() {
    pid=$(cat "$D/pid")
    kill "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    # dockerd leaves its network namespace mounted under the exec root.
    umount "$D/exec/netns/default" 2>/dev/null || true
    unset DOCKER_HOST
    rm -rf "$P"
}

images() {
    private_repository
    rm -rf "$WORK/store-images"
    for module in host-base busybox debian example-showenv example-nginx; do rm -rf "$repo/images/$module/target"; done
    build_images() {
        mvn -B -o -Dmaven.repo.local="$m2" -Djetpack.store="$WORK/store-images" -f "$repo/images/pom.xml" install
    }
    sync
    l=$(load); first=$(timed build_images)
    cp "$WORK/last.log" "$WORK/images-first.log"
    # Untimed, as before each phase of the loop rows: the first run's dirty pages (a debootstrapped tree, the images
    # and the store, about a gigabyte) are written back first, so that the second run does not pay for them.
    sync
    # The second run in a new network namespace with only loopback (up, for example-nginx's IT on 127.0.0.1):
    # anything that reaches for the network fails.
    l2=$(load); second=$(timed unshare -n sh -c "ip link set lo up && $(command -v mvn) -B -o -Dmaven.repo.local=$m2 -Djetpack.store=$WORK/store-images -f $repo/images/pom.xml install")
    cp "$WORK/last.log" "$WORK/images-second.log"
    # The same without example-nginx's IT (nginx started, failsafe's JVM, PageIT): the builds' own share.
    sync
    l3=$(load); third=$(timed unshare -n sh -c "ip link set lo up && $(command -v mvn) -B -o -DskipITs -Dmaven.repo.local=$m2 -Djetpack.store=$WORK/store-images -f $repo/images/pom.xml install")
    cp "$WORK/last.log" "$WORK/images-third.log"
    printf '| mvn -o install of images/ | %s (load %s) | %s, no network (load %s) | %s with -DskipITs (load %s) |\n' \
        "$first" "$l" "$second" "$l2" "$third" "$l3" >> "$WORK/images-rows.md"
}


# The issue's own recipe: a Debian minbase base image, apt-get install nginx-light, one copied file. The packages
# come from a Debian repository on 127.0.0.1 (the .debs nginx-light needs on top of minbase, downloaded once into
# $WORK with the machine's apt mirror, with the rootfs), so that every timed build uses only loopback.
APT_PORT=${APT_PORT:-18089}

debian_inputs() {
    if [ ! -d "$WORK/debian-rootfs" ]; then
        sh "$repo/images/debian/src/main/image/debootstrap.sh" bookworm "$WORK/debian-rootfs"
    fi
    if [ ! -f "$WORK/apt-repo/Packages" ]; then
        dl=$WORK/debian-download
        rm -rf "$dl" "$WORK/apt-repo.partial"
        cp -a "$WORK/debian-rootfs" "$dl"
        cp /etc/resolv.conf "$dl/etc/resolv.conf"
        chroot "$dl" sh -c 'apt-get update -qq && apt-get install -y -qq --download-only --no-install-recommends nginx-light'
        mkdir -p "$WORK/apt-repo.partial"
        cp "$dl"/var/cache/apt/archives/*.deb "$WORK/apt-repo.partial/"
        (cd "$WORK/apt-repo.partial" && dpkg-scanpackages -m . /dev/null > Packages 2>/dev/null)
        rm -rf "$dl"
        mv "$WORK/apt-repo.partial" "$WORK/apt-repo"
    fi
    # A flat repository with an unsigned Release file, trusted by the sources line: apt-get update
    # --error-on=any (the generated build script) then has nothing to warn about.
    {
        echo "Origin: jetpack-bench"; echo "Label: jetpack-bench"; echo "Suite: bench"; echo "Codename: bench"
        echo "Date: $(LC_ALL=C date -u -R)"; echo "Architectures: amd64 all"; echo "Components: main"
        echo "SHA256:"; printf ' %s %s Packages\n' "$(sha256sum < "$WORK/apt-repo/Packages" | cut -d' ' -f1)" \
            "$(stat -c %s "$WORK/apt-repo/Packages")"
    } > "$WORK/apt-repo/Release"
    base=$WORK/debian-base
    rm -rf "$base"
    cp -a "$WORK/debian-rootfs" "$base"
    rm -f "$base"/etc/apt/sources.list.d/*
    echo "deb [trusted=yes] http://127.0.0.1:$APT_PORT/ ./" > "$base/etc/apt/sources.list"
    tar -C "$base" -cf "$WORK/debian-base.tar" .
    mkdir -p "$WORK/debian-aci"
    printf '{"acKind":"ImageManifest","acVersion":"0.8.11","name":"bench/debian","labels":[{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]}' \
        > "$WORK/debian-aci/manifest"
    rm -rf "$WORK/debian-aci/rootfs"
    mv "$base" "$WORK/debian-aci/rootfs"
    tar -C "$WORK/debian-aci" -cf "$WORK/debian.aci" manifest rootfs
    rm -rf "$WORK/debian-aci"
}

debian_projects() {
    p=$WORK/debian-jetpack
    # Default settings: flat output, the default compression.
    jetpack_project "$p" nginx "      <parentImage>$WORK/debian.aci</parentImage>
      <packages><package>nginx-light</package></packages>
      <copyFiles><copyFile>index.html</copyFile></copyFiles>
      <buildSteps><buildStep>cp index.html /var/www/html/index.html</buildStep></buildSteps>"
    d=$WORK/debian-docker
    rm -rf "$d"
    mkdir -p "$d"
    cp "$p/index.html" "$d/index.html"
    # What jetpack's generated build script runs for packages (update, install without recommends, clean).
    printf '%s\n' 'FROM bench-debian' \
        'RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light && apt-get clean' \
        'COPY index.html /var/www/html/index.html' > "$d/Dockerfile"
}

debian_build() {
    mvn -B -o $STAMPS -Dmaven.repo.local="$m2" -Djetpack.store="$WORK/store-debian" -f "$WORK/debian-jetpack/pom.xml" \
        "$@"
}

debian() {
    private_repository
    debian_inputs
    debian_projects
    python3 -m http.server "$APT_PORT" --bind 127.0.0.1 --directory "$WORK/apt-repo" > "$WORK/apt-http.log" 2>&1 &
    http_pid=$!
    trap 'kill $http_pid 2>/dev/null || true' EXIT
    # Cold: a store holding only the parent (imported first, untimed, as docker and podman import the base
    # before their cold build), an empty stage cache and block cache.
    rm -rf "$WORK/store-debian"
    debian_build jetpack:fetch > "$WORK/debian-fetch.log" 2>&1
    SAVE=1 run_loop "debian_build package" "$WORK/debian-jetpack" "$WORK/debian-docker" "$WORK/debian-base.tar" \
        bench-debian
}

case "${1:-}" in
    loop) loop "$@" ;;
    images) images ;;
    debian) [ "${2:-}" = --jetpack-only ] && JETPACK_ONLY=1; debian ;;
    *) echo "usage: $0 loop|images|debian" >&2; exit 2 ;;
esac
