//! The generated Zenskar client against a local HTTP server: what it sends, what it decodes,
//! and how it reports what went wrong.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zenskar::types::{
    CancelCheckoutSessionError, CancellationReasonType, CheckoutPaymentStatus,
    CheckoutSessionCancelSchema, CheckoutSessionConfirmSchema, CheckoutSessionStatus,
    CheckoutSessionUpdateSchema, ConfirmCheckoutSessionFoundHeaders,
    ConfirmCheckoutSessionResponse, ListCheckoutSessionsParams,
};
use zenskar::{Client, Error, Uuid};

const SESSION_ID: &str = "123e4567-e89b-12d3-a456-426614174000";
const API_KEY: &str = "test-api-key";
const ORGANISATION: &str = "9f1c2d3e-0000-4000-8000-000000000001";

/// The cancel response example from Zenskar's documentation page, verbatim.
const SEED_CANCEL_RESPONSE: &str = r#"{
  "checkout_session_status": "cancelled",
  "payment_status": "not_started",
  "cancelled_at": "2023-01-01T12:34:56",
  "cancellation_details": {
    "reason_type": "customer_requested",
    "reason": "Customer decided to upgrade to Enterprise plan instead of Professional plan",
    "reference_id": "SUPPORT-12345",
    "cancelled_at": "2023-01-01T12:34:56"
  },
  "estimates": {
    "estimation_id": "123e4567-e89b-12d3-a456-426614179999",
    "current_invoice": {
      "id": "123e4567-e89b-12d3-a456-426614179998",
      "invoice_number": "EST-0001",
      "status": "estimated",
      "customer": {
        "customer_id": "123e4567-e89b-12d3-a456-426614174001"
      },
      "line_items": [],
      "features": [],
      "subtotal": 0,
      "total": 0
    },
    "future_invoices": [],
    "amount_due": 0,
    "credit_notes": []
  }
}"#;

fn session_id() -> Uuid {
    Uuid::parse_str(SESSION_ID).expect("valid uuid")
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_token_auth(API_KEY)
        .organisation_auth(ORGANISATION)
        .base_url(server.uri())
        .build()
        .expect("client builds")
}

fn cancel_body() -> CheckoutSessionCancelSchema {
    CheckoutSessionCancelSchema {
        unknown_fields: Default::default(),
        reason: Some(Some(
            "Customer decided to upgrade to a different plan".to_owned(),
        )),
        reason_type: Some(Some(CancellationReasonType::CustomerRequested)),
        reference_id: Some(Some("TICKET-12345".to_owned())),
    }
}

#[tokio::test]
async fn cancel_sends_the_documented_request_and_decodes_the_seed_response() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/checkout/{SESSION_ID}/cancel")))
        .and(header("x-api-key", API_KEY))
        .and(header("organisation", ORGANISATION))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "reason": "Customer decided to upgrade to a different plan",
            "reason_type": "customer_requested",
            "reference_id": "TICKET-12345"
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(SEED_CANCEL_RESPONSE, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let cancelled = client(&server)
        .cancel_checkout_session(session_id(), Some(&cancel_body()))
        .await
        .expect("cancel succeeds");

    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.query(),
        None,
        "cancel sends no query string"
    );

    assert_eq!(
        cancelled.checkout_session_status,
        CheckoutSessionStatus::Cancelled
    );
    assert_eq!(cancelled.payment_status, CheckoutPaymentStatus::NotStarted);
    let cancelled_at = cancelled
        .cancelled_at
        .as_ref()
        .and_then(|at| at.get().ok())
        .expect("cancelled_at is present and valid");
    assert_eq!(cancelled_at.as_str(), "2023-01-01T12:34:56");
    assert_eq!(
        (
            cancelled_at.year(),
            cancelled_at.month(),
            cancelled_at.day()
        ),
        (2023, 1, 1)
    );
    assert_eq!(
        (
            cancelled_at.hour(),
            cancelled_at.minute(),
            cancelled_at.second()
        ),
        (12, 34, 56)
    );
    assert_eq!(cancelled_at.offset_seconds(), None);
    assert_eq!(cancelled_at.unix_timestamp(), 1_672_576_496);

    let details = cancelled.cancellation_details.as_ref().expect("details");
    assert_eq!(
        details.reason_type,
        Some(CancellationReasonType::CustomerRequested)
    );
    assert_eq!(details.reference_id.as_deref(), Some("SUPPORT-12345"));
    assert_eq!(
        details
            .cancelled_at
            .as_ref()
            .map(|t| t.to_string())
            .as_deref(),
        Some("2023-01-01T12:34:56")
    );
    let estimates = cancelled.estimates.as_ref().expect("estimates");
    assert_eq!(
        estimates.estimation_id.to_string(),
        "123e4567-e89b-12d3-a456-426614179999"
    );
    assert_eq!(estimates.amount_due, Some(0.0));
    let invoice = estimates.current_invoice.as_ref().expect("current invoice");
    assert_eq!(invoice.invoice_number, "EST-0001");
    assert_eq!(invoice.line_items.as_deref(), Some(&[][..]));
    assert!(cancelled.contract.is_none());
    assert!(cancelled.checkout_session_redirect_url.is_none());

    // Re-encoding gives back what the server sent, the offset-less date-times included.
    let original: serde_json::Value = serde_json::from_str(SEED_CANCEL_RESPONSE).expect("json");
    let encoded = serde_json::to_value(&cancelled.body).expect("encodes");
    assert!(generator_tests::same_json(&original, &encoded), "{encoded}");
}

