//! The generated client against servers that misbehave at the byte level, which wiremock
//! cannot: a raw TCP server on 127.0.0.1 per test, one behaviour each. Every test asserts an
//! error of the right kind, within a generous bound of time (the limits are seconds; the
//! bounds are many times that), and that nothing was sent twice that must not be. The client
//! is built over a user's own `reqwest::ClientBuilder` wherever the runtime's guarantees must
//! hold with one.

use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod raw_server;

use raw_server::{heads, read_request, serve, write};
use tokio::io::AsyncWriteExt as _;
use zenskar::types::{CheckoutContractSchemaPlanBased, CheckoutSessionCreateSchema};
use zenskar::{Client, ClientBuilder, Error, TimeLimit, Uuid};

const API_KEY: &str = "sk-live-secret-4242";
const ORGANISATION: &str = "org-secret-1717";
const SESSION_ID: &str = "123e4567-e89b-12d3-a456-426614174000";

fn session_json(id: &str) -> String {
    format!(
        r#"{{"id": "{id}", "checkout_session_status": "open", "payment_status": "not_started"}}"#
    )
}

fn id() -> Uuid {
    Uuid::parse_str(SESSION_ID).expect("uuid")
}

/// A client over a user's own `reqwest` builder, with short limits and no real waits.
fn client(url: &str) -> ClientBuilder {
    // What a program whose only reqwest is the runtime's does before it hands reqwest a
    // builder (see the runtime's `ClientConfig::http_client`); already installed by another
    // test of this binary after the first.
    let _ = zenskar::runtime::rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .api_token_auth(API_KEY)
        .organisation_auth(ORGANISATION)
        .base_url(url)
        .http_client(zenskar::runtime::reqwest::Client::builder())
        .timeout(Some(Duration::from_secs(2)))
        .read_timeout(Some(Duration::from_secs(1)))
        .sleep(|_| Box::pin(async {}))
}

fn ok_head(length: usize) -> String {
    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n")
}

fn create_body() -> CheckoutSessionCreateSchema {
    let contract = CheckoutContractSchemaPlanBased::new(
        true,
        id(),
        "USD".into(),
        "2023-01-01T00:00:00"
            .parse::<zenskar::DateTime>()
            .expect("date-time"),
    );
    CheckoutSessionCreateSchema::new(contract.into())
}

/// Within a bound far above the limits under test, so that a slow machine never fails it and
/// a hang always does.
const BOUND: Duration = Duration::from_secs(20);

#[tokio::test]
async fn a_redirect_to_another_origin_is_a_response_and_no_credential_follows_it() {
    let (elsewhere, stolen) = serve(|_, _, mut stream| async move {
        write(&mut stream, ok_head(2).as_bytes()).await;
        write(&mut stream, b"{}").await;
    })
    .await;
    let location = format!("{elsewhere}/steal?from=redirect");
    let (url, _) = serve(move |_, _, mut stream| {
        let location = location.clone();
        async move {
            let head =
                format!("HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n");
            write(&mut stream, head.as_bytes()).await;
        }
    })
    .await;
    let client = client(&url).build().expect("builds");
    let err = client
        .get_checkout_session(id())
        .await
        .expect_err("a 302 is not a session");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302), "{err:?}");
    assert!(
        heads(&stolen).is_empty(),
        "the other origin was called: {:?}",
        heads(&stolen)
    );
}

#[tokio::test]
async fn a_server_that_never_answers_ends_at_the_try_time_out() {
    let (url, seen) = serve(|_, _, stream| async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(stream);
    })
    .await;
    let client = client(&url)
        .timeout(Some(Duration::from_millis(300)))
        .max_retries(0)
        .build()
        .expect("builds");
    let started = Instant::now();
    let err = client
        .get_checkout_session(id())
        .await
        .expect_err("no answer");
    assert!(
        matches!(&err, Error::Timeout(timeout) if timeout.limit == TimeLimit::Try),
        "{err:?}"
    );
    assert!(started.elapsed() < BOUND);
    assert_eq!(heads(&seen).len(), 1);
}

