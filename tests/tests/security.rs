//! Every credential carrier of `specs/security.yaml`: bearer, basic, API keys in query and
//! cookie, OAuth 2 tokens, and `security: []`.

mod api {
    include!(concat!(env!("OUT_DIR"), "/security.rs"));
}

use api::{Client, Error};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn each_scheme_sends_its_credential_its_own_way() {
    let server = MockServer::start().await;
    let ok = || ResponseTemplate::new(204);
    Mock::given(path("/bearer"))
        .and(header("authorization", "Bearer t0k3n"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    // "Aladdin:open sesame" is RFC 7617's example.
    Mock::given(path("/basic"))
        .and(header(
            "authorization",
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        ))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/query-and-cookie"))
        .and(query_param("api_key", "k&y"))
        .and(header("cookie", "session=s1"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth"))
        .and(header("authorization", "Bearer oauth-token"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/public"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .token("t0k3n")
        .basic("Aladdin", "open sesame")
        .query_key("k&y")
        .session_cookie("s1")
        .o_auth("oauth-token")
        .base_url(server.uri())
        .build()
        .expect("builds");
    client.with_bearer().await.expect("bearer");
    client.with_basic().await.expect("basic");
    client
        .with_query_and_cookie()
        .await
        .expect("query and cookie");
    client.with_oauth().await.expect("oauth first alternative");
    client.public().await.expect("no credential");
    let public_request = server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|r| r.url.path() == "/public")
        .expect("sent");
    assert!(!public_request.headers.contains_key("authorization"));
    assert!(
        format!("{client:?}").find("t0k3n").is_none(),
        "Debug hides credentials"
    );
}

#[test]
fn server_variables_take_their_defaults() {
    // `port: 8443` is a number in the spec; it is read as the string it should be.
    assert_eq!(api::DEFAULT_BASE_URL, "https://eu.example.com:8443/v1");
}

#[tokio::test]
async fn missing_credentials_and_bad_values_fail_before_sending() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("builds");
    let err = client
        .with_query_and_cookie()
        .await
        .expect_err("no credentials");
    assert!(
        matches!(&err, Error::MissingCredential(names) if names == "QueryKey + SessionCookie"),
        "{err:?}"
    );
    let bad = Client::builder().session_cookie("a;b").build();
    assert!(bad.is_err());
}
