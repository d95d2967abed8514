"""Compares the clients generated from Swagger 2.0 specs read natively and through
swagger2openapi (`scripts/swagger2-compare.sh` makes them), and puts each difference down to
the departure from swagger2openapi that explains it.

An item is a client method (with the request it builds and the responses it reads) or a type
(its definition and impls), doc comments left out. The departures are those of
generator/src/load/swagger2.rs's module docs; a difference none of them explains is listed
with its first differing lines.
"""

import collections
import difflib
import os
import re
import sys

# (key, what the native reading does, and why), in the order the module docs list them.
REASONS = {
    "produces": "no `produces` anywhere is `application/json` (swagger2openapi: `*/*`, read as bytes); a `type: file` response in JSON media types is `application/octet-stream`",
    "file-form": "a form with a `type: file` field is `multipart/form-data`, whatever the operation consumes",
    "examples": "an example in a media type the operation does not produce adds that media type with the response's schema",
    "nullable": "`x-nullable` beside a `$ref` (and `x-isnullable`) is nullable (swagger2openapi drops a `$ref`'s siblings)",
    "tsv": "`tsv` is sent as `csv`, with a warning (swagger2openapi leaves 3.0's default, `form` exploded)",
    "bodies": "inline request bodies are not gathered into `components.requestBodies` (swagger2openapi's shared bodies name the body type after the component)",
    "names": "component names are kept as written (swagger2openapi replaces characters outside `[A-Za-z0-9_.-]`)",
    "ms": "Azure's `x-ms-enum` (variant names, a named inline enum) and `x-ms-discriminator-value` are read",
    "patterns": "path templates' parameter patterns are dropped, and a path parameter the spec forgot is declared (swagger2openapi keeps the template as written)",
    "required": "a form with a required field is a required body (swagger2openapi leaves the body optional, so a client could send no form at all)",
    "refs": "a schema `$ref` to a definition the document lacks is any JSON value, with a warning (swagger2openapi writes it on, and its document is refused for it)",
    "order": "the document's order is kept (of responses, properties, variants); swagger2openapi's output has JavaScript's, which puts integer-like keys such as status codes first, ascending",
    "dedup": "a consequence of the above: two types of the same shape are merged (one an alias of the other) in one reading and not in the other",
}
UNEXPLAINED = "unexplained"

ITEM = re.compile(r"^    (?:pub (?:struct|enum|type|fn) |impl\b)")
NAME = re.compile(r"^    pub (?:struct|enum|type|fn) (\w+)")
IMPL = re.compile(r"^    impl(?:<[^>]*>)? (?:[\w:<>']+ for )?(\w+)")


def joined(lines):
    """The lines, with an `impl` header that prettyplease broke over lines made one."""
    out = []
    for line in lines:
        if out and out[-1].startswith("    impl") and not out[-1].rstrip().endswith("{"):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return out


def items(path):
    """{("method" or "type", name): [lines]} of a generated client; an item's attributes
    are its own, though they come before it."""
    text = open(path, encoding="utf-8").read()
    lines = joined(text.splitlines())
    found = collections.defaultdict(list)
    region = None
    current = None
    attributes = []
    for line in lines:
        if line.startswith("impl Client {"):
            region, current = "method", None
            continue
        if line.startswith("pub mod types {"):
            region, current = "type", None
            continue
        if line.startswith("runtime::mock_items!") or line.startswith("pub mod mock"):
            region, current = None, None
            continue
        if region is None:
            continue
        stripped = line.strip()
        if stripped.startswith("///") or stripped.startswith("//!") or stripped == "#[rustfmt::skip]":
            continue
        if line.startswith("    #["):
            attributes.append(stripped)
            continue
        if ITEM.match(line):
            match = NAME.match(line) or IMPL.match(line)
            if match:
                current = (region, match.group(1))
        if current is not None:
            found[current] += attributes + [stripped]
        attributes = []
    return found


UNIT_VARIANT = re.compile(r"^(\w+),$")
TYPE_NAME = re.compile(r"\b[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*\b")


