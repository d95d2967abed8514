"""The data fidelity harness; `scripts/fidelity.sh` sets it up and runs it.

The rule under test: a value valid against its schema decodes into the generated type and
encodes to the same JSON. Two sources of values: every example the specs document
(`--examples`), and values drawn from every component schema (`--instances`).
"""

import argparse
import hashlib
import json
import multiprocessing
import os
import sys
import time

import jsonschema

from . import build, draw, report, schema, specs

# Small real specs with examples and schemas of many kinds, for a quick run in CI.
CI_SPECS = [
    "codat__banking__2.1.0.json",
    "pagerduty__events-api-v2__2.0.json",
    "twilio__lookups-v1__1.0.0.json",
    "urlbox__api__v1.json",
    "vonage__verify__1.2.4.json",
    "webscrapingai__api__3.0.0.json",
    "xero__files__16.1.0.yaml",
]
# And a small Swagger 2.0 one (Azure's: a discriminator told by `x-ms-discriminator-value`,
# examples), from the `swagger2` folder beside the corpus, when there is one.
CI_SWAGGER2_SPECS = ["azure__monitor-alertrules__2016-03-01.json"]


def arguments():
    parser = argparse.ArgumentParser(prog="scripts/fidelity.sh", description=__doc__)
    parser.add_argument("--corpus", default="../shared/corpus/real", help="folder of specs")
    parser.add_argument("--ci", action="store_true", help="a quick run on a few small real specs")
    parser.add_argument("--examples", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--instances", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--filter", help="only specs whose path contains this text")
    parser.add_argument("--values", type=int, default=6, help="values drawn per schema")
    parser.add_argument("--seconds", type=float, default=2.0, help="time to draw per schema")
    parser.add_argument(
        "--schemas-per-spec", type=int, default=200,
        help="draw from at most this many schemas of a spec, a fixed sample (0: all)",
    )
    parser.add_argument(
        "--depth", type=int, default=1,
        help="references followed into optional parts when drawing (each schema is drawn from "
        "on its own too)",
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="drawing processes")
    parser.add_argument("--batch-bytes", type=int, default=1_000_000)
    parser.add_argument(
        "--max-failures", type=int, default=None,
        help="exit 1 when more round trips than this fail (not counting spec faults); "
        "--ci sets 0, otherwise there is no limit",
    )
    parser.add_argument("--generator", required=True, help="the `fidelity` binary")
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--target-dir", required=True, help="Cargo's, shared by all crates")
    parser.add_argument("--examples-out", help="the examples table (Markdown)")
    parser.add_argument("--instances-out", help="the instances table (Markdown)")
    parser.add_argument("--command", default="scripts/fidelity.sh", help="how the tables say they were made")
    args = parser.parse_args()
    # Cargo runs in the work directory, the crates' binaries from here.
    args.work_dir = os.path.abspath(args.work_dir)
    args.target_dir = os.path.abspath(args.target_dir)
    if args.ci:
        args.values = min(args.values, 3)
        args.seconds = min(args.seconds, 1.0)
        if args.max_failures is None:
            args.max_failures = 0
    return args


def spec_files(args):
    if args.ci:
        found = [os.path.join(args.corpus, name) for name in CI_SPECS]
        swagger2 = os.path.join(os.path.dirname(os.path.abspath(args.corpus)), "swagger2")
        found += [
            os.path.join(swagger2, name)
            for name in CI_SWAGGER2_SPECS
            if os.path.exists(os.path.join(swagger2, name))
        ]
    else:
        found = []
        for folder, _, files in os.walk(args.corpus):
            found += [os.path.join(folder, f) for f in files if f.endswith((".json", ".yaml", ".yml"))]
    if args.filter:
        found = [f for f in found if args.filter in f]
    return sorted(found)


def seed(*parts):
    return int(hashlib.sha256("\0".join(parts).encode()).hexdigest()[:8], 16)


def _lower_priority():
    """Cargo's build of the crates takes longest; drawing takes what it leaves of the cores."""
    os.nice(10)


def _draw(task):
    bundle, count, seconds, value_seed, depth = task
    return draw.draw(bundle, count, seconds, value_seed, depth)


class Module:
    """One spec's part of the run: its lines for the runner and what became of them."""

    def __init__(self, corpus, crate, entry):
        self.crate = crate
        self.name = entry["module"]
        self.path = entry["spec"]
        self.spec = os.path.relpath(entry["spec"], corpus)
        # Where its schemas are read: a Swagger 2.0 spec's OpenAPI 3.0 form, as the generator
        # converted it (the examples' pointers and the components' keys are into that).
        self.document = entry.get("document") or entry["spec"]
        self.error = entry["error"]
        # The sample of the component schemas the generator's harness took, of how many.
        self.components = entry.get("components", [])
        self.component_count = entry.get("component_count", 0)
        self.examples = entry.get("examples", [])
        self.not_drawn = []  # (key, reason)
        self.instances = []  # (key, type, JSON text)
        self.example_results = []
        self.instance_results = []


