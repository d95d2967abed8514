//! Sending a request: credentials, headers, the HTTP call, retries with backoff or
//! `Retry-After`, the time limits of a try and of the call, and the body read under its limit
//! or handed over as a stream.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use tokio::time::Instant;

use crate::__private::{Received, Request, SecurityScheme};
use crate::config::{Held, Limits, Secret};
use crate::datetime::days_from_civil;
use crate::events::{Events, Framing};
use crate::response::BodyStream;
use crate::trace::CallTrace;
use crate::{
    DecodeError, Error, HeaderMap, Hooks, Method, RawResponse, RequestOptions, Response,
    ResponseInfo, StatusCode, TimeLimit, TimeoutError, ValidationError,
};

/// The HTTP side of a generated `Client`.
#[derive(Clone, Debug)]
pub struct HttpClient {
    pub(crate) http: reqwest::Client,
    /// The user's middleware around `http`, when there is any.
    #[cfg(feature = "middleware")]
    pub(crate) layers: Option<reqwest_middleware::ClientWithMiddleware>,
    pub(crate) base_url: reqwest::Url,
    pub(crate) schemes: &'static [SecurityScheme],
    pub(crate) credentials: Vec<Option<Held>>,
    /// Credential headers no scheme declares, sent with every request.
    pub(crate) undeclared: Vec<Secret>,
    pub(crate) hooks: Hooks,
    pub(crate) limits: Limits,
    pub(crate) options: RequestOptions,
}

/// What a client method returns: a future of the decoded response, sent when it is first
/// polled. A named type rather than each method's own `async` future: the sending is one
/// future compiled once, here, and a method adds only the plain function that reads its
/// responses. (Checking an `async` body per operation was the larger part of compiling a
/// client with thousands of them.)
///
/// [`Call::stream_body`] takes a successful response's body as a stream of bytes instead,
/// for downloads too large to hold in memory.
#[must_use = "a call is sent only when it is awaited"]
pub struct Call<'a, T, E> {
    state: CallState<'a, E>,
    decode: fn(Received) -> Result<T, Error<E>>,
}

/// A call whose successful body is handed over as a [`BodyStream`]: see [`Call::stream_body`].
#[must_use = "a call is sent only when it is awaited"]
pub struct StreamCall<'a, T, E> {
    state: CallState<'a, E>,
    decode: fn(Received) -> Result<T, Error<E>>,
}

type Sent = Result<Outcome, Error<Infallible>>;

type Sending<'a> = Pin<Box<dyn Future<Output = Sent> + Send + 'a>>;

/// What the sending gives back: a body read whole, or a successful response whose body is
/// still to be read.
pub(crate) enum Outcome {
    Whole(Received),
    /// With the call's trace, which a stream of events keeps open until its end.
    Streaming(Response<BodyStream>, CallTrace),
}

/// What the tries of a call end with, before the trace is handed over with a stream.
enum Tried {
    Whole(Received),
    Streaming(Response<BodyStream>),
}

/// A buffered call's response. Buffered sending reads every body, so it never hands over a
/// stream; the one place that says so.
fn whole(sent: Sent) -> Result<Received, Error<Infallible>> {
    match sent? {
        Outcome::Whole(received) => Ok(received),
        Outcome::Streaming(..) => Err(Error::Pagination(
            "a buffered call was handed a stream".to_owned(),
        )),
    }
}

/// How a call takes its final response's body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Buffered,
    /// A 2xx body as a stream; any other is read whole, so that its documented error decodes.
    Streamed,
    /// As `Streamed`, for a stream of events (`None`) or records: a 2xx whose `Content-Type`
    /// names another media type is read whole too, since a JSON answer parsed as a stream
    /// would be an empty one and end cleanly, hiding that the server did not stream.
    Events(Option<Framing>),
}

impl Mode {
    /// Whether a response of `status` and `headers` has its body handed over as a stream.
    fn streams(self, status: StatusCode, headers: &HeaderMap) -> bool {
        match self {
            Mode::Buffered => false,
            Mode::Streamed => status.is_success(),
            Mode::Events(framing) => {
                status.is_success()
                    && content_type(headers)
                        .is_none_or(|essence| stream_media_types(framing).contains(&&*essence))
            }
        }
    }
}

/// A response's media type, its parameters dropped, in lower case; `None` without one, which
/// a stream takes on trust, as many servers send none.
fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(reqwest::header::CONTENT_TYPE)?;
    let text = String::from_utf8_lossy(value.as_bytes());
    let essence = text.split(';').next().unwrap_or_default().trim();
    Some(essence.to_ascii_lowercase())
}

/// The media types a stream of `framing` is read from: those the generator gives it.
fn stream_media_types(framing: Option<Framing>) -> &'static [&'static str] {
    match framing {
        None => &["text/event-stream"],
        Some(Framing::Lines) => &[
            "application/jsonl",
            "application/x-ndjson",
            "application/x-jsonlines",
            "application/jsonlines",
        ],
        Some(Framing::Sequence) => &["application/json-seq"],
    }
}

/// The error of a 2xx answered to a stream method in another media type than the stream's:
/// a decode error naming both, with the body as it came.
fn not_a_stream<E>(framing: Option<Framing>, received: Received) -> Error<E> {
    let given = content_type(&received.headers).unwrap_or_default();
    Error::Decode(Box::new(DecodeError {
        status: received.status,
        path: String::new(),
        message: format!(
            "the response is `{given}`, not a stream of `{}`",
            stream_media_types(framing).join("`, `")
        ),
        body: received.body,
    }))
}

