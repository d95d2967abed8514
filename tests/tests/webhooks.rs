//! Webhooks as a receiver meets them: the focused specs' `webhooks` modules tell each event
//! from the request, check its signature first, keep what they do not know, and refuse bad
//! requests with a typed error. `specs/webhook_events.yaml` is told apart by the payload's `type`
//! (OpenAI's way, with Standard Webhooks signatures), `specs/webhooks_github.yaml` by the
//! `X-GitHub-Event` header and the payload's `action` (GitHub's, with `X-Hub-Signature-256`).

mod by_type {
    include!(concat!(env!("OUT_DIR"), "/webhook_events.rs"));
}

mod by_header {
    include!(concat!(env!("OUT_DIR"), "/webhooks_github.rs"));
}

use std::time::{Duration, SystemTime};

use by_header::webhooks::{self as github, GitHubSignature};
use by_type::webhooks::{self as hooks, Event, HeaderMap, StandardWebhooks, WebhookError};
use generator_tests::same_json;
use serde_json::{Value, json};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn signer() -> StandardWebhooks {
    StandardWebhooks::new(SECRET).expect("a valid secret")
}

fn paid() -> Value {
    json!({
        "id": "evt_1",
        "object": "event",
        "type": "invoice.paid",
        "created_at": 1719168000,
        "data": {"invoice": "in_1", "amount": 1200}
    })
}

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        if let Ok(value) = value.parse() {
            map.insert(*name, value);
        }
    }
    map
}

#[test]
fn a_signed_request_is_verified_and_its_event_told_by_the_payload_type() {
    let event = Event::parse_named("invoice_paid", &bytes(&paid())).expect("decodes");
    let request = hooks::signed_request(&signer(), &event).expect("signs");
    assert_eq!(request.method(), "POST");
    for header in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        assert!(request.headers().contains_key(header), "{header}");
    }
    let received = hooks::unwrap(&signer(), request.headers(), request.body()).expect("verified");
    let Event::InvoicePaid(paid_event) = &received else {
        panic!("not invoice_paid: {received:?}");
    };
    assert_eq!(paid_event.data.amount, 1200);
    assert_eq!(received.name(), "invoice_paid");
    // What was sent is what the API documents, decoded and encoded again unchanged.
    let sent: Value = serde_json::from_slice(request.body()).expect("JSON");
    assert_eq!(sent, paid());
    assert_eq!(received, event);
}

#[test]
fn an_inline_payload_and_a_3_1_const_tag_decode() {
    let body = bytes(&json!({"id": "evt_2", "type": "invoice.voided",
        "data": {"invoice": "in_2", "reason": null}}));
    let event = hooks::parse(&HeaderMap::new(), &body).expect("parses");
    let Event::InvoiceVoided(voided) = &event else {
        panic!("not invoice_voided: {event:?}");
    };
    assert_eq!(voided.data.invoice, "in_2");
    let again: Value = serde_json::from_slice(&event.to_body().expect("encodes")).expect("JSON");
    let sent: Value = serde_json::from_slice(&body).expect("JSON");
    assert!(same_json(&again, &sent), "{again} for {sent}");
}

/// Each example a spec documents for a webhook, with the webhook's name.
fn documented_examples(spec: &str) -> Vec<(String, Value)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("specs/{spec}.yaml"));
    let text = std::fs::read_to_string(path).expect("the spec");
    let document: Value = serde_yaml::from_str(&text).expect("YAML");
    let section = document
        .get("webhooks")
        .or_else(|| document.get("x-webhooks"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut found = Vec::new();
    for (name, item) in section {
        let media = &item["post"]["requestBody"]["content"]["application/json"];
        let named = media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|all| all.values().filter_map(|e| e.get("value")));
        for sample in media.get("example").into_iter().chain(named) {
            found.push((name.clone(), sample.clone()));
        }
    }
    found
}

#[test]
fn every_documented_example_round_trips() {
    let by_type = documented_examples("webhook_events");
    assert_eq!(by_type.len(), 2);
    for (name, sample) in by_type {
        let event = Event::parse_named(&name, &bytes(&sample)).expect("decodes");
        let again: Value =
            serde_json::from_slice(&event.to_body().expect("encodes")).expect("JSON");
        assert!(same_json(&again, &sample), "{name}: {again} for {sample}");
    }
    let by_header = documented_examples("webhooks_github");
    assert_eq!(by_header.len(), 1);
    for (name, sample) in by_header {
        let event = github::Event::parse_named(&name, &bytes(&sample)).expect("decodes");
        let again: Value =
            serde_json::from_slice(&event.to_body().expect("encodes")).expect("JSON");
        assert!(same_json(&again, &sample), "{name}: {again} for {sample}");
    }
}

