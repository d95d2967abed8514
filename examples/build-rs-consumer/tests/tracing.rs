//! With the runtime's `tracing` feature, every call is a span: the operation, the method, the
//! path as the spec writes it (no identifiers), the status, the attempt and the duration.

use std::io::Write;
use std::sync::{Arc, Mutex};

use build_rs_consumer::cancel_at_customer_request;
use build_rs_consumer::zenskar::runtime::mock::MockServer;
use build_rs_consumer::zenskar::types::{
    CheckoutPaymentStatus, CheckoutSessionCancelResponseSchema, CheckoutSessionStatus,
};
use build_rs_consumer::zenskar::{Client, Uuid, mock};
use tracing_subscriber::util::SubscriberInitExt as _;

/// What the subscriber writes, kept for the test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_call_is_one_span() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = subscriber.set_default();

    let server = MockServer::start().await;
    let id = Uuid::from_u128(42);
    mock::cancel_checkout_session()
        .respond_ok(&CheckoutSessionCancelResponseSchema::new(
            CheckoutPaymentStatus::NotStarted,
            CheckoutSessionStatus::Cancelled,
        ))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_token_auth("secret-key")
        .organisation_auth("org")
        .base_url(server.uri())
        .build()
        .expect("the client builds");
    let cancelled = cancel_at_customer_request(&client, id, "upgrading").await;
    assert!(matches!(cancelled, Ok(true)), "{cancelled:?}");

    let output = String::from_utf8(captured.0.lock().expect("not poisoned").clone())
        .expect("the output is text");
    for expected in [
        "http_call{operation=\"cancel_checkout_session\" method=POST path=\"/checkout/{checkout_session_id}/cancel\"",
        "status=200",
        "attempt=1",
        "retries=0",
        "duration_ms=",
    ] {
        assert!(output.contains(expected), "no {expected} in:\n{output}");
    }
    // Neither the credential nor the session's id, which the filled path would show.
    assert!(!output.contains("secret-key"), "{output}");
    assert!(!output.contains(&id.to_string()), "{output}");
}
