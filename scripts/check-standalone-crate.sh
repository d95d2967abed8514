#!/usr/bin/env bash
# Generates the Zenskar client as a standalone crate outside this workspace and checks that
# `cargo check` accepts it as it is, with clippy's default lints denied.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cargo run -q --manifest-path "$root/Cargo.toml" -p generator -- \
  generate "$root/specs/zenskar.yaml" --crate "$dir/zenskar" --name zenskar
cd "$dir/zenskar"
CARGO_TARGET_DIR="$root/target/standalone" cargo clippy -q -- -D warnings
echo "standalone crate: cargo check and clippy passed"
