#!/usr/bin/env bash
# The native Swagger 2.0 reading against swagger2openapi's: each 2.0 spec of a folder is
# converted by swagger2openapi (pinned, installed into .tools/swagger2openapi, never globally),
# both the spec and its conversion are generated, and the two clients are compared item by
# item (each client method and each type). Every difference is put down to one of the
# deliberate departures listed in generator/src/load/swagger2.rs's module docs, or shown as
# unexplained; the table goes into docs/swagger2.md, between the comparison's markers.
#   scripts/swagger2-compare.sh [CORPUS] [OUT]   (default ../shared/corpus/swagger2, docs/swagger2.md)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-$root/../shared/corpus/swagger2}"
out="${2:-$root/docs/swagger2.md}"
version="7.0.8"
prefix="$root/.tools/swagger2openapi"
converter="$prefix/node_modules/.bin/swagger2openapi"
cd "$root"
if ! [ -x "$converter" ] || [ "$("$converter" --version 2>/dev/null)" != "$version" ]; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "swagger2openapi@$version" >&2
fi
cargo build -q -p specwright --bin specwright
bin="${CARGO_TARGET_DIR:-$root/target}/debug/specwright"
# SWAGGER2_COMPARE_WORK keeps the conversions and clients there, to look at.
work="${SWAGGER2_COMPARE_WORK:-$(mktemp -d)}"
mkdir -p "$work"
[ -n "${SWAGGER2_COMPARE_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
for spec in "$corpus"/*.json "$corpus"/*.yaml "$corpus"/*.yml; do
  [ -f "$spec" ] || continue
  name="$(basename "$spec")"
  name="${name%.*}"
  # --patch fixes what the converter can (a missing `info.version`); --warnOnly keeps the
  # rest as warnings instead of stopping.
  if ! "$converter" --patch --warnOnly "$spec" --outfile "$work/$name.s2o.json" \
      > /dev/null 2> "$work/$name.s2o.err"; then
    echo "swagger2openapi failed" > "$work/$name.s2o.refused"
  fi
  "$bin" generate "$spec" --out "$work/$name.native.rs" > /dev/null 2>&1 \
    || echo "refused" > "$work/$name.native.refused"
  if [ -f "$work/$name.s2o.json" ]; then
    "$bin" generate "$work/$name.s2o.json" --out "$work/$name.s2o.rs" > /dev/null 2> "$work/$name.s2o.generate.err" \
      || echo "refused: $(grep -m1 '^error' "$work/$name.s2o.generate.err" || true)" > "$work/$name.s2o.refused"
  fi
done
python3 "$root/scripts/swagger2_compare.py" "$work" "$out" "scripts/swagger2-compare.sh${1:+ $1}"
