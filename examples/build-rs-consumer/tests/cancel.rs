//! The client generated at build time works like the checked-in one.

use build_rs_consumer::zenskar::types::{
    CancellationReasonType, CheckoutSessionCancelSchema, CheckoutSessionStatus,
};
use build_rs_consumer::zenskar::{Client, Uuid};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn cancels_a_checkout_session() {
    let server = MockServer::start().await;
    let id = Uuid::parse_str("123e4567-e89b-12d3-a456-426614174000").expect("uuid");
    Mock::given(method("POST"))
        .and(path(format!("/checkout/{id}/cancel")))
        .and(header("x-api-key", "key"))
        .and(header("organisation", "org"))
        .and(body_json(json!({"reason_type": "duplicate"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "checkout_session_status": "cancelled",
            "payment_status": "not_started",
            "cancelled_at": "2023-01-01T12:34:56"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_token_auth("key")
        .organisation_auth("org")
        .base_url(server.uri())
        .build()
        .expect("client builds");
    let body = CheckoutSessionCancelSchema {
        reason_type: Some(Some(CancellationReasonType::Duplicate)),
        ..Default::default()
    };
    let cancelled = client
        .cancel_checkout_session(id, Some(&body))
        .await
        .expect("cancelled");
    assert_eq!(
        cancelled.checkout_session_status,
        CheckoutSessionStatus::Cancelled
    );
    assert_eq!(
        cancelled
            .cancelled_at
            .as_ref()
            .map(|t| t.to_string())
            .as_deref(),
        Some("2023-01-01T12:34:56")
    );
}

/// With the dependencies the README lists (serde_json's `preserve_order` among them), the
/// properties a client does not know come back in the order the server sent them, even
/// through a union, which is read from a `serde_json::Value` first.
#[test]
fn undeclared_properties_keep_their_order_through_a_union() {
    use build_rs_consumer::zenskar::types::CheckoutSessionCreateSchemaContract;
    let sent = r#"{"is_plan_based":true,"plan_id":"123e4567-e89b-12d3-a456-426614174000","currency":"USD","start_date":"2023-01-01T00:00:00","zeta":{"b":1,"a":2},"alpha":0}"#;
    let contract: CheckoutSessionCreateSchemaContract =
        serde_json::from_str(sent).expect("decodes");
    assert_eq!(serde_json::to_string(&contract).expect("encodes"), sent);
}
