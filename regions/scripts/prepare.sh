#!/usr/bin/env bash
# Makes a fresh Debian machine ready to run a local federation. Idempotent; quiet when done.
#   - redis-server / redis-cli from Debian's packages (apt-get);
#   - nats-server >= 2.10 (JetStream's sync_interval needs it; bookworm ships 2.9.10), taken
#     from Debian's trixie package, checked against Debian's signed index's SHA-256, and
#     unpacked under the dist directory (the system is not changed);
#   - Cassandra's and s3proxy's jars from Maven Central, copied under the dist directory;
#   - the client libraries the integration tests drive besides Smack (ClientLibrariesTest):
#     slixmpp from Debian's python3-slixmpp, Node.js and npm from Debian's packages if there is no
#     `node`, and xmpp.js as clients/js/package-lock.json pins it (`npm ci` into clients/js's
#     git-ignored node_modules, again only when the lock file changed).
# Usage: prepare.sh <repo root> <dist dir> [nats]
#   nats: only nats-server, all that the fast test tiers need (./tern test-fast).
set -euo pipefail
root=$1
dist=$2
only=${3:-}
mkdir -p "$dist"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
if [ "$only" != nats ]; then
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-cli    >/dev/null 2>&1 || missing+=(redis-tools)
  command -v setsid       >/dev/null 2>&1 || missing+=(util-linux)
  command -v openssl      >/dev/null 2>&1 || missing+=(openssl)   # the tests' independent TLS client
  # the client libraries of ClientLibrariesTest; slixmpp is Debian's, for Debian's python3
  /usr/bin/python3 -c 'import slixmpp' >/dev/null 2>&1 || missing+=(python3-slixmpp)
  command -v node         >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm          >/dev/null 2>&1 || missing+=(npm)
fi
command -v curl         >/dev/null 2>&1 || missing+=(curl)
command -v xz           >/dev/null 2>&1 || missing+=(xz-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "tern: installing ${missing[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

nats_ok() {
  [ -x "$dist/nats/nats-server" ] || return 1
  local v
  v=$("$dist/nats/nats-server" --version | sed -n 's/^nats-server: v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
  set -- $v
  [ "${1:-0}" -gt 2 ] || { [ "${1:-0}" -eq 2 ] && [ "${2:-0}" -ge 10 ]; }
}
if ! nats_ok; then
  echo "tern: fetching nats-server from Debian's trixie package" >&2
  mirror=${TERN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  curl -fsS --retry 3 "$mirror/dists/trixie/main/binary-amd64/Packages.xz" | xz -d > "$tmp/Packages"
  entry=$(awk '/^Package: nats-server$/{p=1} p&&/^(Filename|SHA256):/{print $2} p&&/^$/{exit}' "$tmp/Packages")
  file=$(echo "$entry" | sed -n 1p)
  sum=$(echo "$entry" | sed -n 2p)
  [ -n "$file" ] && [ -n "$sum" ] || { echo "tern: nats-server not found in Debian trixie's index" >&2; exit 1; }
  curl -fsS --retry 3 -o "$tmp/nats.deb" "$mirror/$file"
  echo "$sum  $tmp/nats.deb" | sha256sum -c --quiet -
  dpkg-deb -x "$tmp/nats.deb" "$tmp/x"
  mkdir -p "$dist/nats"
  install -m 0755 "$tmp/x/usr/sbin/nats-server" "$dist/nats/nats-server"
  nats_ok || { echo "tern: the fetched nats-server is older than 2.10" >&2; exit 1; }
fi

[ "$only" = nats ] && exit 0

fetch_jars() { # name
  local lib="$dist/$1/lib"
  [ -f "$dist/$1/.complete" ] && return 0
  echo "tern: copying $1's jars from Maven Central" >&2
  rm -rf "$lib"
  mvn -q -B -Dstyle.color=never -f "$root/regions/dist/$1/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$lib" >&2
  touch "$dist/$1/.complete"
}
fetch_jars cassandra
fetch_jars s3proxy

# xmpp.js for ClientLibrariesTest, exactly as the lock file pins it.
js=$root/clients/js
if ! cmp -s "$js/package-lock.json" "$js/node_modules/.tern-installed-lock.json"; then
  echo "tern: installing xmpp.js from the npm registry (npm ci in clients/js)" >&2
  node_version=$(node --version)
  case "$node_version" in
    v1[0-9].*|v20.[0-9].*) echo "tern: xmpp.js 0.14 needs Node.js >= 20.10, found $node_version:" \
      "ClientLibrariesTest will fail" >&2 ;;
  esac
  (cd "$js" && npm ci --no-audit --no-fund --loglevel=error >&2)
  cp "$js/package-lock.json" "$js/node_modules/.tern-installed-lock.json"
fi