#[tokio::test]
async fn a_slow_but_live_body_goes_on_and_a_stalled_one_ends_at_the_read_time_out() {
    let body = session_json(SESSION_ID);
    let (url, _) = serve(move |connection, _, mut stream| {
        let body = body.clone();
        async move {
            write(&mut stream, ok_head(body.len()).as_bytes()).await;
            let (first, rest) = body.as_bytes().split_at(8);
            write(&mut stream, first).await;
            if connection == 0 {
                // A byte every 40 ms: each wait far below the read time-out, the whole far above.
                for byte in rest {
                    tokio::time::sleep(Duration::from_millis(40)).await;
                    write(&mut stream, &[*byte]).await;
                }
            } else {
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
        }
    })
    .await;
    let client = client(&url)
        .timeout(None)
        .read_timeout(Some(Duration::from_millis(500)))
        .max_retries(0)
        .build()
        .expect("builds");
    let started = Instant::now();
    let session = client
        .get_checkout_session(id())
        .await
        .expect("a slow body arrives");
    assert!(
        started.elapsed() > Duration::from_millis(500),
        "slower than one read time-out"
    );
    assert_eq!(session.id.to_string(), SESSION_ID);

    let err = client
        .get_checkout_session(id())
        .await
        .expect_err("stalled");
    assert!(
        matches!(&err, Error::Timeout(timeout) if timeout.limit == TimeLimit::Read),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_endless_chunked_body_stops_at_the_body_limit() {
    let (url, _) = serve(|_, _, mut stream| async move {
        write(
            &mut stream,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        )
        .await;
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
        write(&mut stream, b"1\r\n[\r\n").await;
        // Far more than the limit; the client stops reading long before.
        for _ in 0..100_000 {
            if stream.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
        }
    })
    .await;
    let client = client(&url)
        .max_body_size(1024 * 1024)
        .build()
        .expect("builds");
    let started = Instant::now();
    let err = client
        .get_checkout_session(id())
        .await
        .expect_err("endless");
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 1_048_576 }),
        "{err:?}"
    );
    assert!(started.elapsed() < BOUND);
}

