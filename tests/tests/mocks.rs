//! The generated mocks answer with any documented response, typed: here a response of headers
//! alone (Zenskar's confirm: `302` with `Location`), which the client reads back as its typed
//! headers.

use zenskar::types::{
    CheckoutSessionConfirmSchema, ConfirmCheckoutSessionFoundHeaders,
    ConfirmCheckoutSessionResponse, ConfirmationType,
};

#[tokio::test]
async fn a_response_of_headers_is_mocked_from_its_typed_headers() {
    let server = specwright_runtime::mock::MockServer::start().await;
    let id = zenskar::Uuid::from_u128(5);
    let headers = ConfirmCheckoutSessionFoundHeaders {
        location: "https://pay.example/s/5".to_owned(),
    };
    zenskar::mock::confirm_checkout_session()
        .checkout_session_id(id)
        .respond_found(&headers)
        .expect(1)
        .mount(&server)
        .await;
    let client = zenskar::Client::builder()
        .api_token_auth("key")
        .organisation_auth("org")
        .base_url(server.uri())
        .build()
        .expect("the client builds");
    let body = CheckoutSessionConfirmSchema {
        confirmation: Some(ConfirmationType::ChargeImmediately),
        redirect: Some(true),
        ..Default::default()
    };
    let confirmed = client
        .confirm_checkout_session(id, &body)
        .await
        .expect("confirmed");
    assert!(
        matches!(confirmed.into_body(), ConfirmCheckoutSessionResponse::Found(found) if found == headers)
    );
}
