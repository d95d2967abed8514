//! Streamed responses read as they arrive: server-sent events (`text/event-stream`, parsed by
//! the WHATWG HTML standard's rules, "Parsing an event stream"), JSON Lines
//! (`application/jsonl`, `application/x-ndjson`) and JSON text sequences
//! (`application/json-seq`, RFC 7464), each item typed.
//!
//! The parsers are written here rather than taken from a crate. `eventsource-stream`, the one
//! async-openai uses, panics on a stream that starts with a byte order mark, holds back an
//! event ended by `\r` line ends, buffers a line of any length (a server that never sends a
//! line end grows memory without bound), accepts `retry: +5` where the standard takes only
//! digits, and fails on bytes that are not UTF-8 where the standard decodes them as U+FFFD;
//! `runtime/tests/sse_conformance.rs` shows each, and `runtime/benches/sse.rs` measures both on
//! one recorded stream. These work on bytes, split anywhere between reads, and hold one
//! event, plus the part of the next received so far, under the body limit.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;

use crate::response::BodyStream;
use crate::trace::CallTrace;
use crate::transport::Resume;
use crate::{Error, HeaderMap, StatusCode};

/// One server-sent event, its data decoded.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<T> {
    /// The event's name: its `event` field, or `message` without one.
    pub event: String,
    pub data: T,
    /// The last event id the stream set (its `id` field, in this event or before), as
    /// `Last-Event-ID` sends it back on a reconnection; `None` before any, or once set empty.
    pub id: Option<String>,
    /// The reconnection time a `retry` field set while this event was read.
    pub retry: Option<Duration>,
}

/// An event as it came, its data as text: what an event whose data did not decode keeps.
pub type RawEvent = Event<String>;

/// The WHATWG event-stream parser: bytes in, events out.
#[derive(Debug)]
pub struct EventParser {
    /// The line being read, up to its end.
    line: Vec<u8>,
    /// A `\r` ended the last line, so a `\n` first in the next bytes is part of that end.
    after_cr: bool,
    /// The stream's first line is checked for a byte order mark once.
    first_line: bool,
    data: String,
    event: String,
    /// The `id` fields' value so far, which becomes the stream's last event id when an event
    /// is dispatched: an event cut off before its end does not move it.
    id_buffer: Option<String>,
    last_id: Option<String>,
    retry: Option<Duration>,
    /// The reconnection time the stream set last, whatever event it came in.
    reconnection: Option<Duration>,
    limit: usize,
}

/// An event (or a line of one) longer than the parser's limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge {
    pub limit: usize,
}

impl EventParser {
    /// A parser holding at most `limit` bytes of one event at a time.
    pub fn new(limit: usize) -> Self {
        Self {
            line: Vec::new(),
            after_cr: false,
            first_line: true,
            data: String::new(),
            event: String::new(),
            id_buffer: None,
            last_id: None,
            retry: None,
            reconnection: None,
            limit,
        }
    }

    /// The last event id the stream set, as of its last dispatched event, for
    /// `Last-Event-ID`.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// The reconnection time the stream set last.
    pub fn reconnection_time(&self) -> Option<Duration> {
        self.reconnection
    }

    /// A new connection after one was lost: the event it cut off is dropped; the last id and
    /// the reconnection time stay.
    pub fn restart(&mut self) {
        self.line.clear();
        self.after_cr = false;
        self.first_line = true;
        self.data.clear();
        self.event.clear();
        self.id_buffer.clone_from(&self.last_id);
        self.retry = None;
    }

