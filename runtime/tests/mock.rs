#![cfg(feature = "mock")]
//! Expectations mounted on a mock server, against requests the runtime's own client sends.

use serde_json::{Value, json};
use specwright_runtime::__private::{
    ClientConfig, HttpClient, QueryStyle, Received, Request, path_segment,
};
use specwright_runtime::Method;
use specwright_runtime::mock::{Expectation, MockServer, json, with_header};

fn client(base_url: &str) -> HttpClient {
    let mut config = ClientConfig::new(base_url, &[]);
    config.max_retries(0);
    config.build().expect("a valid configuration")
}

fn get(path: String) -> Request {
    let mut request = Request::new(Method::GET, "op", "/items/{id}");
    request.path(&path);
    request
}

async fn send(http: &HttpClient, request: Request) -> Received {
    http.send::<()>(request, &[]).await.expect("a response")
}

async fn status(http: &HttpClient, request: Request) -> u16 {
    send(http, request).await.status().as_u16()
}

/// A server answering 200 to `expectation` (and 404, wiremock's default, to anything else).
async fn serve(expectation: Expectation) -> MockServer {
    let server = MockServer::start().await;
    expectation
        .respond(json(200, &json!({"matched": true})))
        .mount(&server)
        .await;
    server
}

fn item(id: &str) -> Request {
    get(format!(
        "/items/{}",
        path_segment("id", id).expect("encodable")
    ))
}

#[tokio::test]
async fn a_fixed_path_parameter_matches_only_its_value() {
    let server =
        serve(Expectation::new(Method::GET, "/items/{id}").path_param("id", "a b/5")).await;
    let http = client(&server.uri());

    assert_eq!(status(&http, item("a b/5")).await, 200);
    assert_eq!(status(&http, item("a b/6")).await, 404);
}

#[tokio::test]
async fn an_unfixed_path_parameter_matches_any_value_but_not_other_paths() {
    let server = serve(Expectation::new(Method::GET, "/items/{id}")).await;
    let http = client(&server.uri());

    assert_eq!(status(&http, item("5")).await, 200);
    assert_eq!(status(&http, item("anything")).await, 200);
    assert_eq!(status(&http, get("/items/5/parts".to_owned())).await, 404);
    assert_eq!(status(&http, get("/things/5".to_owned())).await, 404);
}

#[tokio::test]
async fn the_method_must_match() {
    let server = serve(Expectation::new(Method::DELETE, "/items/{id}")).await;
    let http = client(&server.uri());

    assert_eq!(status(&http, item("5")).await, 404);
    let mut delete = Request::new(Method::DELETE, "op", "/items/{id}");
    delete.path("/items/5");
    assert_eq!(status(&http, delete).await, 200);
}

#[tokio::test]
async fn the_whole_path_must_match() {
    let server = serve(Expectation::new(Method::GET, "/items/{id}").path_param("id", &5)).await;
    let under_a_prefix = client(&format!("{}/api/v1/", server.uri()));
    let at_the_root = client(&server.uri());

    assert_eq!(status(&under_a_prefix, item("5")).await, 404);
    assert_eq!(status(&at_the_root, item("5")).await, 200);
}

#[tokio::test]
async fn query_params_must_all_be_present_as_the_client_writes_them() {
    let expectation = Expectation::new(Method::GET, "/items/{id}")
        .query_param_styled("tag", &["a b", "c&d"], QueryStyle::FormExploded)
        .query_param_styled("filter", &json!({"state": "open"}), QueryStyle::DeepObject);
    let server = serve(expectation).await;
    let http = client(&server.uri());
    let request = |tags: &[&str]| {
        let mut request = item("5");
        request.query_styled("tag", tags, QueryStyle::FormExploded);
        request.query_styled("filter", &json!({"state": "open"}), QueryStyle::DeepObject);
        request.query_styled("page", &2, QueryStyle::Form);
        request
    };

    assert_eq!(status(&http, request(&["c&d", "a b"])).await, 200);
    assert_eq!(status(&http, request(&["a b"])).await, 404);
    assert_eq!(status(&http, item("5")).await, 404);
}

#[tokio::test]
async fn a_header_must_hold_the_value_given() {
    let server =
        serve(Expectation::new(Method::GET, "/items/{id}").header("x-tenant", &[7, 8])).await;
    let http = client(&server.uri());
    let request = |tenant: &[i32]| {
        let mut request = item("5");
        request.header("x-tenant", tenant);
        request
    };

    assert_eq!(status(&http, request(&[7, 8])).await, 200);
    assert_eq!(status(&http, request(&[7])).await, 404);
    assert_eq!(status(&http, item("5")).await, 404);
}

#[tokio::test]
async fn a_json_body_is_compared_as_json_whatever_the_key_order() {
    let expected = json!({"name": "Ada", "tags": [1, 2], "meta": {"a": 1, "b": null}});
    let server = serve(Expectation::new(Method::POST, "/items").json_body(&expected)).await;
    let http = client(&server.uri());
    let post = |body: &str| {
        let mut request = Request::new(Method::POST, "op", "/items");
        request.path("/items");
        request.raw("application/json", body.as_bytes().to_vec());
        request
    };

    let reordered = r#"{ "meta": {"b": null, "a": 1}, "tags": [1, 2], "name": "Ada" }"#;
    assert_eq!(status(&http, post(reordered)).await, 200);
    let other_tags = r#"{"name":"Ada","tags":[2,1],"meta":{"a":1,"b":null}}"#;
    assert_eq!(status(&http, post(other_tags)).await, 404);
    assert_eq!(status(&http, post("not json")).await, 404);
}

#[tokio::test]
async fn json_responds_with_the_body_and_with_header_sets_headers() {
    let server = MockServer::start().await;
    let response = json(201, &json!({"id": 5}));
    let response = with_header(response, "x-request-id", "req-1");
    let response = with_header(response, "x-count", &3);
    let response = with_header(response, "x-tags", &["a", "b"]);
    let response = with_header(response, "x-absent", &None::<String>);
    Expectation::new(Method::GET, "/items/{id}")
        .respond(response)
        .mount(&server)
        .await;

    let received = send(&client(&server.uri()), item("5")).await;

    assert_eq!(received.status().as_u16(), 201);
    let header = |name: &str| {
        received
            .headers()
            .get(name)
            .map(|value| value.to_str().expect("ASCII").to_owned())
    };
    assert_eq!(header("x-request-id").as_deref(), Some("req-1"));
    assert_eq!(header("x-count").as_deref(), Some("3"));
    assert_eq!(header("x-tags").as_deref(), Some("a, b"));
    assert_eq!(header("x-absent"), None);
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    let body: Value = received.json::<Value, ()>().expect("JSON");
    assert_eq!(body, json!({"id": 5}));
}
