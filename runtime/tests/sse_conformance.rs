//! The event-stream parser against the WHATWG HTML standard's rules ("Parsing an event
//! stream"), one table row per rule; a recorded stream fed in every split, at each byte offset
//! and byte by byte; and the same rows through `eventsource-stream`, the crate async-openai
//! uses, to show where it falls short of them (the reason the parser is written here).

use std::collections::VecDeque;
use std::time::Duration;

use futures_util::StreamExt as _;
use specwright_runtime::{EventParser, RawEvent};

/// `(event, data, id)` of each event dispatched.
type Seen = Vec<(String, String, Option<String>)>;

fn ours(chunks: &[&[u8]]) -> Seen {
    let mut parser = EventParser::new(1 << 20);
    let mut events = VecDeque::new();
    for chunk in chunks {
        parser.push(chunk, &mut events).expect("under the limit");
    }
    events.into_iter().map(seen).collect()
}

fn seen(event: RawEvent) -> (String, String, Option<String>) {
    (event.event, event.data, event.id)
}

/// The events `eventsource-stream` gives; `Err` for an error item, or for a panic (it has one,
/// on a byte order mark).
fn theirs(chunks: &[&[u8]]) -> Result<Seen, String> {
    use eventsource_stream::Eventsource as _;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        chunks.iter().map(|chunk| Ok(chunk.to_vec())).collect();
    let events = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        block_on(
            futures_util::stream::iter(chunks)
                .eventsource()
                .collect::<Vec<_>>(),
        )
    }))
    .map_err(|_| "panicked".to_owned())?;
    events
        .into_iter()
        .map(|event| {
            let event = event.map_err(|err| err.to_string())?;
            let id = Some(event.id).filter(|id| !id.is_empty());
            Ok((event.event, event.data, id))
        })
        .collect()
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
        .block_on(future)
}

fn message(data: &str) -> (String, String, Option<String>) {
    ("message".to_owned(), data.to_owned(), None)
}

/// One rule of the standard: its name, a stream, and the events it dispatches.
struct Rule {
    name: &'static str,
    stream: &'static [u8],
    events: Seen,
}

fn rules() -> Vec<Rule> {
    let with_id =
        |data: &str, id: &str| ("message".to_owned(), data.to_owned(), Some(id.to_owned()));
    vec![
        Rule {
            name: "LF line ends",
            stream: b"data: a\n\n",
            events: vec![message("a")],
        },
        Rule {
            name: "CRLF line ends",
            stream: b"data: a\r\n\r\n",
            events: vec![message("a")],
        },
        Rule {
            name: "CR line ends",
            stream: b"data: a\r\rdata: b\r\r",
            events: vec![message("a"), message("b")],
        },
        Rule {
            name: "a leading BOM is dropped",
            stream: b"\xef\xbb\xbfdata: a\n\n",
            events: vec![message("a")],
        },
        Rule {
            name: "comment lines are skipped",
            stream: b": ping\ndata: a\n: more\n\n",
            events: vec![message("a")],
        },
        Rule {
            name: "multi-line data is joined with LF",
            stream: b"data: a\ndata:\ndata: b\n\n",
            events: vec![message("a\n\nb")],
        },
        Rule {
            name: "one space after the colon is stripped",
            stream: b"data:  a\ndata:b\n\n",
            events: vec![message(" a\nb")],
        },
        Rule {
            name: "a field with no colon has an empty value",
            stream: b"data\ndata\n\n",
            events: vec![message("\n")],
        },
        Rule {
            name: "event names the event",
            stream: b"event: delta\ndata: a\n\n",
            events: vec![("delta".to_owned(), "a".to_owned(), None)],
        },
        Rule {
            name: "an id holding NUL is ignored",
            stream: b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n",
            events: vec![with_id("a", "1"), with_id("b", "1")],
        },
        Rule {
            name: "the last id carries over to later events",
            stream: b"id: 7\ndata: a\n\ndata: b\n\n",
            events: vec![with_id("a", "7"), with_id("b", "7")],
        },
        Rule {
            name: "a blank line with no data dispatches nothing",
            stream: b"event: x\n\ndata: a\n\n",
            events: vec![message("a")],
        },
        Rule {
            name: "an unterminated last event is discarded",
            stream: b"data: a\n\ndata: b\n",
            events: vec![message("a")],
        },
        Rule {
            name: "unknown fields are ignored",
            stream: b"foo: bar\ndata: a\n\n",
            events: vec![message("a")],
        },
        Rule {
            name: "bytes that are not UTF-8 decode as U+FFFD",
            stream: b"data: \xff\xfe\n\n",
            events: vec![message("\u{fffd}\u{fffd}")],
        },
    ]
}

