#!/usr/bin/env bash
# The streaming server of scripts/sse/server.py (sse-starlette under uvicorn, from PyPI,
# pinned, in .tools/sse-venv), for tests/tests/sse_server.rs.
#
#   scripts/sse-server.sh install        # the virtualenv and its packages
#   scripts/sse-server.sh start PORT     # serves on 127.0.0.1:PORT until killed
#   scripts/sse-server.sh test           # install, start, run the test, stop
set -euo pipefail
cd "$(dirname "$0")/.."

SSE_STARLETTE_VERSION="3.5.0"
UVICORN_VERSION="0.54.0"
venv=".tools/sse-venv"
py="$venv/bin/python"

install() {
  if [ ! -x "$py" ]; then
    mkdir -p .tools
    python3 -m venv "$venv"
  fi
  if ! "$py" -c "import sse_starlette, uvicorn" 2>/dev/null; then
    "$py" -m pip install --quiet --disable-pip-version-check \
      "sse-starlette==$SSE_STARLETTE_VERSION" "uvicorn==$UVICORN_VERSION"
  fi
}

case "${1:-}" in
  install) install ;;
  start) exec "$py" scripts/sse/server.py "${2:?a port}" ;;
  test)
    install
    port="${2:-4020}"
    "$py" scripts/sse/server.py "$port" &
    pid=$!
    trap 'kill "$pid" 2>/dev/null || true' EXIT
    for _ in $(seq 1 50); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
      kill -0 "$pid" 2>/dev/null || { echo "the SSE server did not start" >&2; exit 1; }
      sleep 0.2
    done
    SSE_URL="http://127.0.0.1:$port" cargo test -p generator-tests --test sse_server -- --ignored
    ;;
  *) echo "usage: $0 install | start PORT | test [PORT]" >&2; exit 2 ;;
esac
