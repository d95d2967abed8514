#![cfg(feature = "tracing")]
//! What a call tells `tracing`, recorded by a subscriber of the test's own.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use specwright_runtime::__private::{Carrier, ClientConfig, HttpClient, Request, SecurityScheme};
use specwright_runtime::{Method, RequestOptions};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "sk_live_k3y_never_logged";
const QUERY_KEY: &str = "qk_never_logged";
const SESSION_ID: &str = "cs_9f8e7d_secret_id";
const TEMPLATE: &str = "/checkout/{checkout_session_id}";

static SCHEMES: [SecurityScheme; 2] = [
    SecurityScheme {
        name: "ApiKey",
        carrier: Carrier::Header("x-api-key"),
    },
    SecurityScheme {
        name: "QueryKey",
        carrier: Carrier::Query("api_key"),
    },
];

#[derive(Clone, Debug, Default)]
struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }

    fn texts(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .flat_map(|(name, value)| [name.as_str(), value.as_str()])
    }
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

#[derive(Debug)]
struct SpanSeen {
    name: &'static str,
    fields: Fields,
}

#[derive(Debug)]
struct EventSeen {
    target: &'static str,
    parent: Option<&'static str>,
    fields: Fields,
}

#[derive(Clone, Default)]
struct Seen {
    spans: Arc<Mutex<Vec<SpanSeen>>>,
    events: Arc<Mutex<Vec<EventSeen>>>,
}

/// Where a span's record sits in `Seen::spans`: span ids are reused once a span closes.
struct SpanIndex(usize);

impl<S: Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Seen {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        let mut spans = self.spans.lock().expect("not poisoned");
        spans.push(SpanSeen {
            name: attrs.metadata().name(),
            fields,
        });
        let span = ctx.span(id).expect("the span being created");
        span.extensions_mut().insert(SpanIndex(spans.len() - 1));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let span = ctx.span(id).expect("a live span");
        let extensions = span.extensions();
        let SpanIndex(index) = extensions.get::<SpanIndex>().expect("indexed on creation");
        let mut spans = self.spans.lock().expect("not poisoned");
        values.record(&mut spans[*index].fields);
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let parent = ctx.event_span(event).map(|span| span.name());
        self.events.lock().expect("not poisoned").push(EventSeen {
            target: event.metadata().target(),
            parent,
            fields,
        });
    }
}

impl Seen {
    /// Records what this thread's calls tell `tracing` until the guard drops.
    fn install(&self) -> tracing::subscriber::DefaultGuard {
        tracing::subscriber::set_default(tracing_subscriber::registry().with(self.clone()))
    }

    fn calls(&self) -> Vec<Fields> {
        let spans = self.spans.lock().expect("not poisoned");
        spans
            .iter()
            .filter(|span| span.name == "http_call")
            .map(|span| span.fields.clone())
            .collect()
    }

    /// The runtime's own events in a call's span (the HTTP stack below has events of its own).
    fn call_events(&self) -> Vec<Fields> {
        let events = self.events.lock().expect("not poisoned");
        events
            .iter()
            .filter(|event| event.target.starts_with("specwright_runtime"))
            .filter(|event| event.parent == Some("http_call"))
            .map(|event| event.fields.clone())
            .collect()
    }

    /// Every field name and value recorded, spans and events alike.
    fn all_text(&self) -> String {
        let spans = self.spans.lock().expect("not poisoned");
        let events = self.events.lock().expect("not poisoned");
        let span_texts = spans.iter().flat_map(|span| span.fields.texts());
        let event_texts = events.iter().flat_map(|event| event.fields.texts());
        span_texts.chain(event_texts).collect::<Vec<_>>().join("\n")
    }
}

/// A client that needs no real wait between retries; the waits asked for are kept.
fn client(server: &MockServer, waits: &Arc<Mutex<Vec<Duration>>>) -> HttpClient {
    let mut config = ClientConfig::new(&server.uri(), &SCHEMES);
    config.credential(0, API_KEY.to_owned());
    config.credential(1, QUERY_KEY.to_owned());
    let waits = Arc::clone(waits);
    config.sleep(Arc::new(move |wait| {
        waits.lock().expect("not poisoned").push(wait);
        Box::pin(async {})
    }));
    config.build().expect("a valid configuration")
}

fn get_session() -> Request {
    let mut request = Request::new(Method::GET, "get_checkout_session", TEMPLATE);
    request.path(&format!("/checkout/{SESSION_ID}"));
    request
}

fn post_note() -> Request {
    let mut request = Request::new(Method::POST, "add_note", "/notes");
    request.path("/notes");
    request.json("application/json", &json!({"note": "request-body-text"}));
    request
}

async fn answer(server: &MockServer, status: u16, times: Option<u64>) {
    let mock = Mock::given(method("GET"))
        .and(path(format!("/checkout/{SESSION_ID}")))
        .and(header("x-api-key", API_KEY))
        .and(query_param("api_key", QUERY_KEY));
    let mock = mock.respond_with(
        ResponseTemplate::new(status)
            .insert_header("retry-after", "1")
            .set_body_json(json!({"ok": true})),
    );
    match times {
        Some(times) => mock.up_to_n_times(times).with_priority(1),
        None => mock.with_priority(2),
    }
    .mount(server)
    .await;
}

async fn send(http: &HttpClient, request: Request) -> u16 {
    let received = http
        .send::<()>(request, &[&[0, 1]])
        .await
        .expect("a response");
    received.status().as_u16()
}

