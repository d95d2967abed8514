#!/usr/bin/env bash
# What the runtime and the crates it pulls in cost a first build, at each REV (a commit, or `.`
# for the working tree): the crates `cargo tree -e normal -p specwright-runtime` lists (default
# features, then all features), the same with build dependencies, and a debug
# `cargo build -p specwright-runtime` (default features: what a generated client's first build
# compiles besides itself) in an empty target directory. Downloads are fetched beforehand and
# not timed; incremental compilation is off, as for a registry dependency. The revisions take
# turns, RUNS rounds (default 3); CPU time (user + system), which other work on the machine
# disturbs less than wall time, and wall time from /usr/bin/time; each ratio is of medians, to
# the first REV. Then the crates each REV adds to and drops from the first's tree.
# scripts/runtime-crate-cost.sh measures the other side: a generated client over a prebuilt
# runtime.
#   RUNS=3 scripts/runtime-build-cost.sh REV [REV...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-3}"
work="$root/target/runtime-build-cost"
export CARGO_INCREMENTAL=0
[ $# -ge 1 ] || {
  echo "usage: scripts/runtime-build-cost.sh REV [REV...]" >&2
  exit 2
}

# Each REV as a workspace of the runtime alone, with the repository's lock file: the versions
# measured are the ones the repository builds with.
revs=()
for rev in "$@"; do
  if [ "$rev" = "." ]; then
    revs+=(".")
  else
    revs+=("$(git -C "$root" rev-parse --short "$rev")")
  fi
done
rm -rf "$work"
for i in "${!revs[@]}"; do
  dir="$work/$i"
  mkdir -p "$dir"
  if [ "${revs[$i]}" = "." ]; then
    cp -r "$root/Cargo.toml" "$root/Cargo.lock" "$root/runtime" "$dir/"
    rm -rf "$dir/runtime/target"
  else
    git -C "$root" archive "${revs[$i]}" Cargo.toml Cargo.lock runtime | tar -x -C "$dir"
  fi
  sed -i -E 's/^(default-)?members = .*/\1members = ["runtime"]/' "$dir/Cargo.toml"
  (cd "$dir" && cargo fetch -q)
done

# crates DIR ARGS...: the distinct crates of the runtime's tree, the runtime itself left out.
crates() {
  local dir="$1"
  shift
  (cd "$dir" && cargo tree -q -p specwright-runtime --prefix none --format '{p}' "$@") |
    sed 's/ (\*)$//; s/ (proc-macro)$//' | grep -v '^specwright-runtime ' | grep -v '^$' | sort -u
}

# clean_build DIR: wall seconds, then CPU seconds, of a build in an empty target directory.
clean_build() {
  local dir="$1"
  rm -rf "$dir/target"
  (cd "$dir" && CARGO_TARGET_DIR="$dir/target" /usr/bin/time -o "$work/time" -f '%e %U %S' \
    cargo build -q -p specwright-runtime)
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/time"
}

declare -A wall cpu
for _ in $(seq "$runs"); do
  for i in "${!revs[@]}"; do
    times="$(clean_build "$work/$i")"
    read -r w c <<<"$times"
    wall[$i]+="$w "
    cpu[$i]+="$c "
  done
done

median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
# shellcheck disable=SC2086 # the runs are words on purpose
{
  base_wall="$(median ${wall[0]})"
  base_cpu="$(median ${cpu[0]})"
  echo "| REV | crates (normal) | all features | with build deps | build CPU (s) | build wall (s) | CPU ratio | wall ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for i in "${!revs[@]}"; do
    dir="$work/$i"
    w="$(median ${wall[$i]})"
    c="$(median ${cpu[$i]})"
    printf '| %s | %d | %d | %d | %.1f | %.1f | %.2f | %.2f |\n' "${revs[$i]}" \
      "$(crates "$dir" -e normal | wc -l)" "$(crates "$dir" -e normal --all-features | wc -l)" \
      "$(crates "$dir" -e normal,build | wc -l)" "$c" "$w" \
      "$(awk "BEGIN{print $c / $base_cpu}")" "$(awk "BEGIN{print $w / $base_wall}")"
  done
  echo
  echo "runs (CPU s / wall s), each REV:"
  for i in "${!revs[@]}"; do
    echo "  ${revs[$i]}: ${cpu[$i]}/ ${wall[$i]}"
  done
}
for i in "${!revs[@]}"; do
  [ "$i" -gt 0 ] || continue
  echo
  echo "${revs[$i]} against ${revs[0]} (normal and build dependencies, default features):"
  diff <(crates "$work/0" -e normal,build) <(crates "$work/$i" -e normal,build) |
    sed -n 's/^> /  + /p; s/^< /  - /p' || true
done