enum CallState<'a, E> {
    /// The request could not be built; the error is returned at the first poll.
    Failed(Error<E>),
    /// Built, not sent: how its body is taken, and where it goes, can still be chosen.
    Ready(&'a HttpClient, Box<Request>, &'static [&'static [usize]]),
    Sending(Sending<'a>),
    /// The result was returned.
    Done,
}

impl<'a, E> CallState<'a, E> {
    /// Polls the sending, starting it on the first poll; `Err` holds an error of building.
    fn poll_sending(&mut self, mode: Mode, cx: &mut Context<'_>) -> Poll<Result<Sent, Error<E>>> {
        if matches!(self, CallState::Ready(..)) {
            if let CallState::Ready(client, request, security) =
                std::mem::replace(self, CallState::Done)
            {
                *self = CallState::Sending(client.sending(*request, security, mode));
            }
        }
        if let CallState::Sending(sending) = self {
            let Poll::Ready(outcome) = sending.as_mut().poll(cx) else {
                return Poll::Pending;
            };
            *self = CallState::Done;
            return Poll::Ready(Ok(outcome));
        }
        match std::mem::replace(self, CallState::Done) {
            CallState::Failed(error) => Poll::Ready(Err(error)),
            // Polled again after it completed: a future may then do anything but panic here.
            _ => Poll::Pending,
        }
    }
}

impl<T, E> Future for Call<'_, T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.state
            .poll_sending(Mode::Buffered, cx)
            .map(|sent| match whole(sent?) {
                Ok(received) => (this.decode)(received),
                Err(error) => Err(error.widen()),
            })
    }
}

impl<'a, T, E> Call<'a, T, E> {
    /// The same call sent to a list's next page at `url` (absolute, or relative to the
    /// operation's own URL), as a `Link` header or a page's body gives it: its query is kept as
    /// given, the call's headers and credentials are the same. A URL on another origin than
    /// the client's base URL ends the call with [`Error::Pagination`], sending nothing.
    pub fn with_next_url(mut self, url: String) -> Self {
        if let CallState::Ready(_, request, _) = &mut self.state {
            request.next_url = Some(url);
        }
        self
    }

    /// The same call, but a successful (2xx) response's body is not read: it comes as a
    /// [`BodyStream`] of chunks, with no limit on its size, read as fast as the caller reads
    /// it, so a download of any size never sits in memory whole. Write it to a file as it
    /// comes. The time limits hold up to the response's head, and the read time-out between
    /// chunks after it. A response the spec documents as an error is read and decoded as
    /// the call would, under the body limit.
    pub fn stream_body(self) -> StreamCall<'a, T, E> {
        StreamCall {
            state: self.state,
            decode: self.decode,
        }
    }
}

impl<T, E> Future for StreamCall<'_, T, E> {
    type Output = Result<Response<BodyStream>, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.state
            .poll_sending(Mode::Streamed, cx)
            .map(|sent| match sent? {
                Ok(Outcome::Streaming(response, _)) => Ok(response),
                Ok(Outcome::Whole(received)) => Err(not_streamed(this.decode, received)),
                Err(error) => Err(error.widen()),
            })
    }
}

impl<T, E> std::fmt::Debug for Call<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Call")
    }
}

/// The error a streamed call gives for a response it read whole, which is never a 2xx: the
/// documented error it decodes to, or, for a documented success outside 2xx, which has no
/// stream to give, the response as it came.
fn not_streamed<T, E>(decode: fn(Received) -> Result<T, Error<E>>, received: Received) -> Error<E> {
    let raw = RawResponse {
        status: received.status,
        headers: received.headers.clone(),
        body: received.body.clone(),
    };
    match decode(received) {
        Err(error) => error,
        Ok(_) => Error::UnexpectedStatus(Box::new(raw)),
    }
}

/// A call whose successful body is read as a stream of events or records, typed: see
/// [`Call::events`]. Awaiting it gives the [`Events`] once the response's head came.
#[must_use = "a call is sent only when it is awaited"]
pub struct EventsCall<'a, D, E> {
    state: CallState<'a, E>,
    /// Decodes a documented error response (and refuses a documented success outside 2xx).
    decode_error: Box<dyn Fn(Received) -> Error<E> + Send + 'a>,
    framing: Option<Framing>,
    decode: fn(&str) -> Result<D, String>,
    /// The longest event held, the body limit.
    limit: u64,
    resume: Option<Resume>,
}

impl<'a, T: 'a, E: 'a> Call<'a, T, E> {
    /// Sends `Accept: media_types` instead of the operation's own.
    pub fn accept(mut self, media_types: &str) -> Self {
        if let CallState::Ready(_, request, _) = &mut self.state {
            request.accept(media_types);
        }
        self
    }

    /// Sets the JSON body's top-level `name` to `true`: the property by which an API is asked
    /// for the stream form (OpenAI's `stream`).
    pub fn stream_flag(mut self, name: &str) -> Self {
        if let CallState::Ready(_, request, _) = &mut self.state {
            request.set_body_flag(name);
        }
        self
    }

    /// The same call, its successful (2xx) body read as server-sent events (with `framing`
    /// `None`) or as JSON records, each event's data decoded by `decode`, as it arrives: see
    /// [`Events`]. The time limits hold up to the response's head, then the read time-out
    /// between reads of the body; a documented error is read and decoded as the call would.
    /// A `GET` stream cut off after an event id is resumed with `Last-Event-ID`, within the
    /// call's retries; no other request is sent again once a stream began.
    pub fn events<D>(
        self,
        framing: Option<Framing>,
        decode: fn(&str) -> Result<D, String>,
    ) -> EventsCall<'a, D, E> {
        let (limit, resume) = match &self.state {
            CallState::Ready(client, request, security) => {
                let resumable = framing.is_none() && request.method == Method::GET;
                (
                    client.call_limits().max_body_size,
                    resumable.then(|| Resume::new(client, request, security)),
                )
            }
            _ => (0, None),
        };
        let decode_response = self.decode;
        EventsCall {
            state: self.state,
            decode_error: Box::new(move |received| not_streamed(decode_response, received)),
            framing,
            decode,
            limit,
            resume,
        }
    }
}