#[tokio::test]
async fn a_reason_over_500_characters_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let body = CheckoutSessionCancelSchema {
        reason: Some(Some("x".repeat(501))),
        ..CheckoutSessionCancelSchema::default()
    };
    let err = client(&server)
        .cancel_checkout_session(session_id(), Some(&body))
        .await
        .expect_err("501 characters is too long");
    match &err {
        Error::Validation(invalid) => assert_eq!(invalid.path, "body.reason"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(err.to_string().contains("body.reason"), "{err}");
    assert!(err.to_string().contains("500"), "{err}");

    let exactly_500 = CheckoutSessionCancelSchema {
        reason: Some(Some("é".repeat(500))),
        ..CheckoutSessionCancelSchema::default()
    };
    assert!(zenskar::runtime::Validate::validate(&exactly_500, "body").is_ok());
}

#[tokio::test]
async fn cancel_without_a_body_sends_none() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/checkout/{SESSION_ID}/cancel")))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(SEED_CANCEL_RESPONSE, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .cancel_checkout_session(session_id(), None)
        .await
        .expect("cancel succeeds");
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests[0].body.is_empty());
    assert!(!requests[0].headers.contains_key("content-type"));
}

#[tokio::test]
async fn a_422_decodes_into_the_documented_validation_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "detail": [{"loc": ["body", "reason", 0], "msg": "field required", "type": "value_error.missing"}]
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .cancel_checkout_session(session_id(), Some(&cancel_body()))
        .await
        .expect_err("422 is an error");
    let Error::Api(api) = err else {
        panic!("expected a documented error, got {err:?}");
    };
    assert_eq!(api.status.as_u16(), 422);
    // The error enum is `#[non_exhaustive]`: a status the spec documents later joins it.
    let CancelCheckoutSessionError::UnprocessableEntity(body) = &api.body else {
        panic!("expected the 422 body, got {:?}", api.body);
    };
    let detail = body.detail.as_ref().expect("detail");
    assert_eq!(detail[0].msg, "field required");
    assert_eq!(detail[0].r#type, "value_error.missing");
    assert_eq!(detail[0].loc.len(), 3);
}

#[tokio::test]
async fn an_undocumented_status_keeps_status_headers_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("x-request-id", "req-42")
                .set_body_raw("<html>Bad gateway</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .get_checkout_session(session_id())
        .await
        .expect_err("502 is an error");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    let Error::UnexpectedStatus(raw) = err else {
        panic!("expected an undocumented status, got {err:?}");
    };
    assert_eq!(
        raw.headers.get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"req-42"[..])
    );
    assert_eq!(raw.text(), "<html>Bad gateway</html>");
    // `Debug` shows the body as text, not as a list of byte values.
    let shown = format!("{raw:?}");
    assert!(
        shown.contains(r#"body: "<html>Bad gateway</html>""#),
        "{shown}"
    );
    let long = zenskar::RawResponse {
        body: "x".repeat(5000).into_bytes().into(),
        ..(*raw).clone()
    };
    let shown = format!("{long:?}");
    assert!(
        shown.contains("... (5000 bytes in all)") && shown.len() < 1500,
        "{shown}"
    );
    let binary = zenskar::RawResponse {
        body: vec![0xff, 0xfe, 0x00].into(),
        ..(*raw).clone()
    };
    assert!(format!("{binary:?}").contains("<3 bytes, not UTF-8>"));
}