def main():
    args = arguments()
    started = time.monotonic()
    os.makedirs(args.work_dir, exist_ok=True)
    files = spec_files(args)
    manifest = build.prepare(args.generator, args.work_dir, files, args.batch_bytes, args.schemas_per_spec)
    corpus = os.path.abspath(args.corpus)
    modules = [
        Module(corpus, crate["name"], entry) for crate in manifest["crates"] for entry in crate["modules"]
    ]
    log = os.path.join(args.work_dir, "build.log")
    open(log, "w").close()
    builder = build.Build(args.work_dir, args.target_dir, log)
    loaded = specs.Specs()
    if args.instances:
        draw_instances(args, modules, loaded)
        phase("drew values", started)
    left_out = builder.finish(manifest["crates"])
    phase("built", started)
    run_all(args, modules, builder, left_out)
    phase("ran", started)
    failures = 0
    if args.examples:
        text, failed = examples_report(args, modules, loaded)
        failures += failed
        write(args.examples_out, text)
    if args.instances:
        text, failed = instances_report(args, modules)
        failures += failed
        write(args.instances_out, text)
    phase(f"done: {failures} round trips failed (spec faults aside)", started)
    if args.max_failures is not None and failures > args.max_failures:
        print(f"fidelity: {failures} failures, more than --max-failures {args.max_failures}", file=sys.stderr)
        sys.exit(1)


def phase(what, started):
    print(f"fidelity: {what} at {time.monotonic() - started:.0f} s", file=sys.stderr)


def write(path, text):
    if path is None:
        sys.stdout.write(text)
        return
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    print(f"fidelity: wrote {path}", file=sys.stderr)


def draw_instances(args, modules, loaded):
    tasks = []
    for module in modules:
        if module.error:
            continue
        bundler = schema.Bundler(loaded, module.document)
        for key, rust_type in module.components:
            try:
                bundle = bundler.bundle("/components/schemas/" + specs.escape(key))
            except KeyError as err:
                module.not_drawn.append((key, f"a reference leads nowhere: {err}"))
                continue
            value_seed = seed(module.spec, key)
            tasks.append(((module, key, rust_type), (bundle, args.values, args.seconds, value_seed, args.depth)))
    draw.warm_up()
    with multiprocessing.get_context("fork").Pool(max(1, args.jobs), _lower_priority) as pool:
        results = pool.imap(_draw, [task for _, task in tasks], chunksize=4)
        for ((module, key, rust_type), _), (values, reason) in zip(tasks, results):
            if reason:
                module.not_drawn.append((key, reason))
            module.instances += [(key, rust_type, value) for value in values]


def run_all(args, modules, builder, left_out):
    by_crate = {}
    for module in modules:
        by_crate.setdefault(module.crate, []).append(module)
    for crate, members in by_crate.items():
        lines = []
        for module in members:
            if module.error:
                continue
            if args.examples:
                lines += [(module.name, e["type"], json.dumps(e["json"])) for e in module.examples]
            lines += [(module.name, rust_type, value) for _, rust_type, value in module.instances]
        binary = builder.binary(crate)
        if not os.path.exists(binary):
            answers = [{"decoded": False, "equal": False, "error": "no binary"}] * len(lines)
        else:
            answers = build.run(binary, lines) if lines else []
        for module in members:
            missing = left_out.get(crate, {}).get(module.name)
            count = len(module.examples) if args.examples and not module.error else 0
            module.example_results, answers = answers[:count], answers[count:]
            count = len(module.instances)
            module.instance_results, answers = answers[:count], answers[count:]
            if missing:
                for answer in module.example_results + module.instance_results:
                    answer["error"] = f"the client did not compile: {missing}"


