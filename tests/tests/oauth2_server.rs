//! The runtime's OAuth 2 grants against a token endpoint not written here: oauth2-mock-server
//! (npm), started by `scripts/oauth2-server.sh test`, which `.ci/run` runs. The client of
//! `specs/oauth.yaml` gets its tokens there (client credentials, then a refresh token's grant)
//! and sends them to a resource server (wiremock) that accepts only the server's signed JWTs.

mod api {
    include!(concat!(env!("OUT_DIR"), "/oauth.rs"));
}

use api::Client;
use api::runtime::{ClientAuth, ClientCredentials, RefreshToken};
use base64::Engine as _;
use wiremock::matchers::{header_regex, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn token_url() -> String {
    let base = std::env::var("OAUTH2_URL")
        .expect("OAUTH2_URL names the server (run scripts/oauth2-server.sh test)");
    format!("{base}/token")
}

/// A resource server that answers only requests bearing a JWT (three base64url parts).
async fn resource_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/reports"))
        .and(header_regex(
            "authorization",
            r"^Bearer [\w-]+\.[\w-]+\.[\w-]+$",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(["r1"]))
        .mount(&server)
        .await;
    server
}

/// The claims of the token the resource server last received.
async fn last_claims(server: &MockServer) -> serde_json::Value {
    let requests = server.received_requests().await.unwrap_or_default();
    let token = requests
        .last()
        .and_then(|request| request.headers.get("authorization")?.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    let claims = token.split('.').nth(1).unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(claims)
        .expect("base64url claims");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

#[tokio::test]
#[ignore = "needs oauth2-mock-server: scripts/oauth2-server.sh test"]
async fn client_credentials_from_a_real_token_endpoint() {
    let resources = resource_server().await;
    for auth in [ClientAuth::Basic, ClientAuth::Body] {
        let provider = ClientCredentials::new(token_url(), "reports-app", "s3cret")
            .scopes(["reports:read"])
            .client_auth(auth);
        let client = Client::builder()
            .base_url(resources.uri())
            .o_auth_provider(provider)
            .build()
            .expect("builds");
        let reports = client.list_reports().await.expect("a token, then the call");
        assert_eq!(reports.into_body(), ["r1"]);
        let claims = last_claims(&resources).await;
        assert_eq!(claims["scope"], "reports:read", "{claims}");
    }
}

#[tokio::test]
#[ignore = "needs oauth2-mock-server: scripts/oauth2-server.sh test"]
async fn a_refresh_token_grant_from_a_real_token_endpoint() {
    let resources = resource_server().await;
    let provider = RefreshToken::new(
        token_url(),
        "reports-app",
        Some("s3cret".to_owned()),
        "rt-1",
    );
    let client = Client::builder()
        .base_url(resources.uri())
        .o_auth_provider(provider)
        .build()
        .expect("builds");
    client.list_reports().await.expect("a token, then the call");
    let claims = last_claims(&resources).await;
    assert!(claims["exp"].as_u64().is_some(), "{claims}");
}
