#!/usr/bin/env bash
# Which operations of each spec in a folder document a stream form (a success in
# text/event-stream, JSON Lines or a JSON text sequence), and the stream method the generated
# client has for each: the spec counted by reading it, the client by reading what
# `specwright generate` wrote. Writes a Markdown table.
#   scripts/streaming-table.sh [CORPUS] [OUT]   (default ../shared/corpus/real, docs/streaming.md)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-$root/../shared/corpus/real}"
out="${2:-$root/docs/streaming.md}"
cd "$root"
cargo build -q -p specwright --bin specwright
bin="${CARGO_TARGET_DIR:-$root/target}/debug/specwright"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for spec in "$corpus"/*; do
  name="$(basename "$spec")"
  "$bin" generate "$spec" --out "$work/$name.rs" >/dev/null 2>&1 || rm -f "$work/$name.rs"
done
python3 - "$corpus" "$work" "$out" "scripts/streaming-table.sh${1:+ $1}" <<'PY'
import json, os, re, sys
corpus, work, out, command = sys.argv[1:5]
try:
    import yaml
except ImportError:
    yaml = None
STREAMS = {"text/event-stream": "events", "application/jsonl": "JSON Lines",
           "application/x-ndjson": "JSON Lines", "application/x-jsonlines": "JSON Lines",
           "application/jsonlines": "JSON Lines", "application/json-seq": "JSON sequence"}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")

def load(path):
    text = open(path, encoding="utf-8").read()
    if text.lstrip().startswith("{"):
        return json.loads(text)
    return yaml.safe_load(text) if yaml else None

def resolve(doc, node):
    for _ in range(16):
        if not isinstance(node, dict) or "$ref" not in node:
            return node
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return None
        node = doc
        for part in ref[2:].split("/"):
            node = node.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
    return node

def streamed(doc):
    found, errors = [], 0
    for path, item in (doc.get("paths") or {}).items():
        item = resolve(doc, item) or {}
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            success = None
            for status, response in (op.get("responses") or {}).items():
                content = (resolve(doc, response) or {}).get("content") or {}
                kinds = [STREAMS[m.split(";")[0].strip().lower()] for m in content
                         if m.split(";")[0].strip().lower() in STREAMS]
                if not kinds:
                    continue
                if not str(status).startswith("2"):
                    errors += 1
                elif success is None:
                    other = any(m.split(";")[0].strip().lower() not in STREAMS for m in content)
                    success = (op.get("operationId") or f"{method} {path}", kinds[0], other)
            if success:
                found.append(success)
    return found, errors

SIGNATURE = re.compile(r"pub fn (\w+)\([^)]*\)\s*->\s*runtime::EventsCall<\s*'_,\s*(.+?),\s*types::\w+,?\s*>", re.S)
rows, details, total_spec, total_client, total_errors = [], [], 0, 0, 0
for name in sorted(os.listdir(corpus)):
    doc = load(os.path.join(corpus, name))
    found, errors = streamed(doc) if isinstance(doc, dict) else ([], 0)
    generated = os.path.join(work, name + ".rs")
    methods = []
    if os.path.exists(generated):
        text = open(generated, encoding="utf-8").read()
        methods = [(m.group(1), " ".join(m.group(2).split())) for m in SIGNATURE.finditer(text)]
    total_spec += len(found)
    total_client += len(methods)
    total_errors += errors
    if found or methods:
        both = sum(1 for _, _, other in found if other)
        rows.append(f"| {name} | {len(found)} | {both} | {errors} | {len(methods)} |")
        details.append(f"- **{name}**")
        for method, item in methods:
            details.append(f"  - `{method}`: `{item}`")
lines = [
    "# Streaming: which operations get a stream method",
    "",
    f"Written by `{command}`. For each spec, the operations whose success documents a stream",
    "form (`text/event-stream`, JSON Lines, a JSON text sequence), how many of them also",
    "document another form (they keep their method and get `{name}_stream` beside it), and the",
    "methods of the generated client that return a typed stream (`runtime::EventsCall`).",
    "An error response documented as a stream (text-generation-inference's) is read whole, as",
    "text, into the operation's error; those are counted apart. Specs with none are left out.",
    "",
    "| spec | stream forms in the spec | with another form | error responses as streams | stream methods |",
    "|---|---:|---:|---:|---:|",
    *rows,
    f"| **all** | **{total_spec}** | | **{total_errors}** | **{total_client}** |",
    "",
    "## The methods and their item types",
    "",
    *details,
    "",
]
open(out, "w", encoding="utf-8").write("\n".join(lines))
print(f"{total_spec} stream forms, {total_client} stream methods -> {out}")
PY
