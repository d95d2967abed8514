//! The body property a stream method sets to `true`, from `option-specs/stream_flags.yaml`
//! generated with the rule `startLive=live`: the one `x-speakeasy-stream-request-field` names,
//! the one the rule names, and Letta's `streaming` when nothing names one; the plain method
//! sets none.

mod api {
    include!(concat!(env!("OUT_DIR"), "/stream_flags.rs"));
}

use api::Client;
use api::types::{LiveRequest, MessageRequest, SpeakeasyRequest};
use futures_util::StreamExt as _;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answers `route` with one event, and gives the JSON bodies the server was sent.
async fn bodies_sent(route: &str, call: impl AsyncFnOnce(&Client)) -> Vec<Value> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("data: {\"text\":\"hi\"}\n\n", "text/event-stream"),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client");
    call(&client).await;
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|request| serde_json::from_slice(&request.body).expect("a JSON body"))
        .collect()
}

async fn read<T, E: std::fmt::Debug>(call: api::runtime::EventsCall<'_, T, E>) {
    let events: Vec<_> = call.await.expect("the head").collect().await;
    assert_eq!(events.len(), 1);
}

#[tokio::test]
async fn x_speakeasy_stream_request_field_names_the_flag() {
    let sent = bodies_sent("/speakeasy", async |client| {
        read(client.ask_speakeasy_stream(&SpeakeasyRequest::new("p".to_owned()))).await;
    })
    .await;
    assert_eq!(sent, [json!({"prompt": "p", "sse": true})]);
}

#[tokio::test]
async fn a_stream_flag_rule_names_the_flag() {
    let sent = bodies_sent("/live", async |client| {
        read(client.start_live_stream(&LiveRequest::new("p".to_owned()))).await;
    })
    .await;
    assert_eq!(sent, [json!({"prompt": "p", "live": true})]);
}

#[tokio::test]
async fn a_boolean_streaming_property_is_the_flag() {
    let sent = bodies_sent("/messages", async |client| {
        read(client.send_message_stream(&MessageRequest::new("p".to_owned()))).await;
        // The JSON form asks for nothing.
        let _ = client
            .send_message(&MessageRequest::new("q".to_owned()))
            .await;
    })
    .await;
    assert_eq!(
        sent,
        [
            json!({"prompt": "p", "streaming": true}),
            json!({"prompt": "q"})
        ]
    );
}
