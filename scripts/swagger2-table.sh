#!/usr/bin/env bash
# What becomes of each Swagger 2.0 spec of a folder: the corpus harness generates a crate from
# each and `cargo check`s it; the table (spec, operations, types, warnings, result, and for a
# refused spec the located reason) goes into docs/swagger2.md, above the comparison with
# swagger2openapi that scripts/swagger2-compare.sh writes there.
#   scripts/swagger2-table.sh [CORPUS] [OUT]   (default ../shared/corpus/swagger2, docs/swagger2.md)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-$root/../shared/corpus/swagger2}"
out="${2:-$root/docs/swagger2.md}"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# One check at a time: the crates are checked in one target directory, which the runs share.
cargo run -q -p specwright-harness --release --bin corpus -- "$corpus" --jobs 1 \
  --work-dir target/corpus-swagger2 --out "$work/table.md" > /dev/null
python3 - "$work/table.md" "$out" "scripts/swagger2-table.sh${1:+ $1}" "$corpus" <<'PY'
import os, sys
table, out, command, corpus = sys.argv[1:5]
rows = []
for line in open(table, encoding="utf-8"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) < 8 or cells[0] in ("spec", "") or cells[0].startswith("---"):
        continue
    spec, operations, types, warnings, _, _, result, error = cells[:8]
    rows.append((os.path.basename(spec), operations, types, warnings, result, error))
rows.sort()
results = {}
for row in rows:
    results[row[4]] = results.get(row[4], 0) + 1
total_ops = sum(int(r[1]) for r in rows if r[1].isdigit())
total_types = sum(int(r[2]) for r in rows if r[2].isdigit())
lines = ["| spec | operations | types | warnings | result |", "|---|---:|---:|---:|---|"]
for spec, operations, types, warnings, result, error in rows:
    shown = result if not error else f"{result}: {error}"
    lines.append(f"| {spec} | {operations} | {types} | {warnings} | {shown} |")
lines.append(f"| **{len(rows)} specs** | **{total_ops}** | **{total_types}** | | **"
             + ", ".join(f"{n} {r}" for r, n in sorted(results.items())) + "** |")
text = f"""<!-- swagger2-table: written by {command}; do not edit by hand -->
# Swagger 2.0: the real specs

Written by `{command}`: the corpus harness
(`cargo run -p specwright-harness --release --bin corpus`) on each of the {len(rows)} real Swagger 2.0
documents of `{os.path.relpath(corpus)}` (their sources are in its `SOURCES.tsv`), read natively
(generator/src/load/swagger2.rs). *passed*: the generated crate passes `cargo check`;
*refused*: the generator stopped, with the located reason shown. *warnings* are the located
warnings it gave: the spec's own mistakes, coped with, and what OpenAPI 3 cannot say.

{chr(10).join(lines)}
<!-- /swagger2-table -->
"""
existing = open(out, encoding="utf-8").read() if os.path.exists(out) else ""
start, marker = existing.find("<!-- swagger2-table"), "<!-- /swagger2-table -->\n"
end = existing.find(marker)
if start >= 0 and end >= 0:
    existing = existing[:start] + text + existing[end + len(marker):]
else:
    existing = text + ("\n" + existing if existing else "")
open(out, "w", encoding="utf-8").write(existing)
print(f"wrote {out}: " + ", ".join(f"{n} {r}" for r, n in sorted(results.items())) + f" of {len(rows)}")
PY
