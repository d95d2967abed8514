#!/usr/bin/env bash
# Builds the generator of main before issue 30 (commit f911c8a, when each struct's serde impls
# were written out beside it), from a worktree of that commit, for the scripts that measure
# its output beside ours (compile-bench.sh, review-table.sh). Prints the binary's path and the
# path of that commit's runtime, which its output must be compiled against.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
commit=f911c8a
src="$root/target/compile-bench/previous-src"
if [ ! -d "$src" ]; then
  git -C "$root" worktree add -q --detach "$src" "$commit" >&2
fi
CARGO_TARGET_DIR="$root/target/compile-bench/previous-generator" \
  cargo build -q --release --manifest-path "$src/Cargo.toml" -p specwright --bin specwright >&2
echo "$root/target/compile-bench/previous-generator/release/specwright $src/runtime"