#[tokio::test]
async fn a_content_length_past_the_limit_is_refused_before_reading() {
    let (url, seen) = serve(|_, _, mut stream| async move {
        write(
            &mut stream,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5000000000\r\n\r\n{",
        )
        .await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    })
    .await;
    let client = client(&url).build().expect("builds");
    let err = client
        .get_checkout_session(id())
        .await
        .expect_err("too large");
    assert!(
        matches!(err, Error::BodyTooLarge { limit } if limit == zenskar::runtime::DEFAULT_MAX_BODY_SIZE),
        "{err:?}"
    );
    assert_eq!(heads(&seen).len(), 1, "a refusal is not retried");
}

#[tokio::test]
async fn a_body_cut_off_is_retried_for_a_get_and_not_for_a_post() {
    let body = session_json(SESSION_ID);
    let (url, seen) = serve(move |connection, _, mut stream| {
        let body = body.clone();
        async move {
            // The first answer of each request lies in its Content-Length and closes early.
            write(&mut stream, ok_head(body.len()).as_bytes()).await;
            if connection % 2 == 0 {
                write(&mut stream, &body.as_bytes()[..10]).await;
            } else {
                write(&mut stream, body.as_bytes()).await;
            }
        }
    })
    .await;
    let client = client(&url).build().expect("builds");
    let session = client
        .get_checkout_session(id())
        .await
        .expect("the retry reads the whole body");
    assert_eq!(session.id.to_string(), SESSION_ID);
    assert_eq!(heads(&seen).len(), 2);

    let err = client
        .create_checkout_session(&create_body())
        .await
        .expect_err("a POST without an idempotency key is not sent twice");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let posts = heads(&seen)
        .iter()
        .filter(|head| head.starts_with("POST "))
        .count();
    assert_eq!(posts, 1);
}

#[tokio::test]
async fn invalid_chunk_framing_is_a_transport_error() {
    let (url, _) = serve(|_, _, mut stream| async move {
        write(
            &mut stream,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        )
        .await;
    })
    .await;
    let client = client(&url).max_retries(0).build().expect("builds");
    let err = client
        .get_checkout_session(id())
        .await
        .expect_err("bad framing");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn headers_with_control_and_non_utf8_bytes_give_typed_answers() {
    let body = session_json(SESSION_ID);
    let (url, _) = serve(move |connection, _, mut stream| {
        let body = body.clone();
        async move {
            let mut head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n".to_vec();
            if connection == 0 {
                // obs-text: allowed on the wire, not UTF-8.
                head.extend_from_slice(b"x-request-id: \xff\xfe\xfd\r\n");
            } else {
                head.extend_from_slice(b"x-request-id: a\x01b\r\n");
            }
            head.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
            head.extend_from_slice(body.as_bytes());
            write(&mut stream, &head).await;
        }
    })
    .await;
    let client = client(&url).max_retries(0).build().expect("builds");
    let session = client
        .get_checkout_session(id())
        .await
        .expect("obs-text is read");
    assert_eq!(session.request_id(), None, "not text, so no request id");
    let err = client
        .get_checkout_session(id())
        .await
        .expect_err("a control byte breaks the head");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_gzip_bomb_is_not_inflated_past_the_body_limit() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..32 {
        encoder.write_all(&zeros).expect("compressed");
    }
    let bomb = encoder.finish().expect("compressed");
    assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
    let bomb = Arc::new(bomb);
    let (url, _) = serve(move |_, _, mut stream| {
        let bomb = Arc::clone(&bomb);
        async move {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\n\r\n",
                bomb.len()
            );
            write(&mut stream, head.as_bytes()).await;
            write(&mut stream, &bomb).await;
        }
    })
    .await;
    // This test crate turns on reqwest's `gzip`, so the user's client inflates.
    let client = client(&url)
        .max_body_size(1024 * 1024)
        .build()
        .expect("builds");
    let err = client.get_checkout_session(id()).await.expect_err("a bomb");
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 1_048_576 }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_crafted_retry_after_date_is_no_panic() {
    let body = session_json(SESSION_ID);
    let (url, seen) = serve(move |connection, _, mut stream| {
        let body = body.clone();
        async move {
            if connection == 0 {
                let head = "HTTP/1.1 503 Service Unavailable\r\nretry-after: Sun, 06 Nov 1994 -9999999999999:00:00 GMT\r\ncontent-length: 0\r\n\r\n";
                write(&mut stream, head.as_bytes()).await;
            } else {
                write(&mut stream, ok_head(body.len()).as_bytes()).await;
                write(&mut stream, body.as_bytes()).await;
            }
        }
    })
    .await;
    let client = client(&url).build().expect("builds");
    let session = client
        .get_checkout_session(id())
        .await
        .expect("retried after a backoff");
    assert_eq!(session.id.to_string(), SESSION_ID);
    assert_eq!(heads(&seen).len(), 2);
}

#[tokio::test]
async fn the_deadline_bounds_the_call_across_its_retries() {
    let (url, seen) = serve(|_, _, mut stream| async move {
        write(
            &mut stream,
            b"HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-length: 0\r\n\r\n",
        )
        .await;
    })
    .await;
    // Real waits here: the deadline is what stops them.
    let client = Client::builder()
        .api_token_auth(API_KEY)
        .organisation_auth(ORGANISATION)
        .base_url(&url)
        .max_retries(10)
        .deadline(Some(Duration::from_millis(1500)))
        .build()
        .expect("builds");
    let started = Instant::now();
    let err = client
        .get_checkout_session(id())
        .await
        .expect_err("unavailable");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(1500) + BOUND / 4);
    // The first answer and one retry a second later; a second retry would end past the deadline.
    assert_eq!(heads(&seen).len(), 2);
}