    /// Reads `bytes`, adding the events they complete to `events`.
    pub fn push(
        &mut self,
        mut bytes: &[u8],
        events: &mut VecDeque<RawEvent>,
    ) -> Result<(), TooLarge> {
        if self.after_cr && !bytes.is_empty() {
            self.after_cr = false;
            if let Some(rest) = bytes.strip_prefix(b"\n") {
                bytes = rest;
            }
        }
        while let Some(end) = bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.held(end)?;
            self.line.extend_from_slice(&bytes[..end]);
            let cr = bytes[end] == b'\r';
            bytes = &bytes[end + 1..];
            if cr {
                match bytes.first() {
                    Some(b'\n') => bytes = &bytes[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            let line = std::mem::take(&mut self.line);
            self.line_ended(&line, events);
            // The buffer is kept for the next line, emptied.
            self.line = line;
            self.line.clear();
        }
        self.held(bytes.len())?;
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    /// Whether `more` bytes of this event still fit under the limit.
    fn held(&self, more: usize) -> Result<(), TooLarge> {
        let held = self.line.len() + self.data.len() + self.event.len() + more;
        if held > self.limit {
            return Err(TooLarge { limit: self.limit });
        }
        Ok(())
    }

    fn line_ended(&mut self, line: &[u8], events: &mut VecDeque<RawEvent>) {
        let mut line = line;
        if std::mem::take(&mut self.first_line) {
            line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
        }
        if line.is_empty() {
            self.dispatch(events);
            return;
        }
        if line.first() == Some(&b':') {
            return;
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match field {
            b"event" => self.event = String::from_utf8_lossy(value).into_owned(),
            b"data" => {
                self.data.push_str(&String::from_utf8_lossy(value));
                self.data.push('\n');
            }
            b"id" if !value.contains(&0) => {
                let id = String::from_utf8_lossy(value).into_owned();
                self.id_buffer = Some(id).filter(|id| !id.is_empty());
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                // Digits beyond u64's range are a time longer than any wait.
                let millis = std::str::from_utf8(value)
                    .ok()
                    .and_then(|digits| digits.parse().ok())
                    .unwrap_or(u64::MAX);
                let retry = Duration::from_millis(millis);
                self.retry = Some(retry);
                self.reconnection = Some(retry);
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, events: &mut VecDeque<RawEvent>) {
        self.last_id.clone_from(&self.id_buffer);
        let event = std::mem::take(&mut self.event);
        let retry = self.retry.take();
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        events.push_back(Event {
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            data,
            id: self.last_id.clone(),
            retry,
        });
    }
}

/// How the records of a JSON stream are told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// One JSON text per line (`application/jsonl`, `application/x-ndjson`); blank lines are
    /// skipped, a `\r` before the `\n` is dropped, and the last line needs no `\n`.
    Lines,
    /// Each JSON text after a record separator, U+001E (`application/json-seq`, RFC 7464).
    Sequence,
}

/// JSON Lines and JSON text sequences: bytes in, each record's text out.
#[derive(Debug)]
pub struct RecordParser {
    framing: Framing,
    record: Vec<u8>,
    limit: usize,
}

impl RecordParser {
    /// A parser holding at most `limit` bytes of one record.
    pub fn new(framing: Framing, limit: usize) -> Self {
        Self {
            framing,
            record: Vec::new(),
            limit,
        }
    }

    fn separator(&self) -> u8 {
        match self.framing {
            Framing::Lines => b'\n',
            Framing::Sequence => 0x1e,
        }
    }

    /// Reads `bytes`, adding the records they complete to `records`.
    pub fn push(
        &mut self,
        mut bytes: &[u8],
        records: &mut VecDeque<String>,
    ) -> Result<(), TooLarge> {
        let separator = self.separator();
        while let Some(end) = bytes.iter().position(|&b| b == separator) {
            if self.record.len() + end > self.limit {
                return Err(TooLarge { limit: self.limit });
            }
            self.record.extend_from_slice(&bytes[..end]);
            bytes = &bytes[end + 1..];
            self.complete(records);
        }
        if self.record.len() + bytes.len() > self.limit {
            return Err(TooLarge { limit: self.limit });
        }
        self.record.extend_from_slice(bytes);
        Ok(())
    }

    /// The body ended: the last record, which needs no separator after it.
    pub fn finish(&mut self, records: &mut VecDeque<String>) {
        self.complete(records);
    }

    fn complete(&mut self, records: &mut VecDeque<String>) {
        let text = String::from_utf8_lossy(&self.record);
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        if !text.is_empty() {
            records.push_back(text.to_owned());
        }
        self.record.clear();
    }
}

/// Decodes an event's or a record's text as JSON into `T`.
pub fn json_data<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|err| err.to_string())
}

/// Takes an event's or a record's text as it is.
pub fn text_data(text: &str) -> Result<String, String> {
    Ok(text.to_owned())
}

/// What an event or a record whose data did not decode holds.
#[derive(Debug)]
pub struct EventError {
    /// The event as it came (a record's text is its `data`, named `record`).
    pub event: RawEvent,
    pub message: String,
}

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the `{}` event's data did not decode: {}",
            self.event.event, self.message
        )
    }
}

