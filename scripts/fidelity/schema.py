"""OpenAPI schemas as JSON Schema (draft 7), which `jsonschema` checks values against and
`hypothesis-jsonschema` draws values from.

The rewrite of OpenAPI 3.0's idioms:

- `nullable: true` admits `null`: the schema becomes `anyOf: [schema, {type: null}]` (with an
  `enum` too, although OpenAPI 3.0.3 asks for `null` among its values; the generator, and
  most readers, admit `null` either way).
- `exclusiveMinimum: true` beside `minimum` becomes the numeric form, and the same for the
  maximum; `exclusiveMinimum: false` goes.
- `discriminator`, `xml`, `example`, `examples`, `readOnly`, `writeOnly`, `deprecated`,
  `externalDocs`, `default`, `x-` extensions and the like are annotations: they go.
- `format` is an annotation (`jsonschema` checks none by default), except that the integer
  formats name ranges (OpenAPI's table of data types: `int32` is a signed 32-bit integer), and
  an integer with no format is taken as `int64`: a JSON integer past 64 bits is beyond what
  clients in most languages hold (RFC 8259, section 6), and `hypothesis` draws them.
- A schema with `properties`, `required` or `additionalProperties` and no `type` is an object,
  one with `items` an array: OpenAPI tools (the generator among them) read them so, where
  JSON Schema would also admit a string.
- `$ref` resolves into the same file or another one; in 3.0 its siblings are ignored, in 3.1
  they apply beside it.

Every schema a `$ref` names becomes an entry of `definitions`, so a bundle is one document.
"""

# Keywords whose value is a schema, a list of schemas, or a map of names to schemas.
ONE = ("additionalProperties", "items", "not", "propertyNames", "contains", "if", "then", "else", "additionalItems")
MANY = ("allOf", "anyOf", "oneOf")
MAP = ("properties", "patternProperties", "dependentSchemas")
# What JSON Schema checks; everything else is dropped.
ASSERTIONS = (
    "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "maxProperties", "minProperties", "required", "format", "dependencies",
)
INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class Bundler:
    """Turns schemas of specs into self-contained JSON Schema documents."""

    def __init__(self, specs, path):
        self.specs = specs
        self.path = path
        self.openapi31 = str(specs.document(path).get("openapi", "")).startswith("3.1")

    def bundle(self, pointer):
        """The schema at `pointer` of the spec, with what it references as `definitions`;
        the schema itself is `definitions/d0`. Raises KeyError if a reference leads nowhere."""
        names = {}
        definitions = {}
        pending = []

        def reference(path, ref):
            target = self.specs.target(path, ref)
            if target not in names:
                names[target] = f"d{len(names)}"
                pending.append(target)
            return {"$ref": f"#/definitions/{names[target]}"}

        names[(self.path, pointer)] = "d0"
        pending.append((self.path, pointer))
        while pending:
            target = pending.pop()
            node, found = self.specs.resolve(*target)
            definitions[names[target]] = self._rewrite(node, found[0], reference)
        ordered = {name: definitions[name] for name in sorted(definitions, key=lambda n: int(n[1:]))}
        return {"$ref": "#/definitions/d0", "definitions": ordered}

    def _rewrite(self, node, path, reference):
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            # Not a schema at all: nothing can be said about the value.
            return {}
        if "$ref" in node and isinstance(node["$ref"], str):
            ref = reference(path, node["$ref"])
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if not self.openapi31:
                return ref
            rest = self._rewrite(siblings, path, reference)
            return {"allOf": [ref, rest]} if rest else ref
        out = {}
        for key, value in node.items():
            if key in ONE:
                out[key] = (
                    [self._rewrite(v, path, reference) for v in value]
                    if isinstance(value, list)
                    else self._rewrite(value, path, reference)
                )
            elif key in MANY and isinstance(value, list):
                out[key] = [self._rewrite(v, path, reference) for v in value]
            elif key in MAP and isinstance(value, dict):
                out[key] = {k: self._rewrite(v, path, reference) for k, v in value.items()}
            elif key == "prefixItems" and isinstance(value, list):
                out["items"] = [self._rewrite(v, path, reference) for v in value]
            elif key == "dependentRequired":
                out["dependencies"] = value
            elif key in ASSERTIONS:
                out[key] = value
        if "prefixItems" in node and "items" in node:
            # 3.1's `items` beside `prefixItems` is draft 7's `additionalItems`.
            out["additionalItems"] = self._rewrite(node["items"], path, reference)
            out["items"] = [self._rewrite(v, path, reference) for v in node["prefixItems"]]
        if "dependentSchemas" in out:
            out.setdefault("dependencies", {}).update(out.pop("dependentSchemas"))
        for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            if isinstance(out.get(flag), bool):
                if out.pop(flag) and bound in out:
                    out[flag] = out.pop(bound)
        if "type" not in out:
            if any(k in out for k in ("properties", "required", "additionalProperties")):
                out["type"] = "object"
            elif "items" in out:
                out["type"] = "array"
        types = out.get("type")
        if types == "integer" or (isinstance(types, list) and "integer" in types):
            low, high = INT_RANGES.get(node.get("format"), INT_RANGES["int64"])
            out["minimum"] = max(out.get("minimum", low), low)
            out["maximum"] = min(out.get("maximum", high), high)
        if node.get("nullable") is True:
            return {"anyOf": [out, {"type": "null"}]}
        return out


def inlined(bundle, max_depth):
    """The bundle with its references replaced by what they name, for drawing from
    (`hypothesis-jsonschema` follows none that recur).

    A reference into a schema it is already inside is `false` (no value: an optional
    property is then left out, an array left empty, a `oneOf` branch not taken), and so is
    one more than `max_depth` references deep where leaving it out costs nothing else (an
    optional property, an array's items, a branch): big specs' schemas grow too large to draw
    from in time otherwise. Under `not`, `true` takes the place of `false`. A cut branch of
    a `oneOf` admits values that two branches match, so what is drawn is checked against the
    whole bundle afterwards."""
    definitions = bundle["definitions"]

    def walk(node, stack, positive, optional):
        if isinstance(node, list):
            return [walk(v, stack, positive, optional) for v in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name in stack or (optional and len(stack) > max_depth):
                return not positive
            return walk(definitions[name], stack + (name,), positive, optional)
        required = node.get("required", [])
        out = {}
        for key, value in node.items():
            if key == "properties":
                out[key] = {
                    k: walk(v, stack, positive, k not in required) for k, v in value.items()
                }
            elif key == "items":
                out[key] = walk(value, stack, positive, not node.get("minItems"))
            elif key in ("anyOf", "oneOf", "additionalProperties", "patternProperties"):
                out[key] = (
                    {k: walk(v, stack, positive, True) for k, v in value.items()}
                    if key == "patternProperties"
                    else walk(value, stack, positive, True)
                )
            elif key in ONE or key in MANY:
                out[key] = walk(value, stack, positive != (key == "not"), optional)
            elif key in MAP or key == "dependencies":
                out[key] = {k: walk(v, stack, positive, optional) for k, v in value.items()}
            else:
                out[key] = value
        return out

    return walk(definitions["d0"], ("d0",), True, False)
