#!/usr/bin/env bash
# The Zenskar client as `generated/` held it at commit BEFORE (default 81722e9, the last
# before the runtime became a crate of its own) and as it is now: its lines, and `cargo check`
# and a debug `cargo build` of the client crate alone (dependencies built beforehand), side by
# side, alternating, median of five runs each; then the same build with the runtime compiled
# too, which is what a first build of the client costs.
# With AFTER, "after" is `generated/` at that commit instead of the working tree.
#   scripts/runtime-crate-cost.sh [BEFORE [AFTER]]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
before_commit="${1:-81722e9}"
after_commit="${2:-}"
work="$root/target/runtime-crate-cost"
export CARGO_TARGET_DIR="$work/target"
export CARGO_INCREMENTAL=0
rm -rf "$work/before" "$work/after"
mkdir -p "$work/before" "$work/after"
git -C "$root" archive "$before_commit" generated | tar -x -C "$work/before" --strip-components=1
if [ -n "$after_commit" ]; then
  git -C "$root" archive "$after_commit" generated | tar -x -C "$work/after" --strip-components=1
else
  cp -r "$root/generated/." "$work/after/"
fi
for side in before after; do
  sed -i "s|path = \"../runtime\"|path = \"$root/runtime\"|" "$work/$side/Cargo.toml"
  printf '\n[workspace]\n' >>"$work/$side/Cargo.toml"
  cp "$root/Cargo.lock" "$work/$side/Cargo.lock"
  (cd "$work/$side" && cargo build -q && cargo check -q)
done

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
# timed SIDE COMMAND...: seconds of COMMAND in SIDE's directory after touching its source.
timed() {
  local side="$1" start
  shift
  touch "$work/$side/src/lib.rs"
  start=$(now)
  (cd "$work/$side" && "$@")
  awk "BEGIN{print $(now) - $start}"
}

declare -A check build
for _ in 1 2 3 4 5; do
  for side in before after; do
    check[$side]+="$(timed "$side" cargo check -q) "
    build[$side]+="$(timed "$side" cargo build -q) "
  done
done
with_runtime=()
for _ in 1 2 3 4 5; do
  (cd "$work/after" && cargo clean -q -p specwright-runtime)
  with_runtime+=("$(timed after cargo build -q)")
done

# shellcheck disable=SC2086 # the runs are words on purpose
row() { printf '| %s | %s | %.2f | %.2f |\n' "$1" "$2" "$(median $3)" "$(median $4)"; }
echo "| Zenskar client | lines of src/lib.rs | cargo check, crate alone (s) | cargo build, debug, crate alone (s) |"
echo "|---|---:|---:|---:|"
row "before ($before_commit)" "$(wc -l <"$work/before/src/lib.rs")" "${check[before]}" "${build[before]}"
row "after (${after_commit:-now})" "$(wc -l <"$work/after/src/lib.rs")" "${check[after]}" "${build[after]}"
# shellcheck disable=SC2086
printf '\nafter / before: check %.2f, build %.2f\n' \
  "$(awk "BEGIN{print $(median ${check[after]}) / $(median ${check[before]})}")" \
  "$(awk "BEGIN{print $(median ${build[after]}) / $(median ${build[before]})}")"
printf 'after, the runtime compiled too (a first build): %.2f s (median of five)\n' "$(median "${with_runtime[@]}")"