/// A server whose checkout session has this `created_at`.
async fn session_created_at(created_at: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": SESSION_ID,
            "checkout_session_status": "open",
            "payment_status": "not_started",
            "created_at": created_at
        })))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_naming_the_field() {
    let server = session_created_at(json!(20230101)).await;
    let err = client(&server)
        .get_checkout_session(session_id())
        .await
        .expect_err("a number is not a date-time string");
    let Error::Decode(decode) = err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(decode.path, "created_at");
    assert!(String::from_utf8_lossy(&decode.body).contains("20230101"));

    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{not json", "application/json"))
        .mount(&server)
        .await;
    let err = client(&server)
        .cancel_checkout_session(session_id(), None)
        .await
        .expect_err("not JSON");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn unknown_enum_values_and_extra_fields_are_accepted_and_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": SESSION_ID,
            "checkout_session_status": "archived",
            "payment_status": "refunded",
            "a_field_added_later": {"nested": true}
        })))
        .mount(&server)
        .await;
    let session = client(&server)
        .get_checkout_session(session_id())
        .await
        .expect("unknown values decode");
    assert_eq!(
        session.checkout_session_status,
        CheckoutSessionStatus::Unknown("archived".to_owned())
    );
    assert_eq!(session.payment_status.as_str(), "refunded");
    let encoded = serde_json::to_value(&session.body).expect("encodes");
    assert_eq!(encoded["checkout_session_status"], "archived");
    assert_eq!(encoded["payment_status"], "refunded");
}

#[tokio::test]
async fn list_sends_typed_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/checkout"))
        .and(query_param("limit", "50"))
        .and(query_param("cursor", "abc+/="))
        .and(query_param("checkout_session_status", "open"))
        .and(query_param("guest_checkout", "false"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": SESSION_ID, "checkout_session_status": "open", "payment_status": "not_started"}],
            "next": "cursor_to_next_page",
            "total": 25
        })))
        .expect(1)
        .mount(&server)
        .await;
    let params = ListCheckoutSessionsParams {
        limit: Some(50),
        cursor: Some("abc+/=".to_owned()),
        checkout_session_status: Some(CheckoutSessionStatus::Open),
        guest_checkout: Some(false),
        ..ListCheckoutSessionsParams::default()
    };
    let page = client(&server)
        .list_checkout_sessions(&params)
        .await
        .expect("list succeeds");
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.next.as_deref(), Some("cursor_to_next_page"));
    assert_eq!(page.total, Some(25));
    let requests = server.received_requests().await.unwrap_or_default();
    let query = requests[0].url.query().unwrap_or_default().to_owned();
    assert!(
        !query.contains("order"),
        "unset parameters are not sent: {query}"
    );

    let too_many = ListCheckoutSessionsParams {
        limit: Some(101),
        ..Default::default()
    };
    let err = client(&server)
        .list_checkout_sessions(&too_many)
        .await
        .expect_err("limit ≤ 100");
    assert!(
        matches!(&err, Error::Validation(v) if v.path == "limit"),
        "{err:?}"
    );
}