impl<D, E> Future for EventsCall<'_, D, E> {
    type Output = Result<Events<D, E>, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.state
            .poll_sending(Mode::Events(this.framing), cx)
            .map(|sent| match sent? {
                Ok(Outcome::Streaming(response, trace)) => Ok(Events::new(
                    response,
                    this.framing,
                    this.limit,
                    this.decode,
                    this.resume.take(),
                    trace,
                )),
                // Events mode reads a 2xx whole only when it is not in the stream's media type.
                Ok(Outcome::Whole(received)) if received.status.is_success() => {
                    Err(not_a_stream(this.framing, received))
                }
                Ok(Outcome::Whole(received)) => Err((this.decode_error)(received)),
                Err(error) => Err(error.widen()),
            })
    }
}

impl<D, E> std::fmt::Debug for EventsCall<'_, D, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventsCall")
    }
}

/// What resuming a `GET` event stream needs: the client, the request to send again with
/// `Last-Event-ID`, and the retries left.
pub(crate) struct Resume {
    client: HttpClient,
    request: Request,
    security: &'static [&'static [usize]],
    retries_left: u32,
    waiting: Option<Sending<'static>>,
    /// Cut off after an id: a new connection is due, after this long.
    due: Option<Duration>,
    attempt: u32,
}

impl Resume {
    fn new(client: &HttpClient, request: &Request, security: &'static [&'static [usize]]) -> Self {
        Self {
            client: client.clone(),
            request: request.clone(),
            security,
            retries_left: client.options.max_retries.unwrap_or(2),
            waiting: None,
            due: None,
            attempt: 0,
        }
    }

    /// The body broke with `error`: whether a new connection is to be made, which needs an
    /// event id to resume from, a failure that is not the server's answer, and a retry left.
    pub(crate) fn dropped(
        &mut self,
        error: &Error<Infallible>,
        last_id: Option<&str>,
        retry: Option<Duration>,
    ) -> bool {
        let Some(last_id) = last_id else {
            return false;
        };
        if self.retries_left == 0 || !is_retryable(error) {
            return false;
        }
        let Ok(value) = HeaderValue::from_str(last_id) else {
            return false;
        };
        self.retries_left -= 1;
        let name = HeaderName::from_static("last-event-id");
        self.request.headers.retain(|(header, _)| *header != name);
        self.request.headers.push((name, value));
        self.due = Some(retry.unwrap_or_else(|| backoff(self.attempt)));
        self.attempt += 1;
        true
    }

    /// Polls the new connection that [`Resume::dropped`] made due: its body, an error that
    /// ends the stream, or `None` when none is due.
    pub(crate) fn poll_reconnect(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<BodyStream, Error<Infallible>>>> {
        if let Some(delay) = self.due.take() {
            let client = self.client.clone();
            let request = self.request.clone();
            let security = self.security;
            self.waiting = Some(Box::pin(async move {
                client.wait(delay).await;
                client.send_as(request, security, Mode::Events(None)).await
            }));
        }
        let Some(waiting) = &mut self.waiting else {
            return Poll::Ready(None);
        };
        let Poll::Ready(outcome) = waiting.as_mut().poll(cx) else {
            return Poll::Pending;
        };
        self.waiting = None;
        Poll::Ready(Some(match outcome {
            Ok(Outcome::Streaming(response, _)) => Ok(response.body),
            Ok(Outcome::Whole(received)) if received.status.is_success() => {
                Err(not_a_stream(None, received))
            }
            Ok(Outcome::Whole(received)) => Err(Error::UnexpectedStatus(Box::new(RawResponse {
                status: received.status,
                headers: received.headers,
                body: received.body,
            }))),
            Err(error) => Err(error),
        }))
    }
}

impl<T, E> std::fmt::Debug for StreamCall<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamCall")
    }
}

/// The time limits of one call: the client's, with those the call's options set instead.
#[derive(Clone, Copy)]
struct CallLimits {
    try_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    deadline: Option<Instant>,
    deadline_after: Option<Duration>,
    max_body_size: u64,
    connect_timeout: Option<Duration>,
}

impl CallLimits {
    /// What is left, from now, of the try that started at `try_started` or of the call,
    /// whichever ends first, and the time-out that ends it.
    fn bound(&self, try_started: Instant) -> Option<(Duration, TimeoutError)> {
        let try_limit = self.try_timeout.map(|after| {
            let left = try_started
                .checked_add(after)
                .map_or(after, |end| end.saturating_duration_since(Instant::now()));
            (
                left,
                TimeoutError {
                    limit: TimeLimit::Try,
                    after,
                },
            )
        });
        let deadline = self.deadline.zip(self.deadline_after).map(|(at, after)| {
            (
                at.saturating_duration_since(Instant::now()),
                TimeoutError {
                    limit: TimeLimit::Deadline,
                    after,
                },
            )
        });
        match (try_limit, deadline) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// Whether waiting `delay` before another try would end past the deadline.
    fn outlasts_deadline(&self, delay: Duration) -> bool {
        self.deadline.is_some_and(|at| Instant::now() + delay >= at)
    }
}

/// `future`, or the time-out when `bound` runs out first.
async fn bounded<T>(
    bound: Option<(Duration, TimeoutError)>,
    future: impl Future<Output = Result<T, Error<Infallible>>>,
) -> Result<T, Error<Infallible>> {
    match bound {
        Some((wait, error)) => tokio::time::timeout(wait, future)
            .await
            .unwrap_or(Err(Error::Timeout(error))),
        None => future.await,
    }
}

/// A final response's body read into memory: refused past `limit` bytes (at once when its
/// `Content-Length` says so, else where reading reaches it), with at most `read_timeout`
/// between chunks. One chunk is kept as it came; several are copied once, into one buffer.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    limit: u64,
    read_timeout: Option<Duration>,
) -> Result<Bytes, Error<Infallible>> {
    let too_large = || Error::BodyTooLarge { limit };
    if response
        .content_length()
        .is_some_and(|length| length > limit)
    {
        return Err(too_large());
    }
    let mut first: Option<Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    let mut length: u64 = 0;
    while let Some(chunk) = next_chunk(&mut response, read_timeout).await? {
        length = length.saturating_add(chunk.len() as u64);
        if length > limit {
            return Err(too_large());
        }
        match first.take() {
            None if joined.is_empty() => first = Some(chunk),
            earlier => {
                if let Some(earlier) = earlier {
                    // Room for what the server announced, within the limit.
                    let expected = response.content_length().unwrap_or(0).min(limit);
                    joined.reserve(
                        usize::try_from(expected)
                            .unwrap_or(0)
                            .max(earlier.len() * 2),
                    );
                    joined.extend_from_slice(&earlier);
                }
                joined.extend_from_slice(&chunk);
            }
        }
    }
    Ok(first.unwrap_or_else(|| Bytes::from(joined)))
}

