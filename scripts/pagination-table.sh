#!/usr/bin/env bash
# Which list operations of each spec in a folder get a paginator, by which scheme, and which
# are left out and why: `specwright generate --explain-pagination` on each spec, summed into
# a Markdown table.
#   scripts/pagination-table.sh [CORPUS] [OUT]   (default ../shared/corpus/real, docs/pagination.md)
# A list operation is one whose success response holds a list of items. It is a *paged* list
# when its parameters or response show paging at all: those the generator reports as "nothing
# in its parameters or response pages" are lists an API returns whole.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-$root/../shared/corpus/real}"
out="${2:-$root/docs/pagination.md}"
cd "$root"
cargo build -q -p specwright --bin specwright
bin="${CARGO_TARGET_DIR:-$root/target}/debug/specwright"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for spec in "$corpus"/*; do
  name="$(basename "$spec")"
  "$bin" generate "$spec" --out "$work/client.rs" --explain-pagination > "$work/$name.txt" 2>/dev/null \
    || echo "refused" > "$work/$name.txt"
done
python3 - "$work" "$out" "scripts/pagination-table.sh${1:+ $1}" <<'PY'
import collections, os, sys
work, out, command = sys.argv[1:4]
GOALS = ["github", "stripe", "openai", "oxide", "spotify", "asana", "box", "sentry"]
WHOLE = "not paged: nothing in its parameters or response pages"
def scheme(note):
    for prefix, name in [("cursor:", "cursor"), ("`Link` header", "link"), ("next URL", "next URL"),
                         ("the last item's id", "last id"), ("offset", "offset"), ("page number", "page")]:
        if note.startswith(prefix):
            return name
    return "other"
rows, reasons, totals = [], collections.defaultdict(list), collections.Counter()
schemes_seen = ["cursor", "link", "next URL", "last id", "offset", "page"]
for name in sorted(os.listdir(work)):
    if not name.endswith(".txt"):
        continue
    spec = name[:-4]
    lines = open(os.path.join(work, name)).read().splitlines()
    if lines == ["refused"]:
        rows.append((spec, None))
        continue
    lists = paged = whole = 0
    by = collections.Counter()
    for line in lines:
        if ": " not in line:
            continue
        operation, note = line.split(": ", 1)
        lists += 1
        if note == WHOLE:
            whole += 1
        elif note.startswith("not paged: "):
            reasons[spec].append((operation, note[len("not paged: "):]))
        else:
            paged += 1
            by[scheme(note)] += 1
    left = lists - whole - paged
    rows.append((spec, (lists, whole, paged, left, by)))
    totals.update({"lists": lists, "whole": whole, "paged": paged, "left": left})
    totals.update({f"s:{k}": v for k, v in by.items()})
def pct(paged, left):
    return "-" if paged + left == 0 else f"{100 * paged / (paged + left):.0f} %"
head = ["spec", "list operations", "returned whole", "paged lists", "with a paginator", *schemes_seen, "left out", "share"]
table = ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 1)]
goal_lines = []
for spec, data in rows:
    if data is None:
        table.append(f"| {spec} | refused |" + " |" * (len(head) - 2))
        continue
    lists, whole, paged, left, by = data
    cells = [spec, lists, whole, paged + left, paged, *[by.get(s, 0) for s in schemes_seen], left, pct(paged, left)]
    table.append("| " + " | ".join(str(c) for c in cells) + " |")
    key = spec.split("__")[0]
    if key in GOALS:
        goal_lines.append(f"| {spec} | {paged} of {paged + left} | {pct(paged, left)} |")
cells = ["**total**", totals["lists"], totals["whole"], totals["paged"] + totals["left"], totals["paged"],
         *[totals.get(f"s:{s}", 0) for s in schemes_seen], totals["left"], pct(totals["paged"], totals["left"])]
table.append("| " + " | ".join(f"**{c}**" if i else str(c) for i, c in enumerate(cells)) + " |")
text = f"""# Pagination: which list operations get a paginator

Written by `{command}`: `specwright generate --explain-pagination` on every spec of the corpus.
A *list operation* has a success response holding a list of items; it is a *paged list* unless
nothing in its parameters or response pages (an API that returns the list whole). Each paged
list gets `{{name}}_stream` (its items) and `{{name}}_pages` (its pages) by the scheme in its
column, or is *left out*, with the reason below. The README's "Pagination" section says how
each scheme is recognised.

## The goal: 90 % of the paged lists of these APIs

| spec | paged lists with a paginator | share |
|---|---:|---:|
{chr(10).join(goal_lines)}

## Every spec

{chr(10).join(table)}

## Left out, and why

Each is a list that takes a paging parameter or returns a paging field, but whose spec does not
say how the two meet; the generator warns about each at its pointer, and a `pagination` rule
(`--pagination`, `Config::pagination`, `specwright.yaml`) declares it. A bare list that takes
an item's id (`after`, `before`: Letta's and Discord's) is one of them: paging it by a `Link`
header its spec never documents would read the first page and end. An operation that
documents a `Link` header but whose success holds no list the generator can page (most of
GitHub's are single objects; three are lists of two arrays or of a union) is counted here too.
The `Link` paginators of lists that document no `Link` header (Sentry's) are guesses, each
warned about at its pointer and marked "guessed" in `--explain-pagination`.

"""
for spec, items in reasons.items():
    text += f"- **{spec}**\n"
    for operation, why in items:
        text += f"  - `{operation}`: {why}\n"
open(out, "w").write(text)
print(f"wrote {out}: {totals['paged']} of {totals['paged'] + totals['left']} paged lists with a paginator")
PY
