#!/usr/bin/env bash
# Fuzzes the generator, or the runtime's reading of what servers send:
#   scripts/fuzz.sh [SECONDS] [TARGET]   (default 600 seconds, target generate)
#   generate       arbitrary bytes and mutated real specs through load -> model -> emit
#   runtime_input  Retry-After, typed headers, date-times and bodies decoded into the Zenskar
#                  client's types, seeded with the Zenskar spec's examples
# Both are built with overflow checks (-a) in release mode, so an overflow is a crash.
# Installs cargo-fuzz from crates.io if it is missing. libFuzzer needs unstable compiler flags;
# RUSTC_BOOTSTRAP lets the stable toolchain accept them for this build only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-600}"
target="${2:-generate}"
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
seeds="$root/target/fuzz-seeds"
mkdir -p "$seeds"
# Small real specs make good seeds: libFuzzer mutates them into near-valid documents.
find "$root/../shared/corpus/peers" "$root/specs" "$root/tests/specs" -type f \
  \( -name '*.yaml' -o -name '*.json' -o -name '*.yml' \) -size -64k -exec cp {} "$seeds/" \; 2>/dev/null || true
if [ "$target" = runtime_input ]; then
  seeds="$root/target/fuzz-seeds-runtime"
  mkdir -p "$seeds"
  printf '120' > "$seeds/seconds"
  printf 'Sun, 06 Nov 1994 08:49:37 GMT' > "$seeds/date"
  printf '2023-01-01T12:34:56.789+05:30' > "$seeds/datetime"
  python3 - "$root/specs/zenskar.yaml" "$seeds" <<'PY'
import json, sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
found = []
def walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "example":
                found.append(value)
            walk(value)
    elif isinstance(node, list):
        for value in node:
            walk(value)
walk(spec)
for index, example in enumerate(found):
    open(f"{sys.argv[2]}/example-{index}.json", "w").write(json.dumps(example))
PY
fi
mkdir -p "$root/fuzz/corpus/$target"
cd "$root/fuzz"
RUSTC_BOOTSTRAP=1 cargo fuzz run -O -a --sanitizer none "$target" "$root/fuzz/corpus/$target" "$seeds" -- \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096
