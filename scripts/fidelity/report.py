"""Failure classes and the Markdown tables."""

import json
import re
from collections import defaultdict

# What a class's examples list shows of a value.
SHOWN = 160


def short(text, limit=SHOWN):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failure_class(error):
    """A failed round trip's error with its particulars (place, values, names) taken out,
    so that failures of one cause share it."""
    if error.startswith("decode: "):
        message = error[len("decode: "):]
        # serde_path_to_error puts the path first: `a.b[0].c: message`.
        message = re.sub(r"^[^ ]+: ", "", message, count=1)
        message = re.sub(r" at line \d+ column \d+$", "", message)
        message = re.sub(r"expected one of .*", "expected one of the listed values", message)
        message = re.sub(r"`[^`]*`", "…", message)
        message = re.sub(r'"(?:[^"\\]|\\.)*"', "…", message)
        message = re.sub(r"\b(struct|enum|untagged enum|variant|tuple struct) \w+", r"\1 …", message)
        message = re.sub(r"-?\d+(\.\d+)?", "N", message)
        return "decode: " + message
    match = re.match(r"at `[^`]*`: sent (.*), got (.*)$", error)
    if match:
        sent, got = match.groups()
        if got == "nothing":
            return f"re-encoded without a value that was sent ({_kind(sent)})"
        if sent == "nothing":
            return f"re-encoded with a value that was not sent ({_kind(got)})"
        if _kind(sent) == _kind(got):
            return f"re-encoded as another {_kind(sent)}"
        return f"re-encoded differently: {_kind(sent)} became {_kind(got)}"
    return short(error, 80)


def _kind(text):
    try:
        value = json.loads(text.rstrip("…"))
    except ValueError:
        return "value" if not text.startswith(('"', "{", "[")) else {"\"": "string", "{": "object", "[": "array"}[text[0]]
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def spec_fault_class(error):
    """A `jsonschema` error's class: the keyword the value breaks."""
    return f"breaks `{error.validator}`"


def table(header, align, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def grouped(failures, shown=3):
    """`failures` ((class, line) pairs) as a list per class, largest first, with `shown`
    lines of each; "None." if there are none."""
    if not failures:
        return "None.\n"
    classes = defaultdict(list)
    for cls, line in failures:
        classes[cls].append(line)
    out = []
    for cls, lines in sorted(classes.items(), key=lambda item: (-len(item[1]), item[0])):
        out.append(f"- **{cls}** ({len(lines)})")
        out += [f"  - {line}" for line in lines[:shown]]
        if len(lines) > shown:
            out.append(f"  - … and {len(lines) - shown} more")
    return "\n".join(out) + "\n"


def percent(part, whole):
    return f"{100 * part / whole:.1f} %" if whole else "-"
