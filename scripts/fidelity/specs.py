"""Reading specs as the generator reads them, and finding a schema by its JSON pointer."""

import json
import os
import re
from urllib.parse import unquote

import yaml


class _Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML 1.2's core schema, as the generator's reader (serde_yaml) has it.

    PyYAML follows YAML 1.1, where `yes`, `on` and `2020-01-01` are a boolean, a boolean and a
    date; in YAML 1.2, and so in the generator, they are strings.
    """


_Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
]:
    _Yaml12Loader.add_implicit_resolver(
        "tag:yaml.org,2002:" + _tag, re.compile(_pattern), list(_first)
    )


def _yaml12_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


_Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _yaml12_int)


def _string_keys(value):
    """JSON's object keys are strings: YAML's `200:` is the key "200", as the generator has it."""
    if isinstance(value, dict):
        return {_key_text(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


def _key_text(key):
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def load(path):
    """A spec file as JSON values; JSON or YAML by content, like the generator."""
    with open(path, "rb") as file:
        data = file.read()
    text = data.decode("utf-8-sig")
    if text.lstrip().startswith("{"):
        return json.loads(text)
    return _string_keys(yaml.load(text, Loader=_Yaml12Loader))


def unescape(segment):
    return segment.replace("~1", "/").replace("~0", "~")


def escape(segment):
    return segment.replace("~", "~0").replace("/", "~1")


class Specs:
    """Loaded spec files, each read once, and JSON pointers resolved in them."""

    def __init__(self):
        self._files = {}

    def document(self, path):
        path = os.path.normpath(path)
        if path not in self._files:
            self._files[path] = load(path)
        return self._files[path]

    def target(self, path, ref):
        """The (file, pointer) a `$ref` written in `path` names."""
        file, _, fragment = ref.partition("#")
        if file:
            path = os.path.join(os.path.dirname(path), unquote(file))
        return os.path.normpath(path), unquote(fragment)

    def resolve(self, path, pointer):
        """The value at `pointer` in `path`, and the (file, pointer) it was found at.

        A `$ref` met on the way is followed (the generator copies what such references name
        into place, so its pointers run through them). Raises KeyError when nothing is there.
        """
        for _ in range(64):
            node = self.document(path)
            segments = [unescape(s) for s in pointer.split("/")[1:]]
            for index, segment in enumerate(segments):
                if isinstance(node, dict) and segment not in node and "$ref" in node:
                    path, target = self.target(path, node["$ref"])
                    pointer = target + "".join("/" + escape(s) for s in segments[index:])
                    break
                if isinstance(node, dict) and segment in node:
                    node = node[segment]
                elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
                    node = node[int(segment)]
                else:
                    raise KeyError(f"{path}#{pointer}")
            else:
                return node, (path, pointer)
        raise KeyError(f"{path}#{pointer}: references lead round in a circle")