def reason_for(native, converted, name, native_items):
    """The departure that explains how two versions of an item differ."""
    if sorted(native) == sorted(converted):
        return "order"
    removed = [l for l in converted if l not in native]
    added = [l for l in native if l not in converted]
    both = "\n".join(removed + added)
    aliases = [l.startswith("pub type ") for l in (native[0:1] + converted[0:1])]
    if any(aliases) and not all(aliases):
        return "dedup"
    if all(aliases):
        return "dedup"
    if any(l.startswith("body: Option<&types::") for l in removed) and any(
        l.startswith("body: &types::") for l in added
    ):
        return "required"
    if len(removed) == len(added) and all(
        len(set(TYPE_NAME.findall(a)) ^ set(TYPE_NAME.findall(r))) == 2
        and TYPE_NAME.sub("T", a) == TYPE_NAME.sub("T", r)
        for a, r in zip(sorted(added), sorted(removed))
    ):
        # Only the name of a type used differs: a type of the same shape as another, named
        # after another of its uses.
        return "dedup"
    if ("type", name + "2") in native_items:
        return "names"
    if "x-ms-" in both or "Microsoft." in both:
        return "ms"
    if ("Vec<u8>" in "\n".join(removed)) != ("Vec<u8>" in "\n".join(added)):
        return "produces"
    units = {m.group(1) for l in removed if (m := UNIT_VARIANT.match(l))}
    if any(l.startswith(tuple(u + "(" for u in units)) for l in added):
        return "examples"
    if "*/*" in both or "application/octet-stream" in both or "ok_bytes" in both and "ok_json" in both:
        return "produces"
    if any("multipart(" in l for l in added) and any(".form(" in l for l in removed):
        return "file-form"
    if "Option<Option<" in both or "Nullable" in both:
        return "nullable"
    if "QueryStyle::" in both:
        return "tsv"
    if "accept(" in both or "err_json" in both or "ok_json" in both:
        return "examples"
    return None


def shape(lines, name):
    """An item's text with its own name taken out, to find it under another name."""
    return [re.sub(r"\b" + re.escape(name) + r"\b", "SELF", l) for l in lines]


def compare(native_path, converted_path):
    """[(kind, name, reason key, excerpt)] of the items that differ."""
    native, converted = items(native_path), items(converted_path)
    differences = []
    only_native = [k for k in native if k not in converted]
    only_converted = [k for k in converted if k not in native]
    # A type or method under another name: the body matches once the names are taken out.
    renamed = set()
    by_shape = {}
    for key in only_converted:
        by_shape.setdefault("\n".join(shape(converted[key], key[1])), []).append(key)
    for key in only_native:
        match = by_shape.get("\n".join(shape(native[key], key[1])))
        if match:
            other = match.pop()
            renamed.update([key, other])
            reason = "bodies" if key[0] == "method" or other[1].endswith("Body") else "names"
            differences.append((key[0], f"{other[1]} → {key[1]}", reason, ""))
    for key in only_native:
        if key not in renamed:
            differences.append((key[0], key[1], guess_only(key, native), "only in the native reading"))
    for key in only_converted:
        if key not in renamed:
            differences.append((key[0], key[1], guess_only(key, converted), "only in swagger2openapi's"))
    for key in native:
        if key in converted and native[key] != converted[key]:
            reason = reason_for(native[key], converted[key], key[1], native)
            excerpt = ""
            if reason is None:
                diff = [l for l in difflib.unified_diff(converted[key], native[key], lineterm="", n=0)
                        if l[:1] in "+-" and not l.startswith(("+++", "---"))]
                excerpt = " / ".join(diff[:4])
            differences.append((key[0], key[1], reason, excerpt))
    return differences


