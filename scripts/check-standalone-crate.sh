#!/usr/bin/env bash
# Generates clients as standalone crates outside this workspace and checks that `cargo clippy`
# accepts them as they are, with warnings denied: the Zenskar client (with and without its
# `mock` and `tracing` features), and the crate of tests/specs/tags.yaml with each of its
# per-tag features alone, with all, and with none. Each depends on this checkout's runtime by
# path, with the workspace's lock file.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
export CARGO_TARGET_DIR="$root/target/standalone"
generate() {
  cargo run -q --manifest-path "$root/Cargo.toml" -p specwright -- generate "$1" --crate "$2" \
    --name "$3" --runtime-path "$root/runtime"
  cp "$root/Cargo.lock" "$2/"
}
generate "$root/specs/zenskar.yaml" "$dir/zenskar" zenskar
(cd "$dir/zenskar" && cargo clippy -q -- -D warnings && cargo clippy -q --no-default-features -- -D warnings \
  && cargo clippy -q --features mock,tracing -- -D warnings)
generate "$root/tests/specs/tags.yaml" "$dir/tags" tags
cd "$dir/tags"
for features in "" "--no-default-features" "--no-default-features --features pets" \
  "--no-default-features --features store-orders"; do
  # shellcheck disable=SC2086 # the options are words on purpose
  cargo clippy -q $features -- -D warnings
done
echo "standalone crates: clippy passed (zenskar, with mock and tracing too; tags with each feature alone, all and none)"
