#!/usr/bin/env bash
# What keeping undeclared properties (`unknown_fields` on every struct) costs: the GitHub client
# as generated, against the same code with those fields taken out.
# - Compile time: each form `cargo check`ed from scratch (dependencies built beforehand,
#   incremental compilation off), alternately, ROUNDS times. CPU time (user + system), which
#   other work on the machine disturbs less than wall time, and wall time; ratio of medians.
# - With --decode, decode time: both forms as modules of one release binary, every example
#   the spec documents (that both forms decode) decoded by each, alternately, 21 rounds of 20
#   passes; ratio of medians.
#   scripts/unknown-fields-cost.sh [--decode] [ROUNDS] [SPEC]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
decode=""
if [ "${1:-}" = "--decode" ]; then
  decode=1
  shift
fi
rounds="${1:-2}"
spec="${2:-$root/../shared/corpus/real/github__rest-api__23.0.2.json}"
work="$root/target/unknown-fields-cost"
mkdir -p "$work"

cargo build -q --release --manifest-path "$root/Cargo.toml" -p specwright --bin specwright
generator="$root/target/release/specwright"
export CARGO_TARGET_DIR="$work/target"
export CARGO_INCREMENTAL=0

# strip FILE: takes out each `unknown_fields` field (its doc and declaration), what the
# written-out serde impls do with it (its local, the arm that fills it, the write of its
# properties: unknown keys are then skipped), and each initializer of one.
strip() {
  python3 - "$1" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
rules = [
    (r"\n\s*/// Properties the spec does not declare[^\n]*\n(\s*#\[serde\(flatten\)\]\n)?"
     r"\s*pub unknown_fields: runtime::UnknownFields,", ""),
    (r"\n\s*object\.rest\(&self\.unknown_fields\)\?;", ""),
    (r"\n\s*let mut unknown_fields = Default::default\(\);", ""),
    (r"runtime::object::Rest::take\(\s*&mut unknown_fields,\s*(\w+)\.into_string\(\),"
     r"\s*&mut (\w+),?\s*\)", r"runtime::object::skip(&mut \2)"),
    (r"\n\s*unknown_fields,(?=\n)", ""),
    (r"Self \{ unknown_fields \}", "Self {}"),
    (r", unknown_fields \}", " }"),
    (r"\n\s*unknown_fields: Default::default\(\),", ""),
]
for pattern, replacement in rules:
    text = re.sub(pattern, replacement, text)
open(path, "w").write(text)
PY
}

"$generator" generate "$spec" --crate "$work/keep" --name keep --runtime-path "$root/runtime" >/dev/null 2>&1
rm -rf "$work/drop"
cp -r "$work/keep" "$work/drop"
sed -i 's/^name = "keep"/name = "drop"/' "$work/drop/Cargo.toml"
strip "$work/drop/src/lib.rs"
for dir in keep drop; do
  grep -q '^\[workspace\]' "$work/$dir/Cargo.toml" || printf '\n[workspace]\n' >>"$work/$dir/Cargo.toml"
  cp "$root/Cargo.lock" "$work/$dir/Cargo.lock"
  (cd "$work/$dir" && cargo check -q) >/dev/null
done
count() { grep -c 'pub unknown_fields: runtime::UnknownFields' "$1" || true; }
echo "structs with unknown_fields: $(count "$work/keep/src/lib.rs") in one form, $(count "$work/drop/src/lib.rs") in the other"

median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
declare -A cpu wall
for round in $(seq "$rounds"); do
  for dir in keep drop; do
    touch "$work/$dir/src/lib.rs"
    times=$( { (cd "$work/$dir" && /usr/bin/time -f '%U %S %e' cargo check -q) 2>&1 >/dev/null; } | tail -1)
    read -r user sys elapsed <<<"$times"
    seconds=$(awk "BEGIN{print $user + $sys}")
    cpu[$dir]+="$seconds "
    wall[$dir]+="$elapsed "
    echo "round $round, $dir: cpu $seconds s, wall $elapsed s"
  done
done
# shellcheck disable=SC2086
keep_cpu=$(median ${cpu[keep]}) drop_cpu=$(median ${cpu[drop]})
# shellcheck disable=SC2086
keep_wall=$(median ${wall[keep]}) drop_wall=$(median ${wall[drop]})
printf 'cargo check, median CPU s: with %s, without %s: %.2fx\n' "$keep_cpu" "$drop_cpu" "$(awk "BEGIN{print $keep_cpu / $drop_cpu}")"
printf 'cargo check, median wall s: with %s, without %s: %.2fx\n' "$keep_wall" "$drop_wall" "$(awk "BEGIN{print $keep_wall / $drop_wall}")"

[ -n "$decode" ] || exit 0

bench="$work/decode"
mkdir -p "$bench/src"
"$generator" generate "$spec" --out "$bench/src/keep.rs" >/dev/null 2>&1
cp "$bench/src/keep.rs" "$bench/src/drop.rs"
strip "$bench/src/drop.rs"
printf '%s' "$spec" >"$bench/spec.txt"
cp "$root/Cargo.lock" "$bench/Cargo.lock"
sed "s|@GENERATOR@|$root/generator|" "$root/scripts/decode-bench/Cargo.toml.in" >"$bench/Cargo.toml"
cp "$root/scripts/decode-bench/build.rs" "$bench/build.rs"
cp "$root/scripts/decode-bench/main.rs" "$bench/src/main.rs"
(cd "$bench" && cargo run -q --release)