#[tokio::test]
async fn a_per_call_header_replaces_the_clients_own() {
    let body = session_json(SESSION_ID);
    let (url, seen) = serve(move |_, _, mut stream| {
        let body = body.clone();
        async move {
            write(&mut stream, ok_head(body.len()).as_bytes()).await;
            write(&mut stream, body.as_bytes()).await;
        }
    })
    .await;
    let client = client(&url).build().expect("builds");
    let scoped = client.with_options(zenskar::RequestOptions {
        headers: vec![("x-api-key".to_owned(), "per-call-key".to_owned())],
        ..Default::default()
    });
    scoped.get_checkout_session(id()).await.expect("answered");
    let head = heads(&seen).remove(0).to_ascii_lowercase();
    assert_eq!(head.matches("x-api-key:").count(), 1, "{head}");
    assert!(head.contains("x-api-key: per-call-key\r\n"), "{head}");
}

/// Thousands of calls at once through one client: each gets the answer to its own request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_concurrent_calls_each_get_their_own_answer() {
    let (url, _) = serve(|_, first, mut stream| async move {
        let mut head = first;
        // Each answer names the id of the path it answers; later requests on the same
        // connection are read here.
        loop {
            let id = head
                .split_whitespace()
                .nth(1)
                .and_then(|path| path.rsplit('/').next())
                .unwrap_or_default()
                .to_owned();
            let body = session_json(&id);
            let answer = format!("{}{body}", ok_head(body.len()));
            if stream.write_all(answer.as_bytes()).await.is_err() {
                return;
            }
            match read_request(&mut stream).await {
                Some(next) => head = next,
                None => return,
            }
        }
    })
    .await;
    let client = client(&url)
        .timeout(Some(Duration::from_secs(30)))
        .deadline(Some(Duration::from_secs(60)))
        .build()
        .expect("builds");
    let calls: Vec<_> = (0..2000u128)
        .map(|n| {
            let client = client.clone();
            tokio::spawn(async move {
                let id = Uuid::from_u128(n);
                let session = client.get_checkout_session(id).await?;
                Ok::<_, Error<zenskar::types::GetCheckoutSessionError>>((
                    id,
                    session.id.to_string(),
                ))
            })
        })
        .collect();
    let mut answered = 0;
    for call in calls {
        let (asked, got) = call.await.expect("the task").expect("the call");
        assert_eq!(got, asked.to_string());
        answered += 1;
    }
    assert_eq!(answered, 2000);
}

/// A body taken as a stream is not held by the client, so the body limit does not apply to
/// it; a documented error is still read and decoded.
#[tokio::test]
async fn a_streamed_body_passes_the_body_limit_chunk_by_chunk() {
    use futures_util::StreamExt as _;
    const SIZE: usize = 8 * 1024 * 1024;
    let (url, _) = serve(|connection, _, mut stream| async move {
        if connection == 0 {
            write(&mut stream, ok_head(SIZE).as_bytes()).await;
            let chunk = vec![b'x'; 64 * 1024];
            for _ in 0..SIZE / chunk.len() {
                write(&mut stream, &chunk).await;
            }
        } else {
            let body = r#"{"detail": [{"loc": ["path"], "msg": "gone", "type": "value_error"}]}"#;
            let head = format!(
                "HTTP/1.1 422 Unprocessable Entity\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            write(&mut stream, head.as_bytes()).await;
            write(&mut stream, body.as_bytes()).await;
        }
    })
    .await;
    let client = client(&url)
        .max_body_size(1024 * 1024)
        .build()
        .expect("builds");
    let response = client
        .get_checkout_session(id())
        .stream_body()
        .await
        .expect("a 200 to stream");
    assert_eq!(response.status.as_u16(), 200);
    let mut body = response.into_body();
    let (mut total, mut largest) = (0, 0);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.expect("a chunk");
        total += chunk.len();
        largest = largest.max(chunk.len());
    }
    assert_eq!(total, SIZE);
    assert!(largest < 1024 * 1024, "chunks of {largest} bytes");

    let err = client
        .get_checkout_session(id())
        .stream_body()
        .await
        .expect_err("a documented error");
    assert!(
        matches!(err, Error::Api(api) if api.status.as_u16() == 422),
        "streamed errors decode"
    );
}
