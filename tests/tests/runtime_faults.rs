//! The generated client's runtime under faults, against a local server: retries with backoff
//! and `Retry-After` (waits measured through an injected sleep, not wall time), idempotency,
//! per-call options, hooks, and raw response access.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use zenskar::types::{CheckoutContractSchemaPlanBased, CheckoutSessionCreateSchema};
use zenskar::{Client, ClientBuilder, Error, RequestOptions, Uuid};

const SESSION_ID: &str = "123e4567-e89b-12d3-a456-426614174000";

fn session() -> serde_json::Value {
    json!({"id": SESSION_ID, "checkout_session_status": "open", "payment_status": "not_started"})
}

/// Answers with each response in turn, then repeats the last.
struct Sequence(Mutex<Vec<ResponseTemplate>>);

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut responses = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if responses.len() > 1 {
            responses.remove(0)
        } else {
            responses[0].clone()
        }
    }
}

fn sequence(responses: Vec<ResponseTemplate>) -> Sequence {
    Sequence(Mutex::new(responses))
}

/// A client whose waits are recorded instead of slept.
fn builder(base_url: &str, waits: &Arc<Mutex<Vec<Duration>>>) -> ClientBuilder {
    let waits = Arc::clone(waits);
    Client::builder()
        .api_token_auth("key")
        .organisation_auth("org")
        .base_url(base_url)
        .sleep(move |delay| {
            waits.lock().unwrap_or_else(|p| p.into_inner()).push(delay);
            Box::pin(async {})
        })
}

fn recorded(waits: &Arc<Mutex<Vec<Duration>>>) -> Vec<Duration> {
    waits.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

fn id() -> Uuid {
    Uuid::parse_str(SESSION_ID).expect("uuid")
}

#[tokio::test]
async fn a_500_then_200_is_retried_and_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(sequence(vec![
            ResponseTemplate::new(500),
            ResponseTemplate::new(200)
                .set_body_json(session())
                .insert_header("x-request-id", "req-7"),
        ]))
        .expect(2)
        .mount(&server)
        .await;
    let waits = Arc::default();
    let client = builder(&server.uri(), &waits).build().expect("builds");
    let session = client
        .get_checkout_session(id())
        .await
        .expect("second try succeeds");
    assert_eq!(session.status.as_u16(), 200);
    assert_eq!(session.request_id(), Some("req-7"));
    let waits = recorded(&waits);
    assert_eq!(waits.len(), 1);
    assert!(
        waits[0] >= Duration::from_millis(375) && waits[0] <= Duration::from_millis(500),
        "{waits:?}"
    );
}

#[tokio::test]
async fn retry_after_in_seconds_and_as_a_date_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(sequence(vec![
            ResponseTemplate::new(429).insert_header("retry-after", "3"),
            ResponseTemplate::new(503)
                .insert_header("retry-after", &http_date_in(Duration::from_secs(5))),
            ResponseTemplate::new(200).set_body_json(session()),
        ]))
        .expect(3)
        .mount(&server)
        .await;
    let waits = Arc::default();
    let client = builder(&server.uri(), &waits).build().expect("builds");
    client
        .get_checkout_session(id())
        .await
        .expect("third try succeeds");
    let waits = recorded(&waits);
    assert_eq!(waits[0], Duration::from_secs(3));
    assert!(
        waits[1] >= Duration::from_secs(3) && waits[1] <= Duration::from_secs(5),
        "{waits:?}"
    );
}

fn http_date_in(delay: Duration) -> String {
    let at = std::time::SystemTime::now() + delay;
    let seconds = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        months[(month - 1) as usize],
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[tokio::test]
async fn retries_stop_at_the_limit_and_can_be_disabled() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let waits = Arc::default();
    let client = builder(&server.uri(), &waits)
        .max_retries(3)
        .build()
        .expect("builds");
    let err = client
        .get_checkout_session(id())
        .await
        .expect_err("always 502");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    let waits = recorded(&waits);
    assert_eq!(waits.len(), 3);
    assert!(
        waits[0] < waits[1] && waits[1] < waits[2],
        "backoff grows: {waits:?}"
    );
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        4
    );

    let once = client.with_options(RequestOptions {
        max_retries: Some(0),
        ..Default::default()
    });
    once.get_checkout_session(id()).await.expect_err("no retry");
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        5
    );
}

#[tokio::test]
async fn posts_are_retried_only_with_an_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/checkout"))
        .respond_with(sequence(vec![
            ResponseTemplate::new(500),
            ResponseTemplate::new(200).set_body_json(session()),
        ]))
        .mount(&server)
        .await;
    let waits = Arc::default();
    let client = builder(&server.uri(), &waits).build().expect("builds");
    let contract = CheckoutContractSchemaPlanBased::new(
        true,
        id(),
        "USD".into(),
        "2023-01-01T00:00:00"
            .parse::<zenskar::DateTime>()
            .expect("date-time"),
    );
    let mut body = CheckoutSessionCreateSchema::new(contract.into());
    let err = client
        .create_checkout_session(&body)
        .await
        .expect_err("a POST without a key is not retried");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));

    // The body's own idempotency key makes the retry safe; it is sent again unchanged.
    body.idempotency_key = Some(Some("create-1".into()));
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sequence(vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(200).set_body_json(session()),
        ]))
        .mount(&server)
        .await;
    let client = builder(&server.uri(), &waits).build().expect("builds");
    client
        .create_checkout_session(&body)
        .await
        .expect("retried");
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert!(String::from_utf8_lossy(&requests[1].body).contains("create-1"));

    // So does an Idempotency-Key header given per call.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("idempotency-key", "call-9"))
        .respond_with(sequence(vec![
            ResponseTemplate::new(500),
            ResponseTemplate::new(200).set_body_json(session()),
        ]))
        .expect(2)
        .mount(&server)
        .await;
    body.idempotency_key = None;
    let client = builder(&server.uri(), &waits).build().expect("builds");
    let keyed = client.with_options(RequestOptions {
        idempotency_key: Some("call-9".into()),
        ..Default::default()
    });
    keyed
        .create_checkout_session(&body)
        .await
        .expect("retried with the header");
}

