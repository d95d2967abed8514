//! Non-JSON bodies of `specs/bodies.yaml`: bytes up and down, text, and forms; JSON is chosen
//! when a body is offered in several media types.

mod api {
    include!(concat!(env!("OUT_DIR"), "/bodies.rs"));
}

use api::types::LoginRequest;
use api::{Client, Error};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("builds")
}

#[tokio::test]
async fn bytes_go_up_and_come_down_unchanged() {
    let server = MockServer::start().await;
    let pdf = vec![0x25, 0x50, 0x44, 0x46, 0x00, 0xff];
    Mock::given(method("PUT"))
        .and(path("/files/a%20b.pdf"))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("stored", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/a%20b.pdf"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(pdf.clone(), "application/pdf"))
        .mount(&server)
        .await;
    let stored = client(&server)
        .upload("a b.pdf", &pdf)
        .await
        .expect("uploaded");
    assert_eq!(stored.body, "stored");
    let sent = server.received_requests().await.unwrap_or_default();
    assert_eq!(sent[0].body, pdf);
    let downloaded = client(&server)
        .download("a b.pdf")
        .await
        .expect("downloaded");
    assert_eq!(downloaded.body, pdf);
}

#[tokio::test]
async fn text_bodies_and_forms() {
    let server = MockServer::start().await;
    Mock::given(path("/notes"))
        .and(header("content-type", "text/plain; charset=utf-8"))
        .and(body_string("héllo"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/login"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("user=ann+b&scopes=read&scopes=write%26more"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"token": "t"})))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .add_note(Some("héllo"))
        .await
        .expect("added");
    let login = LoginRequest {
        unknown_fields: Default::default(),
        user: "ann b".into(),
        scopes: Some(vec!["read".into(), "write&more".into()]),
        remember: None,
    };
    let session = client(&server).login(&login).await.expect("logged in");
    assert_eq!(session.token.as_deref(), Some("t"));

    let too_long = LoginRequest {
        user: "x".repeat(9),
        ..login
    };
    let err = client(&server)
        .login(&too_long)
        .await
        .expect_err("maxLength 8");
    assert!(
        matches!(&err, Error::Validation(v) if v.path == "body.user"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_text_response_that_is_not_utf8_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_raw(vec![0xff, 0xfe], "text/plain"))
        .mount(&server)
        .await;
    let err = client(&server)
        .upload("f", b"x")
        .await
        .expect_err("not UTF-8");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}
