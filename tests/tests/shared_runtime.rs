//! Two clients generated from different specs into one program share the runtime: its types
//! are the same types whichever client names them, and code written once serves both.

/// The client of `tests/specs/operations.yaml`, next to the `zenskar` crate.
mod notes {
    include!(concat!(env!("OUT_DIR"), "/operations.rs"));
}

use specwright_runtime::Response;
use zenskar::types::{
    CheckoutPaymentStatus, CheckoutSessionCancelResponseSchema, CheckoutSessionStatus,
};

/// The request id and status of any client's response: one function for both.
fn summary<T>(response: &Response<T>) -> (u16, Option<String>) {
    (
        response.status.as_u16(),
        response.request_id().map(str::to_owned),
    )
}

#[test]
fn the_clients_name_the_same_types() {
    // Each assignment compiles only because the two names are one type.
    let error: notes::Error<()> = zenskar::Error::MissingCredential("api_key".to_owned());
    let _: zenskar::Error<()> = error;
    let when: zenskar::DateTime = "2023-01-01T12:34:56".parse().expect("a date-time");
    let _: notes::DateTime = when;
    let options: notes::RequestOptions = zenskar::RequestOptions::default();
    let _: specwright_runtime::RequestOptions = options;
    let fields: zenskar::UnknownFields = notes::UnknownFields::default();
    let _: specwright_runtime::UnknownFields = fields;
}

#[tokio::test]
async fn one_function_reads_both_clients_responses() {
    let server = specwright_runtime::mock::MockServer::start().await;
    notes::mock::purge()
        .respond_no_content()
        .mount(&server)
        .await;
    zenskar::mock::cancel_checkout_session()
        .respond_ok(&CheckoutSessionCancelResponseSchema::new(
            CheckoutPaymentStatus::NotStarted,
            CheckoutSessionStatus::Cancelled,
        ))
        .mount(&server)
        .await;
    let notes = notes::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("the notes client builds");
    let billing = zenskar::Client::builder()
        .api_token_auth("key")
        .organisation_auth("org")
        .base_url(server.uri())
        .build()
        .expect("the billing client builds");

    let purged = notes.purge().await.expect("purged");
    let cancelled = billing
        .cancel_checkout_session(zenskar::Uuid::from_u128(3), None)
        .await
        .expect("cancelled");
    assert_eq!(summary(&purged), (204, None));
    assert_eq!(summary(&cancelled), (200, None));
}
