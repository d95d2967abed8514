//! The user's own `reqwest-middleware` layers (runtime feature `middleware`): a layer that
//! counts requests sees every one the client sends, retries and a credential's renewal
//! included; with a layer the client's own retries are off unless asked for, so that a
//! retrying layer does not retry each of the client's tries; the client's time limits hold
//! around a layer that stalls, and a layer's failure is a typed error.

mod api {
    include!(concat!(env!("OUT_DIR"), "/oauth.rs"));
}

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use api::{Client, Error};
use http::Extensions;
use reqwest_middleware::{Middleware, Next};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A layer of the user's: counts the requests it passes on, and the credentials they carry.
#[derive(Clone, Default)]
struct Counting {
    requests: Arc<AtomicUsize>,
    with_credential: Arc<AtomicUsize>,
}

#[async_trait::async_trait]
impl Middleware for Counting {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        if request.headers().contains_key("authorization") {
            self.with_credential.fetch_add(1, Ordering::SeqCst);
        }
        next.run(request, extensions).await
    }
}

struct Stalling;

#[async_trait::async_trait]
impl Middleware for Stalling {
    async fn handle(
        &self,
        _: reqwest::Request,
        _: &mut Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        Err(reqwest_middleware::Error::Middleware(anyhow::anyhow!(
            "woke"
        )))
    }
}

struct Refusing;

#[async_trait::async_trait]
impl Middleware for Refusing {
    async fn handle(
        &self,
        _: reqwest::Request,
        _: &mut Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        Err(reqwest_middleware::Error::Middleware(anyhow::anyhow!(
            "circuit open"
        )))
    }
}

async fn flaky_status(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/status"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_layer_sees_every_try_and_the_clients_retries_wait_to_be_asked_for() {
    let server = MockServer::start().await;
    flaky_status(&server).await;
    let counting = Counting::default();
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k")
        .middleware(counting.clone())
        .build()
        .expect("builds");
    // A layer of its own may retry: the client does not, by default.
    let err = client
        .get_status()
        .await
        .expect_err("the 503 is the answer");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(counting.requests.load(Ordering::SeqCst), 1);

    let server = MockServer::start().await;
    flaky_status(&server).await;
    let counting = Counting::default();
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k")
        .middleware(counting.clone())
        .max_retries(2)
        .sleep(|_| Box::pin(async {}))
        .build()
        .expect("builds");
    client.get_status().await.expect("retried");
    assert_eq!(
        counting.requests.load(Ordering::SeqCst),
        2,
        "the retry went through the layer"
    );
}

#[tokio::test]
async fn a_credentials_renewal_goes_through_the_layer_too() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "t", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/reports"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/reports"))
        .respond_with(ResponseTemplate::new(200).set_body_json(["r1"]))
        .mount(&server)
        .await;
    let counting = Counting::default();
    let client = Client::builder()
        .base_url(server.uri())
        .o_auth_client_credentials("app", "secret")
        .middleware(counting.clone())
        .build()
        .expect("builds");
    client.list_reports().await.expect("renewed");
    assert_eq!(counting.requests.load(Ordering::SeqCst), 2);
    assert_eq!(counting.with_credential.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_clients_limits_hold_around_a_layer_and_its_failures_are_typed() {
    let server = MockServer::start().await;
    flaky_status(&server).await;
    let stalled = Client::builder()
        .base_url(server.uri())
        .api_key("k")
        .middleware(Stalling)
        .timeout(Some(Duration::from_millis(100)))
        .build()
        .expect("builds");
    let err = stalled.get_status().await.expect_err("timed out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");

    let refused = Client::builder()
        .base_url(server.uri())
        .api_key("k")
        .middleware(Refusing)
        .build()
        .expect("builds");
    let err = refused
        .get_status()
        .await
        .expect_err("refused by the layer");
    assert!(matches!(err, Error::Middleware(_)), "{err:?}");
    assert_eq!(err.to_string(), "a middleware layer failed: circuit open");
}
