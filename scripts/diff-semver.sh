#!/usr/bin/env bash
# Ground truth for `specwright diff`'s verdicts for Rust callers: for every spec pair of
# tests/diff/pairs.yaml, generate both crates and ask cargo-semver-checks (crates.io, pinned
# below, installed into .tools/semver-checks) whether the new one breaks the old one's API.
# Writes docs/diff-semver.md: per pair, the diff's source verdict, semver-checks' verdict
# and the lints that fired, and whether the two agree. Exits 1 when any pair disagrees.
#
# Usage: scripts/diff-semver.sh [CASE...]     # every pair, or the named ones
#
# The pairs are written by the diff test (cargo test -p generator-tests --test diff) into
# target/tmp/diff-pairs/CASE/{old,new}.json, which this script runs first. The crates go to
# target/diff-semver/CASE/{old,new}, all built in one target directory. About 10 minutes on
# 2 cores once the dependencies are built, plus the first install of cargo-semver-checks.
set -euo pipefail

SEMVER_CHECKS_VERSION="0.51.0"

cd "$(dirname "$0")/.."
root="$(pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
tools="$root/.tools/semver-checks"
if [ "$("$tools/bin/cargo-semver-checks" semver-checks --version 2>/dev/null)" != "cargo-semver-checks $SEMVER_CHECKS_VERSION" ]; then
  echo "diff-semver: installing cargo-semver-checks $SEMVER_CHECKS_VERSION into $tools" >&2
  cargo install --quiet --locked cargo-semver-checks --version "$SEMVER_CHECKS_VERSION" --root "$tools"
fi
export PATH="$tools/bin:$PATH"

cargo build --quiet -p specwright --bin specwright
generator="$target/debug/specwright"
cargo test --quiet -p generator-tests --test diff >/dev/null
pairs="$target/tmp/diff-pairs"

if [ "$#" -gt 0 ]; then
  cases=("$@")
else
  mapfile -t cases < <(ls "$pairs")
fi

work="$target/diff-semver"
mkdir -p "$work"
export CARGO_TARGET_DIR="$work/target"
table="$work/table.md"
: > "$table"
disagree=0
for case in "${cases[@]}"; do
  dir="$work/$case"
  rm -rf "$dir"
  for side in old new; do
    "$generator" generate "$pairs/$case/$side.json" --crate "$dir/$side" --name pets --runtime-path "$root/runtime" >/dev/null
    # Version 1.0.0, so that semver-checks' "minor release" means "no breaking change".
    sed -i 's/^version = "0.1.0"$/version = "1.0.0"/' "$dir/$side/Cargo.toml"
    # A workspace of its own: the crate sits below this repository's workspace root.
    printf '\n[workspace]\n' >> "$dir/$side/Cargo.toml"
  done
  ours="$("$generator" diff "$pairs/$case/old.json" "$pairs/$case/new.json" --format json |
    python3 -c 'import json,sys; print("breaking" if json.load(sys.stdin)["breaks"]["source"] else "not breaking")')"
  log="$dir/semver-checks.log"
  if cargo semver-checks check-release --manifest-path "$dir/new/Cargo.toml" \
      --baseline-root "$dir/old" --release-type minor --all-features >"$log" 2>&1; then
    theirs="not breaking"
    lints=""
  elif grep -q -- "--- failure" "$log"; then
    theirs="breaking"
    lints="$(grep -o -- '--- failure [a-z_]*' "$log" | sed 's/--- failure //' | sort -u | paste -sd, - | sed 's/,/, /g')"
  else
    echo "diff-semver: cargo-semver-checks failed on $case:" >&2
    cat "$log" >&2
    exit 1
  fi
  # A pair whose only break is a changed type: cargo-semver-checks has no lint for it.
  gap="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["no_semver_lint"] or "")' "$pairs/$case/case.json")"
  if [ "$ours" = "$theirs" ] && [ -z "$gap" ]; then
    agree="yes"
  elif [ -n "$gap" ] && [ "$ours" = "breaking" ] && [ "$theirs" = "not breaking" ]; then
    agree="no lint: $gap"
  else
    agree="**no**"
    disagree=$((disagree + 1))
  fi
  echo "$case: diff $ours, semver-checks $theirs${lints:+ ($lints)}" >&2
  echo "| $case | $ours | $theirs | ${lints:-} | $agree |" >> "$table"
done

{
  cat <<HEADER
# \`specwright diff\` against cargo-semver-checks

Written by \`scripts/diff-semver.sh\` (cargo-semver-checks $SEMVER_CHECKS_VERSION). For each spec
pair of \`tests/diff/pairs.yaml\` (one change kind each), both crates are generated, and
\`cargo semver-checks check-release --release-type minor\` says whether the new crate breaks code
written against the old one; \`specwright diff\`'s verdict for Rust callers (source) must agree.

| pair | diff: Rust callers | cargo-semver-checks | lints that fired | agree |
|---|---|---|---|---|
HEADER
  cat "$table"
  cat <<'FOOTER'

"no lint" marks a pair whose only break is a changed type (of a field, an argument, a
result): cargo-semver-checks compares no types, so it passes them; the Rust compiler does not
(see docs/diff.md). A pair marked so that cargo-semver-checks does flag counts as a
disagreement, so the marks stay true.
FOOTER
} > docs/diff-semver.md
echo "diff-semver: ${#cases[@]} pairs, $disagree disagreements; table in docs/diff-semver.md" >&2
[ "$disagree" -eq 0 ]