#[tokio::test]
async fn update_distinguishes_absent_from_null() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(body_json(json!({"expires_at": null, "currency": "USD"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": SESSION_ID, "checkout_session_status": "open", "payment_status": "not_started"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let body = CheckoutSessionUpdateSchema {
        expires_at: Some(None),
        currency: Some(Some("USD".to_owned())),
        ..CheckoutSessionUpdateSchema::default()
    };
    client(&server)
        .update_checkout_session(session_id(), &body)
        .await
        .expect("update succeeds");
}

#[tokio::test]
async fn a_redirect_is_a_typed_outcome_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/checkout/{SESSION_ID}/confirm")))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", "https://pay.example.com/session/1"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let body = CheckoutSessionConfirmSchema {
        redirect: Some(true),
        ..CheckoutSessionConfirmSchema::default()
    };
    let outcome = client(&server)
        .confirm_checkout_session(session_id(), &body)
        .await
        .expect("302 is documented");
    assert_eq!(outcome.status.as_u16(), 302);
    assert_eq!(
        outcome.body,
        ConfirmCheckoutSessionResponse::Found(ConfirmCheckoutSessionFoundHeaders {
            location: "https://pay.example.com/session/1".to_owned()
        }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_redirect_without_its_location_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(302))
        .mount(&server)
        .await;
    let err = client(&server)
        .confirm_checkout_session(session_id(), &CheckoutSessionConfirmSchema::default())
        .await
        .expect_err("Location is required");
    assert!(
        matches!(&err, Error::Decode(decode) if decode.path == "headers.location" && decode.status == 302),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_token_auth(API_KEY)
        .organisation_auth(ORGANISATION)
        .base_url(server.uri())
        .timeout(Some(Duration::from_millis(100)))
        .build()
        .expect("client builds");
    let err = client
        .get_checkout_session(session_id())
        .await
        .expect_err("times out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn missing_credentials_are_reported_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_token_auth(API_KEY)
        .base_url(server.uri())
        .build()
        .expect("builds");
    let err = client
        .get_checkout_session(session_id())
        .await
        .expect_err("no organisation");
    assert!(
        matches!(&err, Error::MissingCredential(names) if names.contains("OrganisationAuth")),
        "{err:?}"
    );
}

#[test]
fn credentials_never_show_in_debug_output() {
    let client = Client::builder()
        .api_token_auth("super-secret-key")
        .organisation_auth("secret-organisation")
        .build()
        .expect("client builds");
    let debug = format!("{client:?}");
    assert!(!debug.contains("super-secret-key"), "{debug}");
    assert!(!debug.contains("secret-organisation"), "{debug}");
    assert_eq!(client.base_url(), "https://api.zenskar.com/");
}

#[test]
fn credentials_that_cannot_be_headers_are_refused() {
    let err = Client::builder()
        .api_token_auth("key\r\nx-injected: 1")
        .organisation_auth(ORGANISATION)
        .build()
        .expect_err("CR LF in a header value");
    assert!(err.to_string().contains("ApiTokenAuth"), "{err}");
    assert!(
        !err.to_string().contains("x-injected"),
        "the value is not echoed: {err}"
    );
}

#[test]
fn path_segments_cannot_escape() {
    let encode = |value: &str| zenskar::runtime::__private::path_segment("id", value);
    assert_eq!(
        encode("a/b?c#d%e f").as_deref(),
        Ok("a%2Fb%3Fc%23d%25e%20f")
    );
    assert_eq!(encode("ü").as_deref(), Ok("%C3%BC"));
    assert_eq!(encode("v1.2").as_deref(), Ok("v1.2"));
    for refused in ["", ".", ".."] {
        assert!(encode(refused).is_err(), "{refused:?} must be refused");
    }
}

#[test]
fn date_times_accept_rfc3339_and_offsetless_forms() {
    use zenskar::DateTime;
    let with_offset = DateTime::parse("2023-01-01T12:34:56.250+05:30").expect("rfc 3339");
    assert_eq!(with_offset.offset_seconds(), Some(5 * 3600 + 30 * 60));
    assert_eq!(with_offset.nanosecond(), 250_000_000);
    assert_eq!(with_offset.unix_timestamp(), 1_672_576_496 - 19_800);
    let utc = DateTime::parse("2023-01-01T12:34:56Z").expect("utc");
    assert_eq!(utc.unix_timestamp(), 1_672_576_496);
    let naive = DateTime::parse("2023-01-01T12:34:56").expect("offset-less");
    assert_eq!(
        serde_json::to_string(&naive).ok().as_deref(),
        Some("\"2023-01-01T12:34:56\"")
    );
    for bad in [
        "2023-02-30T00:00:00",
        "2023-01-01",
        "2023-01-01T25:00:00",
        "2023-01-01T00:00:00+5",
        "x",
    ] {
        assert!(DateTime::parse(bad).is_err(), "{bad} must be refused");
    }
}

/// A string that breaks only its `format` costs nothing else of the response: it is kept, sent
/// back as received, and its problem is reported when it is read.
#[tokio::test]
async fn a_date_time_that_breaks_its_format_is_kept_and_reported_when_read() {
    let server = session_created_at(json!("yesterday")).await;
    let session = client(&server)
        .get_checkout_session(session_id())
        .await
        .expect("the rest of the response is still there");
    let created_at = session.created_at.as_ref().expect("kept");
    let err = created_at.get().expect_err("reported when read");
    assert_eq!(err.text, "yesterday");
    assert_eq!(
        serde_json::to_value(&*session).expect("encodes")["created_at"],
        "yesterday"
    );
}
