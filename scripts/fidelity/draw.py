"""Values drawn from schemas with `hypothesis-jsonschema`, a bounded number in a bounded time.

Values are drawn one at a time from the strategy with a seeded random source (hypothesis's
own `ConjectureData`, as `@given` does inside), not through `@given`: its engine, made for
finding and shrinking failures, goes on drawing for seconds once a small schema's few values
are all found, and the per-value overhead of its test runs dominated the time.
"""

import base64
import json
import math
import random
import signal
import sys
import time

import hypothesis.strategies as st
import jsonschema
from hypothesis.control import BuildContext
from hypothesis.errors import UnsatisfiedAssumption
from hypothesis.internal.conjecture import data as conjecture_data
from hypothesis.internal.conjecture.data import ConjectureData, StopTest
from hypothesis.strategies._internal import utils as strategy_utils
from hypothesis_jsonschema import _canonicalise, _from_schema, from_schema

from . import report
from . import schema as schemas

# The bytes of choices one value may take; hypothesis's own default.
BUFFER_SIZE = 8 * 1024

# hypothesis refuses values whose strategies nest more than 100 deep, and each level of a
# schema's objects takes several: values of GitHub's larger schemas, three objects deep,
# were all refused. Python's own stack is the limit that matters.
conjecture_data.MAX_DEPTH = 2000
sys.setrecursionlimit(20000)

_WORD = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_HOST = st.builds("{}.{}".format, _WORD, st.sampled_from(["com", "org", "net", "io"]))
_URI = st.builds("https://{}/{}".format, _HOST, _WORD)
# Strings are drawn in their `format` where hypothesis-jsonschema knows it (date-time, date,
# time, email, uri, ipv4, ...) and for OpenAPI's own two below; any other format is drawn as
# any string. (Checking values, `format` is only an annotation.)
FORMATS = {
    # OpenAPI's `byte` is base64 text; the generator decodes it to bytes and encodes it again.
    "byte": st.binary(max_size=24).map(lambda b: base64.b64encode(b).decode()),
    # In JSON Schema since draft 2019-09, which hypothesis-jsonschema does not read.
    "uuid": st.uuids().map(str),
    # hypothesis's own host names take most of the drawing time of specs full of URLs.
    **{name: _HOST for name in ("hostname", "idn-hostname")},
    **{name: st.builds("{}@{}".format, _WORD, _HOST) for name in ("email", "idn-email")},
    **{name: _URI for name in ("uri", "uri-reference", "iri", "iri-reference", "url")},
}


def _closed_objects(object_schema):
    """`hypothesis-jsonschema` gives an object keys that no property names, wherever the
    schema does not forbid them (and then a generated struct drops them, by design: serde
    ignores unknown fields). Such keys are not drawn for objects that name properties:
    what is measured is whether the properties a schema documents survive. An object with
    no properties, free-form or a map, still gets any keys.

    A property whose schema admits nothing (where `inlined` cut a reference) is left out:
    `hypothesis-jsonschema` would draw its name and then give up on the whole value."""

    def strategy(custom_formats, alphabet, schema):
        properties = schema.get("properties")
        if properties and schema.get("additionalProperties", {}) == {}:
            kept = {k: v for k, v in properties.items() if v != _canonicalise.FALSEY}
            if any(name not in kept for name in schema.get("required", [])):
                return st.nothing()
            schema = {**schema, "properties": kept, "additionalProperties": _canonicalise.FALSEY}
            if not schema.get("patternProperties"):
                # Otherwise it keeps asking for more keys than there are names, and drops
                # each value that asks once too often: a schema of one property takes seconds.
                most = min(schema.get("maxProperties", len(kept)), len(kept))
                schema["maxProperties"] = most
        return object_schema(custom_formats, alphabet, schema)

    return strategy


_from_schema.object_schema = _closed_objects(_from_schema.object_schema)
_strategies = {}
# When the current drawing must stop.
_deadline = [math.inf]
_uncached = getattr(_from_schema, "__from_schema")