/// The next chunk of a body, waiting at most `read_timeout` for it.
pub(crate) async fn next_chunk(
    response: &mut reqwest::Response,
    read_timeout: Option<Duration>,
) -> Result<Option<Bytes>, Error<Infallible>> {
    let chunk = match read_timeout {
        Some(after) => tokio::time::timeout(after, response.chunk())
            .await
            .map_err(|_| {
                Error::Timeout(TimeoutError {
                    limit: TimeLimit::Read,
                    after,
                })
            })?,
        None => response.chunk().await,
    };
    chunk.map_err(|err| Error::from_reqwest(err, None))
}

/// Whether a failed try may be tried again: the request may not have reached the server, or
/// its response was cut off before the end (connection refused or reset, an incomplete body),
/// which are not the server's answer.
fn is_retryable(err: &Error<Infallible>) -> bool {
    match err {
        // reqwest reports a body cut off (hyper's incomplete body) as a decode error.
        Error::Transport(err) => {
            err.is_connect() || err.is_request() || err.is_body() || err.is_decode()
        }
        _ => false,
    }
}

impl HttpClient {
    /// The call of one operation: `request` sent as [`send`] does, with the credentials of
    /// the first alternative of `security` the client holds in full (each alternative the
    /// indexes of its schemes in the client's table), and the response read by `decode`. A
    /// request whose building met an error fails with it, unsent.
    ///
    /// [`send`]: Self::send
    pub fn call<'a, T, E>(
        &'a self,
        mut request: Request,
        security: &'static [&'static [usize]],
        decode: fn(Received) -> Result<T, Error<E>>,
    ) -> Call<'a, T, E> {
        let state = match request.take_refusal() {
            None => CallState::Ready(self, Box::new(request), security),
            Some(error) => CallState::Failed(error.into()),
        };
        Call { state, decode }
    }

    /// Not generic: the one sending future every operation's call shares.
    fn sending(
        &self,
        request: Request,
        security: &'static [&'static [usize]],
        mode: Mode,
    ) -> Sending<'_> {
        Box::pin(self.send_as(request, security, mode))
    }

    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// A copy of this client whose calls use `options` on top of the current ones.
    pub fn with_options(&self, options: RequestOptions) -> Self {
        Self {
            options: self.options.merged(options),
            ..self.clone()
        }
    }

    /// Sends `request` with the first set of credentials in `security` that the client holds
    /// in full, retrying as [`should_retry`] says, and reads the whole response under the
    /// body limit.
    ///
    /// With the `tracing` feature, the call is one `http_call` span (fields `operation`,
    /// `method`, `path` as the spec's template, `status`, `attempt`, `retries`,
    /// `duration_ms`) and each retry an `INFO` event with its `reason` and `wait_ms`.
    pub async fn send<E>(
        &self,
        request: Request,
        security: &[&[usize]],
    ) -> Result<Received, Error<E>> {
        whole(self.send_as(request, security, Mode::Buffered).await).map_err(Error::widen)
    }

    async fn send_as(
        &self,
        mut request: Request,
        security: &[&[usize]],
        mode: Mode,
    ) -> Result<Outcome, Error<Infallible>> {
        if let Some(error) = request.take_refusal() {
            return Err(error.into());
        }
        let trace = CallTrace::start(&request, self.options.trace_bodies.unwrap_or(false));
        match trace
            .run(self.tries(request, security, &trace, mode))
            .await?
        {
            Tried::Whole(received) => Ok(Outcome::Whole(received)),
            Tried::Streaming(response) => Ok(Outcome::Streaming(response, trace)),
        }
    }

    fn call_limits(&self) -> CallLimits {
        let deadline_after = self.options.deadline.or(self.limits.deadline);
        CallLimits {
            try_timeout: self.options.timeout.or(self.limits.timeout),
            read_timeout: self.options.read_timeout.or(self.limits.read_timeout),
            deadline: deadline_after.and_then(|after| Instant::now().checked_add(after)),
            deadline_after,
            max_body_size: self
                .options
                .max_body_size
                .unwrap_or(self.limits.max_body_size),
            connect_timeout: self.limits.connect_timeout,
        }
    }

    async fn tries(
        &self,
        request: Request,
        security: &[&[usize]],
        trace: &CallTrace,
        mode: Mode,
    ) -> Result<Tried, Error<Infallible>> {
        let limits = self.call_limits();
        // A provider that hangs holds up no call past its time limits.
        let (mut credentials, mut provided) = bounded(
            limits.bound(Instant::now()),
            self.credentials_for(security, &[]),
        )
        .await?;
        let extra = self.extra_headers()?;
        let url = self.url(&request);
        let url = match &request.next_url {
            Some(next) => self.next_page_url(&url, next)?,
            None => url,
        };
        let retryable = request.idempotent
            || self.options.idempotency_key.is_some()
            || is_idempotent(&request.method);
        let mut max_retries = if retryable {
            self.options.max_retries.unwrap_or(2)
        } else {
            0
        };
        let mut attempt = 0;
        // A provider's credential refused with 401 is renewed, and the call tried again, once.
        let mut renewed = false;
        loop {
            let mut http_request = self.http_request(&request, &url, &credentials, &extra)?;
            for hook in &self.hooks.on_request {
                hook(&mut http_request);
            }
            let try_started = Instant::now();
            let sent = bounded(
                limits.bound(try_started),
                self.execute(http_request, limits.connect_timeout),
            )
            .await;
            let response = match sent {
                Ok(response) => response,
                Err(err) => {
                    if self
                        .retried(
                            &err,
                            attempt,
                            max_retries,
                            &limits,
                            trace,
                            "connection failed",
                        )
                        .await
                    {
                        attempt += 1;
                        continue;
                    }
                    return Err(err);
                }
            };
            let status = response.status();
            trace.response(status, attempt + 1);
            let retry_in = (attempt < max_retries)
                .then(|| should_retry(status, response.headers(), attempt))
                .flatten()
                .filter(|delay| !limits.outlasts_deadline(*delay));
            for hook in &self.hooks.on_response {
                hook(&ResponseInfo {
                    method: &request.method,
                    url: &url,
                    status,
                    headers: response.headers(),
                    attempt,
                    retry_in,
                });
            }
            if status == StatusCode::UNAUTHORIZED && retryable && !renewed && !provided.is_empty() {
                renewed = true;
                trace.retry(attempt + 1, &"the credential was refused", Duration::ZERO);
                (credentials, provided) = bounded(
                    limits.bound(Instant::now()),
                    self.credentials_for(security, &provided),
                )
                .await?;
                // The try again is the renewal's, not one of the call's retries.
                attempt += 1;
                max_retries += 1;
                continue;
            }
            if let Some(delay) = retry_in {
                trace.retry(attempt + 1, &status, delay);
                self.wait(delay).await;
                attempt += 1;
                continue;
            }
            let headers = response.headers().clone();
            if mode.streams(status, &headers) {
                trace.finish(attempt + 1);
                let body = BodyStream::new(response, limits.read_timeout);
                return Ok(Tried::Streaming(Response {
                    status,
                    headers,
                    body,
                }));
            }
            // What is left of the try, or of the call, bounds the body too.
            let body = bounded(
                limits.bound(try_started),
                read_body(response, limits.max_body_size, limits.read_timeout),
            )
            .await;
            let body = match body {
                Ok(body) => body,
                Err(err) => {
                    if self
                        .retried(
                            &err,
                            attempt,
                            max_retries,
                            &limits,
                            trace,
                            "the body was cut off",
                        )
                        .await
                    {
                        attempt += 1;
                        continue;
                    }
                    return Err(err);
                }
            };
            trace.finish(attempt + 1);
            trace.response_body(&body);
            return Ok(Tried::Whole(Received {
                status,
                headers,
                body,
            }));
        }
    }

    /// Sends one try, through the user's middleware when there is any.
    async fn execute(
        &self,
        request: reqwest::Request,
        connect_timeout: Option<Duration>,
    ) -> Result<reqwest::Response, Error<Infallible>> {
        #[cfg(feature = "middleware")]
        if let Some(layers) = &self.layers {
            return layers.execute(request).await.map_err(|err| match err {
                reqwest_middleware::Error::Reqwest(err) => {
                    Error::from_reqwest(err, connect_timeout)
                }
                reqwest_middleware::Error::Middleware(err) => Error::Middleware(err.into()),
            });
        }
        self.http
            .execute(request)
            .await
            .map_err(|err| Error::from_reqwest(err, connect_timeout))
    }

    /// Waits to try again after `err`, when it may be tried again within the retries and the
    /// deadline; otherwise ends the call's trace and says no.
    async fn retried(
        &self,
        err: &Error<Infallible>,
        attempt: u32,
        max_retries: u32,
        limits: &CallLimits,
        trace: &CallTrace,
        reason: &'static str,
    ) -> bool {
        let delay = backoff(attempt);
        if attempt < max_retries && is_retryable(err) && !limits.outlasts_deadline(delay) {
            trace.retry(attempt + 1, &reason, delay);
            self.wait(delay).await;
            return true;
        }
        trace.finish(attempt + 1);
        false
    }

    async fn wait(&self, delay: Duration) {
        match &self.hooks.sleep {
            Some(sleep) => sleep(delay).await,
            None => tokio::time::sleep(delay).await,
        }
    }

    fn url(&self, request: &Request) -> reqwest::Url {
        let mut url = self.base_url.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), request.path);
        url.set_path(&path);
        if let Some(query_string) = &request.query_string {
            let query = match url.query().filter(|query| !query.is_empty()) {
                Some(base) => format!("{base}&{query_string}"),
                None => query_string.clone(),
            };
            url.set_query(Some(&query));
        }
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        url
    }

    /// A next page's URL, resolved against the operation's URL; refused unless it is on the
    /// base URL's origin, since the call's credentials go with it.
    fn next_page_url<E>(&self, url: &reqwest::Url, next: &str) -> Result<reqwest::Url, Error<E>> {
        let resolved = url.join(next).map_err(|err| {
            Error::Pagination(format!("the next page's URL does not parse: {err}"))
        })?;
        if resolved.origin() != self.base_url.origin() {
            return Err(Error::Pagination(format!(
                "the next page's URL is on another origin ({}) than the client's; nothing was sent there",
                resolved.origin().ascii_serialization()
            )));
        }
        Ok(resolved)
    }

    fn extra_headers<E>(&self) -> Result<Vec<(HeaderName, HeaderValue)>, Error<E>> {
        let mut headers = Vec::new();
        let key = self
            .options
            .idempotency_key
            .iter()
            .map(|key| ("idempotency-key", key.as_str()));
        let extra = self
            .options
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()));
        for (name, value) in key.chain(extra) {
            let invalid = || ValidationError {
                path: name.to_owned(),
                message: "is not a valid HTTP header (names are tokens; values hold no CR or LF)"
                    .to_owned(),
            };
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let mut header_value = HeaderValue::from_str(value).map_err(|_| invalid())?;
            // A header set for one call is where users put a credential of their own.
            header_value.set_sensitive(true);
            headers.push((header_name, header_value));
        }
        Ok(headers)
    }

    /// One try's request, built afresh so that every retry sends the same bytes. A header the
    /// call's options set replaces the client's of the same name (a credential included).
    fn http_request<E>(
        &self,
        request: &Request,
        url: &reqwest::Url,
        credentials: &[Secret],
        extra: &[(HeaderName, HeaderValue)],
    ) -> Result<reqwest::Request, Error<E>> {
        let mut url = url.clone();
        let mut cookies: Vec<&str> = request.cookies.iter().map(String::as_str).collect();
        let mut secret_headers = Vec::new();
        for secret in credentials.iter().chain(self.undeclared_for(credentials)) {
            match secret {
                Secret::Header(name, value) => secret_headers.push((name.clone(), value.clone())),
                Secret::Query(name, value) => {
                    url.query_pairs_mut().append_pair(name, value);
                }
                Secret::Cookie(cookie) => cookies.push(cookie.as_str()),
            }
        }
        let mut http_request = reqwest::Request::new(request.method.clone(), url);
        let headers = http_request.headers_mut();
        for (name, value) in request.headers.iter().chain(&secret_headers) {
            headers.append(name.clone(), value.clone());
        }
        for (name, _) in extra {
            headers.remove(name);
        }
        for (name, value) in extra {
            headers.append(name.clone(), value.clone());
        }
        if !cookies.is_empty() {
            let mut cookie = HeaderValue::from_str(&cookies.join("; ")).map_err(|_| {
                Error::Validation(ValidationError {
                    path: "cookie".to_owned(),
                    message: "holds a control character, which no header may carry".to_owned(),
                })
            })?;
            cookie.set_sensitive(true);
            headers.insert(reqwest::header::COOKIE, cookie);
        }
        if let Some((media_type, body)) = &request.body {
            headers.insert(reqwest::header::CONTENT_TYPE, media_type.clone());
            *http_request.body_mut() = Some(body.clone().into());
        }
        Ok(http_request)
    }

    /// The credentials of the first alternative of `security` that the call's options or the
    /// client hold in full, with the generation of each a provider gave (by scheme index); a
    /// provider's credential of a generation in `refused` is renewed first.
    async fn credentials_for(
        &self,
        security: &[&[usize]],
        refused: &[(usize, u64)],
    ) -> Result<(Vec<Secret>, Vec<(usize, u64)>), Error<Infallible>> {
        if security.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        for alternative in security {
            if !alternative.iter().all(|&index| self.holds(index)) {
                continue;
            }
            let mut secrets = Vec::with_capacity(alternative.len());
            let mut provided = Vec::new();
            for &index in *alternative {
                let Some(scheme) = self.schemes.get(index) else {
                    continue;
                };
                if let Some(value) = self.call_credential(scheme.name) {
                    let secret = crate::config::secret(scheme, value.to_owned()).map_err(|_| {
                        crate::CredentialError {
                            scheme: scheme.name.to_owned(),
                            failure: crate::CredentialFailure::Invalid,
                        }
                    })?;
                    secrets.push(secret);
                    continue;
                }
                match self.credentials.get(index) {
                    Some(Some(Held::Fixed(secret))) => secrets.push(secret.clone()),
                    Some(Some(Held::Provided(cached))) => {
                        let refused = refused
                            .iter()
                            .find(|(refused, _)| *refused == index)
                            .map(|(_, generation)| *generation);
                        let (secret, generation) = cached.get(scheme, refused).await?;
                        secrets.push(secret);
                        provided.push((index, generation));
                    }
                    _ => {}
                }
            }
            return Ok((secrets, provided));
        }
        let wanted: Vec<&str> = security
            .first()
            .map(|first| {
                first
                    .iter()
                    .filter_map(|&index| self.schemes.get(index).map(|scheme| scheme.name))
                    .collect()
            })
            .unwrap_or_default();
        Err(Error::MissingCredential(wanted.join(" + ")))
    }

    /// Whether the call's options or the client hold a credential of the scheme at `index`.
    fn holds(&self, index: usize) -> bool {
        let per_call = self
            .schemes
            .get(index)
            .is_some_and(|scheme| self.call_credential(scheme.name).is_some());
        per_call || matches!(self.credentials.get(index), Some(Some(_)))
    }

    /// The credential the call's options give the scheme named `name`, the last one set.
    fn call_credential(&self, name: &str) -> Option<&str> {
        self.options
            .credentials
            .iter()
            .rev()
            .find(|(scheme, _)| scheme == name)
            .map(|(_, value)| value.as_str())
    }

    /// The undeclared credential headers, except those the call's own credentials already
    /// set (a per-call value of one replaces the client's).
    fn undeclared_for<'s>(&'s self, credentials: &'s [Secret]) -> impl Iterator<Item = &'s Secret> {
        self.undeclared.iter().filter(move |secret| match secret {
            Secret::Header(name, _) => !credentials
                .iter()
                .any(|held| matches!(held, Secret::Header(other, _) if other == name)),
            _ => true,
        })
    }
}

