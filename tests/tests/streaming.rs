//! The stream forms of `specs/streaming.yaml` through the generated client: server-sent
//! events and JSON records typed as they arrive, an operation with both forms asking for each,
//! bad and unknown events, `[DONE]`, the time and memory limits of a live stream, a dropped
//! stream closing its connection, and a `GET` stream resumed with `Last-Event-ID` (a `POST`
//! never sent again). Servers that must misbehave are raw TCP servers.

mod api {
    include!(concat!(env!("OUT_DIR"), "/streaming.rs"));
}
mod raw_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use api::types::{ChatChunk, ChatRequest, ResponseEvent, WatchFeedParams};
use api::{Client, Error, TimeLimit};
use futures_util::StreamExt as _;
use raw_server::{heads, serve, write};
use serde_json::json;
use tokio::io::AsyncReadExt as _;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Far above every limit under test, so that a slow machine never fails and a hang does.
const BOUND: Duration = Duration::from_secs(20);

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .sleep(|_| Box::pin(async {}))
        .build()
        .expect("a client")
}

/// An OpenAI chat completion chunk carrying `content`, as JSON text.
fn chunk_json(content: &str) -> String {
    json!({
        "id": "c1",
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}],
    })
    .to_string()
}

/// The text a chunk adds.
fn content(chunk: &ChatChunk) -> String {
    chunk
        .choices
        .iter()
        .filter_map(|choice| choice.delta.content.clone())
        .collect()
}

fn events_response(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_owned(), "text/event-stream")
}

fn sse_head() -> &'static str {
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
}

/// One chunk of a chunked body.
fn chunk(text: &str) -> String {
    format!("{:x}\r\n{text}\r\n", text.len())
}

/// Every item of the stream `call` gives, within [`BOUND`].
async fn read_all<T, E: std::fmt::Debug>(
    call: api::runtime::EventsCall<'_, T, E>,
) -> Vec<Result<api::runtime::Event<T>, Error<E>>> {
    tokio::time::timeout(BOUND, async {
        call.await.expect("the head").collect::<Vec<_>>().await
    })
    .await
    .expect("within the bound")
}

/// The data of every item of the stream `call` gives, each expected to decode.
async fn all_data<T, E: std::fmt::Debug>(call: api::runtime::EventsCall<'_, T, E>) -> Vec<T> {
    read_all(call)
        .await
        .into_iter()
        .map(|item| item.expect("an item").data)
        .collect()
}

#[tokio::test]
async fn both_forms_ask_for_what_they_read() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .and(header("accept", "application/json"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "c1", "content": "Hello"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .and(|request: &wiremock::Request| {
            request
                .headers
                .get("accept")
                .is_some_and(|accept| accept == "text/event-stream, application/json;q=0.9")
        })
        .and(body_partial_json(json!({"model": "m", "stream": true})))
        .respond_with(events_response(&format!(
            ": opening\n\ndata: {}\n\ndata: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\n\
             data: \"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"lo\"}}}}]}}\n\n\
             data: [DONE]\n\ndata: {}\n\n",
            chunk_json("Hel"),
            chunk_json("after the end"),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let body = ChatRequest::new("m".to_owned());
    let whole = client
        .create_chat_completion(&body)
        .await
        .expect("the JSON form");
    assert_eq!(whole.content, "Hello");
    let events = client
        .create_chat_completion_stream(&body)
        .await
        .expect("the stream's head");
    assert_eq!(events.status().as_u16(), 200);
    let deltas: Vec<String> = events
        .map(|event| content(&event.expect("a chunk").data))
        .collect()
        .await;
    // `[DONE]` ends the stream: nothing after it is read.
    assert_eq!(deltas, ["Hel", "lo"]);
}

#[tokio::test]
async fn a_documented_error_decodes_as_the_call_would() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"detail": "no model"})))
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .create_chat_completion_stream(&ChatRequest::new("m".to_owned()))
        .await
        .expect_err("refused");
    let Error::Api(refused) = error else {
        panic!("not the documented error: {error}");
    };
    assert_eq!(refused.status.as_u16(), 400);
}

