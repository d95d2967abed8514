//! Parameters, bodies, responses and security of `specs/operations.yaml`, against a local
//! HTTP server.

mod api {
    include!(concat!(env!("OUT_DIR"), "/operations.rs"));
    include!(concat!(env!("OUT_DIR"), "/operations_examples.rs"));
}

use api::types::{GetNoteError, GetNoteParams, PostItemsRequest, PostItemsResponse};
use api::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("k1")
        .base_url(server.uri())
        .build()
        .expect("builds")
}

#[test]
fn examples_round_trip() {
    let count = generator_tests::check_examples(api::EXAMPLES)
        .unwrap_or_else(|failures| panic!("{failures}"));
    assert!(count >= 2);
}

#[test]
fn the_spec_server_is_the_default_base_url() {
    assert_eq!(api::DEFAULT_BASE_URL, "https://api.example.com/v1");
}

#[tokio::test]
async fn parameters_go_where_the_spec_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/42/notes/a%2Fb%20c"))
        .and(query_param("verbose", "true"))
        .and(query_param("limit", "10"))
        .and(header("x-trace-id", "trace-1"))
        .and(header("x-api-key", "k1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 42, "text": "hi"})))
        .expect(1)
        .mount(&server)
        .await;
    let params = GetNoteParams {
        verbose: Some(true),
        tags: Some(vec!["x".to_owned(), "y z".to_owned()]),
        x_trace_id: Some("trace-1".to_owned()),
        limit: Some(10),
    };
    let note = client(&server)
        .get_note(42, "a/b c", &params)
        .await
        .expect("found");
    assert_eq!((note.id, note.text.as_str()), (42, "hi"));
    let requests = server.received_requests().await.unwrap_or_default();
    let query = requests[0].url.query().unwrap_or_default().to_owned();
    assert!(
        query.contains("tags=x&tags=y+z"),
        "arrays repeat the key: {query}"
    );
}

#[tokio::test]
async fn constraints_on_path_and_query_parameters_are_checked_first() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let err = client(&server)
        .get_note(0, "n", &GetNoteParams::default())
        .await
        .expect_err("item_id ≥ 1");
    assert!(
        matches!(&err, Error::Validation(v) if v.path == "item_id"),
        "{err:?}"
    );
    let params = GetNoteParams {
        limit: Some(101),
        ..Default::default()
    };
    let err = client(&server)
        .get_note(1, "n", &params)
        .await
        .expect_err("limit ≤ 100");
    assert!(
        matches!(&err, Error::Validation(v) if v.path == "limit"),
        "{err:?}"
    );
    let params = GetNoteParams {
        x_trace_id: Some("a\r\nb".to_owned()),
        ..Default::default()
    };
    let err = client(&server)
        .get_note(1, "n", &params)
        .await
        .expect_err("no CR LF in headers");
    assert!(
        matches!(&err, Error::Validation(v) if v.path == "x-trace-id"),
        "{err:?}"
    );
}

#[tokio::test]
async fn error_statuses_pick_exact_code_then_range_then_default() {
    let server = MockServer::start().await;
    for (note, status) in [("missing", 404), ("bad", 400), ("boom", 500)] {
        Mock::given(path(format!("/items/1/notes/{note}")))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"title": note})))
            .mount(&server)
            .await;
    }
    let call = |note: &'static str| {
        let client = client(&server);
        async move { client.get_note(1, note, &GetNoteParams::default()).await }
    };
    match call("missing").await {
        Err(Error::Api(err)) => assert_eq!(
            err.body,
            GetNoteError::NotFound(api::types::Problem {
                title: Some("missing".into()),
                ..Default::default()
            })
        ),
        other => panic!("{other:?}"),
    }
    match call("bad").await {
        Err(Error::Api(err)) => {
            assert_eq!(err.status.as_u16(), 400);
            assert!(matches!(err.body, GetNoteError::ClientError(_)));
        }
        other => panic!("{other:?}"),
    }
    match call("boom").await {
        Err(Error::Api(err)) => {
            assert_eq!(err.status.as_u16(), 500);
            assert_eq!(err.body, GetNoteError::Default);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn several_success_responses_are_one_typed_enum() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/items"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"name": "first"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1, "text": "new"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let body = PostItemsRequest::new("first".into());
    let created = client(&server).post_items(&body).await.expect("created");
    assert!(
        matches!(created.body, PostItemsResponse::Created(ref note) if note.id == 1),
        "{created:?}"
    );
    let accepted = client(&server).post_items(&body).await.expect("accepted");
    assert!(
        matches!(accepted.body, PostItemsResponse::Accepted),
        "{accepted:?}"
    );
}

#[tokio::test]
async fn security_alternatives_and_opt_outs() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-other-key", "k2"))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // Only the second alternative's credential is held: it is the one sent.
    let client = Client::builder()
        .bearer("k2")
        .base_url(server.uri())
        .build()
        .expect("builds");
    client
        .post_items(&PostItemsRequest::new("n".into()))
        .await
        .expect("accepted");
    // `security: []` needs no credential at all.
    client.purge().await.expect("purged");
    let requests = server.received_requests().await.unwrap_or_default();
    let delete = requests
        .iter()
        .find(|r| r.method.as_str() == "DELETE")
        .expect("sent");
    assert!(!delete.headers.contains_key("x-other-key"));
}

#[tokio::test]
async fn a_page_type_merged_with_a_request_body_still_streams() {
    use futures_util::StreamExt;
    use wiremock::matchers::query_param_is_missing;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/note-pages"))
        .and(query_param_is_missing("cursor"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": ["a", "b"], "next": "p2"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/note-pages"))
        .and(query_param("cursor", "p2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": ["c"], "next": null})),
        )
        .mount(&server)
        .await;
    let notes: Vec<String> = client(&server)
        .list_note_pages_stream(Default::default())
        .map(|note| note.expect("no error"))
        .collect()
        .await;
    assert_eq!(notes, ["a", "b", "c"]);
}
