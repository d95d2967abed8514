//! The `webhooks` module of the client generated from GitHub's own spec: each webhook payload
//! GitHub's spec gives an example of, sent as GitHub sends it (`X-GitHub-Event` with the value
//! the spec documents, signed with `X-Hub-Signature-256`), is verified, told apart by its
//! header and `action`, decoded, and encoded again to the same JSON.

use github::webhooks::{self, GitHubSignature, HeaderMap};
use serde_json::Value;

/// GitHub's spec, as `scripts/github-pages.sh` names it.
fn spec() -> Value {
    let path = std::env::var("GITHUB_SPEC")
        .expect("GITHUB_SPEC names GitHub's spec (run scripts/github-pages.sh)");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// JSON equality where numbers compare by value and a `null` property may be absent on the
/// other side (an optional field that is `None` is not written).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            let covers = |xs: &serde_json::Map<String, Value>,
                          ys: &serde_json::Map<String, Value>| {
                xs.iter().all(|(key, x)| match ys.get(key) {
                    Some(y) => same_json(x, y),
                    None => x.is_null(),
                })
            };
            covers(xs, ys) && covers(ys, xs)
        }
        _ => a == b,
    }
}

#[test]
fn githubs_example_payloads_are_verified_told_apart_and_round_trip() {
    let spec = spec();
    let signer = GitHubSignature::new("It's a Secret to Everybody");
    let mut checked = Vec::new();
    for (name, item) in spec["x-webhooks"].as_object().expect("x-webhooks") {
        let operation = &item["post"];
        let examples = operation["requestBody"]["content"]["application/json"]["examples"]
            .as_object()
            .into_iter()
            .flat_map(|examples| examples.values());
        for example in examples {
            let pointer = example["$ref"].as_str().unwrap_or_default().trim_start_matches('#');
            let Some(payload) = spec.pointer(&format!("{pointer}/value")) else {
                continue;
            };
            let event_header = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case("x-github-event")))
                .and_then(|p| p["example"].as_str())
                .expect("the documented X-GitHub-Event");
            let body = serde_json::to_vec(payload).expect("JSON");
            let mut headers: HeaderMap = signer.headers(&body);
            headers.insert("x-github-event", event_header.parse().expect("a header value"));
            let event = webhooks::unwrap(&signer, &headers, &body)
                .unwrap_or_else(|err| panic!("{name}: {err}"));
            assert_eq!(event.name(), name, "{name} told apart");
            let again: Value =
                serde_json::from_slice(&event.to_body().expect("encodes")).expect("JSON");
            assert!(same_json(&again, payload), "{name}: re-encoded differently");
            // And the request the mock signs is the one GitHub would send.
            let request = webhooks::signed_request(&signer, &event).expect("signs");
            let received = webhooks::unwrap(&signer, request.headers(), request.body())
                .unwrap_or_else(|err| panic!("{name}: {err}"));
            assert_eq!(received, event, "{name}");
            checked.push(name.clone());
        }
    }
    assert!(checked.len() >= 6, "GitHub's spec has example payloads: {checked:?}");
}
