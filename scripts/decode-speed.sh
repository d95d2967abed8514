#!/usr/bin/env bash
# Decoding speed of generated types, ours beside those of main before issue 30 (commit
# f911c8a, whose structs had their serde impls written out; scripts/previous-generator.sh),
# in one run: each side's data fidelity crate for SPEC (harness/src/bin/fidelity, built
# --release) round-trips the spec's examples (decode, encode, compare as JSON) ROUNDS times
# over; the two binaries run alternately, seven times each, and the medians are compared.
#   scripts/decode-speed.sh [SPEC] [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
spec="${1:-$root/../shared/corpus/real/pagerduty__rest-api__2.0.0.json}"
rounds="${2:-40}"
work="$root/target/decode-speed"
mkdir -p "$work"
read -r _ previous_runtime < <("$root/scripts/previous-generator.sh")
previous_src="$(dirname "$previous_runtime")"
cargo build -q --release --manifest-path "$root/Cargo.toml" -p specwright-harness --bin fidelity
CARGO_TARGET_DIR="$root/target/compile-bench/previous-generator" \
  cargo build -q --release --manifest-path "$previous_src/Cargo.toml" -p specwright-harness --bin fidelity
harness_ours="$root/target/release/fidelity"
harness_previous="$root/target/compile-bench/previous-generator/release/fidelity"

# prepare SIDE HARNESS: the crate, built, and the input its binary reads.
prepare() {
  local side="$1" harness="$2"
  "$harness" --work-dir "$work/$side" "$spec" >/dev/null
  (cd "$work/$side" && CARGO_TARGET_DIR="$work/target-$side" CARGO_INCREMENTAL=0 \
    cargo build -q --release --workspace)
  python3 - "$work/$side/manifest.json" "$rounds" "$work/$side.input" <<'PY'
import json, sys
manifest, rounds, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = []
for crate in json.load(open(manifest))["crates"]:
    for module in crate["modules"]:
        for example in module["examples"]:
            lines.append(json.dumps([module["module"], example["type"], json.dumps(example["json"])]))
with open(out, "w") as f:
    for _ in range(rounds):
        f.write("\n".join(lines) + "\n")
PY
  local crate
  crate="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["crates"][0]["name"])' "$work/$side/manifest.json")"
  echo "$work/target-$side/release/$crate"
}
binary_previous="$(prepare previous "$harness_previous")"
binary_ours="$(prepare ours "$harness_ours")"

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
time_one() {
  local start
  start=$(now)
  "$1" <"$2" >"$work/out" || true
  awk "BEGIN{print $(now) - $start}"
}
previous_times=() ours_times=()
for _ in 1 2 3 4 5 6 7; do
  previous_times+=("$(time_one "$binary_previous" "$work/previous.input")")
  ours_times+=("$(time_one "$binary_ours" "$work/ours.input")")
done
values=$(wc -l <"$work/ours.input")
bytes=$(wc -c <"$work/ours.input")
previous_median=$(median "${previous_times[@]}")
ours_median=$(median "${ours_times[@]}")
echo "| $(basename "$spec"): $values values, $((bytes / 1024)) KiB, round trips | f911c8a (s) | ours (s) | ours / f911c8a |"
echo "|---|---:|---:|---:|"
echo "| median of 7, alternating | $previous_median | $ours_median | $(awk "BEGIN{printf \"%.3f\", $ours_median / $previous_median}") |"
