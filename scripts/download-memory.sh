#!/usr/bin/env bash
# Peak memory (VmHWM) of a process that reads a download of SIZE MiB (default 1024) from a
# local server: streamed with `stream_body()`, and buffered (which the 64 MiB body limit
# refuses: at once when the server sends a Content-Length, where reading reaches the limit
# when it does not, "-unsized"), against a baseline process that starts the same server and
# client and reads nothing. Prints each peak and its ratio to the baseline.
#   scripts/download-memory.sh [SIZE_MIB]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size="${1:-1024}"
cd "$root"
cargo build -q --release -p specwright-runtime --example download_memory
bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/download_memory"
baseline=$("$bin" baseline "$size" | cut -f3)
printf 'mode\tsize\tpeak (KiB)\tx baseline\toutcome\n'
printf 'baseline\t%s MiB\t%s\t1.00\t-\n' "$size" "$baseline"
for mode in streamed streamed-unsized buffered buffered-unsized; do
  IFS=$'\t' read -r _ _ peak outcome < <("$bin" "$mode" "$size")
  ratio=$(python3 -c "print(f'{$peak / $baseline:.2f}')")
  printf '%s\t%s MiB\t%s\t%s\t%s\n' "$mode" "$size" "$peak" "$ratio" "$outcome"
done
