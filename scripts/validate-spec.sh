#!/usr/bin/env bash
# Validate OpenAPI spec files with openapi-spec-validator (PyPI), installed
# into a project-local virtualenv at .tools/venv.
#
# Usage: scripts/validate-spec.sh [SPEC...]      (default: specs/*.yaml)
# Works from any working directory; relative SPEC paths are taken relative
# to the caller's directory.
set -euo pipefail

VALIDATOR_VERSION="0.9.0"

caller_dir="$(pwd)"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Resolve the spec list before changing directory.
specs=()
if [ "$#" -gt 0 ]; then
  for arg in "$@"; do
    case "$arg" in
      /*) specs+=("$arg") ;;
      *) specs+=("$caller_dir/$arg") ;;
    esac
  done
fi

cd "$repo_root"

if [ "${#specs[@]}" -eq 0 ]; then
  shopt -s nullglob
  specs=(specs/*.yaml)
  shopt -u nullglob
  if [ "${#specs[@]}" -eq 0 ]; then
    echo "validate-spec: no specs/*.yaml files found in $repo_root" >&2
    exit 1
  fi
fi

venv=".tools/venv"
py="$venv/bin/python"

if [ ! -x "$py" ]; then
  echo "validate-spec: creating virtualenv $venv" >&2
  mkdir -p .tools
  python3 -m venv "$venv"
fi

installed="$("$py" -m pip show openapi-spec-validator 2>/dev/null | sed -n 's/^Version: //p' || true)"
if [ "$installed" != "$VALIDATOR_VERSION" ]; then
  echo "validate-spec: installing openapi-spec-validator==$VALIDATOR_VERSION into $venv" >&2
  "$py" -m pip install --quiet --disable-pip-version-check \
    "openapi-spec-validator==$VALIDATOR_VERSION"
fi

status=0
for spec in "${specs[@]}"; do
  if [ ! -f "$spec" ]; then
    echo "validate-spec: $spec: no such file" >&2
    status=1
    continue
  fi
  if ! "$venv/bin/openapi-spec-validator" "$spec"; then
    status=1
  fi
done
exit "$status"
