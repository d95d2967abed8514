"""Standard Webhooks cases signed and verified by the reference implementation, the
`standardwebhooks` package from PyPI, for runtime/tests/webhooks_reference.rs.

    vectors.py sign OUT.json    # cases Python signs, each with the verdict Python itself gives
    vectors.py check IN.json    # cases Rust signed: Python's verdict must be each one's expected

A case is {name, secrets, headers, body, now, expect}: the verifier's secrets (Python takes one),
the request, the Unix time to verify at, and `valid`, `no_match`, `expired` or `future`.
Exits 1 on any disagreement.
"""

import base64
import json
import secrets
import sys
import time
from datetime import datetime, timezone

from standardwebhooks import Webhook, WebhookVerificationError

VERDICTS = {
    "No matching signature found": "no_match",
    "Message timestamp too old": "expired",
    "Message timestamp too new": "future",
}


def new_secret(size=32, prefix=True, padded=True):
    text = base64.b64encode(secrets.token_bytes(size)).decode()
    if not padded:
        text = text.rstrip("=")
    return ("whsec_" if prefix else "") + text


def sign(secret, msg_id, timestamp, body):
    moment = datetime.fromtimestamp(timestamp, tz=timezone.utc)
    return Webhook(secret).sign(msg_id=msg_id, timestamp=moment, data=body)


def headers(msg_id, timestamp, signature):
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


def verdict(secret, case):
    # The reference reads the clock itself: `now` is only for Rust, which verifies at it.
    try:
        Webhook(secret).verify(case["body"].encode(), case["headers"], json_parse=False)
        return "valid"
    except WebhookVerificationError as err:
        return VERDICTS.get(str(err), f"error: {err}")
    except Exception as err:  # the reference raises others on malformed input
        return f"error: {type(err).__name__}: {err}"


def python_cases():
    now = int(time.time())
    old, new, stranger = new_secret(), new_secret(), new_secret()
    body = '{"type":"invoice.paid","data":{"id":"in_1","amount":1200}}'
    cases = []

    def case(name, secret_list, hdrs, body, expect):
        cases.append(
            {
                "name": name,
                "secrets": secret_list,
                "headers": hdrs,
                "body": body,
                "now": now,
                "expect": expect,
            }
        )

    signature = sign(old, "msg_valid", now, body)
    case("valid", [old], headers("msg_valid", now, signature), body, "valid")
    case(
        "tampered body",
        [old],
        headers("msg_valid", now, signature),
        body.replace("1200", "1201"),
        "no_match",
    )
    case("tampered id", [old], headers("msg_valjd", now, signature), body, "no_match")
    case(
        "tampered timestamp",
        [old],
        headers("msg_valid", now - 1, signature),
        body,
        "no_match",
    )
    case("wrong secret", [stranger], headers("msg_valid", now, signature), body, "no_match")
    then = now - 600
    case(
        "expired",
        [old],
        headers("msg_old", then, sign(old, "msg_old", then, body)),
        body,
        "expired",
    )
    soon = now + 600
    case(
        "from the future",
        [old],
        headers("msg_soon", soon, sign(old, "msg_soon", soon, body)),
        body,
        "future",
    )
    # A sender mid-rotation: one entry per key in one header.
    both = " ".join(
        [sign(old, "msg_rotated", now, body), sign(new, "msg_rotated", now, body)]
    )
    rotated = headers("msg_rotated", now, both)
    case("rotated, old key", [old], rotated, body, "valid")
    case("rotated, new key", [new], rotated, body, "valid")
    case("rotated, neither key", [stranger], rotated, body, "no_match")
    # A receiver mid-rotation: Rust holds both keys (Python checks with the old one).
    case(
        "receiver holds both keys",
        [old, new],
        headers("msg_one", now, sign(old, "msg_one", now, body)),
        body,
        "valid",
    )
    bare = old[len("whsec_") :]
    case(
        "secret without its prefix",
        [bare],
        headers("msg_bare", now, sign(bare, "msg_bare", now, body)),
        body,
        "valid",
    )
    unpadded = new_secret(size=20, padded=False)
    case(
        "unpadded secret",
        [unpadded],
        headers("msg_unpadded", now, sign(unpadded, "msg_unpadded", now, body)),
        body,
        "valid",
    )
    text = '{"name":"Zoë 日本","note":"line\\nend"}\n'
    case(
        "non-ASCII body",
        [old],
        headers("msg_utf8", now, sign(old, "msg_utf8", now, text)),
        text,
        "valid",
    )
    case(
        "non-version entries beside one",
        [old],
        headers("msg_valid", now, "v1a,xyz v2,abc " + signature),
        body,
        "valid",
    )
    return cases


def write_python_cases(path):
    cases = python_cases()
    wrong = []
    for case in cases:
        got = verdict(case["secrets"][0], case)
        if got != case["expect"]:
            wrong.append(f"{case['name']}: Python itself says {got}, expected {case['expect']}")
    if wrong:
        print("the reference disagrees with its own cases:", *wrong, sep="\n  ")
        sys.exit(1)
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"cases": cases}, out, ensure_ascii=False, indent=1)
    print(f"python signed {len(cases)} cases into {path}")


def check_rust_cases(path):
    with open(path, encoding="utf-8") as file:
        cases = json.load(file)["cases"]
    if not cases:
        print(f"{path} holds no cases")
        sys.exit(1)
    wrong = 0
    for case in cases:
        for secret in case["secrets"]:
            got = verdict(secret, case)
            ok = got == case["expect"]
            wrong += not ok
            mark = "ok" if ok else "DISAGREES"
            print(f"  python on rust's {case['name']!r}: {got} (expected {case['expect']}) {mark}")
    checked = sum(len(case["secrets"]) for case in cases)
    print(f"{checked - wrong} passed, {wrong} failed")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("sign", "check"):
        print(__doc__)
        sys.exit(2)
    if sys.argv[1] == "sign":
        write_python_cases(sys.argv[2])
    else:
        check_rust_cases(sys.argv[2])
