//! The README's webhook receiver: an axum handler that checks a request's signature, tells
//! its event and matches on it, tested end to end with the requests the API would send
//! (`webhooks::signed_request`). Nothing in the generated module assumes axum; any framework
//! that hands over the headers and the body's bytes will do.

mod api {
    include!(concat!(env!("OUT_DIR"), "/webhook_events.rs"));
}

use api::webhooks::{self, Event, StandardWebhooks, WebhookError};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use tower::ServiceExt as _;

async fn receive(
    State(verifier): State<StandardWebhooks>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    match webhooks::unwrap(&verifier, &headers, &body) {
        Ok(Event::InvoicePaid(paid)) => (StatusCode::OK, format!("paid {}", paid.data.invoice)),
        Ok(other) => (StatusCode::OK, format!("ignored {}", other.name())),
        Err(err) => (StatusCode::BAD_REQUEST, err.to_string()),
    }
}

fn app(secret: &str) -> Result<Router, WebhookError> {
    let verifier = StandardWebhooks::new(secret)?;
    Ok(Router::new()
        .route("/webhooks", post(receive))
        .with_state(verifier))
}

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// What the receiver answers to `request`, sent to `/webhooks`.
async fn answer(request: webhooks::Request<Vec<u8>>) -> (StatusCode, String) {
    let (mut parts, body) = request.into_parts();
    parts.uri = axum::http::Uri::from_static("/webhooks");
    let request = axum::http::Request::from_parts(parts, Body::from(body));
    let response = app(SECRET)
        .expect("a valid secret")
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap_or_default();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn signed(body: &serde_json::Value, secret: &str) -> webhooks::Request<Vec<u8>> {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let event = webhooks::parse(&HeaderMap::new(), &bytes).expect("an event");
    let signer = StandardWebhooks::new(secret).expect("a valid secret");
    webhooks::signed_request(&signer, &event).expect("signed")
}

#[tokio::test]
async fn the_receiver_matches_a_signed_event() {
    let paid = serde_json::json!({"id": "evt_1", "type": "invoice.paid", "created_at": 1,
        "data": {"invoice": "in_1", "amount": 5}});
    assert_eq!(
        answer(signed(&paid, SECRET)).await,
        (StatusCode::OK, "paid in_1".to_owned())
    );
    let voided = serde_json::json!({"id": "evt_2", "type": "invoice.voided",
        "data": {"invoice": "in_2"}});
    assert_eq!(
        answer(signed(&voided, SECRET)).await,
        (StatusCode::OK, "ignored invoice_voided".to_owned())
    );
}

#[tokio::test]
async fn the_receiver_refuses_what_the_api_did_not_sign() {
    let paid = serde_json::json!({"id": "evt_1", "type": "invoice.paid", "created_at": 1,
        "data": {"invoice": "in_1", "amount": 5}});
    let forged = signed(&paid, "whsec_c2VjcmV0IG9mIGFub3RoZXIgYXBp");
    let (status, why) = answer(forged).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(why.contains("no webhook signature matches"), "{why}");
    let mut unsigned = signed(&paid, SECRET);
    unsigned.headers_mut().remove("webhook-signature");
    assert_eq!(answer(unsigned).await.0, StatusCode::BAD_REQUEST);
}
