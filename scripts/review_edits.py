"""The spec edits of scripts/review-table.sh: each reads a spec (JSON or YAML) and writes it
changed as one real release might change it, as JSON (key order kept); `none` writes it
unchanged, for the side before the edit."""

import copy
import json
import sys

import yaml


def schema(spec, name):
    return spec["components"]["schemas"][name]


def add_optional_field(spec):
    props = schema(spec, "CheckoutSessionResponseSchema")["properties"]
    props["archived_at"] = {
        "type": "string",
        "format": "date-time",
        "description": "When the session was archived.",
    }


def remove_optional_field(spec):
    del schema(spec, "CheckoutSessionResponseSchema")["properties"]["pending_url"]


def rename_field(spec):
    target = schema(spec, "CheckoutSessionResponseSchema")
    target["properties"] = {
        ("trace_id" if key == "correlation_id" else key): value
        for key, value in target["properties"].items()
    }


def add_enum_value(spec):
    schema(spec, "CheckoutSessionStatus")["enum"].append("expired")


def add_operation(spec):
    item = spec["paths"]["/checkout/{checkout_session_id}/cancel"]
    operation = copy.deepcopy(item["post"])
    operation["operationId"] = "expire_checkout_session"
    operation["summary"] = "Expire Checkout Session"
    operation["description"] = "Expires an open checkout session at once."
    spec["paths"]["/checkout/{checkout_session_id}/expire"] = {"post": operation}


def github_add_optional_field(spec):
    props = schema(spec, "full-repository")["properties"]
    props["archived_at"] = {
        "type": "string",
        "format": "date-time",
        "nullable": True,
        "description": "When the repository was archived.",
    }


EDITS = {
    "none": lambda spec: None,
    "add-optional-field": add_optional_field,
    "remove-optional-field": remove_optional_field,
    "rename-field": rename_field,
    "add-enum-value": add_enum_value,
    "add-operation": add_operation,
    "github-add-optional-field": github_add_optional_field,
}

if __name__ == "__main__":
    edit, source, out = sys.argv[1:]
    with open(source) as f:
        spec = yaml.safe_load(f)
    EDITS[edit](spec)
    with open(out, "w") as f:
        json.dump(spec, f, indent=1)
