# Run as BUILD_COMMAND with BUILD_ARGS: $1 is the version to put into the generated manifest.
set -e
test ! -e jetpack.build.sh
mkdir -p /srv && echo "generated $1" > /srv/generated
printf '{"name":"example.com/generated","labels":[{"name":"app-version","value":"%s"}]}\n' "$1" > manifest.json
