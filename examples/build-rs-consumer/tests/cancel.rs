//! Testing your own code against the client's generated mocks: no path and no JSON by hand.

use build_rs_consumer::cancel_at_customer_request;
use build_rs_consumer::zenskar::runtime::mock::MockServer;
use build_rs_consumer::zenskar::types::{
    CancellationReasonType, CheckoutPaymentStatus, CheckoutSessionCancelResponseSchema,
    CheckoutSessionCancelSchema, CheckoutSessionStatus, HttpValidationError,
};
use build_rs_consumer::zenskar::{Client, Uuid, mock};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_token_auth("your-api-key")
        .organisation_auth("your-org-id")
        .base_url(server.uri())
        .build()
        .expect("the client builds")
}

#[tokio::test]
async fn a_customer_request_cancels_the_session() {
    let server = MockServer::start().await;
    let id = Uuid::from_u128(0x123e4567_e89b_12d3_a456_426614174000);
    mock::cancel_checkout_session()
        .checkout_session_id(id)
        .body(&CheckoutSessionCancelSchema {
            reason_type: Some(Some(CancellationReasonType::CustomerRequested)),
            reason: Some(Some("upgrading".to_owned())),
            ..Default::default()
        })
        .respond_ok(&CheckoutSessionCancelResponseSchema::new(
            CheckoutPaymentStatus::NotStarted,
            CheckoutSessionStatus::Cancelled,
        ))
        .expect(1)
        .mount(&server)
        .await;

    let cancelled = cancel_at_customer_request(&client(&server), id, "upgrading").await;
    assert!(matches!(cancelled, Ok(true)), "{cancelled:?}");
}

#[tokio::test]
async fn a_refusal_is_not_an_error() {
    let server = MockServer::start().await;
    let id = Uuid::from_u128(7);
    mock::cancel_checkout_session()
        .checkout_session_id(id)
        .respond_unprocessable_entity(&HttpValidationError::default())
        .expect(1)
        .mount(&server)
        .await;

    let cancelled = cancel_at_customer_request(&client(&server), id, "too late").await;
    assert!(matches!(cancelled, Ok(false)), "{cancelled:?}");
}

/// Another session's id does not match the mock: the server answers 404, which the client
/// reports as an undocumented status.
#[tokio::test]
async fn the_mock_matches_only_its_session() {
    let server = MockServer::start().await;
    mock::cancel_checkout_session()
        .checkout_session_id(Uuid::from_u128(1))
        .respond_ok(&CheckoutSessionCancelResponseSchema::new(
            CheckoutPaymentStatus::NotStarted,
            CheckoutSessionStatus::Cancelled,
        ))
        .expect(0)
        .mount(&server)
        .await;

    let cancelled = cancel_at_customer_request(&client(&server), Uuid::from_u128(2), "x").await;
    assert!(
        matches!(&cancelled, Err(build_rs_consumer::zenskar::Error::UnexpectedStatus(raw)) if raw.status == 404),
        "{cancelled:?}"
    );
}
