#!/usr/bin/env bash
# Compile time of generated clients: `cargo check` and a debug `cargo build` of each generated
# crate alone (its dependencies built beforehand) after touching its source, the median of
# five runs for nexus, three for Zenskar and one for GitHub (which takes minutes), and its
# lines of code. Incremental compilation is off: after a mere touch, rustc's incremental
# cache would answer most queries, while a changed spec changes the whole file, so each run
# checks and builds the crate from scratch. Ours for Zenskar, progenitor's nexus sample and
# GitHub; and progenitor's own output for nexus, measured in the same run, when
# cargo-progenitor is installed (scripts/compile-bench.sh --install-peers installs it into
# .tools/cargo).
#   scripts/compile-bench.sh [--install-peers]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/compile-bench"
export CARGO_TARGET_DIR="$work/target"
export CARGO_INCREMENTAL=0
mkdir -p "$work"
corpus="$root/../shared/corpus"
nexus="$corpus/peers/progenitor/sample_openapi/nexus.json"
github="$("$root/scripts/bench-setup.sh")"
progenitor="$root/.tools/cargo/bin/cargo-progenitor"

if [ "${1:-}" = "--install-peers" ] && [ ! -x "$progenitor" ]; then
  cargo install cargo-progenitor --version 0.15.1 --locked --root "$root/.tools/cargo" --target-dir "$root/target/tools"
fi

cargo build -q --release --manifest-path "$root/Cargo.toml" -p specwright --bin specwright
ours="$root/target/release/specwright"

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }

# measure RUNS NAME DIR [CARGO OPTIONS...]: prints a table row, the medians of RUNS runs.
measure() {
  local runs="$1" name="$2" dir="$3"
  shift 3
  last_check=""
  grep -q '^\[workspace\]' "$dir/Cargo.toml" || printf '\n[workspace]\n' >>"$dir/Cargo.toml"
  cp -n "$root/Cargo.lock" "$dir/Cargo.lock" 2>/dev/null || true
  (cd "$dir" && cargo check -q "$@" && cargo build -q "$@") >/dev/null 2>&1 || {
    echo "| $name | failed to build | | | |"
    return
  }
  local checks=() builds=() start
  for _ in $(seq "$runs"); do
    touch "$dir/src/lib.rs"
    start=$(now); (cd "$dir" && cargo check -q "$@"); checks+=("$(awk "BEGIN{print $(now) - $start}")")
    touch "$dir/src/lib.rs"
    start=$(now); (cd "$dir" && cargo build -q "$@"); builds+=("$(awk "BEGIN{print $(now) - $start}")")
  done
  local lines
  lines=$(cat "$dir"/src/*.rs | wc -l)
  last_check=$(median "${checks[@]}")
  printf '| %s | %s | %.2f | %.2f |\n' "$name" "$lines" "$last_check" "$(median "${builds[@]}")"
}
last_check=""

echo "| crate | lines | cargo check (s) | cargo build, debug (s) |"
echo "|---|---:|---:|---:|"
"$ours" generate "$root/specs/zenskar.yaml" --crate "$work/zenskar" --name zenskar --runtime-path "$root/runtime" >/dev/null
measure 3 "zenskar (ours)" "$work/zenskar"
"$ours" generate "$nexus" --crate "$work/nexus" --name nexus --runtime-path "$root/runtime" >/dev/null 2>&1
measure 5 "nexus (ours)" "$work/nexus"
ours_nexus="$last_check"
if [ -x "$progenitor" ]; then
  rm -rf "$work/nexus-progenitor"
  "$progenitor" progenitor -i "$nexus" -o "$work/nexus-progenitor" -n nexus-progenitor -v 0.1.0 >/dev/null
  measure 5 "nexus (progenitor 0.15.1)" "$work/nexus-progenitor"
  if [ -n "$ours_nexus" ] && [ -n "$last_check" ]; then
    ratio=$(awk "BEGIN{printf \"%.2f\", $ours_nexus / $last_check}")
  fi
fi
"$ours" generate "$github" --crate "$work/github" --name github --runtime-path "$root/runtime" >/dev/null 2>&1
measure 1 "github (ours, all features)" "$work/github"
measure 1 "github (ours, only \`repos\`)" "$work/github" --no-default-features --features repos
if [ -n "${ratio:-}" ]; then
  printf '\nnexus, `cargo check`, ours / progenitor: %s\n' "$ratio"
fi