/// Methods that may be repeated without changing the outcome (RFC 9110, 9.2.2), QUERY among
/// them (safe, and so idempotent, though it has a body).
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET
            | Method::HEAD
            | Method::PUT
            | Method::DELETE
            | Method::OPTIONS
            | Method::TRACE
            | Method::QUERY
    )
}

/// How long to wait before retrying a response, or `None` when it is final: 408, 429 and
/// 5xx are retried, after `Retry-After` (seconds or an HTTP date, at most a minute) when the
/// server sends it, else after an exponential backoff with jitter.
pub fn should_retry(status: StatusCode, headers: &HeaderMap, attempt: u32) -> Option<Duration> {
    let retryable = status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error();
    if !retryable {
        return None;
    }
    match retry_after(headers, SystemTime::now()) {
        Some(delay) if delay <= Duration::from_secs(60) => Some(delay),
        Some(_) => None,
        None => Some(backoff(attempt)),
    }
}

/// The wait a `Retry-After` header asks for, as seconds or as an HTTP date after `now`.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<f64>() {
        // The server's number, however large or odd: a wait no `Duration` holds is no wait
        // the client can honour, so it is refused rather than panicking.
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let at = http_date(value)?;
    let now = now.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the Unix epoch of an IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(text: &str) -> Option<u64> {
    let mut parts = text.split_whitespace().skip(1);
    let day: u8 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let year: i32 = parts.next()?.parse().ok()?;
    // Unsigned, so a crafted `-99999999999:00:00` is refused rather than overflowing.
    let mut clock = parts
        .next()?
        .split(':')
        .map(|part| part.parse::<u8>().ok().map(i64::from));
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some() || parts.next()? != "GMT" || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|name| *name == month)? as u8 + 1;
    if day == 0 || u32::from(day) > crate::datetime::days_in_month(year, u32::from(month)) {
        return None;
    }
    let seconds = days_from_civil(year, month, day)
        .checked_mul(86_400)?
        .checked_add(hour * 3600 + minute * 60 + second)?;
    u64::try_from(seconds).ok()
}

