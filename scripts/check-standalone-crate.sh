#!/usr/bin/env bash
# Generates clients as standalone crates outside this workspace and checks that `cargo clippy`
# accepts them as they are, with warnings denied: the Zenskar client (with and without its
# `mock` and `tracing` features, with each date-time backend, and as types only, whose
# dependency tree must hold no reqwest, tokio or futures), the webhook specs (as types only, and
# with the `webhooks` feature alone and without it), and the crate of tests/specs/tags.yaml with each of its
# per-tag features alone, with all, and with none; and that the quick start in the crate docs of
# the Zenskar and tags crates compiles as a doctest. Each depends on this checkout's runtime by
# path, with the workspace's lock file.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
export CARGO_TARGET_DIR="$root/target/standalone"
generate() {
  cargo run -q --manifest-path "$root/Cargo.toml" -p specwright -- generate "$1" --crate "$2" \
    --name "$3" --runtime-path "$root/runtime" "${@:4}"
  cp "$root/Cargo.lock" "$2/"
}
generate "$root/specs/zenskar.yaml" "$dir/zenskar" zenskar
# The crate docs' quick start is a doctest: it compiles against the crate as generated.
(cd "$dir/zenskar" && cargo clippy -q -- -D warnings && cargo clippy -q --no-default-features -- -D warnings \
  && cargo clippy -q --features mock,tracing -- -D warnings && cargo test -q --doc)
for backend in chrono time jiff; do
  generate "$root/specs/zenskar.yaml" "$dir/zenskar-$backend" "zenskar_$backend" --datetime "$backend"
  (cd "$dir/zenskar-$backend" && cargo clippy -q -- -D warnings)
done
# Decimals: every `type: number` a `rust_decimal::Decimal` (the runtime's `decimal` feature).
generate "$root/specs/zenskar.yaml" "$dir/zenskar-decimal" zenskar_decimal --decimal
(cd "$dir/zenskar-decimal" && grep -q 'features = \["decimal"\]' Cargo.toml && cargo clippy -q -- -D warnings)
# Extra derives on every type (those they cannot hold for are left out, with a warning).
generate "$root/specs/zenskar.yaml" "$dir/zenskar-derives" zenskar_derives --derive Eq --derive Hash 2>/dev/null
(cd "$dir/zenskar-derives" && cargo clippy -q --features mock -- -D warnings)
# JSON Schemas of every type, with a date-time backend that schemars knows.
generate "$root/specs/zenskar.yaml" "$dir/zenskar-schemas" zenskar_schemas --derive schemars::JsonSchema --datetime chrono
(cd "$dir/zenskar-schemas" && cargo clippy -q -- -D warnings)
# Types only, with a date-time backend: no client, and nothing of the HTTP side in the build.
generate "$root/specs/zenskar.yaml" "$dir/zenskar-types" zenskar_types --types-only --datetime chrono
(cd "$dir/zenskar-types" && cargo clippy -q -- -D warnings && cargo clippy -q --no-default-features -- -D warnings)
if (cd "$dir/zenskar-types" && cargo tree -q -e normal --prefix none) | grep -E '^(reqwest|tokio|futures-util|hyper) '; then
  echo "a --types-only crate depends on the HTTP side (above)"
  exit 1
fi
# Webhooks: a receiver's crate of types only, with the signature checks but nothing of the
# HTTP side; and a client's, with the webhooks feature alone and without it.
generate "$root/tests/specs/webhook_events.yaml" "$dir/webhook-types" webhook_types --types-only
(cd "$dir/webhook-types" && cargo clippy -q -- -D warnings)
if (cd "$dir/webhook-types" && cargo tree -q -e normal --prefix none) | grep -E '^(reqwest|tokio|futures-util|hyper) '; then
  echo "a --types-only crate with webhooks depends on the HTTP side (above)"
  exit 1
fi
generate "$root/tests/specs/webhooks_github.yaml" "$dir/webhooks-github" webhooks_github
for features in "" "--no-default-features --features webhooks" "--no-default-features --features repos"; do
  # shellcheck disable=SC2086 # the options are words on purpose
  (cd "$dir/webhooks-github" && cargo clippy -q $features -- -D warnings)
done
generate "$root/tests/specs/tags.yaml" "$dir/tags" tags
cd "$dir/tags"
cargo test -q --doc
for features in "" "--no-default-features" "--no-default-features --features pets" \
  "--no-default-features --features store-orders" "--no-default-features --features all-schemas"; do
  # shellcheck disable=SC2086 # the options are words on purpose
  cargo clippy -q $features -- -D warnings
done
echo "standalone crates: clippy passed (zenskar: with mock and tracing, each date-time backend, decimals, derives, JSON Schemas, types only without reqwest or tokio; webhooks in types only and with each feature alone; tags with each feature alone, all and none)"