impl std::error::Error for EventError {}

/// The data that ends an OpenAI stream, and is no event of it.
const DONE: &str = "[DONE]";

/// A typed stream of server-sent events or of JSON records, read from a response as it
/// arrives: what a generated `_stream` method gives once the response's head came.
///
/// It holds one event, plus what has come of the next; an event longer than the body limit
/// ends it with [`Error::BodyTooLarge`]. An event whose data does not decode is an
/// [`Error::Event`] item, and the stream goes on; `data: [DONE]` ends it. A time-out between
/// two reads of the body (the read time-out, the idle limit of a stream) ends it; the
/// deadline of a call does not. Dropping it closes the connection.
pub struct Events<T, E> {
    status: StatusCode,
    headers: HeaderMap,
    body: Option<BodyStream>,
    parser: Parser,
    decode: fn(&str) -> Result<T, String>,
    ready: VecDeque<RawEvent>,
    resume: Option<Resume>,
    /// The call's span, open until the stream ends, and the events it carried.
    trace: Option<CallTrace>,
    carried: u64,
    finished: bool,
    _error: std::marker::PhantomData<fn() -> E>,
}

enum Parser {
    Events(EventParser),
    Records(RecordParser, VecDeque<String>),
}

impl<T, E> Events<T, E> {
    pub(crate) fn new(
        response: crate::Response<BodyStream>,
        framing: Option<Framing>,
        limit: u64,
        decode: fn(&str) -> Result<T, String>,
        resume: Option<Resume>,
        trace: CallTrace,
    ) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        Self {
            status: response.status,
            headers: response.headers,
            body: Some(response.body),
            parser: match framing {
                None => Parser::Events(EventParser::new(limit)),
                Some(framing) => {
                    Parser::Records(RecordParser::new(framing, limit), VecDeque::new())
                }
            },
            decode,
            ready: VecDeque::new(),
            resume,
            trace: Some(trace),
            carried: 0,
            finished: false,
            _error: std::marker::PhantomData,
        }
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The last event id the stream set.
    pub fn last_event_id(&self) -> Option<&str> {
        match &self.parser {
            Parser::Events(parser) => parser.last_event_id(),
            Parser::Records(..) => None,
        }
    }

    fn take_ready(&mut self) -> Option<RawEvent> {
        if let Parser::Records(_, records) = &mut self.parser {
            while let Some(record) = records.pop_front() {
                self.ready.push_back(Event {
                    event: "record".to_owned(),
                    data: record,
                    id: None,
                    retry: None,
                });
            }
        }
        self.ready.pop_front()
    }

    fn push(&mut self, chunk: &Bytes) -> Result<(), TooLarge> {
        match &mut self.parser {
            Parser::Events(parser) => parser.push(chunk, &mut self.ready),
            Parser::Records(parser, records) => parser.push(chunk, records),
        }
    }

    /// The body ended cleanly: a JSON stream's last record needs no separator; an event not
    /// ended by a blank line is discarded, as the standard says.
    fn body_ended(&mut self) {
        if let Parser::Records(parser, records) = &mut self.parser {
            parser.finish(records);
        }
    }

