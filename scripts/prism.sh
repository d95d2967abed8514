#!/usr/bin/env bash
# Stoplight Prism, pinned, installed into .tools/prism (never globally), serving a spec as a
# validating mock on loopback.
#   scripts/prism.sh install
#   scripts/prism.sh start SPEC PORT    # runs in the foreground until killed
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="5.16.0"
prefix="$root/.tools/prism"
bin="$prefix/node_modules/.bin/prism"

install() {
  if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "$version" ]; then
    return
  fi
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@stoplight/prism-cli@$version" >&2
}

case "${1:-}" in
  install) install ;;
  start)
    install
    exec "$bin" mock "$2" --host 127.0.0.1 --port "$3"
    ;;
  *) echo "usage: scripts/prism.sh install | start SPEC PORT" >&2; exit 2 ;;
esac