#[test]
fn every_rule_of_the_standard() {
    for rule in rules() {
        assert_eq!(ours(&[rule.stream]), rule.events, "{}", rule.name);
    }
}

#[test]
fn retry_takes_only_ascii_digits() {
    let retries = |stream: &[u8]| {
        let mut parser = EventParser::new(1 << 10);
        let mut events = VecDeque::new();
        parser.push(stream, &mut events).expect("fits");
        (
            events.front().and_then(|e| e.retry),
            parser.reconnection_time(),
        )
    };
    let ms = |ms| Some(Duration::from_millis(ms));
    assert_eq!(retries(b"retry: 2500\ndata: a\n\n"), (ms(2500), ms(2500)));
    for bad in [
        &b"retry: +5\ndata: a\n\n"[..],
        b"retry: 5s\ndata: a\n\n",
        b"retry: \ndata: a\n\n",
        b"retry: -1\ndata: a\n\n",
    ] {
        assert_eq!(
            retries(bad),
            (None, None),
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
}

/// An OpenAI-style chat completion stream, with what the standard allows around it.
const RECORDED: &[u8] = b"\xef\xbb\xbf: connected\r\n\
retry: 3000\r\n\
id: evt-1\r\n\
data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\r\n\
\r\n\
event: message\n\
id: evt-2\n\
data: {\"id\":\"c1\",\n\
data: \"choices\":[{\"delta\":{\"content\":\"lo \\u00e9t\xc3\xa9\"}}]}\n\
\n\
: keep-alive\r\
data:{\"id\":\"c1\",\"choices\":[]}\r\
\r\
data: [DONE]\n\
\n";

#[test]
fn a_recorded_stream_gives_the_same_events_however_it_is_split() {
    let whole = ours(&[RECORDED]);
    assert_eq!(whole.len(), 4, "{whole:?}");
    assert_eq!(
        whole[1].1,
        "{\"id\":\"c1\",\n\"choices\":[{\"delta\":{\"content\":\"lo \\u00e9t\u{e9}\"}}]}"
    );
    assert_eq!(whole[1].2.as_deref(), Some("evt-2"));
    assert_eq!(whole[3].1, "[DONE]");
    for offset in 0..=RECORDED.len() {
        let (head, tail) = RECORDED.split_at(offset);
        assert_eq!(ours(&[head, tail]), whole, "split at {offset}");
    }
    let bytes: Vec<&[u8]> = RECORDED.chunks(1).collect();
    assert_eq!(ours(&bytes), whole, "byte by byte");
}

/// The rules `eventsource-stream` 0.2 breaks, and the stream of each that shows it.
#[test]
fn where_eventsource_stream_falls_short() {
    let mut short = Vec::new();
    for rule in rules() {
        match theirs(&[rule.stream]) {
            Ok(events) if events == rule.events => {}
            Ok(_) => short.push((rule.name, "other events")),
            Err(err) if err == "panicked" => short.push((rule.name, "panics")),
            Err(_) => short.push((rule.name, "an error")),
        }
    }
    assert_eq!(
        short,
        [
            // A `\r` at the end of what came waits for a `\n` that may never come.
            ("CR line ends", "other events"),
            // Slicing one byte off a three-byte character.
            ("a leading BOM is dropped", "panics"),
            ("bytes that are not UTF-8 decode as U+FFFD", "an error"),
        ]
    );
    // `retry: +5` sets a reconnection time there (Rust's integer parsing takes a sign).
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(b"retry: +5\ndata: a\n\n".to_vec())];
    let retry = block_on(async {
        use eventsource_stream::Eventsource as _;
        let mut events = futures_util::stream::iter(chunks).eventsource();
        events
            .next()
            .await
            .and_then(Result::ok)
            .and_then(|event| event.retry)
    });
    assert_eq!(retry, Some(Duration::from_millis(5)));
    // A line that never ends is held whole there, however long; here it is refused at the
    // limit.
    let endless = vec![b'a'; 8 << 20];
    assert_eq!(theirs(&[b"data: ", &endless]), Ok(Vec::new()));
    let mut parser = EventParser::new(1 << 20);
    assert!(parser.push(&endless, &mut VecDeque::new()).is_err());
}
