//! Contract tests: the generated client against Stoplight Prism serving `specs/zenskar.yaml`.
//! Prism validates every request against the spec (a request that breaks it gets a 4xx, which
//! fails the call) and answers with the spec's examples, which must decode.
//!
//! Prism is a Node program, so these tests are ignored by a plain `cargo test`; `.ci/run`
//! starts it and runs them. Locally:
//!
//! ```sh
//! scripts/prism.sh start specs/zenskar.yaml 4010 &
//! PRISM_URL=http://127.0.0.1:4010 cargo test -p generator-tests --test contract_prism -- --ignored
//! ```

use zenskar::types::{
    CancellationReasonType, CheckoutContractSchemaPlanBased, CheckoutSessionCancelSchema,
    CheckoutSessionConfirmSchema, CheckoutSessionCreateSchema, CheckoutSessionUpdateSchema,
    ConfirmCheckoutSessionResponse, ConfirmationType, ListCheckoutSessionsParams,
};
use zenskar::{Client, Error, Uuid};

fn client() -> Client {
    let url = std::env::var("PRISM_URL").unwrap_or_else(|_| {
        panic!("set PRISM_URL to a running Prism mock of specs/zenskar.yaml (see this file's docs)")
    });
    Client::builder()
        .api_token_auth("test-key")
        .organisation_auth("9f1c2d3e-0000-4000-8000-000000000001")
        .base_url(url)
        .max_retries(0)
        .build()
        .expect("client builds")
}

fn id() -> Uuid {
    Uuid::parse_str("123e4567-e89b-12d3-a456-426614174000").expect("uuid")
}

#[tokio::test]
#[ignore = "needs Prism: run by .ci/run, or see the module docs"]
async fn every_operation_conforms_and_every_answer_decodes() {
    let client = client();
    let contract = CheckoutContractSchemaPlanBased::new(
        true,
        id(),
        "USD".into(),
        // Prism checks `format: date-time` strictly, so requests carry an offset.
        "2023-01-01T00:00:00Z"
            .parse::<zenskar::DateTime>()
            .expect("date-time"),
    );
    let mut create = CheckoutSessionCreateSchema::new(contract.into());
    create.customer_id = Some(Some(id().into()));
    create.idempotency_key = Some(Some("contract-test-1".into()));
    let created = client
        .create_checkout_session(&create)
        .await
        .expect("create");
    assert_eq!(
        created.id.to_string(),
        "123e4567-e89b-12d3-a456-426614174000"
    );

    let params = ListCheckoutSessionsParams {
        limit: Some(10),
        ..Default::default()
    };
    let page = client.list_checkout_sessions(&params).await.expect("list");
    assert_eq!(page.data.len(), 2);

    let session = client.get_checkout_session(id()).await.expect("get");
    assert_eq!(session.currency.as_deref(), Some("USD"));

    let update = CheckoutSessionUpdateSchema {
        success_url: Some(Some("https://example.com/success".into())),
        ..Default::default()
    };
    client
        .update_checkout_session(id(), &update)
        .await
        .expect("update");

    let confirm = CheckoutSessionConfirmSchema {
        confirmation: Some(ConfirmationType::ChargeWhenDue),
        ..Default::default()
    };
    let confirmed = client
        .confirm_checkout_session(id(), &confirm)
        .await
        .expect("confirm");
    if let ConfirmCheckoutSessionResponse::Ok(body) = &confirmed.body {
        assert!(body.estimates.is_some());
    }

    let cancel = CheckoutSessionCancelSchema {
        reason_type: Some(Some(CancellationReasonType::Duplicate)),
        reason: Some(Some("A newer session replaced this one".into())),
        ..Default::default()
    };
    let cancelled = client
        .cancel_checkout_session(id(), Some(&cancel))
        .await
        .expect("cancel");
    assert_eq!(
        cancelled
            .cancelled_at
            .as_ref()
            .map(|t| t.to_string())
            .as_deref(),
        Some("2023-01-01T12:34:56")
    );
}

#[tokio::test]
#[ignore = "needs Prism: run by .ci/run, or see the module docs"]
async fn a_request_that_breaks_the_spec_fails() {
    let client = client();
    let bogus = CheckoutSessionCancelSchema {
        reason_type: Some(Some(CancellationReasonType::Unknown("bogus".into()))),
        ..Default::default()
    };
    let err = client
        .cancel_checkout_session(id(), Some(&bogus))
        .await
        .expect_err("not an enum value");
    assert!(
        matches!(&err, Error::Api(api) if api.status.as_u16() == 422),
        "{err:?}"
    );

    let anonymous = Client::builder()
        .api_token_auth("test-key")
        .organisation_auth("org")
        .base_url(std::env::var("PRISM_URL").unwrap_or_default())
        .on_request(|request| {
            request.headers_mut().remove("organisation");
        })
        .max_retries(0)
        .build()
        .expect("client builds");
    let err = anonymous
        .get_checkout_session(id())
        .await
        .expect_err("a credential is missing");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err:?}");
}
