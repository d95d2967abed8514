#!/usr/bin/env bash
# Generation time of our CLI against progenitor's and ploidy's on the same specs, each the
# median of three runs in this one run, with our time as a ratio to theirs. The peers are
# installed from crates.io into .tools/cargo (pinned versions) when missing.
#   scripts/generation-vs-peers.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools/cargo"
work="$root/target/generation-vs-peers"
mkdir -p "$work"
install() { # crate version binary
  if [ ! -x "$tools/bin/$3" ]; then
    cargo install "$1" --version "$2" --locked --root "$tools" --target-dir "$root/target/tools" >&2
  fi
}
install cargo-progenitor 0.15.1 cargo-progenitor
install ploidy 0.15.0 ploidy
cargo build -q --release --manifest-path "$root/Cargo.toml" -p specwright --bin specwright
corpus="$root/../shared/corpus"
specs=(
  "$root/specs/zenskar.yaml"
  "$corpus/peers/progenitor/sample_openapi/nexus.json"
  "$corpus/real/stripe__api__2023-08-16.yaml"
  "$("$root/scripts/bench-setup.sh")"
)

now() { date +%s.%N; }
# time3 COMMAND...: the median of three wall-clock runs, or "failed".
time3() {
  local runs=() start
  for _ in 1 2 3; do
    rm -rf "$work/out"
    start=$(now)
    if ! "$@" >/dev/null 2>&1; then
      echo failed
      return
    fi
    runs+=("$(awk "BEGIN{print $(now) - $start}")")
  done
  printf '%.2f\n' "$(printf '%s\n' "${runs[@]}" | sort -g | sed -n 2p)"
}
ratio() { [[ "$2" == failed || "$1" == failed ]] && echo "-" || awk "BEGIN{printf \"%.2f\", $1 / $2}"; }

echo "| spec | ours (s) | progenitor (s) | ours / progenitor | ploidy (s) | ours / ploidy |"
echo "|---|---:|---:|---:|---:|---:|"
for spec in "${specs[@]}"; do
  ours=$(time3 "$root/target/release/specwright" generate "$spec" --crate "$work/out" --name out)
  progenitor=$(time3 "$tools/bin/cargo-progenitor" progenitor -i "$spec" -o "$work/out" -n out -v 0.1.0)
  ploidy=$(time3 "$tools/bin/ploidy" generate rust "$spec" -o "$work/out")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$(basename "$spec")" "$ours" "$progenitor" \
    "$(ratio "$ours" "$progenitor")" "$ploidy" "$(ratio "$ours" "$ploidy")"
done