#[tokio::test]
async fn a_success_in_another_media_type_is_a_decode_error_not_an_empty_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "c1", "content": "Hello"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/export"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"id\":1}", "application/json"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let error = client
        .create_chat_completion_stream(&ChatRequest::new("m".to_owned()))
        .await
        .expect_err("JSON is not an event stream");
    let Error::Decode(decode) = error else {
        panic!("not a decode error: {error}");
    };
    assert_eq!(decode.status.as_u16(), 200);
    assert!(
        decode.message.contains("`application/json`")
            && decode.message.contains("`text/event-stream`"),
        "{}",
        decode.message
    );
    // The body is kept, for the user to see what came instead.
    assert!(decode.body.starts_with(b"{\"id\":\"c1\""));
    let error = client
        .export_records()
        .await
        .expect_err("JSON is not JSON Lines");
    assert!(
        matches!(&error, Error::Decode(decode) if decode.message.contains("`application/x-ndjson`")),
        "{error}"
    );
}

#[tokio::test]
async fn a_stream_without_a_content_type_is_read() {
    let (url, _) = serve(|_, _, mut stream| async move {
        let body = "data: {\"seq\":1}\n\n";
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
        write(&mut stream, format!("{head}{body}").as_bytes()).await;
    })
    .await;
    let seqs: Vec<i64> = all_data(client(&url).watch_feed(&WatchFeedParams::default()))
        .await
        .into_iter()
        .map(|update| update.seq)
        .collect();
    assert_eq!(seqs, [1]);
}

#[tokio::test]
async fn a_bad_event_is_an_error_item_and_the_stream_goes_on() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/responses"))
        .respond_with(events_response(
            "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n\
             event: response.output_text.delta\nid: 2\ndata: {not json\n\n\
             event: something.new\ndata: {\"type\":\"response.completed\"}\n\n",
        ))
        .mount(&server)
        .await;
    let body = serde_json::from_value(json!({"input": "hi"})).expect("a request");
    let items: Vec<_> = client(&server.uri())
        .create_response_stream(&body)
        .await
        .expect("the stream's head")
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    let first = items[0].as_ref().expect("decoded");
    assert_eq!(first.event, "response.output_text.delta");
    assert!(matches!(&first.data, ResponseEvent::TextDelta(delta) if delta.delta == "Hi"));
    let Err(Error::Event(bad)) = &items[1] else {
        panic!("not an event error: {:?}", items[1]);
    };
    assert_eq!(bad.event.data, "{not json");
    assert_eq!(bad.event.id.as_deref(), Some("2"));
    // An event name the spec never mentions is kept, its data decoded by the union.
    let last = items[2].as_ref().expect("decoded");
    assert_eq!(last.event, "something.new");
    assert!(matches!(last.data, ResponseEvent::Completed(_)));
}