#[tokio::test]
async fn connection_errors_are_retried_then_reported() {
    // A port that was just open and is now closed refuses connections.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        format!("http://{}", listener.local_addr().expect("address"))
    };
    let attempts = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&attempts);
    let waits = Arc::default();
    let client = builder(&closed, &waits)
        .on_request(move |_| *counter.lock().unwrap_or_else(|p| p.into_inner()) += 1)
        .build()
        .expect("builds");
    let err = client
        .get_checkout_session(id())
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(*attempts.lock().unwrap_or_else(|p| p.into_inner()), 3);
    assert_eq!(recorded(&waits).len(), 2);
}

#[tokio::test]
async fn hooks_see_and_change_every_request_and_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-trace", "t-1"))
        .respond_with(sequence(vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(200).set_body_json(session()),
        ]))
        .expect(2)
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let waits = Arc::default();
    let client = builder(&server.uri(), &waits)
        .on_request(|request| {
            request
                .headers_mut()
                .insert("x-trace", reqwest::header::HeaderValue::from_static("t-1"));
        })
        .on_response(move |info| {
            log.lock().unwrap_or_else(|p| p.into_inner()).push((
                info.status.as_u16(),
                info.attempt,
                info.retry_in.is_some(),
            ));
        })
        .build()
        .expect("builds");
    client.get_checkout_session(id()).await.expect("succeeds");
    assert_eq!(
        *seen.lock().unwrap_or_else(|p| p.into_inner()),
        [(503, 0, true), (200, 1, false)]
    );
}

#[tokio::test]
async fn a_per_call_timeout_and_extra_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-extra", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(session())
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let waits = Arc::default();
    let client = builder(&server.uri(), &waits).build().expect("builds");
    let hurried = client.with_options(RequestOptions {
        timeout: Some(Duration::from_millis(100)),
        headers: vec![("x-extra".into(), "1".into())],
        ..Default::default()
    });
    let err = hurried
        .get_checkout_session(id())
        .await
        .expect_err("too slow");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");

    let bad = client.with_options(RequestOptions {
        headers: vec![("x-evil".into(), "a\r\nb".into())],
        ..Default::default()
    });
    let err = bad
        .get_checkout_session(id())
        .await
        .expect_err("CR LF refused");
    assert!(
        matches!(&err, Error::Validation(v) if v.path == "x-evil"),
        "{err:?}"
    );
}

#[tokio::test]
async fn errors_keep_the_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(422)
                .insert_header("request-id", "r-422")
                .set_body_json(json!({"detail": []})),
        )
        .mount(&server)
        .await;
    let waits = Arc::default();
    let client = builder(&server.uri(), &waits).build().expect("builds");
    let Err(Error::Api(err)) = client.cancel_checkout_session(id(), None).await else {
        panic!("expected a documented error");
    };
    assert_eq!(err.request_id(), Some("r-422"));
    assert!(recorded(&waits).is_empty(), "422 is not retried");
}

fn page(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    let data: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| json!({"id": id, "checkout_session_status": "open", "payment_status": "paid"}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({"data": data, "next": next, "total": 3}))
}

#[tokio::test]
async fn the_list_streams_every_item_following_next() {
    use futures_util::StreamExt;
    use wiremock::matchers::{query_param, query_param_is_missing};
    let server = MockServer::start().await;
    let ids = [
        "00000000-0000-4000-8000-000000000001",
        "00000000-0000-4000-8000-000000000002",
        "00000000-0000-4000-8000-000000000003",
    ];
    Mock::given(query_param_is_missing("cursor"))
        .and(query_param("limit", "2"))
        .respond_with(page(&ids[..2], Some("c1")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c1"))
        .and(query_param("limit", "2"))
        .respond_with(page(&ids[2..], Some("c2")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c2"))
        .respond_with(page(&[], None))
        .expect(1)
        .mount(&server)
        .await;
    let waits = Arc::default();
    let client = builder(&server.uri(), &waits).build().expect("builds");
    let params = zenskar::types::ListCheckoutSessionsParams {
        limit: Some(2),
        ..Default::default()
    };
    let items: Vec<_> = client.list_checkout_sessions_stream(params).collect().await;
    let seen: Vec<String> = items
        .into_iter()
        .map(|item| item.expect("no error").id.to_string())
        .collect();
    assert_eq!(seen, ids);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_items_before_it() {
    use futures_util::StreamExt;
    use wiremock::matchers::{query_param, query_param_is_missing};
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(page(&["00000000-0000-4000-8000-000000000001"], Some("c1")))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let waits = Arc::default();
    let client = builder(&server.uri(), &waits)
        .max_retries(0)
        .build()
        .expect("builds");
    let results: Vec<_> = client
        .list_checkout_sessions_stream(Default::default())
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(&results[1], Err(err) if err.status().map(|s| s.as_u16()) == Some(500)));
}
