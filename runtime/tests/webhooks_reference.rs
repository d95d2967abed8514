//! `webhooks` against the reference implementation of Standard Webhooks, the `standardwebhooks`
//! package from PyPI, both ways: run by `scripts/webhooks-reference.sh`, which has Python sign
//! cases into `WEBHOOKS_PYTHON_VECTORS`, runs this test, and has Python verify the cases this
//! test signs into `WEBHOOKS_RUST_VECTORS`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderName, HeaderValue};
use serde_json::{Value, json};
use specwright_runtime::HeaderMap;
use specwright_runtime::webhooks::{Sign, StandardWebhooks, WebhookError};

fn verdict(result: Result<(), WebhookError>) -> String {
    match result {
        Ok(()) => "valid".to_owned(),
        Err(WebhookError::NoMatchingSignature) => "no_match".to_owned(),
        Err(WebhookError::Expired { .. }) => "expired".to_owned(),
        Err(WebhookError::FromTheFuture { .. }) => "future".to_owned(),
        Err(other) => format!("error: {other}"),
    }
}

fn verifier(secrets: &[Value]) -> StandardWebhooks {
    let mut secrets = secrets
        .iter()
        .map(|secret| secret.as_str().expect("a secret"));
    let first = StandardWebhooks::new(secrets.next().expect("one secret")).expect("secret");
    secrets.fold(first, |verifier, secret| {
        verifier.with_secret(secret).expect("secret")
    })
}

fn env_path(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run this test through scripts/webhooks-reference.sh")
    })
}

#[test]
#[ignore = "needs the reference implementation: scripts/webhooks-reference.sh"]
fn agrees_with_the_reference_implementation() {
    let python = std::fs::read_to_string(env_path("WEBHOOKS_PYTHON_VECTORS")).expect("read");
    let python: Value = serde_json::from_str(&python).expect("JSON");
    let cases = python["cases"].as_array().expect("cases");
    assert!(!cases.is_empty(), "no cases from Python");
    let mut wrong = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let mut headers = HeaderMap::new();
        for (key, value) in case["headers"].as_object().expect("headers") {
            let value = value.as_str().expect("header text");
            headers.insert(
                HeaderName::from_bytes(key.as_bytes()).expect("header name"),
                HeaderValue::from_bytes(value.as_bytes()).expect("header value"),
            );
        }
        let body = case["body"].as_str().expect("body").as_bytes();
        let now = UNIX_EPOCH + Duration::from_secs(case["now"].as_u64().expect("now"));
        let verifier = verifier(case["secrets"].as_array().expect("secrets"));
        let got = verdict(verifier.verify_at(&headers, body, now));
        let expected = case["expect"].as_str().expect("expect");
        println!("  rust on python's {name:?}: {got} (expected {expected})");
        if got != expected {
            wrong.push(format!("{name}: {got}, expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "Rust disagrees with Python: {wrong:#?}");

    std::fs::write(
        env_path("WEBHOOKS_RUST_VECTORS"),
        serde_json::to_string_pretty(&json!({ "cases": rust_cases() })).expect("JSON"),
    )
    .expect("write");
}

/// Cases Rust signs for Python to verify, near the real time (Python reads its own clock).
fn rust_cases() -> Vec<Value> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let now = i64::try_from(now).expect("seconds");
    let old = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    let new = "whsec_5vPAS3nd2JuGqAEHcsxhQNmIb1O3pUm6Bs4IkGCaVpk=";
    let stranger = "whsec_c3RyYW5nZXIgc2VjcmV0IGZvciB0ZXN0cw==";
    let body = r#"{"type":"invoice.paid","data":{"id":"in_1","amount":1200}}"#;
    let mut cases = Vec::new();
    let mut case = |name: &str, secrets: &[&str], headers: &HeaderMap, body: &str, expect| {
        let headers: serde_json::Map<String, Value> = headers
            .iter()
            .map(|(key, value)| {
                let text = value.to_str().expect("ASCII header");
                (key.as_str().to_owned(), Value::from(text))
            })
            .collect();
        cases.push(json!({
            "name": name,
            "secrets": secrets,
            "headers": headers,
            "body": body,
            "now": now,
            "expect": expect,
        }));
    };

    let signer = StandardWebhooks::new(old).expect("old");
    let valid = signer.headers("msg_rust", now, body.as_bytes());
    case("valid", &[old], &valid, body, "valid");
    case("wrong secret", &[stranger], &valid, body, "no_match");
    case(
        "tampered body",
        &[old],
        &valid,
        &body.replace("1200", "1201"),
        "no_match",
    );
    let mut tampered = valid.clone();
    tampered.insert("webhook-id", HeaderValue::from_static("msg_rusT"));
    case("tampered id", &[old], &tampered, body, "no_match");
    let mut tampered = valid.clone();
    let later = HeaderValue::from_str(&(now + 1).to_string()).expect("digits");
    tampered.insert("webhook-timestamp", later);
    case("tampered timestamp", &[old], &tampered, body, "no_match");
    let signature = signer.sign("msg_rust", now, body.as_bytes());
    let flipped = if signature.ends_with("A=") {
        format!("{}B=", &signature[..signature.len() - 2])
    } else {
        format!("{}A=", &signature[..signature.len() - 2])
    };
    let mut tampered = valid.clone();
    tampered.insert(
        "webhook-signature",
        HeaderValue::from_str(&flipped).expect("base64"),
    );
    case("tampered signature", &[old], &tampered, body, "no_match");

    let expired = signer.headers("msg_old", now - 600, body.as_bytes());
    case("expired", &[old], &expired, body, "expired");
    let future = signer.headers("msg_soon", now + 600, body.as_bytes());
    case("from the future", &[old], &future, body, "future");

    // Signed with both keys at once, as a sender mid-rotation: either verifies alone.
    let rotating = StandardWebhooks::new(old)
        .and_then(|signer| signer.with_secret(new))
        .expect("both");
    let rotated = rotating.headers("msg_rotated", now, body.as_bytes());
    case("rotated", &[old, new], &rotated, body, "valid");
    case(
        "rotated, neither key",
        &[stranger],
        &rotated,
        body,
        "no_match",
    );

    let bare = StandardWebhooks::new(&old["whsec_".len()..]).expect("bare");
    let signed_bare = bare.headers("msg_bare", now, body.as_bytes());
    case(
        "signed with the secret without its prefix",
        &[old],
        &signed_bare,
        body,
        "valid",
    );

    let text = "{\"name\":\"Zoë 日本\",\"note\":\"line\\nend\"}\n";
    let utf8 = signer.headers("msg_utf8", now, text.as_bytes());
    case("non-ASCII body", &[old], &utf8, text, "valid");

    // What a generated mock sends: the id from the body, the time now.
    let mut mocked = HeaderMap::new();
    signer.sign_request(body.as_bytes(), &mut mocked);
    case(
        "signed by Sign::sign_request",
        &[old],
        &mocked,
        body,
        "valid",
    );
    cases
}
