//! The generated client of `specs/streaming.yaml` against a streaming server not written
//! here: sse-starlette under uvicorn (`scripts/sse/server.py`), serving OpenAI's chat
//! completion stream with comments, ids, a retry, multi-line data and `[DONE]`, named events,
//! text events and JSON Lines. Ignored by default; `scripts/sse-server.sh test` installs and
//! starts the server, runs this, and stops it (`.ci/run` does).

mod api {
    include!(concat!(env!("OUT_DIR"), "/streaming.rs"));
}

use std::time::Duration;

use api::Client;
use api::types::{ChatRequest, WatchFeedParams};
use futures_util::StreamExt as _;

fn client() -> Client {
    let url = std::env::var("SSE_URL").expect("SSE_URL names the server (scripts/sse-server.sh)");
    Client::builder().base_url(url).build().expect("a client")
}

#[tokio::test]
#[ignore = "needs the sse-starlette server: scripts/sse-server.sh test"]
async fn openais_chat_completion_stream_from_sse_starlette() {
    let client = client();
    let body = ChatRequest::new("gpt".to_owned());
    let whole = client
        .create_chat_completion(&body)
        .await
        .expect("the JSON form");
    assert_eq!(whole.content, "Hello, world");
    let mut text = String::new();
    let mut chunks = Vec::new();
    let mut events = client
        .create_chat_completion_stream(&body)
        .await
        .expect("the stream's head");
    while let Some(event) = events.next().await {
        let event = event.expect("a chunk");
        for choice in &event.data.choices {
            text.push_str(choice.delta.content.as_deref().unwrap_or_default());
        }
        chunks.push(event);
    }
    // The second chunk's JSON came over many `data:` lines; `[DONE]` ended the stream.
    assert_eq!(text, "Hello, world");
    let ids: Vec<Option<&str>> = chunks.iter().map(|event| event.id.as_deref()).collect();
    assert_eq!(ids, [Some("1"), Some("2"), Some("3")]);
    assert_eq!(chunks[0].retry, Some(Duration::from_millis(2500)));
    let last = chunks[2].data.choices[0].finish_reason.as_deref();
    assert_eq!(last, Some("stop"));
}

#[tokio::test]
#[ignore = "needs the sse-starlette server: scripts/sse-server.sh test"]
async fn named_events_text_events_and_json_lines_from_sse_starlette() {
    let client = client();
    let updates: Vec<(String, i64, Option<String>)> = client
        .watch_feed(&WatchFeedParams::default())
        .await
        .expect("the head")
        .map(|event| {
            let event = event.expect("an update");
            (event.event, event.data.seq, event.id)
        })
        .collect()
        .await;
    assert_eq!(
        updates,
        (1..=3)
            .map(|seq| ("update".to_owned(), seq, Some(seq.to_string())))
            .collect::<Vec<_>>()
    );
    let logs: Vec<(String, String)> = client
        .tail_logs()
        .await
        .expect("the head")
        .map(|event| {
            let event = event.expect("text");
            (event.event, event.data)
        })
        .collect()
        .await;
    assert_eq!(
        logs,
        [
            ("message".to_owned(), "first line\nsecond line".to_owned()),
            ("empty".to_owned(), String::new()),
            ("message".to_owned(), "last".to_owned()),
        ]
    );
    let records: Vec<(i64, Option<String>)> = client
        .export_records()
        .await
        .expect("the head")
        .map(|record| {
            let record = record.expect("a record").data;
            (record.id, record.name)
        })
        .collect()
        .await;
    assert_eq!(
        records,
        [
            (1, Some("a".to_owned())),
            (2, None),
            (3, Some("c".to_owned()))
        ]
    );
}