    fn decoded(&self, raw: RawEvent) -> Result<Event<T>, Error<E>> {
        match (self.decode)(&raw.data) {
            Ok(data) => Ok(Event {
                event: raw.event,
                data,
                id: raw.id,
                retry: raw.retry,
            }),
            Err(message) => Err(Error::Event(Box::new(EventError {
                event: raw,
                message,
            }))),
        }
    }
}

impl<T, E> Stream for Events<T, E> {
    type Item = Result<Event<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(raw) = this.take_ready() {
                if raw.data == DONE && raw.event == "message" {
                    this.finish();
                    return Poll::Ready(None);
                }
                this.carried += 1;
                return Poll::Ready(Some(this.decoded(raw)));
            }
            if this.finished {
                return Poll::Ready(None);
            }
            if let Some(resume) = &mut this.resume {
                match resume.poll_reconnect(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(Ok(body))) => {
                        this.body = Some(body);
                        if let Parser::Events(parser) = &mut this.parser {
                            parser.restart();
                        }
                    }
                    Poll::Ready(Some(Err(error))) => {
                        this.finish();
                        return Poll::Ready(Some(Err(error.widen())));
                    }
                    Poll::Ready(None) => {}
                }
            }
            let Some(body) = &mut this.body else {
                this.finish();
                return Poll::Ready(None);
            };
            match Pin::new(body).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Err(TooLarge { limit }) = this.push(&chunk) {
                        this.finish();
                        return Poll::Ready(Some(Err(Error::BodyTooLarge {
                            limit: u64::try_from(limit).unwrap_or(u64::MAX),
                        })));
                    }
                }
                Poll::Ready(None) => {
                    this.body_ended();
                    this.body = None;
                    this.finished = true;
                }
                Poll::Ready(Some(Err(error))) => {
                    this.body = None;
                    let (last_id, retry) = match &this.parser {
                        Parser::Events(parser) => {
                            (parser.last_event_id(), parser.reconnection_time())
                        }
                        Parser::Records(..) => (None, None),
                    };
                    let resumed = match &mut this.resume {
                        Some(resume) => resume.dropped(&error, last_id, retry),
                        None => false,
                    };
                    if !resumed {
                        this.finish();
                        return Poll::Ready(Some(Err(error.widen())));
                    }
                }
            }
        }
    }
}

impl<T, E> Events<T, E> {
    /// Ends the stream: the connection is closed, and the span closed with the number of
    /// events it carried.
    fn finish(&mut self) {
        self.finished = true;
        self.body = None;
        self.ready.clear();
        self.resume = None;
        if let Some(trace) = self.trace.take() {
            trace.stream_ended(self.carried);
        }
    }
}

impl<T, E> Drop for Events<T, E> {
    fn drop(&mut self) {
        if let Some(trace) = self.trace.take() {
            trace.stream_ended(self.carried);
        }
    }
}

