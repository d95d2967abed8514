//! Credentials that expire (`specs/oauth.yaml`), against a local token endpoint and resource
//! server: a client credentials token fetched once for many concurrent calls, renewed before
//! it expires and after a 401, a refresh token's grant and its rotation, the token endpoint's
//! refusals typed, a provider of the user's own, a credential for one call, and credentials
//! the spec does not declare.

mod api {
    include!(concat!(env!("OUT_DIR"), "/oauth.rs"));
}

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use api::runtime::{Credential, CredentialFailure, OAuthError, RequestOptions};
use api::{Client, Error};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn token(access: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": access, "token_type": "Bearer", "expires_in": expires_in,
    }))
}

async fn reports(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path("/reports"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(["r1"]))
        .mount(server)
        .await;
}

fn client_credentials(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .o_auth_client_credentials("app", "s3cret")
        .sleep(|_| Box::pin(async {}))
        .build()
        .expect("builds")
}

/// The token requests the server received.
async fn token_requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|request| request.url.path() == "/oauth/token")
        .collect()
}

#[tokio::test]
async fn concurrent_calls_share_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", "Basic YXBwOnMzY3JldA=="))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("scope=reports%3Aread+reports%3Awrite"))
        .respond_with(token("t1", 3600).set_delay(Duration::from_millis(50)))
        .expect(1)
        .mount(&server)
        .await;
    reports(&server, "t1").await;
    let client = client_credentials(&server);
    let calls = (0..16).map(|_| client.list_reports());
    let results = futures_util::future::join_all(calls).await;
    for result in results {
        assert_eq!(result.expect("the call succeeds").into_body(), ["r1"]);
    }
    assert_eq!(token_requests(&server).await.len(), 1);
    let form = String::from_utf8_lossy(&token_requests(&server).await[0].body).into_owned();
    assert!(form.contains("grant_type=client_credentials"), "{form}");
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("t1", 1))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("t2", 3600))
        .mount(&server)
        .await;
    reports(&server, "t1").await;
    reports(&server, "t2").await;
    let client = client_credentials(&server);
    client.list_reports().await.expect("with t1");
    // A one-second token is renewed at half its life.
    tokio::time::sleep(Duration::from_millis(600)).await;
    client.list_reports().await.expect("with t2");
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|request| request.url.path() == "/reports")
        .filter_map(|request| {
            request
                .headers
                .get("authorization")?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(sent, ["Bearer t1", "Bearer t2"]);
}

#[tokio::test]
async fn a_refused_token_is_renewed_once_and_the_call_tried_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("stale", 3600))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("fresh", 3600))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/reports"))
        .and(header("authorization", "Bearer stale"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    reports(&server, "fresh").await;
    let client = client_credentials(&server);
    assert_eq!(
        client.list_reports().await.expect("renewed").into_body(),
        ["r1"]
    );
    assert_eq!(token_requests(&server).await.len(), 2);

    // A server that refuses every token: renewed once, then the 401 is the answer.
    let refusing = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("any", 3600))
        .mount(&refusing)
        .await;
    Mock::given(method("GET"))
        .and(path("/reports"))
        .respond_with(ResponseTemplate::new(401))
        .expect(2)
        .mount(&refusing)
        .await;
    let err = client_credentials(&refusing)
        .list_reports()
        .await
        .expect_err("refused");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err:?}");
    assert_eq!(token_requests(&refusing).await.len(), 2);
}

#[tokio::test]
async fn a_non_idempotent_call_is_not_sent_again_after_a_401() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("t1", 3600))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/reports"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let body = api::types::CreateReportRequest::default();
    let err = client_credentials(&server)
        .create_report(Some(&body))
        .await
        .expect_err("refused");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn token_endpoint_refusals_are_typed_and_name_the_scheme() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client", "error_description": "unknown client"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/reports"))
        .respond_with(ResponseTemplate::new(200).set_body_json(["r1"]))
        .expect(0)
        .mount(&server)
        .await;
    let err = client_credentials(&server)
        .list_reports()
        .await
        .expect_err("no token");
    let Error::Credential(credential) = &err else {
        panic!("not a credential error: {err:?}");
    };
    assert_eq!(credential.scheme, "OAuth");
    assert_eq!(
        credential.failure,
        CredentialFailure::TokenEndpoint {
            error: OAuthError::InvalidClient,
            description: Some("unknown client".to_owned()),
        }
    );
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
}

#[tokio::test]
async fn a_refresh_token_is_redeemed_rotated_and_an_invalid_grant_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=r1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "a1", "token_type": "Bearer", "expires_in": 1, "refresh_token": "r2"
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("refresh_token=r2"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_grant"
        })))
        .mount(&server)
        .await;
    reports(&server, "a1").await;
    let client = Client::builder()
        .base_url(server.uri())
        .o_auth_refresh_token("public-app", None, "r1")
        .build()
        .expect("builds");
    client.list_reports().await.expect("with a1");
    let form = String::from_utf8_lossy(&token_requests(&server).await[0].body).into_owned();
    assert!(
        form.contains("client_id=public-app"),
        "a public client names itself: {form}"
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    // The server rotated the refresh token; the next renewal uses r2, which it refuses.
    let err = client.list_reports().await.expect_err("invalid grant");
    assert!(
        matches!(&err, Error::Credential(c) if c.failure == CredentialFailure::TokenEndpoint {
            error: OAuthError::InvalidGrant, description: None }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_users_own_provider_and_a_credential_for_one_call() {
    let server = MockServer::start().await;
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let provider = move || {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(Credential::new("from-provider"))
        }
    };
    for key in ["from-provider", "tenant-b"] {
        Mock::given(method("GET"))
            .and(path("/status"))
            .and(header("x-api-key", key))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
            .mount(&server)
            .await;
    }
    let client = Client::builder()
        .base_url(server.uri())
        .api_key_provider(provider)
        .build()
        .expect("builds");
    client.get_status().await.expect("the provider's key");
    client.get_status().await.expect("cached");
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    let tenant = client.with_options(RequestOptions::default().credential("ApiKey", "tenant-b"));
    tenant.get_status().await.expect("the tenant's key");
    let shown = format!("{tenant:?}");
    assert!(!shown.contains("tenant-b"), "{shown}");

    // A provider that fails names its scheme.
    let failing = Client::builder()
        .base_url(server.uri())
        .api_key_provider(|| async { Err(CredentialFailure::Provider("vault sealed".to_owned())) })
        .build()
        .expect("builds");
    let err = failing.get_status().await.expect_err("no key");
    assert_eq!(
        err.to_string(),
        "no `ApiKey` credential: its provider failed: vault sealed"
    );
}

#[tokio::test]
async fn an_undeclared_bearer_token_goes_with_every_request_and_stays_hidden() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/status"))
        .and(header("authorization", "Bearer ghp_token"))
        .and(header("x-tenant", "t-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k")
        .bearer_token("ghp_token")
        .credential_header("X-Tenant", "t-1")
        .build()
        .expect("builds");
    client.get_status().await.expect("sent with both");
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("ghp_token") && !shown.contains("t-1"),
        "{shown}"
    );
    let bad = Client::builder().credential_header("bad name", "v").build();
    assert!(bad.is_err());
}

#[tokio::test]
async fn a_provider_that_hangs_is_bounded_by_the_calls_time_limit() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key_provider(|| async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(Credential::new("late"))
        })
        .timeout(Some(Duration::from_millis(100)))
        .build()
        .expect("builds");
    let err = client.get_status().await.expect_err("timed out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}
