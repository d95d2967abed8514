#!/usr/bin/env bash
# Data fidelity: a value valid against its schema must decode into the generated type and
# encode to the same JSON. Two harnesses, over every spec in a folder:
#
#   examples   every example the specs document, decoded through its type; a failure is
#              a spec fault when the example breaks its own schema (jsonschema decides)
#   instances  values drawn from every component schema with hypothesis-jsonschema
#
# Usage:
#   scripts/fidelity.sh                                 # ../shared/corpus/real -> docs/fidelity-*.md
#   scripts/fidelity.sh --corpus ../shared/corpus/peers --no-instances --batch-bytes 300000
#   scripts/fidelity.sh --corpus ../shared/corpus/swagger2     # Swagger 2.0 specs, checked in
#                                                              # the 3.0 form they are read as
#   scripts/fidelity.sh --ci                            # a few small real specs (one Swagger 2.0), quickly
#   scripts/fidelity.sh --help                          # every option
#
# --max-failures N makes the run exit 1 when more than N round trips fail (spec faults are
# not failures); --ci sets it to 0. The Python tools (hypothesis, hypothesis-jsonschema,
# jsonschema, PyYAML, pinned below) go into .tools/fidelity-venv; the generated crates into
# target/fidelity/NAME (NAME: the corpus folder's name, or "ci"), all built in one target
# directory, target/fidelity/target. Tables of --ci runs stay in that folder; the others go
# to docs/fidelity-examples[-NAME].md and docs/fidelity-instances[-NAME].md ("-real" left out).
set -euo pipefail

# hypothesis-jsonschema 0.23.1 breaks with newer hypothesis releases.
HYPOTHESIS_VERSION="6.98.18"
HYPOTHESIS_JSONSCHEMA_VERSION="0.23.1"
JSONSCHEMA_VERSION="4.26.0"
PYYAML_VERSION="6.0.3"

caller_dir="$(pwd)"
command="scripts/fidelity.sh${*:+ $*}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

corpus="../shared/corpus/real"
ci=false
args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --ci) ci=true; args+=("$1") ;;
    --corpus)
      case "$2" in
        /*) corpus="$2" ;;
        *) corpus="$caller_dir/$2" ;;
      esac
      shift ;;
    *) args+=("$1") ;;
  esac
  shift
done

cd "$repo_root"

venv=".tools/fidelity-venv"
py="$venv/bin/python"
if [ ! -x "$py" ]; then
  echo "fidelity: creating virtualenv $venv" >&2
  mkdir -p .tools
  python3 -m venv "$venv"
fi
wanted="hypothesis==$HYPOTHESIS_VERSION hypothesis-jsonschema==$HYPOTHESIS_JSONSCHEMA_VERSION jsonschema==$JSONSCHEMA_VERSION PyYAML==$PYYAML_VERSION"
if [ "$(cat "$venv/installed" 2>/dev/null)" != "$wanted" ]; then
  echo "fidelity: installing $wanted into $venv" >&2
  # shellcheck disable=SC2086
  "$py" -m pip install --quiet --disable-pip-version-check $wanted
  echo "$wanted" > "$venv/installed"
fi

target="${CARGO_TARGET_DIR:-$repo_root/target}"
if $ci; then
  # CI builds the generator in debug anyway; a release build would take minutes.
  nice -n 10 cargo build --quiet -p specwright-harness --bin fidelity
  generator="$target/debug/fidelity"
  name="ci"
else
  # Microsoft Graph's spec is generated three times over (code, examples, types).
  nice -n 10 cargo build --quiet --release -p specwright-harness --bin fidelity
  generator="$target/release/fidelity"
  name="$(basename "$corpus")"
fi
work_dir="$target/fidelity/$name"
if $ci; then
  out_dir="$work_dir"
  suffix=""
else
  out_dir="docs"
  suffix="-$name"
  [ "$name" = "real" ] && suffix=""
fi

export HYPOTHESIS_STORAGE_DIRECTORY="$repo_root/.tools/hypothesis"
export PYTHONPATH="$repo_root/scripts"
exec "$py" -m fidelity \
  --corpus "$corpus" \
  --generator "$generator" \
  --work-dir "$work_dir" \
  --target-dir "$target/fidelity/target" \
  --examples-out "$out_dir/fidelity-examples$suffix.md" \
  --instances-out "$out_dir/fidelity-instances$suffix.md" \
  --command "$command" \
  "${args[@]}"