#[tokio::test]
async fn a_call_is_one_span_with_the_template_and_its_outcome() {
    let seen = Seen::default();
    let _guard = seen.install();
    let server = MockServer::start().await;
    answer(&server, 200, None).await;
    let waits = Arc::default();

    assert_eq!(send(&client(&server, &waits), get_session()).await, 200);

    let calls = seen.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let call = &calls[0];
    assert_eq!(call.get("operation"), Some("get_checkout_session"));
    assert_eq!(call.get("method"), Some("GET"));
    assert_eq!(call.get("path"), Some(TEMPLATE));
    assert_eq!(call.get("status"), Some("200"));
    assert_eq!(call.get("attempt"), Some("1"));
    assert_eq!(call.get("retries"), Some("0"));
    let duration = call.get("duration_ms").expect("a duration");
    assert!(duration.parse::<u64>().is_ok(), "{duration}");
    assert!(seen.call_events().is_empty(), "{:?}", seen.call_events());
}

#[tokio::test]
async fn each_call_has_a_span_of_its_own() {
    let seen = Seen::default();
    let _guard = seen.install();
    let server = MockServer::start().await;
    answer(&server, 200, None).await;
    let http = client(&server, &Arc::default());

    send(&http, get_session()).await;
    send(&http, get_session()).await;

    assert_eq!(seen.calls().len(), 2);
}

#[tokio::test]
async fn a_retried_call_records_the_second_attempt_and_one_retry_event() {
    let seen = Seen::default();
    let _guard = seen.install();
    let server = MockServer::start().await;
    answer(&server, 503, Some(1)).await;
    answer(&server, 200, None).await;
    let waits = Arc::default();

    assert_eq!(send(&client(&server, &waits), get_session()).await, 200);

    let calls = seen.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].get("status"), Some("200"));
    assert_eq!(calls[0].get("attempt"), Some("2"));
    assert_eq!(calls[0].get("retries"), Some("1"));
    let events = seen.call_events();
    let retries: Vec<&Fields> = events
        .iter()
        .filter(|event| event.get("wait_ms").is_some())
        .collect();
    assert_eq!(retries.len(), 1, "{events:?}");
    // The 503 carries `Retry-After: 1`.
    assert_eq!(retries[0].get("wait_ms"), Some("1000"));
    assert_eq!(retries[0].get("reason"), Some("503 Service Unavailable"));
    assert_eq!(retries[0].get("attempt"), Some("1"));
    assert_eq!(
        *waits.lock().expect("not poisoned"),
        [Duration::from_secs(1)]
    );
}

#[tokio::test]
async fn credentials_and_the_filled_path_never_reach_tracing() {
    let seen = Seen::default();
    let _guard = seen.install();
    let server = MockServer::start().await;
    answer(&server, 503, Some(1)).await;
    answer(&server, 200, None).await;
    let http = client(&server, &Arc::default()).with_options(RequestOptions {
        trace_bodies: Some(true),
        ..RequestOptions::default()
    });

    // 200 only if both credentials were sent: the check below is not vacuous.
    assert_eq!(send(&http, get_session()).await, 200);

    let text = seen.all_text();
    assert!(text.contains(TEMPLATE), "nothing recorded: {text}");
    for secret in [API_KEY, QUERY_KEY, SESSION_ID] {
        assert!(!text.contains(secret), "`{secret}` was recorded:\n{text}");
    }
}

#[tokio::test]
async fn bodies_are_not_traced_by_default() {
    let seen = Seen::default();
    let _guard = seen.install();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("response-body-text"))
        .mount(&server)
        .await;

    assert_eq!(
        send(&client(&server, &Arc::default()), post_note()).await,
        200
    );

    assert_eq!(seen.calls().len(), 1);
    let text = seen.all_text();
    assert!(!text.contains("request-body-text"), "{text}");
    assert!(!text.contains("response-body-text"), "{text}");
}

#[tokio::test]
async fn bodies_are_traced_in_the_call_span_when_asked() {
    let seen = Seen::default();
    let _guard = seen.install();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("response-body-text"))
        .mount(&server)
        .await;
    let http = client(&server, &Arc::default()).with_options(RequestOptions {
        trace_bodies: Some(true),
        ..RequestOptions::default()
    });

    assert_eq!(send(&http, post_note()).await, 200);

    let bodies: Vec<String> = seen
        .call_events()
        .iter()
        .filter_map(|event| event.get("body").map(str::to_owned))
        .collect();
    assert_eq!(
        bodies,
        [r#"{"note":"request-body-text"}"#, "response-body-text"]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_stream_of_events_keeps_its_span_open_and_counts_its_events() {
    use futures_util::StreamExt as _;
    let seen = Seen::default();
    let _guard = seen.install();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/feed"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "data: a\n\n: a comment\n\ndata: b\n\ndata: c\n\n",
            "text/event-stream",
        ))
        .mount(&server)
        .await;
    let http = client(&server, &Arc::default());
    let mut request = Request::new(Method::GET, "watch_feed", "/feed");
    request.path("/feed");
    let events = http
        .call::<(), ()>(request, &[], |_| Ok(()))
        .events(None, specwright_runtime::__private::text_data)
        .await
        .expect("the head");
    // The head came: the span is open, its events not counted yet.
    assert_eq!(seen.calls()[0].get("events"), None);
    let data: Vec<String> = events
        .map(|event| event.expect("text").data)
        .collect()
        .await;
    assert_eq!(data, ["a", "b", "c"]);
    let calls = seen.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].get("events"), Some("3"));
    assert_eq!(calls[0].get("status"), Some("200"));
}
