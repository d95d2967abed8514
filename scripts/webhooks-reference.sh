#!/usr/bin/env bash
# The runtime's Standard Webhooks signatures checked against the reference implementation, the
# `standardwebhooks` package from PyPI (pinned, in .tools/webhooks-venv), both ways: Python
# signs cases (scripts/webhooks/vectors.py), runtime/tests/webhooks_reference.rs verifies each
# and signs its own, and Python verifies those. Exits non-zero on any disagreement.
set -euo pipefail
cd "$(dirname "$0")/.."

STANDARDWEBHOOKS_VERSION="1.1.0"
venv=".tools/webhooks-venv"
py="$venv/bin/python"

if [ ! -x "$py" ]; then
  mkdir -p .tools
  python3 -m venv "$venv"
fi
if [ "$("$py" -c 'import importlib.metadata as m; print(m.version("standardwebhooks"))' 2>/dev/null)" \
  != "$STANDARDWEBHOOKS_VERSION" ]; then
  "$py" -m pip install --quiet --disable-pip-version-check \
    "standardwebhooks==$STANDARDWEBHOOKS_VERSION"
fi

vectors="$(mktemp -d)"
trap 'rm -rf "$vectors"' EXIT

# The module's own tests first: the feature is off in `cargo test --workspace` unless a member
# turns it on.
cargo test -p specwright-runtime --features webhooks --test webhooks
"$py" scripts/webhooks/vectors.py sign "$vectors/python.json"
WEBHOOKS_PYTHON_VECTORS="$vectors/python.json" WEBHOOKS_RUST_VECTORS="$vectors/rust.json" \
  cargo test -p specwright-runtime --features webhooks --test webhooks_reference -- --ignored --nocapture
"$py" scripts/webhooks/vectors.py check "$vectors/rust.json"