def guess_only(key, side):
    """Why an item is in one reading only."""
    kind, name = key
    text = "\n".join(side[key])
    # A name two components share once made Rust (`X[]` and `X`), which swagger2openapi
    # had already told apart (`XArray`).
    if kind == "type" and (re.search(r"\d$", name) or name.endswith("Array")):
        return "names"
    if kind == "type" and re.search(r"(Ok|Created|Accepted|Error|Response)\w*Body$", name):
        # A response's type, where the other reading has bytes.
        return "produces"
    if kind == "type" and ("Request" in name or "Body" in name):
        return "bodies"
    if kind == "type" and "enum" in text:
        return "ms"
    return None


def main():
    work, out, command = sys.argv[1:4]
    names = sorted({f.rsplit(".native.", 1)[0] for f in os.listdir(work) if ".native." in f})
    rows = []
    totals = collections.Counter()
    unexplained = []
    for name in names:
        native = os.path.join(work, name + ".native.rs")
        converted = os.path.join(work, name + ".s2o.rs")
        if not os.path.exists(native) or not os.path.exists(converted):
            why = "native refused" if not os.path.exists(native) else "swagger2openapi's refused"
            refused = os.path.join(work, name + ".s2o.refused")
            if os.path.exists(refused):
                why = open(refused).read().strip()
            for key, marker in (("patterns", "path template names"), ("refs", "does not name a schema")):
                if marker in why:
                    why = f"{why} (**{key}**)"
                    totals[key] += 1
            rows.append((name, None, why))
            continue
        differences = compare(native, converted)
        counts = collections.Counter(reason or UNEXPLAINED for _, _, reason, _ in differences)
        totals.update(counts)
        totals["items"] += len(items(native))
        rows.append((name, (len(items(native)), counts), ""))
        for kind, item, reason, excerpt in differences:
            if reason is None:
                unexplained.append((name, kind, item, excerpt))
    keys = list(REASONS) + [UNEXPLAINED]
    head = ["spec", "items", "same"] + keys
    table = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for name, data, why in rows:
        if data is None:
            table.append(f"| {name} | {why} |" + " |" * (len(head) - 2))
            continue
        count, counts = data
        same = count - sum(counts.values())
        table.append("| " + " | ".join([name, str(count), str(same)] + [str(counts.get(k, 0)) for k in keys]) + " |")
    same_total = sum(data[0] - sum(data[1].values()) for _, data, _ in rows if data is not None)
    table.append("| **total** | **" + str(totals["items"]) + "** | **" + str(same_total) + "** | "
                 + " | ".join("**" + str(totals.get(k, 0)) + "**" for k in keys) + " |")
    legend = "\n".join(f"- **{k}**: {v}" for k, v in REASONS.items())
    text = f"""<!-- swagger2-compare: written by {command}; do not edit by hand -->
## Against swagger2openapi

Written by `{command}`: each spec converted by swagger2openapi 7.0.8 (`--patch --warnOnly`),
then the native reading's client and the conversion's compared item by item: each client
method (the request it builds and the responses it reads) and each type, doc comments left
out. *items* counts the native client's; *same* those identical in both. A differing item is
counted under the departure from swagger2openapi that explains it (generator/src/load/swagger2.rs
lists them); a conversion the generator refuses is shown with its error and the departure that
explains it:

{legend}
- **unexplained**: none of these; listed below.

{chr(10).join(table)}

"""
    if unexplained:
        text += "### Unexplained differences\n\n"
        for name, kind, item, excerpt in unexplained:
            text += f"- {name}: {kind} `{item}`: {excerpt}\n"
    else:
        text += "Every difference is explained.\n"
    text += "<!-- /swagger2-compare -->\n"
    existing = open(out, encoding="utf-8").read() if os.path.exists(out) else ""
    start = existing.find("<!-- swagger2-compare")
    end = existing.find("<!-- /swagger2-compare -->")
    if start >= 0 and end >= 0:
        existing = existing[:start] + text + existing[end + len("<!-- /swagger2-compare -->\n"):]
    else:
        existing = (existing.rstrip("\n") + "\n\n" if existing else "") + text
    open(out, "w", encoding="utf-8").write(existing)
    print(f"wrote {out}: {totals['items']} items, {same_total} the same, {totals.get(UNEXPLAINED, 0)} unexplained")


if __name__ == "__main__":
    main()