#[tokio::test]
async fn records_and_text_events_are_typed() {
    let server = MockServer::start().await;
    Mock::given(path("/export"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "{\"id\":1,\"name\":\"a\"}\n\n{\"id\":2}\r\n{\"id\":\"x\"}\n{\"id\":3}",
            "application/x-ndjson",
        ))
        .mount(&server)
        .await;
    Mock::given(path("/export-seq"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "\u{1e}{\"id\":1}\n\u{1e}{\"id\":2}\n",
            "application/json-seq",
        ))
        .mount(&server)
        .await;
    Mock::given(path("/logs"))
        .respond_with(events_response("data: plain text\ndata: two lines\n\n"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let records: Vec<Result<i64, String>> = client
        .export_records()
        .await
        .expect("the head")
        .map(|record| record.map(|r| r.data.id).map_err(|err| err.to_string()))
        .collect()
        .await;
    assert_eq!(records.len(), 4);
    assert_eq!(records[0], Ok(1));
    assert_eq!(records[1], Ok(2));
    assert!(records[2].is_err(), "{records:?}");
    assert_eq!(records[3], Ok(3));
    let ids: Vec<i64> = client
        .export_sequence()
        .await
        .expect("the head")
        .map(|record| record.expect("a record").data.id)
        .collect()
        .await;
    assert_eq!(ids, [1, 2]);
    let texts: Vec<String> = all_data(client.tail_logs()).await;
    assert_eq!(texts, ["plain text\ntwo lines"]);
}

#[tokio::test]
async fn a_live_stream_outlasts_the_deadline_and_ends_at_the_idle_limit() {
    let (url, _) = serve(|_, _, mut stream| async move {
        write(&mut stream, sse_head().as_bytes()).await;
        for seq in 0..4 {
            write(
                &mut stream,
                chunk(&format!("data: {{\"seq\":{seq}}}\n\n")).as_bytes(),
            )
            .await;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        // Then silence, with the connection open.
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let client = Client::builder()
        .base_url(&url)
        .deadline(Some(Duration::from_millis(400)))
        .timeout(Some(Duration::from_millis(400)))
        .read_timeout(Some(Duration::from_millis(800)))
        .build()
        .expect("a client");
    let started = Instant::now();
    let items: Vec<_> = read_all(client.watch_feed(&WatchFeedParams::default())).await;
    // Four events over about 1.2 s, past the 400 ms deadline, then the read time-out.
    let seqs: Vec<i64> = items
        .iter()
        .filter_map(|item| item.as_ref().ok())
        .map(|e| e.data.seq)
        .collect();
    assert_eq!(seqs, [0, 1, 2, 3]);
    assert!(matches!(
        items.last(),
        Some(Err(Error::Timeout(timeout))) if timeout.limit == TimeLimit::Read
    ));
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn an_event_larger_than_the_body_limit_ends_the_stream() {
    let (url, _) = serve(|_, _, mut stream| async move {
        write(&mut stream, sse_head().as_bytes()).await;
        write(&mut stream, chunk("data: {\"seq\":1}\n\n").as_bytes()).await;
        // One event that never ends.
        let line = format!("data: {}\n", "x".repeat(1000));
        for _ in 0..10_000 {
            if stream_write(&mut stream, chunk(&line).as_bytes())
                .await
                .is_err()
            {
                return;
            }
        }
    })
    .await;
    let client = Client::builder()
        .base_url(&url)
        .max_body_size(64 * 1024)
        .build()
        .expect("a client");
    let items: Vec<_> = read_all(client.watch_feed(&WatchFeedParams::default())).await;
    assert_eq!(items.len(), 2);
    assert!(matches!(
        items[1],
        Err(Error::BodyTooLarge { limit: 65536 })
    ));
}

async fn stream_write(stream: &mut tokio::net::TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt as _;
    stream.write_all(bytes).await
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let closed = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&closed);
    let (url, _) = serve(move |_, _, mut stream| {
        let seen = Arc::clone(&seen);
        async move {
            write(&mut stream, sse_head().as_bytes()).await;
            write(&mut stream, chunk("data: {\"seq\":1}\n\n").as_bytes()).await;
            // The client reads one event and drops the stream: the next read sees the end.
            let mut byte = [0u8; 1];
            let read = tokio::time::timeout(BOUND, stream.read(&mut byte)).await;
            if matches!(read, Ok(Ok(0) | Err(_))) {
                seen.store(true, Ordering::SeqCst);
            }
        }
    })
    .await;
    let client = client(&url);
    let mut events = client
        .watch_feed(&WatchFeedParams::default())
        .await
        .expect("the head");
    let first = events.next().await.expect("an event").expect("decoded");
    assert_eq!(first.data.seq, 1);
    drop(events);
    let started = Instant::now();
    while !closed.load(Ordering::SeqCst) && started.elapsed() < BOUND {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        closed.load(Ordering::SeqCst),
        "the server never saw the connection close"
    );
}

#[tokio::test]
async fn a_get_stream_cut_off_after_an_id_resumes_with_last_event_id() {
    let (url, seen) = serve(|connection, _, mut stream| async move {
        write(&mut stream, sse_head().as_bytes()).await;
        if connection == 0 {
            write(
                &mut stream,
                chunk("retry: 10\nid: 41\ndata: {\"seq\":41}\n\n").as_bytes(),
            )
            .await;
            // Half an event, then the connection drops without the chunked body's end.
            write(&mut stream, chunk("id: 42\ndata: {\"seq\"").as_bytes()).await;
            return;
        }
        write(
            &mut stream,
            chunk("id: 42\ndata: {\"seq\":42}\n\n").as_bytes(),
        )
        .await;
        write(&mut stream, b"0\r\n\r\n").await;
    })
    .await;
    let waits = Arc::new(std::sync::Mutex::new(Vec::new()));
    let asked = Arc::clone(&waits);
    let client = Client::builder()
        .base_url(&url)
        .sleep(move |wait| {
            asked.lock().unwrap_or_else(|p| p.into_inner()).push(wait);
            Box::pin(async {})
        })
        .build()
        .expect("a client");
    let items: Vec<_> = read_all(client.watch_feed(&WatchFeedParams::default())).await;
    let seqs: Vec<i64> = items
        .iter()
        .map(|item| {
            item.as_ref()
                .map(|e| e.data.seq)
                .map_err(ToString::to_string)
        })
        .collect::<Result<_, _>>()
        .expect("no error: the stream was resumed");
    assert_eq!(seqs, [41, 42]);
    // After the `retry` the server set; the event it cut off is not the last id.
    let waits = waits.lock().unwrap_or_else(|p| p.into_inner()).clone();
    assert_eq!(waits, [Duration::from_millis(10)]);
    let heads = heads(&seen);
    assert_eq!(heads.len(), 2);
    assert!(!heads[0].to_ascii_lowercase().contains("last-event-id"));
    assert!(
        heads[1].to_ascii_lowercase().contains("last-event-id: 41"),
        "{}",
        heads[1]
    );
}

/// A server that cuts every connection off after an event is reconnected to no more often
/// than the client's `max_retries`: the stream then ends with the connection's error.
#[tokio::test]
async fn resuming_a_get_stream_stops_at_the_retry_budget() {
    let (url, seen) = serve(|connection, _, mut stream| async move {
        write(&mut stream, sse_head().as_bytes()).await;
        let event = format!("id: {connection}\ndata: {{\"seq\":{connection}}}\n\n");
        write(&mut stream, chunk(&event).as_bytes()).await;
    })
    .await;
    let client = Client::builder()
        .base_url(&url)
        .max_retries(2)
        .sleep(|_| Box::pin(async {}))
        .build()
        .expect("a client");
    let items: Vec<_> = read_all(client.watch_feed(&WatchFeedParams::default())).await;
    let seqs: Vec<i64> = items
        .iter()
        .filter_map(|item| item.as_ref().ok().map(|e| e.data.seq))
        .collect();
    assert_eq!(seqs, [0, 1, 2]);
    assert!(
        matches!(items.last(), Some(Err(Error::Transport(_)))),
        "{:?}",
        items.last()
    );
    // The first connection and two resumes.
    assert_eq!(heads(&seen).len(), 3);
}

#[tokio::test]
async fn a_post_stream_cut_off_is_never_sent_again() {
    let (url, seen) = serve(|_, _, mut stream| async move {
        write(&mut stream, sse_head().as_bytes()).await;
        let event = format!("id: 1\ndata: {}\n\n", chunk_json("a"));
        write(&mut stream, chunk(&event).as_bytes()).await;
    })
    .await;
    let items: Vec<_> =
        read_all(client(&url).create_chat_completion_stream(&ChatRequest::new("m".to_owned())))
            .await;
    assert_eq!(items.len(), 2);
    assert!(
        matches!(items[1], Err(Error::Transport(_))),
        "{:?}",
        items[1]
    );
    assert_eq!(heads(&seen).len(), 1);
}

#[tokio::test]
async fn mocks_answer_with_typed_events_and_records() {
    use api::mock;
    use api::runtime::Event;
    use api::types::{Record, Update};
    let server = MockServer::start().await;
    let chunk = |delta: &str| Event {
        event: "message".to_owned(),
        data: serde_json::from_str::<ChatChunk>(&chunk_json(delta)).expect("a chunk"),
        id: None,
        retry: None,
    };
    mock::create_chat_completion()
        .respond_events(&[chunk("Hel"), chunk("lo\nthere")])
        .mount(&server)
        .await;
    let update = Event {
        event: "update".to_owned(),
        data: Update::new(7),
        id: Some("e7".to_owned()),
        retry: Some(Duration::from_millis(500)),
    };
    mock::watch_feed()
        .respond_events(std::slice::from_ref(&update))
        .mount(&server)
        .await;
    mock::export_records()
        .respond_records(&[Record::new(1), Record::new(2)])
        .mount(&server)
        .await;
    mock::tail_logs()
        .respond_events(&[Event {
            event: "message".to_owned(),
            data: "two\nlines".to_owned(),
            id: None,
            retry: None,
        }])
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let deltas: Vec<String> = client
        .create_chat_completion_stream(&ChatRequest::new("m".to_owned()))
        .await
        .expect("the head")
        .map(|event| content(&event.expect("a chunk").data))
        .collect()
        .await;
    assert_eq!(deltas, ["Hel", "lo\nthere"]);
    let updates: Vec<_> = client
        .watch_feed(&WatchFeedParams::default())
        .await
        .expect("the head")
        .map(|event| event.expect("an update"))
        .collect()
        .await;
    assert_eq!(updates, [update]);
    let ids: Vec<i64> = client
        .export_records()
        .await
        .expect("the head")
        .map(|record| record.expect("a record").data.id)
        .collect()
        .await;
    assert_eq!(ids, [1, 2]);
    let texts: Vec<String> = all_data(client.tail_logs()).await;
    assert_eq!(texts, ["two\nlines"]);
}

/// OpenAPI 3.2's `itemSchema`: events typed through their `data`'s `contentSchema`, records
/// through the item schema itself.
#[tokio::test]
async fn openapi_32_item_schemas_type_each_item() {
    mod api32 {
        include!(concat!(env!("OUT_DIR"), "/streaming32.rs"));
    }
    let server = MockServer::start().await;
    Mock::given(path("/ticks"))
        .and(header("accept", "text/event-stream"))
        .respond_with(events_response(
            "event: tick\nid: 1\ndata: {\"symbol\":\"ACME\",\"price\":12.5}\n\n",
        ))
        .mount(&server)
        .await;
    Mock::given(path("/trades"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "{\"id\":1,\"note\":null}\n{\"id\":2,\"note\":\"late\"}\n",
            "application/jsonl",
        ))
        .mount(&server)
        .await;
    let client = api32::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client");
    let ticks: Vec<api32::types::Tick> = all_data(client.watch_ticks()).await;
    assert_eq!(ticks.len(), 1);
    assert_eq!((ticks[0].symbol.as_str(), ticks[0].price), ("ACME", 12.5));
    let notes: Vec<Option<String>> = client
        .export_trades()
        .await
        .expect("the head")
        .map(|record| record.expect("a trade").data.note)
        .collect()
        .await;
    assert_eq!(notes, [None, Some("late".to_owned())]);
}
