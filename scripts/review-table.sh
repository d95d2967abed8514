#!/usr/bin/env bash
# How a reviewer sees a spec change: for each edit of scripts/review_edits.py (a field added,
# removed or renamed; an enum value added; an operation added; on Zenskar, and a field added
# to GitHub's full-repository), the spec is generated before and after the edit, by this
# checkout's generator and by main's before issue 30 (scripts/previous-generator.sh), and the
# two outputs compared as a pull request shows them (`git diff`, three lines of context):
# hunks and changed lines. Writes the table to docs/review.md (or the path given).
#   scripts/review-table.sh [OUT]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/docs/review.md}"
work="$root/target/review-table"
rm -rf "$work" && mkdir -p "$work"
cargo build -q --release --manifest-path "$root/Cargo.toml" -p specwright --bin specwright
ours="$root/target/release/specwright"
read -r previous _ < <("$root/scripts/previous-generator.sh")
zenskar="$root/specs/zenskar.yaml"
github="$("$root/scripts/bench-setup.sh")"

# hunks GENERATOR SPEC EDIT: "hunks lines" of the diff the edit makes in GENERATOR's output.
hunks() {
  local generator="$1" spec="$2" edit="$3" dir
  dir="$work/$(basename "$generator")-$edit-$RANDOM"
  mkdir -p "$dir/before" "$dir/after"
  # One file name on both sides: the @generated line names it. Both are written by the same
  # script, so that nothing but the edit differs between them.
  python3 "$root/scripts/review_edits.py" none "$spec" "$dir/before/spec.json"
  python3 "$root/scripts/review_edits.py" "$edit" "$spec" "$dir/after/spec.json"
  "$generator" generate "$dir/before/spec.json" --out "$dir/before.rs" >/dev/null 2>&1
  "$generator" generate "$dir/after/spec.json" --out "$dir/after.rs" >/dev/null 2>&1
  git diff --no-index -U3 "$dir/before.rs" "$dir/after.rs" >"$dir/diff" || true
  echo "$(grep -c '^@@' "$dir/diff") $(grep -c '^[-+][^-+]' "$dir/diff")"
}

{
  echo "# Reviewing a spec change"
  echo
  echo "Written by \`scripts/review-table.sh\`: each spec edit generated before and after, and"
  echo "the outputs compared as a pull request shows them (\`git diff\`, three lines of context)."
  echo "\"Before\" is main at f911c8a, when each struct's \`Serialize\` and \`Deserialize\` were"
  echo "written out beside it; \"after\" is this checkout, where types derive them."
  echo
  echo "| spec | edit | hunks before | hunks after | lines changed before | lines changed after |"
  echo "|---|---|---:|---:|---:|---:|"
  for edit in add-optional-field remove-optional-field rename-field add-enum-value add-operation github-add-optional-field; do
    spec="$zenskar" name=Zenskar
    case "$edit" in github-*) spec="$github" name="GitHub 23.0.2" ;; esac
    read -r before_hunks before_lines < <(hunks "$previous" "$spec" "$edit")
    read -r after_hunks after_lines < <(hunks "$ours" "$spec" "$edit")
    echo "| $name | \`$edit\` | $before_hunks | $after_hunks | $before_lines | $after_lines |"
  done
} >"$out"
cat "$out"
