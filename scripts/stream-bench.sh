#!/usr/bin/env bash
# Streams, measured: the event-stream parser against eventsource-stream on one recorded
# stream (runtime/benches/sse.rs), then the generated client's create_chat_completion_stream
# on a recorded OpenAI stream of BYTES (default 1 GiB) from a local server, against reading
# the same bytes as a plain body stream, with the peak memory of the whole run
# (tests/examples/stream_bench.rs). Both print ratios against their baseline in the same run.
#   scripts/stream-bench.sh [BYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
bytes="${1:-1073741824}"
echo "== the parser (cargo bench -p specwright-runtime --bench sse)"
cargo bench -q -p specwright-runtime --bench sse
echo
echo "== the generated client's stream, $bytes bytes (cargo run --release --example stream_bench)"
cargo run -q --release -p generator-tests --example stream_bench -- --bytes "$bytes" 2>/dev/null