/// 0.5 s doubled per retry, at most 8 s, less up to a quarter at random so that clients that
/// failed together do not all retry together.
fn backoff(attempt: u32) -> Duration {
    let base = (0.5 * 2f64.powi(attempt.min(16) as i32)).min(8.0);
    Duration::from_secs_f64(base * (1.0 - 0.25 * jitter()))
}

/// A number in [0, 1) that differs from call to call; no cryptographic quality needed.
fn jitter() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static STATE: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as u64);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ nanos;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__private::{Carrier, ClientConfig};

    fn request_to_items(method: Method) -> Request {
        let mut request = Request::new(method, "op", "/items");
        request.path("/items");
        request
    }

    fn retry_after_header(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::RETRY_AFTER,
            HeaderValue::from_str(value).expect("a valid header value"),
        );
        headers
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, the example date of RFC 9110.
    fn rfc_example_now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777)
    }

    #[test]
    fn retry_after_reads_seconds() {
        let headers = retry_after_header("120");
        assert_eq!(
            retry_after(&headers, SystemTime::now()),
            Some(Duration::from_secs(120))
        );
    }

    #[test]
    fn retry_after_reads_an_imf_fixdate_relative_to_now() {
        let headers = retry_after_header("Sun, 06 Nov 1994 08:50:07 GMT");
        assert_eq!(
            retry_after(&headers, rfc_example_now()),
            Some(Duration::from_secs(30))
        );
    }

    #[test]
    fn retry_after_a_past_date_is_no_wait() {
        let headers = retry_after_header("Sat, 05 Nov 1994 08:49:37 GMT");
        assert_eq!(
            retry_after(&headers, rfc_example_now()),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_refuses_negative_seconds_garbage_and_other_time_zones() {
        for value in ["-5", "soon", "Sun, 06 Nov 1994 08:50:07 CET", "NaN"] {
            let headers = retry_after_header(value);
            assert_eq!(retry_after(&headers, rfc_example_now()), None, "{value}");
        }
        assert_eq!(retry_after(&HeaderMap::new(), rfc_example_now()), None);
    }

    #[test]
    fn retry_after_refuses_more_seconds_than_a_duration_holds() {
        let headers = retry_after_header("99999999999999999999");
        let delay = std::panic::catch_unwind(|| retry_after(&headers, SystemTime::now()));
        assert!(
            matches!(delay, Ok(None)),
            "expected the header to be ignored, got {delay:?}"
        );
    }

    #[test]
    fn retry_after_refuses_an_http_date_with_an_impossible_hour() {
        let headers = retry_after_header("Sun, 06 Nov 1994 9999999999999999:00:00 GMT");
        let delay = std::panic::catch_unwind(|| retry_after(&headers, rfc_example_now()));
        assert!(
            matches!(delay, Ok(None)),
            "expected the header to be ignored, got {delay:?}"
        );
    }

    #[test]
    fn retry_after_refuses_negative_and_extra_clock_parts() {
        for value in [
            "Sun, 06 Nov 1994 -5:00:00 GMT",
            "Sun, 06 Nov 1994 -9999999999999:00:00 GMT",
            "Sun, 06 Nov 1994 08:-1:00 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, 99 Nov 1994 08:49:37 GMT",
        ] {
            let headers = retry_after_header(value);
            let delay = std::panic::catch_unwind(|| retry_after(&headers, rfc_example_now()));
            assert!(matches!(delay, Ok(None)), "{value}: {delay:?}");
        }
    }

    #[test]
    fn should_retry_timeouts_rate_limits_and_server_errors_only() {
        let none = HeaderMap::new();
        for status in [
            StatusCode::REQUEST_TIMEOUT,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::SERVICE_UNAVAILABLE,
        ] {
            assert!(should_retry(status, &none, 0).is_some(), "{status}");
        }
        for status in [
            StatusCode::NOT_FOUND,
            StatusCode::BAD_REQUEST,
            StatusCode::OK,
        ] {
            assert_eq!(should_retry(status, &none, 0), None, "{status}");
        }
    }

    #[test]
    fn should_retry_waits_as_long_as_retry_after_asks() {
        let headers = retry_after_header("3");
        assert_eq!(
            should_retry(StatusCode::TOO_MANY_REQUESTS, &headers, 0),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn should_retry_gives_up_when_retry_after_exceeds_a_minute() {
        let headers = retry_after_header("61");
        assert_eq!(
            should_retry(StatusCode::SERVICE_UNAVAILABLE, &headers, 0),
            None
        );
    }

    #[test]
    fn backoff_doubles_from_half_a_second_up_to_eight_less_a_quarter_at_most() {
        for (attempt, base) in [(0, 0.5), (1, 1.0), (3, 4.0), (4, 8.0), (30, 8.0)] {
            let delay = backoff(attempt).as_secs_f64();
            assert!(
                delay <= base && delay >= base * 0.75,
                "attempt {attempt}: {delay} s"
            );
        }
    }

    static SCHEMES: [SecurityScheme; 4] = [
        SecurityScheme {
            name: "Key",
            carrier: Carrier::Header("x-api-key"),
        },
        SecurityScheme {
            name: "QueryKey",
            carrier: Carrier::Query("api_key"),
        },
        SecurityScheme {
            name: "CookieKey",
            carrier: Carrier::Cookie("session"),
        },
        SecurityScheme {
            name: "Basic",
            carrier: Carrier::Basic,
        },
    ];

    fn client(base_url: &str, credentials: &[(usize, &str)]) -> HttpClient {
        let mut config = ClientConfig::new(base_url, &SCHEMES);
        for (scheme, value) in credentials {
            config.credential(*scheme, (*value).to_owned());
        }
        config.build().expect("a valid configuration")
    }

    #[test]
    fn url_keeps_the_base_path_and_encodes_the_query() {
        let http = client("http://api.test/v1/", &[]);
        let mut request = request_to_items(Method::GET);
        request.query.push(("q".to_owned(), "a b&c".to_owned()));
        assert_eq!(
            http.url(&request).as_str(),
            "http://api.test/v1/items?q=a+b%26c"
        );
    }

    #[test]
    fn a_whole_query_string_goes_after_the_base_urls_own() {
        let mut request = request_to_items(Method::QUERY);
        request
            .try_query_string(
                "q",
                &serde_json::json!({"a": 1}),
                crate::__private::QueryString::Json,
            )
            .expect("encodable");
        let http = client("http://api.test/v1", &[]);
        assert_eq!(
            http.url(&request).as_str(),
            "http://api.test/v1/items?%7B%22a%22%3A1%7D"
        );
        let http = client("http://api.test/v1?key=k", &[]);
        assert_eq!(
            http.url(&request).as_str(),
            "http://api.test/v1/items?key=k&%7B%22a%22%3A1%7D"
        );
    }

    #[tokio::test]
    async fn credentials_travel_as_their_carrier_says() {
        let http = client(
            "http://api.test",
            &[(0, "k1"), (1, "k 2"), (2, "c3"), (3, "user:pass")],
        );
        let security: &[&[usize]] = &[&[0, 1, 2, 3]];
        let (credentials, _) = http
            .credentials_for(security, &[])
            .await
            .expect("all credentials held");
        let request = request_to_items(Method::GET);
        let url = http.url(&request);
        let sent = http
            .http_request::<()>(&request, &url, &credentials, &[])
            .expect("a valid request");
        let header = |name: &str| sent.headers().get(name).map(|value| value.as_bytes());
        assert_eq!(header("x-api-key"), Some(&b"k1"[..]));
        assert_eq!(header("authorization"), Some(&b"Basic dXNlcjpwYXNz"[..]));
        assert_eq!(header("cookie"), Some(&b"session=c3"[..]));
        assert_eq!(sent.url().query(), Some("api_key=k+2"));
    }

    #[tokio::test]
    async fn credentials_come_from_the_first_alternative_held_in_full() {
        let http = client("http://api.test", &[(1, "q")]);
        let (credentials, _) = http
            .credentials_for(&[&[0, 1], &[1]], &[])
            .await
            .expect("the second alternative is held");
        assert!(
            matches!(credentials.as_slice(), [Secret::Query("api_key", value)] if value == "q")
        );
    }

    #[tokio::test]
    async fn a_missing_credential_names_the_first_alternative() {
        let http = client("http://api.test", &[]);
        let err = http
            .credentials_for(&[&[0, 3], &[1]], &[])
            .await
            .expect_err("no credential held");
        assert!(
            matches!(&err, Error::MissingCredential(names) if names == "Key + Basic"),
            "{err:?}"
        );
    }

    #[test]
    fn extra_headers_with_line_breaks_are_refused() {
        let http = client("http://api.test", &[]).with_options(RequestOptions {
            headers: vec![("x-note".to_owned(), "a\r\nx-injected: 1".to_owned())],
            ..RequestOptions::default()
        });
        let err = http.extra_headers::<()>().expect_err("CR LF refused");
        assert!(
            matches!(&err, Error::Validation(err) if err.path == "x-note"),
            "{err:?}"
        );
    }

    #[test]
    fn only_idempotent_methods_are_idempotent() {
        assert!(is_idempotent(&Method::PUT) && is_idempotent(&Method::DELETE));
        assert!(is_idempotent(&Method::QUERY));
        assert!(!is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
        let purge = crate::__private::extension_method("PURGE").expect("a token");
        assert!(!is_idempotent(&purge));
    }
}
