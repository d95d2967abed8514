#!/usr/bin/env bash
# The GitHub client generated from GitHub's own spec pages through GitHub's own example pages,
# and receives GitHub's own example webhook payloads; and the client generated from Iceberg's
# REST catalog spec gets its OAuth 2 token from the spec's `tokenUrl` (tests/github-pages). The spec is read from ../shared/corpus/real, never copied; the client
# is written to target/github-pages/github with the runtime of this checkout, and only its
# `repos` operations and its `webhooks` are compiled.
#
#   scripts/github-pages.sh [SPEC]
set -euo pipefail
cd "$(dirname "$0")/.."
spec="${1:-../shared/corpus/real/github__rest-api__23.0.2.json}"
spec="$(realpath "$spec")"
log=target/github-pages/generate.log
mkdir -p target/github-pages
# The spec's warnings are the corpus run's business; the log is shown only if generating fails.
cargo run --quiet -p specwright -- generate "$spec" \
    --crate target/github-pages/github --name github --runtime-path runtime >"$log" 2>&1 ||
    { cat "$log"; exit 1; }
# Iceberg's REST catalog, whose client gets its own OAuth 2 token from the spec's `tokenUrl`.
iceberg="$(realpath ../shared/corpus/real/apache__iceberg-rest-catalog__0.0.1.yaml)"
cargo run --quiet -p specwright -- generate "$iceberg" \
    --crate target/github-pages/iceberg --name iceberg --runtime-path runtime >"$log" 2>&1 ||
    { cat "$log"; exit 1; }
cd tests/github-pages
GITHUB_SPEC="$spec" CARGO_TARGET_DIR="$PWD/../../target" cargo test --quiet
