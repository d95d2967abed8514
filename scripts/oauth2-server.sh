#!/usr/bin/env bash
# An OAuth 2 server not written here, oauth2-mock-server (npm, pinned, in
# .tools/oauth2-mock-server), for tests/tests/oauth2_server.rs: the client credentials and
# refresh-token grants of the runtime's providers against its `/token` endpoint.
#
#   scripts/oauth2-server.sh install        # the package, into .tools (never globally)
#   scripts/oauth2-server.sh start PORT     # serves on 127.0.0.1:PORT until killed
#   scripts/oauth2-server.sh test [PORT]    # install, start, run the test, stop
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="9.3.0"
prefix=".tools/oauth2-mock-server"
bin="$prefix/node_modules/.bin/oauth2-mock-server"

install() {
  if [ ! -x "$bin" ] || ! grep -q "\"version\": \"$VERSION\"" "$prefix/node_modules/oauth2-mock-server/package.json" 2>/dev/null; then
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "oauth2-mock-server@$VERSION" >&2
  fi
}

case "${1:-}" in
  install) install ;;
  start) install; exec "$bin" -a 127.0.0.1 -p "${2:?a port}" ;;
  test)
    install
    port="${2:-4030}"
    log="$(mktemp)"
    "$bin" -a 127.0.0.1 -p "$port" >"$log" 2>&1 &
    pid=$!
    trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
    for _ in $(seq 1 50); do
      grep -q "listening" "$log" && break
      kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "the OAuth 2 server did not start" >&2; exit 1; }
      sleep 0.2
    done
    OAUTH2_URL="http://127.0.0.1:$port" cargo test -p generator-tests --test oauth2_server -- --ignored
    ;;
  *) echo "usage: $0 install | start PORT | test [PORT]" >&2; exit 2 ;;
esac
