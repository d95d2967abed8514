//! `specs/ref_chains.yaml`: components that are `$ref`s to other components, followed to the end
//! of their chain, against a local HTTP server.

mod api {
    include!(concat!(env!("OUT_DIR"), "/ref_chains.rs"));
    include!(concat!(env!("OUT_DIR"), "/ref_chains_examples.rs"));
}

use api::types::{GetWidgetError, GetWidgetParams, Problem, Widget, WidgetResponseHeaders};
use api::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("builds")
}

/// The path parameter (path-item level) and the query parameter each come through three
/// parameter components; the response, its header and the 404 each through three of theirs.
#[tokio::test]
async fn chained_parameters_and_responses_are_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widgets/42"))
        .and(query_param("verbose", "true"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-rate-limit", "9")
                .set_body_json(json!({"id": 42, "name": "sprocket"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/widgets/1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"title": "gone"})))
        .mount(&server)
        .await;
    let params = GetWidgetParams {
        verbose: Some(true),
    };
    let found = client(&server)
        .get_widget(42, &params)
        .await
        .expect("found");
    assert_eq!(found.body, Widget::new(42, "sprocket".into()));
    assert_eq!(
        WidgetResponseHeaders::from_headers(&found.headers),
        Ok(WidgetResponseHeaders { x_rate_limit: 9 })
    );
    match client(&server)
        .get_widget(1, &GetWidgetParams::default())
        .await
    {
        Err(Error::Api(err)) => {
            assert_eq!(
                err.body,
                GetWidgetError::NotFound(Problem::new("gone".into()))
            );
        }
        other => panic!("{other:?}"),
    }
}

/// The request body comes through three request-body components.
#[tokio::test]
async fn a_chained_request_body_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/widgets/7"))
        .and(body_json(json!({"id": 7, "name": "cog"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .put_widget(7, &Widget::new(7, "cog".into()))
        .await
        .expect("stored");
}

/// Both examples are three example components away from the media types that use them.
#[test]
fn chained_examples_are_found_and_round_trip() {
    let mut found: Vec<(&str, serde_json::Value)> = api::EXAMPLES
        .iter()
        .map(|(location, json, _)| (*location, generator_tests::decode(json)))
        .collect();
    found.sort_by(|a, b| a.0.cmp(b.0));
    assert_eq!(
        found,
        [
            (
                "get_widget response Ok",
                json!({"id": 42, "name": "sprocket"})
            ),
            ("put_widget request body", json!({"id": 7, "name": "cog"})),
        ]
    );
    let count = generator_tests::check_examples(api::EXAMPLES)
        .unwrap_or_else(|failures| panic!("{failures}"));
    assert_eq!(count, 2);
}
