#!/usr/bin/env bash
# Compile time of generated clients, side by side with the code commit 5f56865's generator
# wrote (the baseline of issue 17; its generator is built here, from a worktree of that commit).
# For each crate: `cargo check` and a debug `cargo build` of the crate alone (its dependencies
# built beforehand) after touching its source, and the peak resident size of the check
# (rustc's, through /usr/bin/time); the median of five runs for nexus, three for Zenskar, one
# for GitHub and Microsoft Graph (which take minutes; Graph's is checked only). Incremental compilation is off: after a
# mere touch, rustc's incremental cache would answer most queries, while a changed spec changes
# the whole file, so each run checks and builds the crate from scratch. Progenitor's output for
# nexus is measured in the same run when cargo-progenitor is installed (--install-peers installs
# it into .tools/cargo). The ratios at the end are each taken within this one run, since this
# machine's speed drifts between runs.
# Issue 30 (the derives on generated types): Zenskar, GitHub and Graph are also generated with
# the generator of commit $previous_commit (main before that change, with its own runtime) and
# measured beside ours in the same run; --previous-only measures those rows alone.
#   scripts/compile-bench.sh [--install-peers] [--skip-graph] [--previous-only]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/compile-bench"
export CARGO_TARGET_DIR="$work/target"
export CARGO_INCREMENTAL=0
mkdir -p "$work"
corpus="$root/../shared/corpus"
nexus="$corpus/peers/progenitor/sample_openapi/nexus.json"
graph="$corpus/real/microsoft__graph-v1.0__1.0.1.json"
github="$("$root/scripts/bench-setup.sh")"
progenitor="$root/.tools/cargo/bin/cargo-progenitor"
baseline_commit=5f56865
previous_commit=f911c8a # as scripts/previous-generator.sh builds it
install_peers=false skip_graph=false previous_only=false
for argument in "$@"; do
  case "$argument" in
    --install-peers) install_peers=true ;;
    --skip-graph) skip_graph=true ;;
    --previous-only) previous_only=true ;;
    *) echo "usage: $0 [--install-peers] [--skip-graph] [--previous-only]" >&2; exit 2 ;;
  esac
done

if $install_peers && [ ! -x "$progenitor" ]; then
  cargo install cargo-progenitor --version 0.15.1 --locked --root "$root/.tools/cargo" --target-dir "$root/target/tools"
fi

cargo build -q --release --manifest-path "$root/Cargo.toml" -p specwright --bin specwright
ours="$CARGO_TARGET_DIR/release/specwright"
read -r previous previous_runtime < <("$root/scripts/previous-generator.sh")
previous_src="$(dirname "$previous_runtime")"

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }

# measure RUNS NAME DIR [--check-only] [CARGO OPTIONS...]: prints a table row of the medians
# of RUNS runs, and leaves them in $check and $build, and the crate's lines in $lines.
measure() {
  local runs="$1" name="$2" dir="$3" with_build=true
  shift 3
  if [ "${1:-}" = "--check-only" ]; then
    with_build=false
    shift
  fi
  check="" build=""
  grep -q '^\[workspace\]' "$dir/Cargo.toml" || printf '\n[workspace]\n' >>"$dir/Cargo.toml"
  cp -n "$root/Cargo.lock" "$dir/Cargo.lock" 2>/dev/null || true
  # The dependencies alone, built with an empty crate.
  mv "$dir/src/lib.rs" "$dir/src/lib.rs.measured"
  : >"$dir/src/lib.rs"
  (cd "$dir" && cargo check -q "$@" && cargo build -q "$@") >/dev/null 2>&1
  mv "$dir/src/lib.rs.measured" "$dir/src/lib.rs"
  local checks=() builds=() peaks=() start
  for _ in $(seq "$runs"); do
    touch "$dir/src/lib.rs"
    start=$(now)
    (cd "$dir" && /usr/bin/time -f %M -o "$work/peak" cargo check -q "$@")
    checks+=("$(awk "BEGIN{print $(now) - $start}")")
    peaks+=("$(cat "$work/peak")")
    if $with_build; then
      touch "$dir/src/lib.rs"
      start=$(now)
      (cd "$dir" && cargo build -q "$@")
      builds+=("$(awk "BEGIN{print $(now) - $start}")")
    fi
  done
  lines=$(cat "$dir"/src/*.rs | wc -l)
  check=$(median "${checks[@]}")
  build=$($with_build && printf '%.2f' "$(median "${builds[@]}")" || echo "")
  printf '| %s | %s | %.2f | %s | %d |\n' "$name" "$lines" "$check" "${build:-not measured}" \
    "$(($(median "${peaks[@]}") / 1024))"
}
ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }

# generate GENERATOR SPEC NAME: a crate of its own in $work/NAME.
generate() {
  local generator="$1" spec="$2" name="$3" extra=()
  [ "$generator" = "$ours" ] && extra=(--runtime-path "$root/runtime")
  [ "$generator" = "$previous" ] && extra=(--runtime-path "$previous_src/runtime")
  rm -rf "${work:?}/$name"
  "$generator" generate "$spec" --crate "$work/$name" --name "${name%%-*}" "${extra[@]}" >/dev/null 2>&1
}

echo "| crate | lines | cargo check (s) | cargo build, debug (s) | peak memory of the check (MB) |"
echo "|---|---:|---:|---:|---:|"
# previous_rows: the Zenskar, GitHub and Graph crates of $previous_commit, each beside ours.
previous_rows() {
  generate "$previous" "$root/specs/zenskar.yaml" zenskar-previous
  measure 3 "zenskar ($previous_commit)" "$work/zenskar-previous"
  zenskar_previous=("$check" "$build" "$lines")
  generate "$ours" "$root/specs/zenskar.yaml" zenskar
  measure 3 "zenskar (ours)" "$work/zenskar"
  zenskar_ours=("$check" "$build" "$lines")
  generate "$previous" "$github" github-previous
  measure 1 "github ($previous_commit, all features)" "$work/github-previous"
  github_previous=("$check" "$build" "$lines")
  generate "$ours" "$github" github
  measure 1 "github (ours, all features)" "$work/github"
  github_ours=("$check" "$build" "$lines")
  if ! $skip_graph; then
    generate "$previous" "$graph" graph-previous
    measure 1 "microsoft graph ($previous_commit)" "$work/graph-previous" --check-only
    graph_previous="$check"
    generate "$ours" "$graph" graph
    measure 1 "microsoft graph (ours)" "$work/graph" --check-only
    graph_ours="$check"
  fi
}
previous_ratios() {
  echo "| zenskar, lines, ours / $previous_commit | $(ratio "${zenskar_ours[2]}" "${zenskar_previous[2]}") |"
  echo "| zenskar, check, ours / $previous_commit | $(ratio "${zenskar_ours[0]}" "${zenskar_previous[0]}") |"
  echo "| github, lines, ours / $previous_commit | $(ratio "${github_ours[2]}" "${github_previous[2]}") |"
  echo "| github, all features, check, ours / $previous_commit | $(ratio "${github_ours[0]}" "${github_previous[0]}") |"
  echo "| github, all features, build, ours / $previous_commit | $(ratio "${github_ours[1]}" "${github_previous[1]}") |"
  if ! $skip_graph; then
    echo "| microsoft graph, check, ours / $previous_commit | $(ratio "$graph_ours" "$graph_previous") |"
  fi
}
if $previous_only; then
  previous_rows
  echo
  echo "| ratio | value |"
  echo "|---|---:|"
  previous_ratios
  exit 0
fi
previous_rows
baseline_src="$work/baseline-src"
if [ ! -d "$baseline_src" ]; then
  git -C "$root" worktree add -q --detach "$baseline_src" "$baseline_commit"
fi
CARGO_TARGET_DIR="$work/baseline-generator" \
  cargo build -q --release --manifest-path "$baseline_src/Cargo.toml" -p generator --bin generator
baseline="$work/baseline-generator/release/generator"
generate "$baseline" "$root/specs/zenskar.yaml" zenskar-baseline
measure 3 "zenskar ($baseline_commit)" "$work/zenskar-baseline"
zenskar_base=("$check" "$build")

generate "$ours" "$nexus" nexus
measure 5 "nexus (ours)" "$work/nexus"
nexus_ours="$check"
if [ -x "$progenitor" ]; then
  rm -rf "$work/nexus-progenitor"
  "$progenitor" progenitor -i "$nexus" -o "$work/nexus-progenitor" -n nexus-progenitor -v 0.1.0 >/dev/null
  measure 5 "nexus (progenitor 0.15.1)" "$work/nexus-progenitor"
  nexus_progenitor="$check"
fi

generate "$baseline" "$github" github-baseline
measure 1 "github ($baseline_commit, all features)" "$work/github-baseline"
github_base=("$check" "$build")
measure 1 "github (ours, only \`repos\`)" "$work/github" --no-default-features --features repos
github_repos=("$check" "$build")

if ! $skip_graph; then
  generate "$baseline" "$graph" graph-baseline
  measure 1 "microsoft graph ($baseline_commit)" "$work/graph-baseline" --check-only
  graph_base="$check"
fi

echo
echo "| ratio | value |"
echo "|---|---:|"
previous_ratios
echo "| zenskar, check, ours / $baseline_commit | $(ratio "${zenskar_ours[0]}" "${zenskar_base[0]}") |"
echo "| zenskar, build, ours / $baseline_commit | $(ratio "${zenskar_ours[1]}" "${zenskar_base[1]}") |"
if [ -n "${nexus_progenitor:-}" ]; then
  echo "| nexus, check, ours / progenitor | $(ratio "$nexus_ours" "$nexus_progenitor") |"
fi
echo "| github, all features, check, ours / $baseline_commit | $(ratio "${github_ours[0]}" "${github_base[0]}") |"
echo "| github, all features, build, ours / $baseline_commit | $(ratio "${github_ours[1]}" "${github_base[1]}") |"
echo "| github, only \`repos\`, check / $baseline_commit's all-features check | $(ratio "${github_repos[0]}" "${github_base[0]}") |"
if ! $skip_graph; then
  echo "| microsoft graph, check, ours / $baseline_commit | $(ratio "$graph_ours" "$graph_base") |"
fi
