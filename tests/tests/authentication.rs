//! The README's "Authentication" examples, one per kind of credential, each built and used
//! against a local server: a fixed key, a provider that reads a token from a file, OAuth 2's
//! client credentials and refresh-token grants run by the client, a token the spec does not
//! declare, and a credential for one call.

mod api {
    include!(concat!(env!("OUT_DIR"), "/oauth.rs"));
}

use std::path::PathBuf;

use api::Client;
use api::runtime::{BuildError, Credential, CredentialFailure, RequestOptions};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixed_key(base_url: &str) -> Result<Client, BuildError> {
    Client::builder()
        .base_url(base_url)
        .api_key("sk_live_123")
        .build()
}

fn key_from_file(base_url: &str, file: PathBuf) -> Result<Client, BuildError> {
    let provider = move || {
        let file = file.clone();
        async move {
            let token = tokio::fs::read_to_string(&file)
                .await
                .map_err(|err| CredentialFailure::Provider(format!("{}: {err}", file.display())))?;
            Ok(Credential::new(token.trim()))
        }
    };
    Client::builder()
        .base_url(base_url)
        .api_key_provider(provider)
        .build()
}

fn client_credentials(base_url: &str) -> Result<Client, BuildError> {
    Client::builder()
        .base_url(base_url)
        .o_auth_client_credentials(
            "my-client-id",
            std::env::var("CLIENT_SECRET").unwrap_or_default(),
        )
        .build()
}

fn refresh_token(base_url: &str, stored_refresh_token: String) -> Result<Client, BuildError> {
    Client::builder()
        .base_url(base_url)
        .o_auth_refresh_token("my-client-id", None, stored_refresh_token)
        .build()
}

fn undeclared(base_url: &str) -> Result<Client, BuildError> {
    Client::builder()
        .base_url(base_url)
        .bearer_token("ghp_token")
        .credential_header("X-Tenant", "acme")
        .build()
}

async fn for_one_tenant(
    client: &Client,
    tenant_key: &str,
) -> Result<bool, api::Error<api::types::GetStatusError>> {
    let tenant = client.with_options(RequestOptions::default().credential("ApiKey", tenant_key));
    let status = tenant.get_status().await?;
    Ok(status.into_body().ok.unwrap_or_default())
}

async fn status_server(key: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/status"))
        .and(header("x-api-key", key))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn every_kind_of_credential_builds_and_is_sent() {
    let server = status_server("sk_live_123").await;
    let client = fixed_key(&server.uri()).expect("builds");
    assert!(client.get_status().await.is_ok());

    let file = std::env::temp_dir().join(format!("specwright-token-{}", std::process::id()));
    std::fs::write(&file, "sk_live_123\n").expect("a token file");
    let client = key_from_file(&server.uri(), file.clone()).expect("builds");
    assert!(client.get_status().await.is_ok());
    let _ = std::fs::remove_file(&file);

    let tenant = status_server("tenant-key").await;
    let client = fixed_key(&tenant.uri()).expect("builds");
    assert!(
        for_one_tenant(&client, "tenant-key")
            .await
            .expect("the tenant's key")
    );

    for built in [
        client_credentials(&server.uri()),
        refresh_token(&server.uri(), "rt".to_owned()),
        undeclared(&server.uri()),
    ] {
        assert!(built.is_ok());
    }
}