def examples_report(args, modules, loaded):
    rows, real, faults = [], [], []
    totals = [0] * 5
    for module in sorted(modules, key=lambda m: m.spec):
        if module.error:
            rows.append([module.spec, "-", "-", "-", "-", f"refused: {report.short(module.error, 80)}"])
            continue
        counts = [len(module.examples), 0, 0, 0, 0]
        bundler = schema.Bundler(loaded, module.document)
        for example, answer in zip(module.examples, module.example_results):
            counts[1] += answer["decoded"]
            counts[2] += answer["equal"]
            if answer["equal"]:
                continue
            shown = f"{module.spec} — {example['location']} (`{example['type']}`): {report.short(answer['error'], 200)}; sent `{report.short(json.dumps(example['json']))}`"
            fault = spec_fault(bundler, example)
            if fault is None:
                counts[4] += 1
                real.append((report.failure_class(answer["error"]), shown))
            else:
                counts[3] += 1
                faults.append((report.spec_fault_class(fault), f"{shown} — {report.short(fault.message, 120)}"))
        totals = [t + c for t, c in zip(totals, counts)]
        rows.append([module.spec, *counts])
    rows.append(["**total**", *(f"**{t}**" for t in totals)])
    text = f"""# Data fidelity: the specs' own examples

Written by `{args.command}`. Every example a spec documents for a schema (`example`, 3.1's
`examples`) or for a JSON request or response body (the media type's `example` and its
`examples` map, `$ref`s to `#/components/examples` followed) is decoded into the type the
generator made for it and encoded again; *equal* counts those that came back the same JSON
(numbers by value, object keys in any order, `null` and an absent key alike). A failure is a
*spec fault* when the example breaks its own schema as `jsonschema` (draft 7) reads it, the
spec's OpenAPI idioms rewritten to JSON Schema (`scripts/fidelity/schema.py` says how); every
other failure is the generator's to fix.

{report.table(["spec", "examples", "decoded", "equal", "spec faults", "failures"], ["---", "---:", "---:", "---:", "---:", "---:"], rows)}
## Failures, by class

{report.grouped(real)}
## Spec faults, by the keyword the example breaks

{report.grouped(faults)}"""
    return text, len(real)


def spec_fault(bundler, example):
    """The first error `jsonschema` finds in the example, or None if it is valid (or its
    schema cannot be found)."""
    try:
        bundle = bundler.bundle(example["schema"])
    except KeyError:
        return None
    return jsonschema.exceptions.best_match(jsonschema.Draft7Validator(bundle).iter_errors(example["json"]))


def instances_report(args, modules):
    rows, failures, reasons = [], [], {}
    totals = [0] * 6
    for module in sorted(modules, key=lambda m: m.spec):
        if module.error:
            rows.append([module.spec, "-", "-", "-", "-", "-", f"refused: {report.short(module.error, 80)}"])
            continue
        drawn = len({key for key, _, _ in module.instances})
        equal = sum(answer["equal"] for answer in module.instance_results)
        counts = [module.component_count, len(module.components), drawn, len(module.instances), equal, len(module.instances) - equal]
        for (key, rust_type, value), answer in zip(module.instances, module.instance_results):
            if not answer["equal"]:
                shown = f"{module.spec} — `{key}` (`{rust_type}`): {report.short(answer['error'], 200)}; sent `{report.short(value)}`"
                failures.append((report.failure_class(answer["error"]), shown))
        for key, reason in module.not_drawn:
            reasons.setdefault(reason.split(":")[0], []).append(f"{module.spec} — `{key}`: {report.short(reason, 120)}")
        totals = [t + c for t, c in zip(totals, counts)]
        rows.append([module.spec, *counts])
    rows.append(["**total**", *(f"**{t}**" for t in totals)])
    sampling = (
        f"at most {args.schemas_per_spec} schemas of each spec (a fixed sample: those whose names hash lowest with 64-bit FNV-1a)"
        if args.schemas_per_spec else "every component schema"
    )
    reason_rows = [[reason, len(lines), lines[0]] for reason, lines in sorted(reasons.items(), key=lambda r: (-len(r[1]), r[0]))]
    text = f"""# Data fidelity: values drawn from the schemas

Written by `{args.command}`. From {sampling}, up to {args.values} distinct values are drawn
with `hypothesis-jsonschema` (seeded by the spec's and the schema's names; at most
{args.seconds:g} s a schema, or none are kept), each checked valid by `jsonschema`, then decoded
into the schema's generated type and encoded again; *round-tripped* counts those that came back
the same JSON (numbers by value, object keys in any order, `null` and an absent key alike).
`scripts/fidelity/schema.py` says how OpenAPI's idioms are rewritten to JSON Schema;
`scripts/fidelity/draw.py` what is drawn (in short: objects that name properties get no
others, and references are followed {args.depth} deep, a recursive one never into itself).

**{totals[4]} of {totals[3]} values round-tripped ({report.percent(totals[4], totals[3])}); {totals[2]} of the {totals[1]} schemas drawn from gave values.**

{report.table(["spec", "schemas", "sampled", "drawn", "values", "round-tripped", "failures"], ["---", "---:", "---:", "---:", "---:", "---:", "---:"], rows)}
## Failures, by class

{report.grouped(failures, shown=1)}
## Schemas no value was drawn from

{report.table(["reason", "schemas", "for example"], ["---", "---:", "---"], reason_rows) if reason_rows else "None."}"""
    return text, totals[5]


if __name__ == "__main__":
    main()