impl<T, E> std::fmt::Debug for Events<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Events")
            .field("status", &self.status)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]]) -> Vec<RawEvent> {
        let mut parser = EventParser::new(1 << 20);
        let mut events = VecDeque::new();
        for chunk in chunks {
            parser.push(chunk, &mut events).expect("under the limit");
        }
        events.into()
    }

    fn message(data: &str) -> RawEvent {
        Event {
            event: "message".to_owned(),
            data: data.to_owned(),
            id: None,
            retry: None,
        }
    }

    #[test]
    fn every_line_end_ends_a_line() {
        let expected = vec![message("a\nb"), message("c")];
        assert_eq!(parse(&[b"data: a\ndata: b\n\ndata: c\n\n"]), expected);
        assert_eq!(
            parse(&[b"data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n"]),
            expected
        );
        assert_eq!(parse(&[b"data: a\rdata: b\r\rdata: c\r\r"]), expected);
        // A `\r\n` split between two reads is one line end.
        assert_eq!(
            parse(&[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\ndata: c\r\n\r\n"]),
            expected
        );
    }

    #[test]
    fn a_leading_byte_order_mark_is_dropped_once() {
        assert_eq!(parse(&[b"\xef\xbb\xbfdata: a\n\n"]), [message("a")]);
        assert_eq!(
            parse(&[b"\xef", b"\xbb", b"\xbfdata: a\n\n"]),
            [message("a")]
        );
        // Only the stream's first: a second one is part of the field name.
        assert_eq!(parse(&[b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\n"]), []);
    }

    #[test]
    fn comments_are_skipped_and_one_space_is_stripped() {
        assert_eq!(
            parse(&[b": keep-alive\ndata:  two spaces\n\n"]),
            [message(" two spaces")]
        );
        assert_eq!(parse(&[b"data:none\n\n"]), [message("none")]);
        assert_eq!(parse(&[b"data\n\n"]), [message("")]);
    }

    #[test]
    fn ids_and_retries_follow_the_standard() {
        let events = parse(&[b"id: 1\nretry: 1500\ndata: a\n\nretry: +5\nretry: 1x\nid: b\0c\ndata: b\n\nid\ndata: c\n\n"]);
        assert_eq!(events[0].id.as_deref(), Some("1"));
        assert_eq!(events[0].retry, Some(Duration::from_millis(1500)));
        // `+5` and `1x` are not digits; an id holding NUL is ignored and the last one stays.
        assert_eq!(events[1].retry, None);
        assert_eq!(events[1].id.as_deref(), Some("1"));
        // An empty id resets it.
        assert_eq!(events[2].id, None);
    }

    #[test]
    fn names_dispatch_and_an_unterminated_last_event() {
        let events = parse(&[b"event: delta\ndata: {}\n\nevent: empty\n\ndata: last"]);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].event, "delta");
        // A blank line with no data dispatches nothing and forgets the name.
        let events = parse(&[b"event: x\n\ndata: y\n\n"]);
        assert_eq!(events, [message("y")]);
    }

    #[test]
    fn bytes_not_utf8_become_replacement_characters() {
        assert_eq!(parse(&[b"data: \xff\n\n"]), [message("\u{fffd}")]);
        // A character split between reads is whole.
        assert_eq!(parse(&[b"data: \xc3", b"\xa9\n\n"]), [message("\u{e9}")]);
    }

    #[test]
    fn an_event_over_the_limit_is_refused() {
        let mut parser = EventParser::new(16);
        let mut events = VecDeque::new();
        assert!(parser.push(b"data: 0123456789\n", &mut events).is_ok());
        assert_eq!(
            parser.push(b"data: 0123456789\n", &mut events),
            Err(TooLarge { limit: 16 })
        );
        // An endless line is refused too, whatever the reads.
        let mut parser = EventParser::new(16);
        assert!(parser.push(&[b'a'; 10], &mut events).is_ok());
        assert!(parser.push(&[b'a'; 10], &mut events).is_err());
    }

    #[test]
    fn records_split_on_lines_or_separators() {
        let mut records = VecDeque::new();
        let mut lines = RecordParser::new(Framing::Lines, 64);
        lines
            .push(b"{\"a\":1}\r\n\n  \n{\"a\"", &mut records)
            .expect("fits");
        lines.push(b":2}", &mut records).expect("fits");
        lines.finish(&mut records);
        assert_eq!(Vec::from(records.clone()), ["{\"a\":1}", "{\"a\":2}"]);
        records.clear();
        let mut sequence = RecordParser::new(Framing::Sequence, 64);
        sequence
            .push(b"\x1e{\"a\":1}\n\x1e\"x\ny\"\n", &mut records)
            .expect("fits");
        sequence.finish(&mut records);
        assert_eq!(Vec::from(records), ["{\"a\":1}", "\"x\ny\""]);
        let mut long = RecordParser::new(Framing::Lines, 4);
        assert!(long.push(b"12345", &mut VecDeque::new()).is_err());
    }
}
