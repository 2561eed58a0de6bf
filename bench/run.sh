#!/bin/sh
# Runs the jetpack benchmark: builds the engine and the bench (tests skipped), prepares the inputs under
# /var/tmp/jetpack-bench (cached: the first run runs debootstrap and generates trees), then measures jetpack and the
# GNU tools side by side and writes bench/results/latest.md. Needs root (debootstrap, overlay mounts).
#   bench/run.sh [--repeat N] [--slow-repeat N] [--skip-big] [--writes-only] [--work DIR] [--results FILE]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mvn -B -q -f "$here/reactor.xml" -DskipTests -Dinvoker.skip=true package
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
exec java -Xmx1g -cp "$cp" dev.jetpack.bench.Bench --classpath "$cp" --results "$here/results/latest.md" "$@"