def _cached(schema, *, alphabet, custom_formats):
    """`hypothesis-jsonschema` builds the strategy of an object's property again on every
    value drawn (copying and canonicalising its schema each time), which took most of the
    drawing time; the same schema object gets the same strategy within one `draw`. The
    schema is kept beside its strategy so that its `id` is not reused meanwhile.

    Every schema met while building strategies or drawing values comes here, which makes it
    the place to stop a drawing that is out of time (see `draw`)."""
    if time.monotonic() > _deadline[0]:
        raise _OutOfTime()
    if not isinstance(schema, dict):
        return _uncached(schema, alphabet=alphabet, custom_formats=custom_formats)
    key = (id(schema), id(alphabet), id(custom_formats))
    if key not in _strategies:
        strategy = _uncached(schema, alphabet=alphabet, custom_formats=custom_formats)
        _strategies[key] = (schema, alphabet, custom_formats, strategy)
    return _strategies[key][3]


setattr(_from_schema, "__from_schema", _cached)
# Put in place of hypothesis-jsonschema's own, rather than passed as `custom_formats`, which
# would check every string drawn against `jsonschema`'s format checkers.
_from_schema.STRING_FORMATS.update(FORMATS)


class _OutOfTime(BaseException):
    """Ends a drawing that is out of time; a BaseException, so that no `except Exception` on
    the way mistakes it for a failure to draw."""


class _Interrupted(_OutOfTime):
    """Raised by the alarm, wherever the drawing was."""


def _alarm(signum, frame):
    raise _Interrupted()


def warm_up():
    """Builds what hypothesis builds once, on first use, for drawing text (its tables of
    Unicode, seconds of work), so that no schema's time goes to it; processes forked
    afterwards have it too."""
    draw({"definitions": {"d0": {"type": "string"}}}, 1, 60, 0, 0)


def draw(bundle, count, seconds, seed, max_depth):
    """Up to `count` distinct values valid against `bundle`, as JSON texts, from at most
    `4 * count` tries, and `None` or the reason there are none. A schema that takes more than
    `seconds` gets none (rather than as many as were drawn in time), so that the values do
    not depend on the machine's speed.

    The time is checked at each schema met (`_cached`), where stopping leaves hypothesis's
    state whole; an alarm at three times the time stops what never gets there (a regular
    expression that takes forever), and hypothesis's cache of strategies, which it may have
    interrupted halfway through a change, is emptied then."""
    _deadline[0] = time.monotonic() + seconds
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, 3 * seconds)
    found = {}
    invalid = 0
    reason = None
    _strategies.clear()
    try:
        strategy = from_schema(schemas.inlined(bundle, max_depth))
        validator = jsonschema.Draft7Validator(bundle)
        source = random.Random(seed)
        for _ in range(4 * count):
            data = ConjectureData(max_length=BUFFER_SIZE, prefix=b"", random=source)
            try:
                with BuildContext(data):
                    value = data.draw(strategy)
            except (StopTest, UnsatisfiedAssumption):
                continue  # a filter rejected the value, or it ran out of choices
            if validator.is_valid(value):
                found.setdefault(json.dumps(value, ensure_ascii=False, sort_keys=True), value)
                if len(found) == count:
                    break
            else:
                invalid += 1
            if time.monotonic() > _deadline[0]:
                raise _OutOfTime()
    except _OutOfTime as stop:
        if isinstance(stop, _Interrupted):
            strategy_utils.clear_cache()
        found.clear()
        reason = "out of time"
    except RecursionError:
        reason = "nested too deep"
    except Exception as err:  # hypothesis-jsonschema's refusals come in many types
        reason = f"unsupported: {type(err).__name__}: {report.short(err, 100)}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _deadline[0] = math.inf
    if not found and reason is None:
        reason = "only invalid values" if invalid else "unsatisfiable"
    return list(found), reason