#[test]
fn an_unknown_type_is_kept_with_its_body() {
    let body = bytes(&json!({"type": "invoice.refunded", "id": "evt_3"}));
    let event = hooks::parse(&HeaderMap::new(), &body).expect("parses");
    let Event::Unknown(unknown) = &event else {
        panic!("not unknown: {event:?}");
    };
    assert_eq!(unknown.name.as_deref(), Some("invoice.refunded"));
    assert_eq!(unknown.body, body);
    assert_eq!(event.to_body().expect("kept"), body);
    let named = Event::parse_named("invoice_refunded", b"{}").expect("kept");
    assert_eq!(named.name(), "invoice_refunded");
}

#[test]
fn a_text_body_is_named_and_kept_as_bytes() {
    let event = Event::parse_named("ping", b"hello").expect("kept");
    assert_eq!(event, Event::Ping(b"hello".to_vec()));
}

#[test]
fn bad_requests_get_typed_errors() {
    let event = Event::parse_named("invoice_paid", &bytes(&paid())).expect("decodes");
    let request = hooks::signed_request(&signer(), &event).expect("signs");
    let (parts, body) = request.into_parts();
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    assert!(matches!(
        hooks::unwrap(&signer(), &parts.headers, &tampered),
        Err(WebhookError::NoMatchingSignature)
    ));
    let other = StandardWebhooks::new("whsec_c2VjcmV0IG9mIGFub3RoZXIgYXBp").expect("valid");
    assert!(matches!(
        hooks::unwrap(&other, &parts.headers, &body),
        Err(WebhookError::NoMatchingSignature)
    ));
    assert!(matches!(
        hooks::unwrap(&signer(), &HeaderMap::new(), &body),
        Err(WebhookError::MissingHeader(_))
    ));
    let late = SystemTime::now() + Duration::from_secs(3600);
    assert!(matches!(
        signer().verify_at(&parts.headers, &body, late),
        Err(WebhookError::Expired { .. })
    ));
    assert!(matches!(
        hooks::parse(&HeaderMap::new(), b"not json"),
        Err(WebhookError::Body(_))
    ));
    assert!(matches!(
        Event::parse_named("invoice_paid", br#"{"type": "invoice.paid"}"#),
        Err(WebhookError::Body(_))
    ));
}

fn github_signer() -> GitHubSignature {
    GitHubSignature::new("It's a Secret to Everybody")
}

#[test]
fn github_events_are_told_by_header_then_action() {
    let opened = json!({"action": "opened", "issue": {"number": 7, "title": "Crash"},
        "repository": {"id": 1, "full_name": "o/r"}});
    let event = github::Event::parse_named("issues-opened", &bytes(&opened)).expect("decodes");
    let request = github::signed_request(&github_signer(), &event).expect("signs");
    assert_eq!(
        request
            .headers()
            .get("x-github-event")
            .map(|v| v.as_bytes()),
        Some(&b"issues"[..])
    );
    assert!(request.headers().contains_key("x-hub-signature-256"));
    let received =
        github::unwrap(&github_signer(), request.headers(), request.body()).expect("verified");
    assert!(
        matches!(received, github::Event::IssuesOpened(_)),
        "{received:?}"
    );

    // One of two shapes, both `action: closed`.
    let closed = bytes(
        &json!({"action": "closed", "issue": {"number": 7, "title": "Crash"},
        "reason": "not_planned", "duplicate_of": 3}),
    );
    let event = github::parse(&headers(&[("x-github-event", "issues")]), &closed).expect("parses");
    assert_eq!(event.name(), "issues-closed");
    let again: Value = serde_json::from_slice(&event.to_body().expect("encodes")).expect("JSON");
    assert_eq!(
        again,
        serde_json::from_slice::<Value>(&closed).expect("JSON")
    );

    let ping = github::parse(
        &headers(&[("X-GitHub-Event", "ping")]),
        br#"{"zen": "Keep it simple."}"#,
    )
    .expect("parses");
    assert!(matches!(ping, github::Event::Ping(_)), "{ping:?}");
}

#[test]
fn github_unknowns_and_faults() {
    let reopened = bytes(&json!({"action": "reopened"}));
    let event = github::parse(&headers(&[("x-github-event", "issues")]), &reopened).expect("kept");
    let github::Event::Unknown(unknown) = &event else {
        panic!("not unknown: {event:?}");
    };
    assert_eq!(unknown.name.as_deref(), Some("issues"));
    let push = github::parse(&headers(&[("x-github-event", "push")]), b"{}").expect("kept");
    assert_eq!(push.name(), "push");
    assert!(matches!(
        github::parse(&HeaderMap::new(), &reopened),
        Err(WebhookError::MissingHeader(_))
    ));
    let signed = github_signer().headers(&reopened);
    assert!(matches!(
        github::unwrap(&github_signer(), &signed, &reopened),
        Err(WebhookError::MissingHeader(_))
    ));
    let wrong = GitHubSignature::new("another secret");
    assert!(matches!(
        github::unwrap(&wrong, &signed, &reopened),
        Err(WebhookError::NoMatchingSignature)
    ));
}
