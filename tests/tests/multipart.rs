//! `specs/multipart.yaml`: `multipart/form-data` uploads with files and fields, and typed
//! response headers (on their own, beside a body, and shared through a `$ref`'d response).

mod api {
    include!(concat!(env!("OUT_DIR"), "/multipart.rs"));
}

use api::runtime::File;
use api::types::{
    DeleteDocumentAcceptedHeaders, DeleteDocumentError, NotFoundHeaders,
    UploadDocumentCreatedHeaders, UploadDocumentRequest, UploadDocumentRequestMetadata,
};
use api::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("builds")
}

/// The parts of a multipart body: (headers, content) in order.
fn parts(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a boundary parameter");
    let delimiter = format!("--{boundary}");
    let text = body.to_vec();
    let mut found = Vec::new();
    let mut rest = &text[..];
    let find = |haystack: &[u8], needle: &[u8]| {
        haystack
            .windows(needle.len())
            .position(|window| window == needle)
    };
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        rest = &rest[2..]; // CRLF after the delimiter
        let end = find(rest, delimiter.as_bytes()).expect("a closing delimiter");
        let part = &rest[..end - 2]; // CRLF before the next delimiter
        let split = find(part, b"\r\n\r\n").expect("a blank line after the part's headers");
        found.push((
            String::from_utf8_lossy(&part[..split]).into_owned(),
            part[split + 4..].to_vec(),
        ));
        rest = &rest[end..];
    }
    found
}

#[tokio::test]
async fn files_and_fields_go_out_as_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/documents"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("location", "/documents/7")
                .insert_header("x-rate-limit-remaining", "41")
                .insert_header("etag", "\"v1\"")
                .set_body_raw(r#"{"id": "7"}"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    // Binary content that contains what a naive boundary would be, and a quote in the name.
    let pdf = b"%PDF\r\n------------------------\x00\xff".to_vec();
    let body = UploadDocumentRequest {
        attachments: Some(vec![File::new("one"), File::new("two").file_name("2.txt")]),
        pages: Some(3),
        labels: Some(vec!["a".into(), "b".into()]),
        metadata: Some(UploadDocumentRequestMetadata {
            unknown_fields: Default::default(),
            author: Some("Ann".into()),
        }),
        ..UploadDocumentRequest::new(
            File::new(pdf.clone())
                .file_name("re\"port.pdf")
                .content_type("application/pdf"),
            "Report".into(),
        )
    };
    let created = client(&server)
        .upload_document(&body)
        .await
        .expect("uploaded");
    assert_eq!(created.id.as_deref(), Some("7"));
    assert_eq!(
        UploadDocumentCreatedHeaders::from_headers(&created.headers),
        Ok(UploadDocumentCreatedHeaders {
            location: "/documents/7".into(),
            x_rate_limit_remaining: Some(41),
            etag: Some("\"v1\"".into()),
        })
    );

    let sent = &server.received_requests().await.unwrap_or_default()[0];
    let content_type = sent
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parts = parts(content_type, &sent.body);
    let text = |i: usize| String::from_utf8_lossy(&parts[i].1).into_owned();
    assert_eq!(parts.len(), 8, "{parts:?}");
    assert_eq!(
        parts[0].0,
        "Content-Disposition: form-data; name=\"file\"; filename=\"re%22port.pdf\"\r\nContent-Type: application/pdf"
    );
    assert_eq!(parts[0].1, pdf);
    assert_eq!(
        parts[1].0,
        "Content-Disposition: form-data; name=\"attachments\"; filename=\"attachments\"\r\nContent-Type: application/octet-stream"
    );
    assert_eq!(text(1), "one");
    assert!(parts[2].0.contains("filename=\"2.txt\""));
    assert_eq!(
        (parts[3].0.as_str(), text(3).as_str()),
        ("Content-Disposition: form-data; name=\"title\"", "Report")
    );
    assert_eq!(text(4), "3");
    assert_eq!((text(5), text(6)), ("a".to_owned(), "b".to_owned()));
    assert!(parts[7].0.ends_with("Content-Type: application/json"));
    assert_eq!(text(7), r#"{"author":"Ann"}"#);
}

#[tokio::test]
async fn constraints_are_checked_before_a_multipart_upload() {
    let server = MockServer::start().await;
    let body = UploadDocumentRequest::new(File::new("x"), "t".repeat(21));
    let err = client(&server)
        .upload_document(&body)
        .await
        .expect_err("maxLength 20");
    assert!(
        matches!(&err, Error::Validation(v) if v.path == "body.title"),
        "{err:?}"
    );
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn a_response_of_headers_alone_is_typed() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/documents/7"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("location", "/jobs/1")
                .insert_header("retry-after", "30")
                .insert_header("x-deleted", "true")
                .insert_header("x-request-id", "123e4567-e89b-12d3-a456-426614174000"),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/documents/8"))
        .respond_with(ResponseTemplate::new(404).insert_header("x-trace", "abc"))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/documents/9"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("location", "/jobs/2")
                .insert_header("retry-after", "soon"),
        )
        .mount(&server)
        .await;
    let accepted = client(&server)
        .delete_document("7")
        .await
        .expect("accepted");
    assert_eq!(
        accepted.body,
        DeleteDocumentAcceptedHeaders {
            location: "/jobs/1".into(),
            retry_after: Some(30),
            x_deleted: Some(true),
            x_request_id: "123e4567-e89b-12d3-a456-426614174000"
                .parse::<api::runtime::Uuid>()
                .ok()
                .map(Into::into),
        }
    );
    let missing = client(&server).delete_document("8").await.expect_err("404");
    assert!(
        matches!(&missing, Error::Api(api) if api.body == DeleteDocumentError::NotFound(NotFoundHeaders { x_trace: "abc".into() })),
        "{missing:?}"
    );
    let unparsable = client(&server)
        .delete_document("9")
        .await
        .expect_err("not a number");
    assert!(
        matches!(&unparsable, Error::Decode(decode) if decode.path == "headers.retry-after"),
        "{unparsable:?}"
    );
}

#[tokio::test]
async fn a_multipart_response_is_handed_over_as_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("--x\r\n\r\nhi\r\n--x--", "multipart/form-data; boundary=x"),
        )
        .mount(&server)
        .await;
    let document = client(&server).get_document("7").await.expect("fetched");
    assert_eq!(document.body, b"--x\r\n\r\nhi\r\n--x--");
}
