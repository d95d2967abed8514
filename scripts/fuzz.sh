#!/usr/bin/env bash
# Fuzzes the generator: arbitrary bytes and mutated real specs through load -> model -> emit.
#   scripts/fuzz.sh [SECONDS]   (default 600)
# Installs cargo-fuzz from crates.io if it is missing. libFuzzer needs unstable compiler flags;
# RUSTC_BOOTSTRAP lets the stable toolchain accept them for this build only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-600}"
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
seeds="$root/target/fuzz-seeds"
mkdir -p "$seeds"
# Small real specs make good seeds: libFuzzer mutates them into near-valid documents.
find "$root/../shared/corpus/peers" "$root/specs" "$root/tests/specs" -type f \
  \( -name '*.yaml' -o -name '*.json' -o -name '*.yml' \) -size -64k -exec cp {} "$seeds/" \; 2>/dev/null || true
mkdir -p "$root/fuzz/corpus"
cd "$root/fuzz"
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none generate "$root/fuzz/corpus" "$seeds" -- \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096
