//! The client generated from Iceberg's REST catalog spec, whose `OAuth2` scheme has a
//! `clientCredentials` flow with a relative `tokenUrl` (`/v1/oauth/tokens`) and the scope
//! `catalog`: given a client id and secret, it gets its own token there, once, and sends it.

use iceberg::Client;
use iceberg::types::GetConfigParams;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_client_gets_its_token_from_the_specs_token_url() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth/tokens"))
        .and(header("authorization", "Basic Y2F0YWxvZy1hcHA6czNjcmV0"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("scope=catalog"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "iceberg-token", "token_type": "bearer", "expires_in": 3600,
            "issued_token_type": "urn:ietf:params:oauth:token-type:access_token"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/config"))
        .and(header("authorization", "Bearer iceberg-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "defaults": {"clients": "4"}, "overrides": {}
        })))
        .expect(2)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .o_auth2_client_credentials("catalog-app", "s3cret")
        .build()
        .expect("builds");
    for _ in 0..2 {
        let config = client
            .get_config(&GetConfigParams::default())
            .await
            .expect("the catalog's config");
        assert_eq!(config.into_body().defaults.get("clients").map(String::as_str), Some("4"));
    }
    assert!(!format!("{client:?}").contains("s3cret"));
}
